from django.urls import path

from . import admin_views

app_name = "audit_admin"
urlpatterns = [
    path("", admin_views.audit_index, name="index"),
    path("export.csv", admin_views.audit_export_csv, name="export_csv"),
    path("export.xlsx", admin_views.audit_export_xlsx, name="export_xlsx"),
]
