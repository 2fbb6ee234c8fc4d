from django.core.management.base import BaseCommand, CommandError

from carecoord.directory import hsds

from ._center import center_named


class Command(BaseCommand):
    help = ("Import an Open Referral HSDS 3.0 directory: a JSON file (a service, a list of "
            "services or an API page) or a folder of CSV files (the HSDS data package). The "
            "file is the whole directory of its keeper: the statewide one, or with --center a "
            "center's local entries. Without --commit it only reports what it would add, "
            "change and remove; with --commit it writes all of it in one transaction, or "
            "nothing when anything is wrong.")

    def add_arguments(self, parser):
        parser.add_argument("path", help="a .json file, or a folder with the CSV files")
        parser.add_argument("--commit", action="store_true",
                            help="write the import (default: a dry run that writes nothing)")
        parser.add_argument("--center", help="import as this center's local entries (its short "
                                             "name, e.g. Eastern); default: statewide")
        parser.add_argument("--keep-others", action="store_true",
                            help="keep the keeper's services the file does not list (default: "
                                 "remove them, the file being the whole directory)")

    def handle(self, *args, path, commit, center, keep_others, **options):
        plan = hsds.import_hsds(path, center=center_named(center), commit=commit,
                                keep_others=keep_others)
        for line in plan.lines(limit=200):
            self.stdout.write(line)
        if not plan.ok:
            raise CommandError(f"{len(plan.problems)} problem(s) in {path}: nothing written.")
