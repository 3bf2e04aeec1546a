"""`manage.py backup [--dir DIR]`: write one verified archive of the database and the uploads now.

The scheduler runs the same every night (01:30); old archives are pruned by the retention rule.
"""

from django.core.management.base import BaseCommand, CommandError

from portal.operations.backups import BackupError, create_backup


class Command(BaseCommand):
    help = "备份整个数据库（公共模式、模板与各单位）和各单位上传的文件，并校验备份"

    def add_arguments(self, parser):
        parser.add_argument("--dir", help="备份目录（默认 BACKUP_DIR 设置）")

    def handle(self, *args, **options):
        try:
            record = create_backup(options["dir"], progress=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from error
        counts = record.manifest["counts"]
        self.stdout.write(self.style.SUCCESS(
            f"备份完成并已校验：{record.path}（{record.size / 1_048_576:.1f} MB，"
            f"{len(record.manifest['departments'])} 个站点，{sum(counts['live_pages'].values())} 个已发布页面）"))
