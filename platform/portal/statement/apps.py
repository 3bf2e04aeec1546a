from django.apps import AppConfig


class StatementConfig(AppConfig):
    name = "portal.statement"
    label = "statement"
    verbose_name = "政府网站工作年度报表"
