from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem


@hooks.register("register_admin_urls")
def homepage_request_urls():
    return [path("homepage-requests/", include("portal.homepage_requests.urls", namespace="homepage_requests"))]


@hooks.register("register_admin_menu_item")
def homepage_request_menu_item():
    return MenuItem("首页发布申请", reverse("homepage_requests:index"), icon_name="home", order=800)


class ReviewMenuItem(MenuItem):
    def is_shown(self, request):
        from tenants.admin_views import is_central_admin

        return is_central_admin(request.user)


@hooks.register("register_admin_menu_item")
def homepage_review_menu_item():
    return ReviewMenuItem("首页申请审批", reverse("homepage_requests:review"), icon_name="tasks", order=9020)
