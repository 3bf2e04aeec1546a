"""Provisioning: a new department is live at its host with its default columns."""

import pytest
from django_tenants.utils import tenant_context
from portal.pages.columns import DEPARTMENT_COLUMNS

from tenants.models import Department, Domain
from tenants.provisioning import ProvisioningError, create_department, set_status


def test_new_department_is_served_with_default_columns(db, client):
    department = create_department(name="区财政局", host_prefix="czj", organization_code="007218401")
    assert Domain.objects.get(tenant=department).domain == "czj.localhost"
    with tenant_context(department):
        from portal.pages.models import ColumnPage

        columns = {c.slug: c for c in ColumnPage.objects.filter(depth=3)}
    assert [c.title for c in sorted(columns.values(), key=lambda c: c.path)] == [s.title for s in DEPARTMENT_COLUMNS]
    assert {slug: c.column_type for slug, c in columns.items()} == {s.slug: s.column_type for s in DEPARTMENT_COLUMNS}
    response = client.get("/", HTTP_HOST="czj.localhost")
    assert response.status_code == 200
    html = response.content.decode()
    assert "区财政局" in html and "政策解读" in html and "4416020005" in html


def test_bad_department_data_is_refused_in_chinese(db):
    with pytest.raises(Exception) as error:
        create_department(name="区某局", host_prefix="Bad Prefix!", organization_code="abc")
    assert "域名前缀" in str(error.value) and "机构代码" in str(error.value)
    with pytest.raises(ProvisioningError, match="已被使用"):
        create_department(name="重复", host_prefix="jyj")
    assert not Department.objects.filter(name="区某局").exists()


def test_suspended_and_archived_departments_show_a_notice(departments, client):
    education = departments["jyj"]
    set_status(education, "suspended", "系统升级维护中")
    response = client.get("/news/", HTTP_HOST="jyj.localhost")
    assert response.status_code == 503
    assert "本网站已暂停服务" in response.content.decode() and "系统升级维护中" in response.content.decode()
    set_status(education, "archived")
    response = client.get("/", HTTP_HOST="jyj.localhost")
    assert response.status_code == 410
    assert "本网站已归档" in response.content.decode()
    set_status(education, "active")
    assert client.get("/", HTTP_HOST="jyj.localhost").status_code == 200


def test_unknown_host_is_not_found(db, client):
    assert client.get("/", HTTP_HOST="nosuch.localhost").status_code == 404


def test_footer_links_lead_to_real_pages(departments, client):
    site_map = client.get("/sitemap/", HTTP_HOST="jyj.localhost")
    assert site_map.status_code == 200
    html = site_map.content.decode()
    assert "网站地图" in html and 'href="/policies/"' in html and "信息公开指南" in html
    portal_map = client.get("/sitemap/", HTTP_HOST="www.localhost").content.decode()
    assert "区教育局" in portal_map and "区卫生健康局" in portal_map
    about = client.get("/about-site/", HTTP_HOST="www.localhost").content.decode()
    assert "4416020005" in about and "源城区人民政府办公室" in about
