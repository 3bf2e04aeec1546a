"""Password rules of 第十四条: at least 8 characters with letters, digits and symbols."""

import re

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
            raise ValidationError(f"密码须同时包含字母、数字和符号，当前缺少：{'、'.join(missing)}", code="password_composition")
        if user is not None and user.get_username() and user.get_username().lower() in password.lower():
            raise ValidationError("密码不能包含用户名", code="password_contains_username")

    def get_help_text(self):
        return "密码至少 8 位，须同时包含字母、数字和符号，且不能包含用户名"
