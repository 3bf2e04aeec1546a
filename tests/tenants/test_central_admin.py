"""The 区信息中心 manages departments and people from the admin, without a deploy."""

import pytest
from portal.accounts.models import User

from ..conftest import PASSWORD

WWW = {"HTTP_HOST": "www.localhost"}


@pytest.fixture
def center(client, db):
    client.force_login(User.objects.get(username="center_admin"))
    return client


def test_center_creates_a_department_that_is_live_at_once(center, client):
    response = center.post(
        "/admin/departments/new/",
        {"name": "区司法局", "host_prefix": "sfj", "kind": "bureau", "organization_code": "007218420",
         "phone": "0762-3330000"},
        **WWW,
    )
    assert response.status_code == 302
    page = client.get("/", HTTP_HOST="sfj.localhost")
    assert page.status_code == 200
    html = page.content.decode()
    assert "区司法局" in html and "部门动态" in html and "互动交流" in html
    listing = center.get("/admin/departments/", **WWW).content.decode()
    assert "区司法局" in listing and "sfj.localhost" in listing


def test_bad_department_form_says_what_to_fix_and_keeps_valid_input(center):
    response = center.post(
        "/admin/departments/new/",
        {"name": "区审计局", "host_prefix": "Audit Office", "kind": "bureau", "organization_code": "12"},
        **WWW,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "域名前缀应以小写字母开头" in html and "机构代码应为 9 至 18 位" in html
    assert 'value="区审计局"' in html
    taken = center.post(
        "/admin/departments/new/",
        {"name": "又一个教育局", "host_prefix": "jyj", "kind": "bureau", "organization_code": "007218999"}, **WWW,
    ).content.decode()
    assert "已被使用" in taken


def test_department_staff_cannot_manage_departments(client, db):
    client.force_login(User.objects.get(username="jyj_head"))
    assert client.get("/admin/departments/", HTTP_HOST="jyj.localhost").status_code == 403
    assert client.post(
        "/admin/departments/new/",
        {"name": "x", "host_prefix": "xx", "kind": "bureau", "organization_code": "007218430"},
        HTTP_HOST="jyj.localhost",
    ).status_code == 403


def test_center_suspends_renames_and_turns_off_a_plugin(center, client, departments):
    education = departments["jyj"]
    url = f"/admin/departments/{education.pk}/"
    missing_reason = center.post(url, {"status": "suspended", "reason": ""}, **WWW).content.decode()
    assert "请填写说明" in missing_reason
    center.post(url, {"status": "suspended", "reason": "网站改版"}, **WWW)
    notice = client.get("/", HTTP_HOST="jyj.localhost")
    assert notice.status_code == 503 and "网站改版" in notice.content.decode()
    center.post(url, {"status": "active", "reason": ""}, **WWW)
    assert "政务邮箱" in client.get("/", HTTP_HOST="jyj.localhost").content.decode()
    center.post(
        url,
        {"name": "源城区教育局", "organization_code": "007218384", "sort_order": 10,
         "enabled_plugins": ["disclosure", "inspection"]},
        **WWW,
    )
    html = client.get("/", HTTP_HOST="jyj.localhost").content.decode()
    assert "源城区教育局" in html
    assert "政务邮箱" not in html  # the mailbox plugin's footer link is gone with the plugin
    assert "政务邮箱" in client.get("/", HTTP_HOST="wjj.localhost").content.decode()


def test_center_grants_a_role_and_the_person_can_work_there(center, client, departments):
    person = User.objects.create_user("new_editor", password=PASSWORD, full_name="新业务员")
    client_person = type(client)()
    client_person.force_login(person)
    assert client_person.get("/admin/", HTTP_HOST="wjj.localhost").status_code == 403
    center.post(
        f"/admin/people/{person.pk}/", {"form": "department", "department": departments["wjj"].pk, "role": "editor"},
        **WWW,
    )
    assert client_person.get("/admin/", HTTP_HOST="wjj.localhost").status_code == 200
    assert client_person.get("/admin/", HTTP_HOST="jyj.localhost").status_code == 403


def test_nobody_grants_themselves_a_role(center, db):
    admin = User.objects.get(username="center_admin")
    html = center.post(f"/admin/people/{admin.pk}/", {"form": "central", "role": "audit_admin"}, follow=True, **WWW)
    assert "不能给自己授予角色" in html.content.decode()
    assert not admin.central_roles.filter(role="audit_admin").exists()


def test_weak_password_is_refused_in_chinese(center, db):
    html = center.post(
        "/admin/people/new/", {"username": "weakling", "full_name": "弱密码", "password": "abcdefgh"}, **WWW
    ).content.decode()
    assert "缺少：数字、符号" in html
    assert not User.objects.filter(username="weakling").exists()


def test_renaming_a_department_changes_only_its_name(center, client, departments):
    """The department's own columns (a renamed default column, a new empty one) survive a rename."""
    from django_tenants.utils import tenant_context
    from portal.pages.models import ColumnPage, HomePage

    education = departments["jyj"]
    with tenant_context(education):
        home = HomePage.objects.get(depth=2)
        policies = ColumnPage.objects.child_of(home).get(slug="policies")
        policies.title, policies.column_type = "规范性文件", "notice"
        policies.save_revision().publish()
        home.add_child(instance=ColumnPage(title="专题专栏", slug="topics", column_type="news", show_in_menus=True))
    response = center.post(
        f"/admin/departments/{education.pk}/",
        {"name": "源城区教育局", "organization_code": "007218384", "sort_order": 10,
         "enabled_plugins": ["disclosure", "inspection", "mailbox"]},
        **WWW,
    )
    assert response.status_code == 302
    html = client.get("/", HTTP_HOST="jyj.localhost").content.decode()
    assert "源城区教育局" in html and "规范性文件" in html and "专题专栏" in html
    assert client.get("/topics/", HTTP_HOST="jyj.localhost").status_code == 200
    with tenant_context(education):
        policies = ColumnPage.objects.get(slug="policies")
        assert (policies.title, policies.column_type) == ("规范性文件", "notice")
