from django.urls import path

from . import admin_views

app_name = "tenants_admin"
urlpatterns = [
    path("", admin_views.department_index, name="index"),
    path("new/", admin_views.department_create, name="create"),
    path("<int:pk>/", admin_views.department_edit, name="edit"),
]
