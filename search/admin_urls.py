"""Admin URLs of 搜索管理, mounted at /admin/search-admin/ by search.wagtail_hooks."""

from django.urls import path

from . import admin_views

app_name = "search_admin"
urlpatterns = [
    path("", admin_views.best_bet_index, name="best_bets"),
    path("best-bets/new/", admin_views.best_bet_edit, name="best_bet_create"),
    path("best-bets/<int:pk>/", admin_views.best_bet_edit, name="best_bet_edit"),
    path("log/", admin_views.query_log, name="query_log"),
    path("popular/hide/", admin_views.popular_hide, name="popular_hide"),
    path("popular/<int:pk>/show/", admin_views.popular_show, name="popular_show"),
    path("status/", admin_views.index_status, name="status"),
]
