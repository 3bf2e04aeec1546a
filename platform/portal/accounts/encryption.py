"""Secrets that the database keeps only encrypted: the TOTP secrets of central administrators.

A TOTP secret is the second factor itself: whoever reads it (a backup, a replica, a database
dump) computes every future code. So it is stored encrypted with Fernet from `cryptography`
(AES-128-CBC and HMAC-SHA256) under `TOTP_ENCRYPTION_KEY`, a key that lives in the environment
and never in the database. Production settings require it; development and tests derive one from
`SECRET_KEY` when it is not set. `TOTP_ENCRYPTION_KEY_FALLBACKS` holds earlier keys while a
new one is introduced: they still decrypt, only the first key encrypts.

A secret that no key opens is an error that stops the request (`SecretDecryptionError`), never
a silent "wrong code": with the wrong key every administrator would otherwise be locked out
without anyone knowing why.
"""

import base64
import hashlib
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

GENERATE_HINT = 'python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'


class SecretDecryptionError(ImproperlyConfigured):
    """A stored secret that the configured keys cannot open: the key is not the one it was
    encrypted with, or the value was altered."""


def derived_key(secret_key: str) -> str:
    """The key used when TOTP_ENCRYPTION_KEY is not set (development, tests): from SECRET_KEY."""
    digest = hashlib.sha256(b"govsite.totp-secrets\x00" + secret_key.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()


def check_key(key: str, name: str = "TOTP_ENCRYPTION_KEY") -> None:
    try:
        Fernet(key)
    except (ValueError, TypeError):
        raise ImproperlyConfigured(
            f"{name} 不是有效的加密密钥（应为 32 字节的 URL 安全 Base64 编码，共 44 个字符），"
            f"可用以下命令生成：{GENERATE_HINT}"
        ) from None


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    for key in keys:
        check_key(key)
    return MultiFernet([Fernet(key) for key in keys])


def _configured() -> MultiFernet:
    primary = getattr(settings, "TOTP_ENCRYPTION_KEY", "") or derived_key(settings.SECRET_KEY)
    return _fernet((primary, *getattr(settings, "TOTP_ENCRYPTION_KEY_FALLBACKS", ())))


def encrypt(plain: str) -> str:
    return _configured().encrypt(plain.encode()).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _configured().decrypt(token.encode("ascii")).decode()
    except (InvalidToken, UnicodeEncodeError):
        raise SecretDecryptionError(
            "无法解密已保存的动态口令密钥：当前的 TOTP_ENCRYPTION_KEY 不是加密时使用的密钥，或数据已被改动。"
            "请恢复原来的密钥（更换密钥期间把旧密钥放入 TOTP_ENCRYPTION_KEY_FALLBACKS）；"
            "密钥确已丢失时，由人员管理为相关管理员重置动态口令后重新绑定。"
        ) from None


class EncryptedSecretField(models.TextField):
    """A text field that holds its value encrypted in the database and plain in Python."""

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt(value) if value else value
