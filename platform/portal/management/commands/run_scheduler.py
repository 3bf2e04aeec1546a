"""Run the jobs plugins schedule (digests, inspection, probes): keep running, or once for cron."""

import time

from django.core.management.base import BaseCommand

from portal.scheduling import all_jobs, run_due


class Command(BaseCommand):
    help = "运行定时任务（每日汇总、巡检、可用性探测等）"

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="只运行当前到期的任务后退出（供 cron 调用）")
        parser.add_argument("--interval", type=int, default=30, help="检查到期任务的间隔秒数")

    def handle(self, *args, once=False, interval=30, **options):
        names = ", ".join(job.name for job in all_jobs()) or "（无）"
        self.stdout.write(f"定时任务：{names}")
        while True:
            for name in run_due():
                self.stdout.write(f"已运行：{name}")
            if once:
                return
            time.sleep(interval)
