from django.urls import path

from . import admin_views, lock_views, request_views

app_name = "accounts_admin"
urlpatterns = [
    path("", admin_views.person_index, name="index"),
    path("new/", admin_views.person_create, name="create"),
    path("<int:pk>/", admin_views.person_detail, name="detail"),
    path("requests/", request_views.request_index, name="requests"),
    path("requests/<int:pk>/", request_views.request_detail, name="request_detail"),
    path("locks/", lock_views.lock_index, name="locks"),
]
