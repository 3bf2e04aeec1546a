"""Public pages: the catalogue (one department's on its site, every department's on the portal),
the 依申请公开 form and status lookup, and published annual reports."""

from django.core.paginator import Paginator
from django.template.response import TemplateResponse

from .catalogue import FILTERS, catalogue_items
from .models import CatalogueItem, Genre, Validity
from .topics import TOPIC_NAMES, TOPIC_TREE

PAGE_SIZE = 20


def _catalogue_departments():
    from tenants.models import Department

    departments = Department.objects.filter(kind__in=["portal", "bureau", "town"], status="active")
    return departments.order_by("sort_order", "id")


def catalogue(request):
    """The catalogue with its filters; the portal's spans every department."""
    tenant = getattr(request, "tenant", None)
    central = tenant is None or tenant.is_portal
    filters = {name: request.GET.get(name, "").strip()[:100] for name in FILTERS}
    if not central:
        filters["department"] = ""
    items = catalogue_items(filters, department=None if central else tenant)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    scope = CatalogueItem.objects.all() if central else CatalogueItem.objects.filter(department=tenant)
    years = sorted(set(scope.values_list("year", flat=True).distinct()), reverse=True)
    query = request.GET.copy()
    query.pop("page", None)
    return TemplateResponse(request, "disclosure/catalogue.html", {
        "central": central,
        "filters": filters,
        "items": page,
        "departments": _catalogue_departments() if central else [],
        "topic_tree": TOPIC_TREE,
        "topic_name": TOPIC_NAMES.get(filters["topic"], ""),
        "genres": Genre.choices,
        "validities": Validity.choices,
        "years": years,
        "query_string": query.urlencode(),
    })
