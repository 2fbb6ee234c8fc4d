"""Background jobs of the FHIR API (Huey: see contacts/tasks.py for the queue)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import bulk


@db_task()
def write_export(export_id: str):
    return bulk.run(export_id)


@db_periodic_task(crontab(minute="17"))
def remove_expired_exports():
    return bulk.remove_expired()
