"""Hooks of the disclosure plugin: every department gets the standard parts of its catalogue."""

from portal.hookspecs import hookimpl

SHARED_APPS = ["plugins.disclosure"]

# 《政府信息公开条例》: the parts every department's catalogue must have.
STANDARD_PARTS = [
    ("guide", "信息公开指南", "申请方式、受理机构地址、办公时间、联系电话、传真和电子邮箱"),
    ("rules", "信息公开制度", "本单位政府信息公开工作制度"),
    ("statutory", "法定主动公开内容", "依法应当主动公开的政府信息"),
    ("annual-reports", "信息公开年报", "本单位政府信息公开工作年度报告"),
    ("on-request", "依申请公开", "依申请公开政府信息的办理方式和申请入口"),
]


@hookimpl
def plugin_info():
    return {"title": "信息公开目录", "description": "政府信息公开目录、依申请公开和年度报告"}


@hookimpl
def provision_department(department):
    """Create the five standard parts under the department's 信息公开 column."""
    from portal.pages.models import ColumnPage

    disclosure = ColumnPage.objects.filter(depth=3, column_type="disclosure").first()
    if disclosure is None:
        return
    existing = set(ColumnPage.objects.child_of(disclosure).values_list("slug", flat=True))
    for slug, title, description in STANDARD_PARTS:
        if slug not in existing:
            disclosure.add_child(
                instance=ColumnPage(title=title, slug=slug, column_type="disclosure", description=description)
            )
