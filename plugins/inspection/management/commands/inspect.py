"""`manage.py inspect --department jyj` or `--all`: the daily inspection, on demand, with progress."""

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "巡检一个单位（--department 前缀）或全部单位（--all）的网站"

    def add_arguments(self, parser):
        parser.add_argument("--department", help="单位的域名前缀，例如 jyj")
        parser.add_argument("--all", action="store_true", help="巡检全部单位")
        parser.add_argument("--start-url", help="从这个地址开始抓取（默认是单位网站首页）")

    def handle(self, *args, **options):
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        from plugins.inspection import service
        from tenants.models import Department

        if bool(options["department"]) == bool(options["all"]):
            raise CommandError("请用 --department 指定一个单位，或用 --all 巡检全部单位")
        department = None
        if options["department"]:
            department = Department.objects.filter(host_prefix=options["department"]).first()
            if department is None or not department.is_site:
                raise CommandError(f"没有域名前缀为“{options['department']}”的单位网站")
        run = service.start_run(department)
        start_urls = {department.host_prefix: options["start_url"]} if department and options["start_url"] else None
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      transient=False) as progress:
            tasks = {}

            def on_progress(dept, done, seen):
                if dept.pk not in tasks:
                    tasks[dept.pk] = progress.add_task(f"巡检 {dept.name}", total=seen)
                progress.update(tasks[dept.pk], completed=done, total=max(seen, done))

            run = service.execute_run(run, start_urls=start_urls, on_progress=on_progress)
        self.stdout.write(f"巡检完成：检查页面 {run.pages_done} 个，待整改问题 {run.findings_found} 个")
        for row in service.league_table([department] if department else None):
            self.stdout.write(f"  {row['rank']:>3}. {row['department'].name}  健康度 {row['score']}  "
                              f"待整改 {row['open']}（单项否决 {row['veto']}）")
