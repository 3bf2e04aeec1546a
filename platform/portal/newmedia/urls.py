"""The portal's public 政务新媒体矩阵 page."""

from django.urls import path

from . import views

urlpatterns = [path("newmedia/", views.matrix, name="newmedia_matrix")]
