#!/usr/bin/env python
"""Django's command-line utility, with the core package folder `platform/` on the path."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT), str(ROOT / "platform")]
# These change the database's structure (or read and recreate all of it: backup and restore), so they
# connect as the owner role (DATABASE_OWNER_URL);
# every other command, like the web app, connects as the application role (DATABASE_URL).
OWNER_COMMANDS = {"migrate", "migrate_schemas", "setup_platform", "backup", "restore"}

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    if len(sys.argv) > 1 and sys.argv[1] in OWNER_COMMANDS:
        os.environ.setdefault("GOVSITE_DATABASE_ROLE", "owner")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as error:  # a missing or unsafe setting: say which, without a stack trace
        sys.exit(f"配置错误：{error}")
