from django.apps import AppConfig


class DisclosureEntriesConfig(AppConfig):
    name = "plugins.disclosure.entries"
    label = "disclosure_entries"
    verbose_name = "信息公开目录条目"
