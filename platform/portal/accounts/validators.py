"""Password rules of 第十四条 and 等保 level 3.

At least 8 characters with letters, digits and symbols, not containing the username, none of
the person's last five passwords; in production also none of the well-known weak passwords and
none of the demo's or a vendor's default passwords.
"""

import re

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError


class CompositionValidator:
    def validate(self, password, user=None):
        missing = []
        if not re.search(r"[A-Za-z]", password):
            missing.append("字母")
        if not re.search(r"\d", password):
            missing.append("数字")
        if not re.search(r"[^A-Za-z0-9]", password):
            missing.append("符号")
        if missing:
            raise ValidationError(
                f"密码须同时包含字母、数字和符号，当前缺少：{'、'.join(missing)}", code="password_composition"
            )
        if user is not None and user.get_username() and user.get_username().lower() in password.lower():
            raise ValidationError("密码不能包含用户名", code="password_contains_username")

    def get_help_text(self):
        return "密码至少 8 位，须同时包含字母、数字和符号，且不能包含用户名"


class PasswordHistoryValidator:
    """None of the person's last five passwords (the current one included) may be used again."""

    def validate(self, password, user=None):
        from .models import PASSWORD_HISTORY_SIZE, PasswordHistory

        if user is None or user.pk is None:
            return
        if any(check_password(password, encoded) for encoded in PasswordHistory.latest_hashes(user)):
            raise ValidationError(
                f"新密码不能与最近 {PASSWORD_HISTORY_SIZE} 次使用过的密码相同", code="password_reused"
            )

    def get_help_text(self):
        return "不能使用最近 5 次用过的密码"


# Passwords printed in manuals, demos and vendor documentation: the first guesses of an attacker.
KNOWN_DEFAULT_PASSWORDS = {
    "yuancheng@2026",  # the demo district's password (README)
    "test-passw0rd!",  # the test suite's password
    "admin@123",
    "admin@1234",
    "admin123!",
    "password@123",
    "passw0rd!",
    "p@ssw0rd",
    "p@ssw0rd1",
    "abc@1234",
    "abc@123456",
    "qwe@1234",
    "root@123",
    "test@123",
    "a123456!",
    "1qaz@wsx",
    "1qaz!qaz",
}


class KnownDefaultPasswordValidator:
    """Refuses the demo password and other published default passwords (production only)."""

    def validate(self, password, user=None):
        if password.lower() in KNOWN_DEFAULT_PASSWORDS:
            raise ValidationError("不能使用演示或默认密码，请设置只有您自己知道的密码", code="password_default")

    def get_help_text(self):
        return "不能使用演示或默认密码"
