"""Production: everything comes from the environment; insecure defaults are refused."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403

DEBUG = False
DEMO_DATA_ALLOWED = False  # demo accounts with a published password must never reach a live site
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("dev-only"):
    raise ImproperlyConfigured("生产环境必须通过环境变量 SECRET_KEY 设置至少 50 个字符的随机密钥")
if "DATABASE_URL" not in os.environ:
    raise ImproperlyConfigured("生产环境必须设置 DATABASE_URL")
if "ELASTICSEARCH_URL" not in os.environ:
    raise ImproperlyConfigured("生产环境必须设置 ELASTICSEARCH_URL")
ALLOWED_HOSTS = [host for host in os.environ.get("ALLOWED_HOSTS", "").split(",") if host]
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("生产环境必须设置 ALLOWED_HOSTS，例如 .yuancheng.gov.cn")

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31536000
SESSION_COOKIE_DOMAIN = os.environ.get("SESSION_COOKIE_DOMAIN")  # e.g. .yuancheng.gov.cn: log in once
PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
# The demo's and other published default passwords, and Django's list of 20,000 common ones.
AUTH_PASSWORD_VALIDATORS = [
    *AUTH_PASSWORD_VALIDATORS,  # noqa: F405
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "portal.accounts.validators.KnownDefaultPasswordValidator"},
]
# nginx in front appends the visitor's address to X-Forwarded-For (see README, Deploying).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "1"))
if not STATIC_ROOT:  # noqa: F405
    raise ImproperlyConfigured("生产环境必须设置 STATIC_ROOT，并在部署时运行 manage.py collectstatic")
WHITENOISE_USE_FINDERS = False
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
