"""Background jobs (Huey). The queue is a SQLite file by default, so nothing else has to run
on a laptop; production points it at Redis with REDIS_URL (settings.HUEY). Run the worker with
`python manage.py run_huey`."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from .jobs import create_due_tasks


@db_periodic_task(crontab(hour="5", minute="30"))
def daily_reminders():
    """Every morning before the coordinators' day starts."""
    return dict(create_due_tasks())


@db_task()
def reminders_now():
    return dict(create_due_tasks())
