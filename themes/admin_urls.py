from django.urls import path

from . import admin_views

app_name = "themes_admin"
urlpatterns = [
    path("", admin_views.theme_settings, name="settings"),
    path("preview/", admin_views.preview, name="preview"),
    path("preview/end/", admin_views.end_preview, name="end_preview"),
    path("publish/", admin_views.publish, name="publish"),
    path("discard/", admin_views.discard, name="discard"),
    path("modes/new/", admin_views.schedule_mode, name="schedule_mode"),
    path("modes/<int:pk>/end/", admin_views.end_mode, name="end_mode"),
]
