"""Background work of the inspection (django-tasks): a run started from the admin."""

from django_tasks import task


@task(backend="background")
def run_inspection(run_id: int) -> dict:
    from . import service
    from .models import InspectionRun

    run = service.execute_run(InspectionRun.objects.get(pk=run_id))
    return {"pages": run.pages_done, "findings": run.findings_found}
