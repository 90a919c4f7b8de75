import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from twinning.importing import BATCH_ROWS, ImportFileError, import_twinnings


class Command(BaseCommand):
    help = (
        "Import twin-city pairs from a CSV file (city1,country1,lat1,lng1,city2,country2,lat2,lng2), "
        "plain or gzip-compressed. Safe to run again: nothing is duplicated."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The CSV file (.csv or .csv.gz).")
        parser.add_argument(
            "--report",
            default=str(settings.BASE_DIR / "var" / "import-report.csv"),
            help="Where to write the CSV report of refused and ambiguous rows (default: var/import-report.csv).",
        )
        parser.add_argument("--batch-rows", type=int, default=BATCH_ROWS, help="Rows per transaction.")

    def handle(self, *args, path, report, batch_rows, **options):
        if batch_rows < 1:
            raise CommandError("--batch-rows must be at least 1")
        try:
            summary = import_twinnings(path, report_path=report, batch_rows=batch_rows, progress=sys.stderr.isatty())
        except FileNotFoundError:
            raise CommandError(f"{path}: no such file") from None
        except (ImportFileError, RuntimeError, OSError) as error:
            raise CommandError(f"{path}: nothing imported.\n{error}") from None
        for line in summary.lines():
            self.stdout.write(line)
