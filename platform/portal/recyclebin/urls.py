from django.urls import path

from . import views

app_name = "recyclebin"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:entry_id>/restore/", views.restore, name="restore"),
    path("<int:entry_id>/delete/", views.delete, name="delete"),
]
