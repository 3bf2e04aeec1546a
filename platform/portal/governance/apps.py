from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "portal.governance"
    label = "governance"
    verbose_name = "发布管理"
