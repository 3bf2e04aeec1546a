"""`manage.py search_rebuild`: reindex everything into a new index and swap the alias.

Search keeps answering from the old index until the swap; progress is printed as it goes.
"""

from django.core.management.base import BaseCommand, CommandError

from search.rebuild import rebuild


class Command(BaseCommand):
    help = "重建全站搜索索引：写入新索引后原子切换别名，期间搜索不中断"

    def add_arguments(self, parser):
        parser.add_argument("--keep-old", action="store_true", help="切换后保留旧索引（默认删除）")
        parser.add_argument("--skip-plugins", action="store_true", help="不重新收集插件提供的检索文档")
        parser.add_argument("--threads", type=int, default=2, help="并发批量请求数（默认 2）")

    def handle(self, *args, **options):
        def progress(done, total):
            percent = 100 * done / total if total else 100
            self.stdout.write(f"  已索引 {done} / {total} 个文档（{percent:.0f}%）")
            self.stdout.flush()

        self.stdout.write("开始重建搜索索引 …")
        try:
            result = rebuild(progress=progress if options["verbosity"] else None, keep_old=options["keep_old"],
                             collect_plugins=not options["skip_plugins"], thread_count=options["threads"])
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(
            f"完成：{result.indexed} 个文档写入 {result.index}（{result.docs_per_second:.0f} 个/秒，"
            f"{result.conflicts} 个已由实时推送更新），别名已切换"
            + (f"，旧索引 {', '.join(result.old_indices)} 已{'保留' if options['keep_old'] else '删除'}"
               if result.old_indices else "")
        ))
