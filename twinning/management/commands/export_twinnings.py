from django.core.management.base import BaseCommand, CommandError

from twinning.importing import export_twinnings


class Command(BaseCommand):
    help = "Write every twinning to a CSV file in the import format (gzip-compressed when PATH ends in .gz)."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        try:
            count = export_twinnings(path)
        except OSError as error:
            raise CommandError(f"{path}: {error}") from None
        self.stdout.write(f"{count} twinnings written to {path}")
