"""Production settings refuse the development defaults that would make a wrong site, each with a
message naming the variable, and pass Django's deployment checks when everything is given."""

import os
import secrets
import subprocess
import sys

import pytest

from tests.conftest import ROOT
from tests.security.test_passwords import PRODUCTION_SITE

COMPLETE = {
    "DJANGO_SETTINGS_MODULE": "portal.settings.production", "SECRET_KEY": secrets.token_urlsafe(60),
    "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none", "ELASTICSEARCH_URL": "http://127.0.0.1:1",
    "ALLOWED_HOSTS": ".yuancheng.gov.cn", "STATIC_ROOT": "/tmp/static", **PRODUCTION_SITE,
}


def _environment(**changes):
    env = {key: value for key, value in os.environ.items()
           if key not in COMPLETE and not key.startswith(("GOVSITE_", "PUBLIC_", "DJANGO_"))}
    env.update(COMPLETE)
    for key, value in changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def _manage(*args, **changes):
    return subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=_environment(**changes),
                          cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)


def test_deployment_checks_pass_on_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(("variable", "value"), [
    ("DOMAIN_SUFFIX", None), ("DOMAIN_SUFFIX", ""), ("PUBLIC_SCHEME", None), ("PUBLIC_PORT", None),
    ("EMAIL_BACKEND", None), ("CACHE_URL", None), ("TOTP_ENCRYPTION_KEY", None),
    ("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend"), ("MEDIA_ROOT", None),
    ("BACKUP_DIR", None), ("SECRET_KEY", "dev-only-insecure-key-change-me"), ("ALLOWED_HOSTS", None),
])
def test_a_development_default_is_refused_naming_the_variable(variable, value):
    result = _manage("check", **{variable: value})
    assert result.returncode != 0
    assert "生产环境必须" in result.stderr and variable in result.stderr, result.stderr[-500:]
    assert "Traceback" not in result.stderr
