"""`manage.py search_push [--loop]`: push outbox changes to Elasticsearch now, or keep doing so.

The push task does this after every publish; this command is for an operator after an outage
(it also takes entries still waiting for their backoff) and for deployments that prefer a
dedicated loop to deferred tasks.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from search import pusher


class Command(BaseCommand):
    help = "把待推送的检索变更写入 Elasticsearch"

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="持续运行，每隔 --interval 秒推送一次")
        parser.add_argument("--interval", type=float, default=1.0)

    def handle(self, *args, **options):
        while True:
            result = pusher.drain(include_waiting=not options["loop"])
            if result.pushed or result.failed or not options["loop"]:
                self.stdout.write(
                    f"已推送 {result.pushed} 个，失败 {result.failed} 个，剩余 {pusher.pending_count()} 个"
                    + (f"（{result.errors[0]}）" if result.errors else "")
                )
            if not options["loop"]:
                # A cron job or an operator's script must see that the index did not converge.
                if result.failed:
                    raise CommandError(f"{result.failed} 个变更未能推送到 Elasticsearch，将按退避时间重试")
                return
            time.sleep(options["interval"])
