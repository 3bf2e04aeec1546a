"""The S3 peer: a single-site Wagtail project without tenancy, serving the platform's page models
with the platform's templates from one database schema.

It is what the platform would be as an ordinary Wagtail site: Django's PostgreSQL backend, a
Wagtail project's usual middleware, Wagtail's own site lookup, a menu read by the page frame on
every request, a per-process cache without schema keys.
"""

import os

import dj_database_url
from portal.settings.base import *  # noqa: F401,F403
from portal.settings.base import BASE_DIR, INSTALLED_APPS, TEMPLATES

DEBUG = False
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "django_tenants"]
DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
DATABASE_ROUTERS = []
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "peer.urls"
TEMPLATES = [{**TEMPLATES[0], "OPTIONS": {"context_processors": [
    "django.template.context_processors.request",
    "django.contrib.auth.context_processors.auth",
    "django.contrib.messages.context_processors.messages",
    "peer.context.site_frame",
]}}]
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "peer"},
    "shared": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "peer-shared"},
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = os.environ.get("MEDIA_ROOT", str(BASE_DIR / "media" / "peer"))
# The department the peer stands for (its name, host and channel title in the page frame).
PEER_SITE = {"name": "区教育局", "host_prefix": "jyj"}
