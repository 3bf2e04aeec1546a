"""The centre's 备份 screen: the last backups, their size and whether they verified."""

from django.template.response import TemplateResponse

from tenants.admin_views import central_admin_required

from .backups import backup_directory
from .models import Backup


@central_admin_required
def backup_list(request):
    backups = list(Backup.objects.all()[:60])
    latest_ok = next((b for b in backups if b.status == Backup.Status.OK), None)
    return TemplateResponse(request, "operations/backups.html", {
        "page_title": "数据备份", "backups": backups, "latest_ok": latest_ok, "directory": backup_directory(),
    })
