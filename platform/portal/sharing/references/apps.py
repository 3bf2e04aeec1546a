from django.apps import AppConfig


class SharingReferencesConfig(AppConfig):
    name = "portal.sharing.references"
    label = "sharing_references"
    verbose_name = "共享信息引用"
