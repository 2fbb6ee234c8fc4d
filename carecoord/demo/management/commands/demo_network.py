"""python manage.py demo_network --children N --seed S [--as-of YYYY-MM-DD] [--if-empty]
[--replace]: load the synthetic demo network (see carecoord/demo/generator.py)."""

import argparse
import datetime

from django.core.management.base import BaseCommand, CommandError

from carecoord.demo.generator import DemoNetworkError, generate_network, network_exists


def iso_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"a date as YYYY-MM-DD, not {value!r}") from error


class Command(BaseCommand):
    help = ("Load a synthetic network of five centers, their staff, a provider directory and N "
            "children with families, referrals and enrollments. Every name and contact detail "
            "is invented.")

    def add_arguments(self, parser):
        parser.add_argument("--children", type=int, required=True, help="How many children.")
        parser.add_argument("--seed", type=int, required=True,
                            help="The same seed and as-of date give the same network.")
        parser.add_argument("--as-of", type=iso_date, default=None,
                            help="The day the data describes (default: today).")
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--if-empty", action="store_true",
                          help="Do nothing when the database already has a network.")
        mode.add_argument("--replace", action="store_true",
                          help="Delete the existing network and demo users first (demo "
                               "databases only; the audit log keeps every event).")

    def handle(self, *args, children, seed, as_of, if_empty, replace, **options):
        if if_empty and network_exists():
            self.stdout.write("The database already has a network: demo data not loaded.")
            return
        try:
            summary = generate_network(children=children, seed=seed, as_of=as_of,
                                       replace=replace)
        except DemoNetworkError as error:
            raise CommandError(str(error)) from error
        self.stdout.write("\n".join(summary.lines()))
