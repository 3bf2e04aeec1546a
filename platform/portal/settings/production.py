"""Production: everything comes from the environment; insecure defaults are refused."""

import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("dev-only"):
    raise ImproperlyConfigured("生产环境必须通过环境变量 SECRET_KEY 设置至少 50 个字符的随机密钥")
if "DATABASE_URL" not in os.environ:
    raise ImproperlyConfigured(
        "生产环境必须设置 DATABASE_URL：应用连接数据库所用的角色（不能是超级用户，也不能拥有表）"
    )
if "DATABASE_OWNER_URL" not in os.environ:
    raise ImproperlyConfigured(
        "生产环境必须设置 DATABASE_OWNER_URL：拥有数据库模式、运行迁移（setup_platform）的所有者角色"
    )
_app = dj_database_url.parse(os.environ["DATABASE_URL"])
_owner = dj_database_url.parse(os.environ["DATABASE_OWNER_URL"])
if _app["USER"] == _owner["USER"]:
    raise ImproperlyConfigured(
        "DATABASE_URL 与 DATABASE_OWNER_URL 必须使用不同的数据库角色：应用角色若拥有表，就能修改或删除审计日志"
    )
if (_app["HOST"], _app["PORT"], _app["NAME"]) != (_owner["HOST"], _owner["PORT"], _owner["NAME"]):
    raise ImproperlyConfigured("DATABASE_URL 与 DATABASE_OWNER_URL 必须指向同一个数据库（主机、端口和库名相同）")
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
