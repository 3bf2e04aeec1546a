from django.urls import path

from . import views

app_name = "homepage_requests"
urlpatterns = [
    path("", views.department_index, name="index"),
    path("new/", views.department_create, name="create"),
    path("<int:pk>/print/", views.department_print, name="print"),
    path("review/", views.review_index, name="review"),
    path("review/<int:pk>/", views.review_decide, name="decide"),
]
