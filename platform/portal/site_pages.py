"""Pages every site has besides its page tree: the site map and 关于本网 (footer links)."""

from django.template.response import TemplateResponse

from themes.context_processors import site_relative_url


def site_map(request):
    from portal.pages.models import ColumnPage

    columns = ColumnPage.objects.live().public().filter(depth__in=[3, 4]).order_by("path").only(
        "title", "url_path", "depth", "path"
    )
    tree = []
    for column in columns:
        entry = {"title": column.title, "url": site_relative_url(column.url_path), "children": []}
        if column.depth == 3:
            tree.append(entry)
        elif tree:
            tree[-1]["children"].append(entry)
    context = {"tree": tree}
    if request.tenant.is_portal:
        from tenants.models import Department

        context["departments"] = Department.objects.filter(kind__in=["bureau", "town"], status="active")
    return TemplateResponse(request, "pages/site_map.html", context)


def about_site(request):
    return TemplateResponse(request, "pages/about_site.html", {})
