"""Run the jobs plugins schedule (digests, inspection, probes): keep running, or once for cron.

Jobs run one after another, so a long one (the nightly inspection crawl) delays the others; the
watch must not wait for it, so production runs a second scheduler with `--only inspection.watch`
(a job is never run by two schedulers at once).
"""

import time

from django.core.management.base import BaseCommand, CommandError

from portal.scheduling import all_jobs, run_due


class Command(BaseCommand):
    help = "运行定时任务（每日汇总、巡检、可用性探测等）"

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="只运行当前到期的任务后退出（供 cron 调用）")
        parser.add_argument("--interval", type=int, default=30, help="检查到期任务的间隔秒数")
        parser.add_argument("--only", nargs="+", metavar="任务名", help="只运行这些任务（例如 inspection.watch）")

    def handle(self, *args, once=False, interval=30, only=None, **options):
        jobs = all_jobs()
        if only:
            unknown = sorted(set(only) - {job.name for job in jobs})
            if unknown:
                available = "、".join(job.name for job in jobs)
                raise CommandError(f"没有这些定时任务：{'、'.join(unknown)}；可用的任务：{available}")
            jobs = [job for job in jobs if job.name in only]
        names = ", ".join(job.name for job in jobs) or "（无）"
        self.stdout.write(f"定时任务：{names}")
        while True:
            for name in run_due(jobs=jobs):
                self.stdout.write(f"已运行：{name}")
            if once:
                return
            time.sleep(interval)
