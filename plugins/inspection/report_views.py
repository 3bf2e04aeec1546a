"""Admin screens of the performance report (placeholder until the report lands)."""

from django.http import Http404


def report(request):
    raise Http404


report_excel = report_pdf = report
