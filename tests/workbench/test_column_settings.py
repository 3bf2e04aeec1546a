"""A column's type (its update rule) and address are the 负责人's and the centre's: a 业务员's
edit screen shows them read-only with who may change them, and the server refuses a change
posted anyway, on every save action of the edit form (save draft, submit, publish)."""

import pytest
from django_tenants.utils import tenant_context
from wagtail.test.utils.form_data import querydict_from_html

from tests.governance.helpers import login, text

JYJ = {"HTTP_HOST": "jyj.localhost"}


def _news(departments):
    from portal.pages.models import ColumnPage

    with tenant_context(departments["jyj"]):
        return ColumnPage.objects.get(depth=3, slug="news")


def _post(client, column, action, **changes):
    page = text(client.get(f"/admin/pages/{column.pk}/edit/", **JYJ))
    data = querydict_from_html(page, form_id="page-edit-form")
    for key in [k for k in data if k.startswith("action-")]:
        del data[key]
    data.update(changes)
    if action:
        data[action] = action
    return client.post(f"/admin/pages/{column.pk}/edit/", data, follow=True, **JYJ)


@pytest.mark.parametrize("action", ["", "action-submit", "action-publish"])
def test_editor_cannot_change_column_type_or_address(client, departments, action):
    column = _news(departments)
    login(client, "jyj_editor")
    edit = text(client.get(f"/admin/pages/{column.pk}/edit/", **JYJ))
    assert "只有本单位负责人和区信息中心可以修改" in edit
    for changes in ({"column_type": "policy"}, {"slug": "renamed-news"}):
        response = _post(client, column, action, **changes)
        assert response.status_code == 200
        assert "您不能修改" in text(response) and "只有本单位负责人和区信息中心可以修改" in text(response)
        with tenant_context(departments["jyj"]):
            column.refresh_from_db()
            latest = column.get_latest_revision_as_object()
        assert column.column_type == "news" and column.slug == "news"
        assert latest.column_type == "news" and latest.slug == "news"


def test_editor_may_still_edit_the_description(client, departments):
    column = _news(departments)
    login(client, "jyj_editor")
    response = _post(client, column, "", description="本单位工作动态和通知")
    assert "您不能修改" not in text(response)
    with tenant_context(departments["jyj"]):
        column.refresh_from_db()
        assert column.get_latest_revision_as_object().description == "本单位工作动态和通知"


def test_head_changes_the_column_type(client, departments):
    column = _news(departments)
    login(client, "jyj_head")
    response = _post(client, column, "action-publish", column_type="notice")
    assert "您不能修改" not in text(response)
    with tenant_context(departments["jyj"]):
        column.refresh_from_db()
    assert column.column_type == "notice"
