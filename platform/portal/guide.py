"""The 使用指南: a Chinese guide kept in the platform, linked from the admin's help menu.

The people who use the admin are office staff; Wagtail's own editor guide is in English and about
a generic CMS. This guide describes what this platform does: writing, attaching, submitting,
the 保密 check and how deadlines are counted.
"""

from django.contrib.auth.decorators import login_required
from django.template.response import TemplateResponse

from portal.pages.columns import UPDATE_RULE_DAYS, ColumnType


@login_required
def guide(request):
    rules = [(ColumnType(column_type).label, days) for column_type, days in UPDATE_RULE_DAYS.items()]
    return TemplateResponse(request, "portal/guide.html", {"update_rules": rules})
