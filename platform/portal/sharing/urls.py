from django.urls import path

from . import views

app_name = "sharing"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("new/", views.create, name="create"),
    path("received/", views.queue, name="queue"),
    path("received/<int:pk>/", views.decide, name="decide"),
    path("library/", views.library, name="library"),
    path("library/<int:pk>/reuse/", views.reuse, name="reuse"),
    path("statistics/", views.statistics, name="statistics"),
]
