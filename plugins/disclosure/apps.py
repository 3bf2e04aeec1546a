from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "plugins.disclosure"
    label = "disclosure"
    verbose_name = "信息公开目录"

    def ready(self):
        from . import catalogue  # noqa: F401 - connects the projection's signal receivers
