"""`manage.py import_content FILE.jsonl`: import legacy articles; the work is in `portal.importing`."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from portal.importing import import_jsonl


class Command(BaseCommand):
    help = "从 JSON Lines 文件导入历史文章（每行一篇，逐行校验，整行导入或整行不导入）"

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSONL 文件路径，附件路径相对于该文件所在目录")
        parser.add_argument("--dry-run", action="store_true", help="只校验，不写入数据库")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        console = Console(file=self.stdout._out, highlight=False)
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console, transient=True, disable=not console.is_terminal) as progress:
            task = progress.add_task("校验中" if options["dry_run"] else "导入中", total=None)
            result = import_jsonl(
                path, dry_run=options["dry_run"],
                progress=lambda done, total: progress.update(task, completed=done, total=total),
            )
        for problem in result.errors:
            self.stderr.write(str(problem))
        for number in result.existing_lines:
            self.stdout.write(f"第 {number} 行：已存在，跳过")
        style = self.style.SUCCESS if result.ok else self.style.ERROR
        self.stdout.write(style(result.summary()))
        if not result.ok:
            sys.exit(1)
