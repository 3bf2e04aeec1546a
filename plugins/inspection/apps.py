from django.apps import AppConfig


class InspectionConfig(AppConfig):
    name = "plugins.inspection"
    label = "inspection"
    verbose_name = "网站巡检"
