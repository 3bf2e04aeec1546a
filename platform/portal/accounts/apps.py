from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "portal.accounts"
    label = "accounts"
    verbose_name = "账号与角色"

    def ready(self):
        from . import receivers  # noqa: F401
        from .view_restrictions import install

        install()  # Wagtail's view restrictions, made department-aware for every route
