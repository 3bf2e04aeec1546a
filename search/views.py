"""The search page, its JSON API and as-you-type suggestions.

The page lives on the portal; a department site's search box sends `department=<prefix>` there,
and a visitor who opens /search/ on a department host is redirected to the portal with that
department as the scope. The APIs answer on every host (suggestions are fetched from the page's
own host, so no cross-origin request is needed).
"""

from django.http import HttpResponseRedirect, JsonResponse, QueryDict
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from . import querylog, service
from .suggest import suggestions

REDIRECTED_PARAMETERS = ("q", "department", "type", "year", "sort", "page", "nocorrect", "nodept")


def _portal_url() -> str:
    from tenants.models import Department

    portal = Department.objects.filter(kind="portal").first()
    return portal.base_url if portal else ""


@require_GET
def search_page(request):
    department = getattr(request, "tenant", None)
    if department is not None and not department.is_portal:
        # Only the search's own parameters, each of a sensible length, travel to the portal.
        data = QueryDict(mutable=True)
        for name in REDIRECTED_PARAMETERS:
            if request.GET.get(name):
                data[name] = request.GET[name][:200]
        if department.is_site and "department" not in data:
            data["department"] = department.host_prefix
        return HttpResponseRedirect(f"{_portal_url()}/search/?{data.urlencode()}")
    try:
        params = service.Params.from_data(request.GET)
        error = ""
    except service.InvalidQuery as invalid:
        params, error = service.Params(q=(request.GET.get("q") or "")[:100]), str(invalid)
    outcome = service.search(params) if not error else service.Outcome(params=params)
    querylog.log_query(outcome, request)
    sites = service.departments()
    scope = next((site for site in sites.values() if params.department and site.prefix == params.department), None)
    # After a correction or a department read from the query, every further link (facets, pages,
    # sorting) states what was actually searched, so the next page is the same search.
    links = params
    if outcome.corrected_from or outcome.department_detected:
        from dataclasses import replace

        detected = outcome.department_detected
        links = replace(params, q=outcome.query_run, department=detected.prefix if detected else params.department)
    facets = []
    for name, title in (("department", "单位"), ("type", "类型"), ("year", "年份")):
        values = []
        for value in outcome.facets.get(name, []):
            href = links.query_string(**{name: "" if value.selected else value.key})
            values.append({"value": value, "href": "?" + href})
        facets.append({"name": name, "title": title, "values": values})
    context = {
        "params": params,
        "error": error,
        "outcome": outcome,
        "facets": facets,
        "scope_department": scope,
        "all_departments_href": "?" + params.query_string(department=""),
        "clear_filters_href": "?" + params.query_string(department="", type="", year=""),
        "did_you_mean_href": "?" + params.query_string(q=outcome.did_you_mean) if outcome.did_you_mean else "",
        "original_href": "?" + params.query_string(nocorrect="1") if outcome.corrected_from else "",
        "remove_department_href": "?" + params.query_string(nodept="1") if outcome.department_detected else "",
        "relevance_href": "?" + links.query_string(sort=""),
        "date_href": "?" + links.query_string(sort="date"),
        "previous_href": "?" + links.query_string(page=params.page - 1) if params.page > 1 else "",
        "next_href": "?" + links.query_string(page=params.page + 1) if params.page < outcome.pages else "",
        "popular": querylog.popular_queries() if params.q and outcome.total == 0 else [],
        "has_filters": bool(params.department or params.type or params.year),
        "first_number": (params.page - 1) * service.PAGE_SIZE + 1,
    }
    return TemplateResponse(request, "search/results.html", context, status=400 if error else 200)


def _json(payload, status=200):
    response = JsonResponse(payload, status=status, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def search_api(request):
    """`GET /api/search/?q=&department=&type=&year=&sort=&page=`; see the README."""
    try:
        params = service.Params.from_data(request.GET)
    except service.InvalidQuery as invalid:
        return _json({"error": str(invalid)}, status=400)
    if not params.q:
        return _json({"error": "请提供搜索词 q"}, status=400)
    outcome = service.search(params)
    querylog.log_query(outcome, request)
    return _json(outcome.as_dict())


@require_GET
def suggest_api(request):
    """`GET /api/search/suggest/?q=`: suggestions, and which backend gave them (degraded when
    Elasticsearch could not answer and the PostgreSQL vocabulary did)."""
    q = " ".join((request.GET.get("q") or "").split())[:30]
    found, backend = suggestions(q)
    return _json({"q": q, "suggestions": found, "backend": backend, "degraded": backend != "elasticsearch"})
