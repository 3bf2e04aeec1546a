from django.apps import AppConfig


class HomepageRequestsConfig(AppConfig):
    name = "portal.homepage_requests"
    label = "homepage_requests"
    verbose_name = "首页发布申请"
