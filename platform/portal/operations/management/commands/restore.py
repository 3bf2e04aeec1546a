"""`manage.py restore ARCHIVE [--force]`: restore a backup into an empty database and media folder,
then rebuild the search index from the restored projection."""

from django.core.cache import caches
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from portal.operations.backups import BackupError, restore


class Command(BaseCommand):
    help = "把备份恢复到空的数据库和文件目录，然后重建搜索索引"

    def add_arguments(self, parser):
        parser.add_argument("archive", help="备份文件（.tar，旁边须有 .sha256 校验文件）")
        parser.add_argument("--force", action="store_true", help="目标不是空的也覆盖（先清空数据库和文件目录）")
        parser.add_argument("--skip-search", action="store_true", help="不重建搜索索引（之后手动运行 search_rebuild）")

    def handle(self, *args, **options):
        try:
            outcome = restore(options["archive"], force=options["force"], progress=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from error
        for cache in caches.all():  # nothing cached from before the restore may answer
            cache.clear()
        expected, found = outcome["manifest"]["counts"], outcome["counts"]
        if expected != found:
            raise CommandError(f"恢复后的数据与备份清单不一致：备份时 {expected}，恢复后 {found}")
        self.stdout.write(self.style.SUCCESS(
            f"数据库与文件已恢复（{outcome['manifest']['created_at']} 的备份，与清单一致）"))
        if not options["skip_search"]:
            call_command("search_rebuild", verbosity=0)
            self.stdout.write(self.style.SUCCESS("搜索索引已重建"))
