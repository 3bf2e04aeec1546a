"""`manage.py search_check [--repair]`: compare the projection with the index and report.

Pending outbox entries are pushed first, so only real drift is reported. Exits with status 1
when differences remain (usable from cron or monitoring).
"""

import sys

from django.core.management.base import BaseCommand

from search import pusher
from search.rebuild import check, repair

LABELS = [
    ("projection_missing", "已发布但不在检索投影中"),
    ("projection_extra", "检索投影中多余（已不再发布）"),
    ("projection_stale", "检索投影落后于已发布内容"),
    ("index_missing", "索引中缺少"),
    ("index_extra", "索引中多余"),
    ("index_stale", "索引版本与投影不一致"),
]


class Command(BaseCommand):
    help = "比对检索投影与 Elasticsearch 索引，报告（可选修复）差异"

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="修复发现的差异")
        parser.add_argument("--show", type=int, default=10, help="每类最多列出的文档编号数")

    def handle(self, *args, **options):
        pusher.drain(include_waiting=True)
        report = check()
        self._print(report, options["show"])
        if report.differences and options["repair"]:
            fixed = repair(report)
            self.stdout.write(f"已修复 {fixed} 处，重新比对 …")
            report = check()
            self._print(report, options["show"])
        if report.differences:
            sys.exit(1)

    def _print(self, report, show):
        self.stdout.write(
            f"检索投影 {report.documents} 个文档，索引 {report.indexed} 个，待推送 {report.pending} 个"
        )
        for name, label in LABELS:
            ids = getattr(report, name)
            if ids:
                sample = "、".join(ids[:show]) + (" …" if len(ids) > show else "")
                self.stdout.write(self.style.WARNING(f"  {label}：{len(ids)} 个（{sample}）"))
        if not report.differences:
            self.stdout.write(self.style.SUCCESS("一致：索引与检索投影相同"))
