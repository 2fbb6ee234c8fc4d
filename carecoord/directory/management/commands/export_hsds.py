from django.core.management.base import BaseCommand

from carecoord.audit.services import record_export
from carecoord.directory import hsds

from ._center import center_named


class Command(BaseCommand):
    help = ("Export the directory as Open Referral HSDS 3.0: JSON (a list of service "
            "documents) or CSV (a folder with every table's file and datapackage.json). "
            "The statewide directory, or with --center a center's local entries with the "
            "statewide records they point at. Importing the export gives the same data back.")

    def add_arguments(self, parser):
        parser.add_argument("path", help="the .json file, or the folder for the CSV files")
        parser.add_argument("--format", choices=("json", "csv"), default="json")
        parser.add_argument("--center", help="export this center's local entries (its short "
                                             "name, e.g. Eastern); default: statewide")

    def handle(self, *args, path, format, center, **options):
        center = center_named(center)
        write = hsds.export_csv if format == "csv" else hsds.export_json
        count = write(path, center=center)
        record_export("directory.service", count=count,
                      center_id=center.pk if center else None, format=format)
        self.stdout.write(f"{count} service{'s' if count != 1 else ''} of "
                          f"{hsds.keeper_label(center.pk if center else None)} written to "
                          f"{path} ({format}).")
