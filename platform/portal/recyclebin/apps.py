from django.apps import AppConfig


class RecycleBinConfig(AppConfig):
    name = "portal.recyclebin"
    label = "recyclebin"
    verbose_name = "回收站"
