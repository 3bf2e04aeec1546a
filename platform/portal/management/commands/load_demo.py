"""`manage.py load_demo`: load the demo district, showing progress per department.

A thin command over `portal.demo.build.build_demo`; running it again on a loaded database only
says so.
"""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from portal.demo import DEFAULT_ITEMS, DEFAULT_SEED, DEMO_PASSWORD
from portal.demo.build import DemoError, build_demo, demo_specs, is_loaded


class Command(BaseCommand):
    help = "导入演示数据：源城区门户、各部门和镇街网站、两年的信息、附件和演示账号"

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"随机种子，默认 {DEFAULT_SEED}")
        parser.add_argument(
            "--items", type=int, default=DEFAULT_ITEMS,
            help=f"每个单位的信息条数（至少），默认 {DEFAULT_ITEMS}",
        )
        parser.add_argument("--only", nargs="+", metavar="前缀", help="只导入这些单位，例如 --only www jyj")
        parser.add_argument(
            "--jobs", type=int, default=min(4, os.cpu_count() or 1),
            help="同时导入的单位数（工作进程数），默认为 CPU 核数，最多 4",
        )

    def handle(self, *args, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError(
                "当前是生产环境配置，拒绝导入演示数据：演示账号使用公开的密码，导入后任何人都能登录。"
                "如需体验演示，请在开发环境中使用 portal.settings.dev 配置运行。"
            )
        prefixes = options["only"]
        try:
            specs = demo_specs(prefixes)
            if is_loaded(prefixes):
                self.stdout.write(f"演示数据已存在（{len(specs)} 个单位），无需重复导入。")
                return
            console = Console(file=self.stdout._out, highlight=False)
            columns = (
                TextColumn("{task.description:<14}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()
            )
            with Progress(*columns, console=console, disable=not console.is_terminal) as progress:
                tasks = {}

                def report(spec, done, total):
                    if spec.prefix not in tasks:
                        tasks[spec.prefix] = progress.add_task(spec.name, total=total)
                    progress.update(tasks[spec.prefix], completed=done)
                    if done == total and not console.is_terminal:  # logs get one line per department
                        self.stdout.write(f"已导入 {spec.name}")

                result = build_demo(
                    seed=options["seed"], items=options["items"], prefixes=prefixes, progress=report,
                    jobs=max(1, options["jobs"]),
                )
        except DemoError as error:
            raise CommandError(str(error)) from error
        if result.skipped:
            self.stdout.write(f"已存在、未改动的单位：{'、'.join(result.skipped)}")
        self.stdout.write(self.style.SUCCESS(
            f"演示数据导入完成：{len(result.created)} 个单位、{result.articles} 条信息、"
            f"{result.attachments} 个附件、{result.users} 个账号，用时 {result.seconds:.1f} 秒。"
        ))
        accounts = "admin、security、auditor、theme、<前缀>_editor、<前缀>_head、liwei"
        self.stdout.write(f"演示账号（{accounts}）的密码均为 {DEMO_PASSWORD}")
