"""Compiles the project's translation files (.po → .mo) without GNU gettext installed.

The project supplies Chinese for the admin strings Wagtail's own translation lacks; a fresh
machine needs no system package for that: polib is a pure-Python dependency.
"""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand

SOURCE_FOLDERS = ("platform", "plugins", "themes", "tenants", "search")


def translation_files() -> list[Path]:
    return sorted(
        path for folder in SOURCE_FOLDERS
        for path in (Path(settings.BASE_DIR) / folder).rglob("locale/*/LC_MESSAGES/*.po")
    )


class Command(BaseCommand):
    help = "把项目的翻译文件（.po）编译为 .mo"

    def handle(self, *args, **options):
        for po_path in translation_files():
            polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
            self.stdout.write(f"已编译 {po_path.relative_to(settings.BASE_DIR)}")
