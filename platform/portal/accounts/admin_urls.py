from django.urls import path

from . import admin_views

app_name = "accounts_admin"
urlpatterns = [
    path("", admin_views.person_index, name="index"),
    path("new/", admin_views.person_create, name="create"),
    path("<int:pk>/", admin_views.person_detail, name="detail"),
]
