"""Production: everything comes from the environment; insecure defaults are refused."""

import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from portal.accounts.encryption import GENERATE_HINT, check_key

from .base import *  # noqa: F401,F403

DEBUG = False
DEMO_DATA_ALLOWED = False  # demo accounts with a published password must never reach a live site
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
if not TOTP_ENCRYPTION_KEY:  # noqa: F405
    raise ImproperlyConfigured(
        "生产环境必须通过环境变量 TOTP_ENCRYPTION_KEY 设置动态口令密钥的加密密钥，并与数据库分开保管；"
        f"可用以下命令生成：{GENERATE_HINT}"
    )
for _name, _key in [("TOTP_ENCRYPTION_KEY", TOTP_ENCRYPTION_KEY),  # noqa: F405
                    *(("TOTP_ENCRYPTION_KEY_FALLBACKS", key) for key in TOTP_ENCRYPTION_KEY_FALLBACKS)]:  # noqa: F405
    check_key(_key, _name)
if "CACHE_URL" not in os.environ and "REDIS_URL" not in os.environ:
    raise ImproperlyConfigured(
        "生产环境必须设置 CACHE_URL（或 REDIS_URL），指向所有应用服务器共用的 Valkey/Redis，例如 redis://10.0.0.5:6379/0"
    )
for _alias, _cache in CACHES.items():  # noqa: F405
    if not _cache["BACKEND"].endswith("RedisCache"):
        raise ImproperlyConfigured(
            f"生产环境不能使用进程内缓存（CACHES[{_alias!r}] 为 {_cache['BACKEND']}）："
            "请把 CACHE_URL 设为所有应用服务器共用的 Valkey/Redis 地址"
        )
ALLOWED_HOSTS = [host for host in os.environ.get("ALLOWED_HOSTS", "").split(",") if host]
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("生产环境必须设置 ALLOWED_HOSTS，例如 .yuancheng.gov.cn")

# Development defaults that would make a wrong site (links to *.localhost:8000 over http, alerts
# written to a folder nobody reads) are never taken silently: each must be said explicitly.
if not os.environ.get("DOMAIN_SUFFIX"):
    raise ImproperlyConfigured("生产环境必须设置 DOMAIN_SUFFIX（各网站的域名后缀，例如 yuancheng.gov.cn）")
if os.environ.get("PUBLIC_SCHEME") not in ("https", "http"):
    raise ImproperlyConfigured("生产环境必须设置 PUBLIC_SCHEME（对外访问协议，通常为 https）")
if "PUBLIC_PORT" not in os.environ:
    raise ImproperlyConfigured("生产环境必须设置 PUBLIC_PORT（对外端口；使用 80/443 标准端口时设为空值）")
if "EMAIL_BACKEND" not in os.environ or ("filebased" in os.environ["EMAIL_BACKEND"]
                                          and "EMAIL_FILE_PATH" not in os.environ):
    raise ImproperlyConfigured("生产环境必须设置 EMAIL_BACKEND（例如 django.core.mail.backends.smtp.EmailBackend）"
                               "及 EMAIL_HOST、DEFAULT_FROM_EMAIL：值班告警和每日汇总要真正发出")
if "MEDIA_ROOT" not in os.environ:
    raise ImproperlyConfigured("生产环境必须设置 MEDIA_ROOT（各应用服务器共享的上传文件目录）")
if "BACKUP_DIR" not in os.environ:
    raise ImproperlyConfigured("生产环境必须设置 BACKUP_DIR（每晚备份写入的目录，应位于另一块磁盘或远程存储）")

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31536000
# Every site of the platform is a subdomain of DOMAIN_SUFFIX and is served over HTTPS only.
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# nginx redirects plain HTTP already; the application refuses it too, should a request bypass nginx.
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") != "0"
# Submitting the district's domain to the browsers' HSTS preload list is the owner's decision (it is
# hard to undo), not a setting's: the check that suggests it is silenced.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
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
