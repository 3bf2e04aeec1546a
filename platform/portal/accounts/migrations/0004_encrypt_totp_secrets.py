"""TOTP secrets were stored in plain text: encrypt the existing ones under TOTP_ENCRYPTION_KEY.

The column becomes text (a Fernet token is longer than the secret). Rows are read and written
with plain SQL, so that the field's own encryption does not touch them twice; a value that is
not a base32 secret is taken as encrypted already, so running this again changes nothing.
"""

import re

from django.db import migrations

import portal.accounts.encryption

BASE32_SECRET = re.compile(r"^[A-Z2-7]+=*$")


def encrypt_existing(apps, schema_editor):
    from portal.accounts.encryption import encrypt

    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT id, secret FROM accounts_totpdevice")
        for pk, secret in cursor.fetchall():
            if secret and BASE32_SECRET.match(secret):
                cursor.execute("UPDATE accounts_totpdevice SET secret = %s WHERE id = %s", [encrypt(secret), pk])


def decrypt_existing(apps, schema_editor):
    from portal.accounts.encryption import decrypt

    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT id, secret FROM accounts_totpdevice")
        for pk, secret in cursor.fetchall():
            if secret and not BASE32_SECRET.match(secret):
                cursor.execute("UPDATE accounts_totpdevice SET secret = %s WHERE id = %s", [decrypt(secret), pk])


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_dual_control_requests'),
    ]

    operations = [
        migrations.AlterField(
            model_name='totpdevice',
            name='secret',
            field=portal.accounts.encryption.EncryptedSecretField(verbose_name='密钥'),
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing),
    ]
