"""python manage.py demo_logins: the demo users to sign in as, per center and role, with the
shared demo password. Prints nothing when no demo network is loaded."""

from django.core.management.base import BaseCommand

from carecoord.demo.directory import DEMO_PASSWORD
from carecoord.demo.logins import DEMO_URL, demo_logins

COLUMNS = (("center", "Center"), ("role", "Role"), ("username", "Username"), ("name", "Name"),
           ("notes", "Notes"))


class Command(BaseCommand):
    help = "List the demo logins (after demo_network) with the demo password and address."

    def handle(self, *args, **options):
        logins = demo_logins()
        if not logins:
            return
        widths = {key: max(len(title), *(len(getattr(row, key)) for row in logins))
                  for key, title in COLUMNS}

        def line(values) -> str:
            return "  ".join(value.ljust(widths[key]) for (key, _), value in
                             zip(COLUMNS, values, strict=True)).rstrip()

        self.stdout.write(f"Demo logins: open {DEMO_URL} and sign in with the password "
                          f"{DEMO_PASSWORD}\n")
        self.stdout.write(line(title for _, title in COLUMNS))
        self.stdout.write(line("-" * widths[key] for key, _ in COLUMNS))
        for row in logins:
            self.stdout.write(line(getattr(row, key) for key, _ in COLUMNS))
