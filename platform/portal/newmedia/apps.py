from django.apps import AppConfig


class NewMediaConfig(AppConfig):
    name = "portal.newmedia"
    label = "newmedia"
    verbose_name = "政务新媒体"
