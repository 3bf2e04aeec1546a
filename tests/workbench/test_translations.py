"""The project's own Chinese for Wagtail's untranslated admin strings: the compiled catalogues
match their sources, and the admin's listings read in Chinese ("第 1-8 项，共 8 个页面", not
"1-8 of 8 页面")."""

import polib
from django_tenants.utils import tenant_context

from tests.governance.helpers import login, text


def test_compiled_catalogues_match_their_sources():
    from portal.management.commands.compile_translations import translation_files

    files = translation_files()
    assert any("platform/portal/locale" in str(path) for path in files)
    for po_path in files:
        mo_path = po_path.with_suffix(".mo")
        assert mo_path.exists(), f"{mo_path} 不存在：请运行 manage.py compile_translations"
        source = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural.get(0, "") for e in polib.pofile(str(po_path))}
        compiled = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural.get(0, "") for e in polib.mofile(str(mo_path))}
        compiled.pop((None, ""), None)
        assert source == compiled, f"{mo_path} 与 {po_path.name} 不一致：请运行 manage.py compile_translations"


def test_page_listing_reads_in_chinese(client, departments):
    from portal.pages.models import HomePage

    with tenant_context(departments["jyj"]):
        home = HomePage.objects.get(depth=2)
    login(client, "jyj_editor")
    listing = text(client.get(f"/admin/pages/{home.pk}/", HTTP_HOST="jyj.localhost"))
    assert "共 8 个" in listing and " of 8" not in listing and "Exploring" not in listing


def test_sites_users_and_history_read_in_chinese(client, departments):
    """What a 系统管理员 reads on the screens Wagtail's translation leaves partly English."""
    from django.contrib.auth import get_user_model
    from portal.pages.models import ArticlePage
    from wagtail.models import Site

    with tenant_context(departments["jyj"]):
        site = Site.objects.get()
        article = ArticlePage.objects.live().first()
    editor = get_user_model().objects.get(username="jyj_editor")
    login(client, "center_admin")
    host = {"HTTP_HOST": "jyj.localhost"}

    sites = text(client.get("/admin/sites/", **host))
    assert "端口号" in sites and "站点名称" in sites and "根页面" in sites
    assert ">Port<" not in sites and "Site name" not in sites and "Root page" not in sites
    assert "新建站点" in text(client.get("/admin/sites/new/", **host))
    assert "端口号" in text(client.get(f"/admin/sites/edit/{site.pk}/", **host))

    people = text(client.get("/admin/users/", **host))
    assert ">是<" in people.replace(" ", "").replace("\n", "") and "True" not in people
    for path in ("/admin/users/new/", f"/admin/users/edit/{editor.pk}/"):
        form = text(client.get(path, **host))
        assert "只能包含字母、数字和 @/./+/-/_" in form and "Letters, digits" not in form

    history = text(client.get(f"/admin/pages/{article.pk}/history/", **host))
    assert "是否为评论操作" in history and "Is commenting action" not in history
    assert "全部站点" in history and ">Root<" not in history.replace(" ", "").replace("\n", "")
