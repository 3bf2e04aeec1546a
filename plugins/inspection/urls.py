"""Admin URLs of the inspection, mounted at /admin/plugins/inspection/."""

from django.urls import path

from . import admin_views, bulletin_views, report_views

urlpatterns = [
    path("", admin_views.index, name="index"),
    path("<int:pk>/", admin_views.detail, name="detail"),
    path("<int:pk>/fix/", admin_views.fix, name="fix"),
    path("<int:pk>/ignore/", admin_views.ignore, name="ignore"),
    path("<int:pk>/unignore/", admin_views.unignore, name="unignore"),
    path("run/", admin_views.start, name="start"),
    path("runs/<int:pk>/", admin_views.run_detail, name="run"),
    path("runs/<int:pk>/progress.json", admin_views.run_progress, name="run_progress"),
    path("rules/", admin_views.rules, name="rules"),
    path("rules/<int:pk>/delete/", admin_views.delete_rule, name="delete_rule"),
    path("trusted-hosts/", admin_views.trusted_hosts, name="trusted_hosts"),
    path("trusted-hosts/<int:pk>/delete/", admin_views.delete_trusted_host, name="delete_trusted_host"),
    path("flags/", admin_views.flags, name="flags"),
    path("report/", report_views.report, name="report"),
    path("report.xlsx", report_views.report_excel, name="report_excel"),
    path("report.pdf", report_views.report_pdf, name="report_pdf"),
    path("bulletins/", bulletin_views.bulletins, name="bulletins"),
    path("bulletins/<int:pk>/", bulletin_views.bulletin_detail, name="bulletin"),
    path("bulletins/<int:pk>/edit/", bulletin_views.bulletin_edit, name="bulletin_edit"),
    path("bulletins/<int:pk>/submit/", bulletin_views.bulletin_submit, name="bulletin_submit"),
    path("bulletins/<int:pk>/decide/", bulletin_views.bulletin_decide, name="bulletin_decide"),
    path("bulletins/<int:pk>/bulletin.pdf", bulletin_views.bulletin_pdf, name="bulletin_pdf"),
    path("rectifications/", bulletin_views.rectifications, name="rectifications"),
    path("rectifications/<int:pk>/", bulletin_views.rectification_detail, name="rectification"),
    path("rectifications/<int:pk>/evidence/", bulletin_views.rectification_evidence, name="rectification_evidence"),
]
