import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from twinning.importing import ImportFileError, import_twinnings, was_imported


class Command(BaseCommand):
    help = (
        "Import the open-data twinnings (settings.OPEN_DATA_CSV, env OPEN_DATA_CSV) once: skipped when the "
        "file is absent or this exact file has already been imported in full."
    )

    def handle(self, *args, **options):
        path = Path(settings.OPEN_DATA_CSV)
        if not path.is_file():
            self.stdout.write(f"Open data file {path} not found: skipping the import (set OPEN_DATA_CSV to import it).")
            return
        if was_imported(path):
            self.stdout.write(f"Open data from {path} already imported: skipping.")
            return
        self.stdout.write(f"Importing open data from {path} (once; later starts skip it)...")
        report = settings.BASE_DIR / "var" / "import-report.csv"
        try:
            summary = import_twinnings(path, report_path=report, progress=sys.stderr.isatty())
        except (ImportFileError, RuntimeError, OSError) as error:
            raise CommandError(f"{path}: nothing imported.\n{error}") from None
        for line in summary.lines():
            self.stdout.write(line)
