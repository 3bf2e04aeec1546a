"""Private pages, private collections and their files, attacked across departments.

One session serves every department, and ids repeat in every schema: an account of 区卫生健康局
must not read 区教育局's 登录可见 page, its attachment or its image (through `/documents/` or
`/media/`, original or rendition); an unlocked password on one department must not unlock the
restriction with the same id on another; a central administrator who has given the password but
not the TOTP code is a visitor. The right person still gets the content.
"""

import json
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django_tenants.utils import tenant_context
from portal.accounts.models import User

from .conftest import JYJ, WJJ, give_device, login, text, totp_code

SECRET_BODY = "仅供本局人员阅读的内部通报正文"
DOCUMENT_TEXT = "内部通报附件正文"


@pytest.fixture
def uploaded_files():
    """Files written to MEDIA_ROOT by a test; rolled-back rows do not remove them."""
    paths = []
    yield paths
    for path in paths:
        Path(path).unlink(missing_ok=True)


def _publish_article(title, slug, body, attachments=()):
    from portal.pages.models import ArticleAttachment, ArticlePage, ColumnPage

    column = ColumnPage.objects.get(depth=3, slug="news")
    article = ArticlePage(
        title=title, slug=slug, source="测试", summary=title, body=json.dumps(body),
        attachments=[ArticleAttachment(document=document) for document in attachments],
    )
    column.add_child(instance=article)
    article.save_revision().publish()
    return article


def _document(title, name, uploaded_files, collection=None):
    from wagtail.documents.models import Document
    from wagtail.models import Collection

    document = Document(title=title, collection=collection or Collection.get_first_root_node())
    document.file.save(name, ContentFile(DOCUMENT_TEXT.encode()), save=True)
    uploaded_files.append(document.file.path)
    return document


@pytest.fixture
def private_jyj(departments, uploaded_files):
    """区教育局: a 登录可见 article with an attachment and an image (original and rendition), and a
    document in a 登录可见 collection."""
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file
    from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

    with tenant_context(departments["jyj"]):
        attachment = _document("内部通报附件", "internal-notice.txt", uploaded_files)
        image = get_image_model().objects.create(title="内部图片", file=get_test_image_file("internal.png"))
        rendition = image.get_rendition("fill-40x40")
        uploaded_files.extend([image.file.path, rendition.file.path])
        article = _publish_article("内部通报", "internal-notice", [
            {"type": "text", "value": f"<p>{SECRET_BODY}</p>"},
            {"type": "image", "value": {"image": image.pk, "alt_text": "内部图片", "decorative": False}},
        ], attachments=[attachment])
        PageViewRestriction.objects.create(page=article, restriction_type="login")
        private = Collection.get_first_root_node().add_child(name="内部资料库")
        CollectionViewRestriction.objects.create(collection=private, restriction_type="login")
        filed = _document("内部文件", "internal-file.txt", uploaded_files, collection=private)
        return {
            "page": "/news/internal-notice/",
            "files": [
                attachment.url, f"/media/jyj/{attachment.file.name}",
                f"/media/jyj/{image.file.name}", f"/media/jyj/{rendition.file.name}",
                filed.url, f"/media/jyj/{filed.file.name}",
            ],
        }


def _assert_login_page(client, url):
    response = client.get(url, HTTP_HOST=JYJ)
    assert response.status_code == 302, f"{url} 返回 {response.status_code}"
    assert response["Location"].startswith("/_util/login/?next="), f"{url} 未转到登录页：{response['Location']}"
    login_page = text(client.get(response["Location"], HTTP_HOST=JYJ))
    assert SECRET_BODY not in login_page and DOCUMENT_TEXT not in login_page


def _assert_content(client, urls):
    page = client.get(urls["page"], HTTP_HOST=JYJ)
    assert page.status_code == 200 and SECRET_BODY in text(page)
    for url in urls["files"]:
        response = client.get(url, HTTP_HOST=JYJ)
        assert response.status_code == 200, f"{url} 返回 {response.status_code}"
        assert url.endswith(".png") or text(response) == DOCUMENT_TEXT


@pytest.mark.parametrize("username", [None, "wjj_editor"])
def test_a_visitor_or_another_departments_editor_gets_the_login_page(private_jyj, client, username):
    if username:
        client.force_login(User.objects.get(username=username))
    for url in [private_jyj["page"], *private_jyj["files"]]:
        _assert_login_page(client, url)


@pytest.mark.parametrize("username", ["jyj_editor", "jyj_head", "two_hats", "center_admin"])
def test_people_of_the_department_and_central_administrators_get_the_content(private_jyj, client, username):
    client.force_login(User.objects.get(username=username))
    _assert_content(client, private_jyj)


def test_a_file_used_on_a_public_page_too_stays_public(private_jyj, departments):
    from wagtail.documents.models import Document

    with tenant_context(departments["jyj"]):
        _publish_article("公开通知", "public-notice", [{"type": "text", "value": "<p>公开正文</p>"}],
                         attachments=[Document.objects.get(title="内部通报附件")])
    visitor = Client()
    for url in private_jyj["files"][:2]:
        assert visitor.get(url, HTTP_HOST=JYJ).status_code == 200, url
    for url in private_jyj["files"][2:]:  # the image and the private collection's document are still private
        assert visitor.get(url, HTTP_HOST=JYJ).status_code == 302, url


def test_a_central_administrator_with_the_password_only_is_a_visitor(private_jyj, db):
    secret = give_device(User.objects.get(username="center_admin"))
    client = Client()
    assert login(client, "center_admin", on=JYJ, ip="10.13.0.1").status_code == 302
    for url in [private_jyj["page"], *private_jyj["files"]]:
        _assert_login_page(client, url)

    verified = client.post("/admin/security/totp/verify/", {"code": totp_code(secret), "next": "/admin/"},
                           HTTP_HOST=JYJ, REMOTE_ADDR="10.13.0.1")
    assert verified.status_code == 302
    _assert_content(client, private_jyj)


def test_a_group_restriction_counts_only_this_departments_groups(departments, client):
    from portal.pages.models import ArticlePage
    from wagtail.models import PageViewRestriction

    from tenants.provisioning import role_group

    with tenant_context(departments["jyj"]):
        article = _publish_article("编辑组通报", "editors-notice", [{"type": "text", "value": f"<p>{SECRET_BODY}</p>"}])
        group = role_group("editor")
        restriction = PageViewRestriction.objects.create(page=ArticlePage.objects.get(pk=article.pk),
                                                         restriction_type="groups")
        restriction.groups.add(group)
    with tenant_context(departments["wjj"]):
        assert role_group("editor").pk == group.pk  # the same id in both schemas: what an attacker would hope for

    client.force_login(User.objects.get(username="wjj_editor"))
    _assert_login_page(client, "/news/editors-notice/")
    client.force_login(User.objects.get(username="jyj_editor"))
    assert SECRET_BODY in text(client.get("/news/editors-notice/", HTTP_HOST=JYJ))


SAME_ID = 4242


def _password_protected_pair(departments, uploaded_files):
    """In each department a page and a collection with a password restriction of id SAME_ID."""
    from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

    made = {}
    for prefix in ("jyj", "wjj"):
        with tenant_context(departments[prefix]):
            body = [{"type": "text", "value": f"<p>{SECRET_BODY}</p>"}]
            article = _publish_article("密码通报", "password-notice", body)
            PageViewRestriction.objects.create(id=SAME_ID, page=article, restriction_type="password",
                                               password=f"{prefix}-pass")
            locked = Collection.get_first_root_node().add_child(name="密码资料库")
            CollectionViewRestriction.objects.create(id=SAME_ID, collection=locked, restriction_type="password",
                                                     password=f"{prefix}-pass")
            document = _document("密码文件", f"locked-{prefix}.txt", uploaded_files, collection=locked)
            made[prefix] = {"page_id": article.pk, "document": document.url,
                            "media": f"/media/{prefix}/{document.file.name}"}
    return made


def test_unlocking_a_password_on_one_department_does_not_unlock_the_same_id_on_another(
    departments, client, uploaded_files
):
    made = _password_protected_pair(departments, uploaded_files)
    on_wjj = {"HTTP_HOST": WJJ}
    form = client.get("/news/password-notice/", **on_wjj)
    assert form.status_code == 200 and SECRET_BODY not in text(form) and 'name="password"' in text(form)

    unlocked = client.post(f"/_util/authenticate_with_password/{SAME_ID}/{made['jyj']['page_id']}/",
                           {"password": "jyj-pass", "return_url": "/news/password-notice/"}, HTTP_HOST=JYJ)
    assert unlocked.status_code == 302
    assert SECRET_BODY in text(client.get("/news/password-notice/", HTTP_HOST=JYJ))
    still_locked = client.get("/news/password-notice/", **on_wjj)
    assert SECRET_BODY not in text(still_locked) and 'name="password"' in text(still_locked)

    unlocked = client.post(f"/documents/authenticate_with_password/{SAME_ID}/",
                           {"password": "jyj-pass", "return_url": made["jyj"]["document"]}, HTTP_HOST=JYJ)
    assert unlocked.status_code == 302
    for url in (made["jyj"]["document"], made["jyj"]["media"]):
        assert text(client.get(url, HTTP_HOST=JYJ)) == DOCUMENT_TEXT, url
    for url in (made["wjj"]["document"], made["wjj"]["media"]):
        response = client.get(url, **on_wjj)
        assert DOCUMENT_TEXT not in text(response) and 'name="password"' in text(response), url

    # wjj's own password opens wjj's, and only there.
    client.post(f"/_util/authenticate_with_password/{SAME_ID}/{made['wjj']['page_id']}/",
                {"password": "wjj-pass", "return_url": "/"}, **on_wjj)
    assert SECRET_BODY in text(client.get("/news/password-notice/", **on_wjj))


def test_private_pages_stay_out_of_every_listing(private_jyj, client):
    """Column lists, the homepage, feeds, the site map, the syndication API and search: no trace."""
    client.force_login(User.objects.get(username="wjj_editor"))
    for url in ("/", "/news/", "/feeds/news/rss.xml", "/feeds/news/atom.xml", "/sitemap/", "/api/items/",
                "/api/search/?q=内部通报&department=jyj"):
        response = client.get(url, HTTP_HOST=JYJ)
        assert response.status_code == 200, url
        shown = text(response).replace("q=内部通报", "").replace('"q": "内部通报"', "")
        shown = shown.replace('"query_run": "内部通报"', "")  # the search API repeats what was searched
        assert "内部通报" not in shown, url
