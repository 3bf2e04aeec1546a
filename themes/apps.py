from django.apps import AppConfig


class ThemesConfig(AppConfig):
    name = "themes"
    verbose_name = "统一主题"

    def ready(self):
        from . import context_processors  # noqa: F401  (its receivers drop the navigation cache)
