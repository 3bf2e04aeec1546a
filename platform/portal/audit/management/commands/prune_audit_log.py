"""`manage.py prune_audit_log --days N`: removes audit rows older than N days (N ≥ 180)."""

from django.core.management.base import BaseCommand, CommandError

from portal.audit.retention import MINIMUM_DAYS, RetentionError, prune


class Command(BaseCommand):
    help = f"删除超过保留期的审计日志（保留期至少 {MINIMUM_DAYS} 天）"

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=MINIMUM_DAYS,
                            help=f"保留最近多少天的审计日志，至少 {MINIMUM_DAYS}，默认 {MINIMUM_DAYS}")

    def handle(self, *args, days, **options):
        try:
            removed = prune(days)
        except RetentionError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"已删除 {removed} 条 {days} 天以前的审计日志")
