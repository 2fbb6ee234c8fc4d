import datetime

from django.core.management.base import BaseCommand

from carecoord.contacts.jobs import create_due_tasks


class Command(BaseCommand):
    help = "Make the tasks the reminder rules say are due (the daily job, run by hand)."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=datetime.date.fromisoformat, default=None,
                            help="Run as of this day (default: today).")

    def handle(self, *args, date, **options):
        made = create_due_tasks(date)
        total = sum(made.values())
        detail = ", ".join(f"{kind} {n}" for kind, n in sorted(made.items())) or "none due"
        self.stdout.write(f"{total} new task(s): {detail}")
