"""Settings shared by every environment.

Tenancy follows django-tenants: SHARED_APPS live in the public schema (departments, people,
roles, audit, projections), TENANT_APPS are migrated into every department's own schema
(Wagtail and its pages). Plugins are Django apps found through the `govsite.plugins`
entry-point group, so an external plugin installed with pip joins without editing this file.
"""

import os
from importlib.metadata import entry_points
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parents[3]  # repository root
PLATFORM_DIR = BASE_DIR / "platform"

# No default: production takes it from the environment, the demo generates one per checkout
# (settings/dev.py), the tests use their own. A published constant would sign anybody's sessions.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
# `manage.py load_demo` runs only where this is true; production settings turn it off.
DEMO_DATA_ALLOWED = True
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "*").split(",")

# Every department is served at <host_prefix>.<DOMAIN_SUFFIX>; the portal is www.
DOMAIN_SUFFIX = os.environ.get("DOMAIN_SUFFIX", "localhost")
PUBLIC_PORT = os.environ.get("PUBLIC_PORT", "8000")  # appended to generated links when not 80/443
PUBLIC_SCHEME = os.environ.get("PUBLIC_SCHEME", "http")
PORTAL_HOST_PREFIX = "www"


def _plugin_apps(attribute):
    """Django apps that installed plugins declare: SHARED_APPS (public schema) or TENANT_APPS.

    A plugin's hook module only imports `portal.hookspecs` at module level, so loading it here,
    before Django is set up, is safe.
    """
    apps = []
    for entry in sorted(entry_points(group="govsite.plugins"), key=lambda e: e.name):
        apps.extend(getattr(entry.load(), attribute, []))
    return apps


PLUGIN_SHARED_APPS = _plugin_apps("SHARED_APPS")
PLUGIN_TENANT_APPS = _plugin_apps("TENANT_APPS")

SHARED_APPS = [
    "django_tenants",
    "tenants",
    "portal",
    "portal.accounts",
    "portal.audit",
    "portal.governance",
    "portal.workcalendar",
    "portal.homepage_requests",
    "portal.sharing",
    "portal.operations",
    "portal.newmedia",
    "portal.visits",
    "portal.statement",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "axes",  # login lockout; after portal.audit so the audit log sees a failure before axes acts on it
    "themes",
    "search",
    *PLUGIN_SHARED_APPS,
]

TENANT_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "portal.access",
    "portal.pages",
    "portal.sharing.references",
    "portal.recyclebin",
    "portal.topics",
    "wagtail.contrib.table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    *PLUGIN_TENANT_APPS,
]

INSTALLED_APPS = list(SHARED_APPS) + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Department"
TENANT_DOMAIN_MODEL = "tenants.Domain"
# New departments are cloned from this migrated schema instead of running every migration.
TENANT_BASE_SCHEMA = "tenant_template"
TENANT_CREATION_FAKES_MIGRATIONS = True
# Set search_path only when the schema changes, not before every query.
TENANT_LIMIT_SET_CALLS = True
PUBLIC_SCHEMA_URLCONF = "portal.urls_public"
ROOT_URLCONF = "portal.urls_tenant"

MIDDLEWARE = [
    # Before the page cache, so that hits are counted too (in the process, no SQL; see portal.visits).
    "portal.visits.middleware.VisitCountingMiddleware",
    # Then: a cached public page is answered before the tenant lookup, without the database.
    "portal.delivery.middleware.PageCacheMiddleware",
    "tenants.middleware.DepartmentMiddleware",
    # Control characters and broken UTF-8 in the address, query, form fields or our cookies get a
    # Chinese 400 here, before sessions, static files or any view read them.
    "portal.public_input.PublicInputMiddleware",
    # The department's Wagtail site and home page from the cache, not from two queries.
    "portal.render_caches.SiteMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A central account that owes its second factor is a visitor outside the admin.
    "portal.accounts.middleware.SecondFactorGateMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A blocked submit or publish (保密审查, review rules) becomes a message on the edit screen.
    "portal.accounts.middleware.DepartmentAdminAccessMiddleware",
    "tenants.middleware.DepartmentStatusMiddleware",
    "portal.accounts.middleware.AccountSecurityMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last, so that it turns a publish blocked by the checks into a message on the edit screen.
    "portal.governance.middleware.PublishingGovernanceMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "themes" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "themes.context_processors.site_frame",
            ],
        },
    },
]

WSGI_APPLICATION = "portal.wsgi.application"

# Two PostgreSQL roles (README, Deploying): DATABASE_URL is the application's role, which may
# read and write rows but owns nothing, so it cannot alter tables, drop triggers or touch the
# audit log beyond adding to it; DATABASE_OWNER_URL is the role that owns the schemas and runs
# the migrations. manage.py connects as the owner for the commands that change the structure
# (GOVSITE_DATABASE_ROLE=owner); everything else, the web app included, uses the application role.
# A DATABASE_URL of one's own without an owner URL means one role for both (e.g. a benchmark database).
_PG_PORT = os.environ.get("GOVSITE_PG_PORT", "54329")
DATABASE_URL = os.environ.get("DATABASE_URL", f"postgres://govsite_app@127.0.0.1:{_PG_PORT}/govsite")
DATABASE_OWNER_URL = os.environ.get(
    "DATABASE_OWNER_URL",
    DATABASE_URL if "DATABASE_URL" in os.environ else f"postgres://govsite_owner@127.0.0.1:{_PG_PORT}/govsite",
)
# The role that migrations grant row access to (and the audit log's INSERT and SELECT only).
DATABASE_APP_ROLE = dj_database_url.parse(DATABASE_URL)["USER"]
DATABASE_CONNECTS_AS_OWNER = os.environ.get("GOVSITE_DATABASE_ROLE") == "owner"

DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_OWNER_URL if DATABASE_CONNECTS_AS_OWNER else DATABASE_URL,
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
# django-tenants' backend that keeps content types per schema and sends `SET search_path` only
# when the schema changes (portal/postgresql_backend/base.py).
DATABASES["default"]["ENGINE"] = "portal.postgresql_backend"
# A persistent connection that PostgreSQL dropped (a restart, a failover) is found dead by a cheap
# check before the first query of the next request and replaced, so the app servers recover by
# themselves; without the check that first query would fail (README, Operations).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]

ELASTICSEARCH_URL = os.environ.get(
    "ELASTICSEARCH_URL", f"http://127.0.0.1:{os.environ.get('GOVSITE_ES_PORT', '9250')}"
)

# Site-wide search (the `search` app). Every Elasticsearch index name starts with the prefix; the
# live index sits behind the alias "<prefix>-search". SEARCH_BACKEND "postgres" answers every search
# from the PostgreSQL projection (Elasticsearch maintenance, benchmarks); "auto" falls back by itself.
SEARCH_INDEX_PREFIX = os.environ.get("SEARCH_INDEX_PREFIX", "govsite")
SEARCH_INDEX_REPLICAS = int(os.environ.get("SEARCH_INDEX_REPLICAS", "0"))
SEARCH_BACKEND = os.environ.get("SEARCH_BACKEND", "auto")
SEARCH_TIMEOUT = float(os.environ.get("SEARCH_TIMEOUT", "3"))

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses locked names and addresses before the password is checked
    "django.contrib.auth.backends.ModelBackend",
    "portal.accounts.backends.CentralRoleBackend",  # central roles may enter every department's admin
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "portal.accounts.validators.CompositionValidator"},
    {"NAME": "portal.accounts.validators.PasswordHistoryValidator"},
]
# The key that encrypts TOTP secrets at rest (`portal.accounts.encryption`): a Fernet key, kept
# apart from the database. Unset here, it is derived from SECRET_KEY; production requires it.
TOTP_ENCRYPTION_KEY = os.environ.get("TOTP_ENCRYPTION_KEY", "")
# Earlier keys, comma-separated, while a new key is introduced: they still decrypt.
TOTP_ENCRYPTION_KEY_FALLBACKS = [key for key in os.environ.get("TOTP_ENCRYPTION_KEY_FALLBACKS", "").split(",") if key]
LOGIN_URL = "wagtailadmin_login"
# Passwords are set only through 人员管理 and the 修改密码 page, which keep history, the first-login
# change and the audit log; Wagtail's own password panel, e-mail reset and user-form password are off.
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAILUSERS_PASSWORD_ENABLED = False
WAGTAILADMIN_USER_LOGIN_FORM = "portal.accounts.lockout.LoginForm"

# Login lockout (django-axes, 等保 level 3): 5 failures lock the name *from that address* for 30
# minutes on every host (attempts live in the public schema). Locking a name everywhere, or an
# address for everyone, would let a stranger lock people out; wider patterns ask for the captcha
# instead (portal.accounts.lockout): a name that failed 5 times from 2 or more addresses, an
# address that failed 5 times over 3 or more names, within the same 30 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
LOGIN_CAPTCHA_NAME_FAILURES = 5
LOGIN_CAPTCHA_NAME_ADDRESSES = 2
LOGIN_CAPTCHA_ADDRESS_FAILURES = 5
LOGIN_CAPTCHA_ADDRESS_NAMES = 3
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the lock ends 30 minutes after it began
AXES_LOCKOUT_CALLABLE = "portal.accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "portal.audit.log.client_ip"
AXES_USERNAME_CALLABLE = "portal.accounts.lockout.axes_username"
AXES_ENABLE_ADMIN = False
AXES_DISABLE_ACCESS_LOG = True  # successful logins are in the audit log already
AXES_VERBOSE = False
# Proxies in front of the app that append to X-Forwarded-For (nginx in production); 0 = none.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# One store for every app process and server (Valkey or Redis, `services/store.py` in development and
# tests): the page cache and its invalidation counters, the theme and mode schedule, navigation and
# rate limits. A per-process cache would let one server keep showing what another has withdrawn.
# CACHE_URL (or REDIS_URL) names it: redis://host:port/db, rediss://… or unix://…; `locmem://` is
# accepted outside production only.
CACHE_URL = os.environ.get(
    "CACHE_URL",
    os.environ.get("REDIS_URL", f"redis://127.0.0.1:{os.environ.get('GOVSITE_STORE_PORT', '56379')}/0"),
)
CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "govsite")


def cache_backend(url: str) -> dict:
    """The CACHES entry for a store URL."""
    scheme = url.split("://", 1)[0].lower()
    if scheme in ("redis", "rediss", "unix"):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "govsite"}
    if scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"CACHE_URL 无法识别：{url}，应为 redis://主机:端口/库号 形式的 Valkey/Redis 地址")


# Cache keys carry the schema, so one department never reads another's cached Site or page.
CACHES = {
    "default": {
        **cache_backend(CACHE_URL),
        "KEY_PREFIX": CACHE_KEY_PREFIX,
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
    }
}
# What is the same for every site (the central theme and its mode schedule, the page cache and its
# tag versions): the same store, keys without a schema.
CACHES["shared"] = {**cache_backend(CACHE_URL), "KEY_PREFIX": CACHE_KEY_PREFIX + "-shared"}
# How long the production front (nginx's micro-cache, deploy/nginx/govsite.conf) may keep a shared
# page: a publish shows through the front within this many seconds; 0 lets it keep nothing.
FRONT_CACHE_SECONDS = int(os.environ.get("FRONT_CACHE_SECONDS", "1"))

SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_NAME = "sessionid"
CSRF_COOKIE_NAME = "csrftoken"
# The cookies the platform reads (session, CSRF, the visitor's 适老模式 and 纯文本版 choices):
# portal.public_input refuses control characters in them. Other cookies on the domain are not ours.
CHECKED_COOKIES = [SESSION_COOKIE_NAME, CSRF_COOKIE_NAME, "theme_elderly", "theme_plain"]
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("zh-hans", "简体中文")]
# Everyone works in Beijing time; one zone hides the account page's list of 600 English zone names.
WAGTAIL_USER_TIME_ZONES = ["Asia/Shanghai"]

STATIC_URL = "/static/"
STATIC_ROOT = os.environ.get("STATIC_ROOT")  # set where `collectstatic` writes in production
# Static files are served by WhiteNoise (hashed names, far-future caching after collectstatic);
# development and tests serve them straight from the apps without a collect step.
WHITENOISE_USE_FINDERS = True
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Uploaded files are kept per department: MEDIA_ROOT/<schema>/...
MULTITENANT_RELATIVE_MEDIA_ROOT = "%s"
STORAGES = {
    "default": {"BACKEND": "django_tenants.files.storage.TenantFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

WAGTAIL_SITE_NAME = "源城区人民政府"
WAGTAILADMIN_BASE_URL = f"{PUBLIC_SCHEME}://{PORTAL_HOST_PREFIX}.{DOMAIN_SUFFIX}"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Upload limits per kind of file (bytes): documents, and images (also when uploaded as documents).
UPLOAD_SIZE_LIMITS = {"document": 50 * 1024 * 1024, "image": 10 * 1024 * 1024}
WAGTAILIMAGES_MAX_UPLOAD_SIZE = UPLOAD_SIZE_LIMITS["image"]
WAGTAILDOCS_DOCUMENT_FORM_BASE = "portal.governance.uploads.DocumentForm"
# Bounds of reading an attachment's text for the 保密 scan; see portal.governance.scanning.
GOVERNANCE_SCAN_LIMITS = {
    "zip_members": 2000, "zip_unpacked_bytes": 64 * 1024 * 1024, "zip_ratio": 200, "pdf_pages": 1000,
    "characters": 2_000_000,
}
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "wps", "ofd", "zip", "rar", "txt", "jpg", "png"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False

# Wagtail enqueues its own small tasks (reference index, image focal points) on "default" without
# saying which department they belong to; a queued copy would run in the wrong schema, so they
# run at once, inside the request's schema. The platform's own background work (search indexing,
# inspection crawls, reminders) goes to "background" and names its department explicitly.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "background": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# The district's footer identity (第三条); the theme issue moves it into central theme settings.
SITE_IDENTITY = {
    "site_name": "源城区人民政府",
    "sponsor": "源城区人民政府办公室",
    "operator": "源城区政务服务数据管理局（区信息中心）",
    "site_code": "4416020005",
    "icp_number": "粤ICP备05082786号",
    "police_number": "粤公网安备 44160202000123号",
    "contact_phone": "0762-3332345",
    "contact_email": "yczfb@heyuan.gov.cn",
    "address": "广东省河源市源城区文明路33号",
}

# Backups (portal.operations): one verified archive a night into BACKUP_DIR, keeping the newest
# BACKUP_KEEP_DAILY and the first of each of the last BACKUP_KEEP_MONTHLY months. PG_BIN_DIR names
# PostgreSQL client programs of the server's version when the embedded ones do not fit.
BACKUP_DIR = os.environ.get("BACKUP_DIR", str(BASE_DIR / ".services" / "backups"))
BACKUP_KEEP_DAILY = int(os.environ.get("BACKUP_KEEP_DAILY", "7"))
BACKUP_KEEP_MONTHLY = int(os.environ.get("BACKUP_KEEP_MONTHLY", "12"))
# "scheduler": the scheduler process runs the nightly backup; "off": something else does (the
# systemd timer in deploy/), so the two never both run.
BACKUP_SCHEDULE = os.environ.get("BACKUP_SCHEDULE", "scheduler")
PG_BIN_DIR = os.environ.get("PG_BIN_DIR", "")

# 网页防篡改: every TAMPER_CHECK_MINUTES the scheduler compares the homepage and the newest
# TAMPER_CHECK_PAGES - 1 items of every site, as served at their public address, with a fresh render.
TAMPER_CHECK_MINUTES = int(os.environ.get("TAMPER_CHECK_MINUTES", "10"))
TAMPER_CHECK_PAGES = int(os.environ.get("TAMPER_CHECK_PAGES", "20"))

# The watch (portal.operations.incidents): every AVAILABILITY_WATCH_MINUTES the inspection loads
# each homepage and AVAILABILITY_WATCH_FAILURES failures in a row alert the person on duty;
# scheduled publishing runs every SCHEDULED_PUBLISHING_MINUTES and alerts after
# PUBLISH_FAILURE_ALERT_RUNS failed runs in a row; a search change that failed to reach
# Elasticsearch SEARCH_PUSH_ALERT_ATTEMPTS times alerts too.
AVAILABILITY_WATCH_MINUTES = int(os.environ.get("AVAILABILITY_WATCH_MINUTES", "5"))
AVAILABILITY_WATCH_FAILURES = int(os.environ.get("AVAILABILITY_WATCH_FAILURES", "2"))
SCHEDULED_PUBLISHING_MINUTES = int(os.environ.get("SCHEDULED_PUBLISHING_MINUTES", "5"))
PUBLISH_FAILURE_ALERT_RUNS = int(os.environ.get("PUBLISH_FAILURE_ALERT_RUNS", "3"))
SEARCH_PUSH_ALERT_ATTEMPTS = int(os.environ.get("SEARCH_PUSH_ALERT_ATTEMPTS", "5"))

# Digests and alerts (mailbox overdue letters, inspection findings) go out by e-mail. Without a
# mail server configured they are written to files under .services/mail, one per message.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / ".services" / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "源城区政府网站平台 <noreply@localhost>")
