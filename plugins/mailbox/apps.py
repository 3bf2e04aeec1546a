from django.apps import AppConfig


class MailboxConfig(AppConfig):
    name = "plugins.mailbox"
    label = "mailbox"
    verbose_name = "政务邮箱"
