from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "portal.sharing"
    label = "sharing"
    verbose_name = "信息报送"

    def ready(self):
        from . import following  # noqa: F401  (connects the receivers that follow originals)
