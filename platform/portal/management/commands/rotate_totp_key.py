"""Re-encrypt every stored TOTP secret under the current TOTP_ENCRYPTION_KEY.

After a new key is set with the old one in TOTP_ENCRYPTION_KEY_FALLBACKS, this moves every secret
to the new key; then the old key can be removed from the settings.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_tenants.utils import schema_context

from portal.accounts.encryption import SecretDecryptionError
from portal.accounts.models import TOTPDevice


class Command(BaseCommand):
    help = "用当前的 TOTP_ENCRYPTION_KEY 重新加密全部动态口令密钥（更换密钥后运行，之后可删除旧密钥）"

    def handle(self, *args, **options):
        with schema_context("public"), transaction.atomic():
            try:
                devices = list(TOTPDevice.objects.select_for_update())
            except SecretDecryptionError as error:
                raise CommandError(str(error)) from None
            for device in devices:
                device.save(update_fields=["secret"])  # loaded with whichever key opens it, saved with the first
        self.stdout.write(
            f"已重新加密 {len(devices)} 个动态口令密钥，现在可以从 TOTP_ENCRYPTION_KEY_FALLBACKS 中删除旧密钥。"
        )
