"""Public URLs of the theme on every site (under /theme/)."""

from django.urls import path

from . import views

app_name = "themes"

urlpatterns = [
    path("mode/<str:mode>/<str:state>/", views.switch_mode, name="switch_mode"),
    path("logo/<str:digest>/", views.logo, name="logo"),
]
