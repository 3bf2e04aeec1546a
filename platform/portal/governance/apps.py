"""Publishing governance: review before publishing, confidentiality and wording checks, homepage
publication applications (第七条, 第十二–十五条, 第十八条)."""
from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "portal.governance"
    label = "governance"
    verbose_name = "发布管理"

    def ready(self):
        from . import signals  # noqa: F401 - connects the receivers
