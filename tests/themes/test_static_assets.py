"""Static assets are versioned and cacheable: in production `collectstatic` writes hashed
names, pages link to them, and WhiteNoise serves them with a far-future, immutable cache."""

import re

from bs4 import BeautifulSoup
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings

from tests.conftest import host

PRODUCTION_STORAGE = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}


def test_theme_assets_get_hashed_names_and_a_long_cache(departments, tmp_path):
    with override_settings(STATIC_ROOT=tmp_path, STORAGES={**settings.STORAGES, "staticfiles": PRODUCTION_STORAGE},
                           WHITENOISE_USE_FINDERS=False):
        call_command("collectstatic", interactive=False, verbosity=0)
        client = Client()  # a new client builds its middleware, WhiteNoise included, with these settings
        soup = BeautifulSoup(client.get("/news/sample-1/", HTTP_HOST=host("jyj")).content.decode(), "html.parser")
        assets = [link["href"] for link in soup.find_all("link", rel="stylesheet")]
        assets += [script["src"] for script in soup.find_all("script", src=True)]
        theme_assets = [url for url in assets if url.startswith("/static/themes/")]
        assert len(theme_assets) == 2, assets
        for url in assets:
            assert re.search(r"\.[0-9a-f]{12}\.(css|js)$", url), f"{url} 没有版本号"
            response = client.get(url, HTTP_HOST=host("jyj"))
            assert response.status_code == 200, url
            assert "immutable" in response["Cache-Control"] and "max-age=315360000" in response["Cache-Control"]
        plain_page = client.get("/news/", {"plain": "1"}, HTTP_HOST=host("jyj"))
        plain = BeautifulSoup(plain_page.content.decode(), "html.parser")
        assert re.fullmatch(r"/static/themes/plain\.[0-9a-f]{12}\.css", plain.find("link", rel="stylesheet")["href"])


def test_stylesheets_load_nothing_from_another_host():
    """No web fonts and no CDN: Chinese fonts come from the visitor's own system."""
    from django.contrib.staticfiles import finders

    for name in ("themes/site.css", "themes/plain.css", "themes/theme.js"):
        text = open(finders.find(name), encoding="utf-8").read()
        assert "@font-face" not in text and "@import" not in text, name
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", text), name
        assert not re.search(r"https?://", text), name
