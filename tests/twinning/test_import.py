import csv
import gzip
import io
import itertools
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models.functions import Greatest, Least
from django.test.utils import CaptureQueriesContext

from cities.gazetteer import Gazetteer, name_key
from cities.models import City, CityName
from tests.factories import make_city, make_twinning
from twinning import importing
from twinning.importing import COLUMNS, ImportFileError, export_twinnings, import_twinnings, read_rows
from twinning.models import Source, Twinning
from twinning.records import Publication

pytestmark = pytest.mark.django_db

HEADER = ",".join(COLUMNS)
# Real rows of the open data (line numbers of ../shared/data/twin_cities.csv in comments).
STOCKERAU_BARANOVICHI = "Stockerau,Austria,48.3833,16.2167,Baranovichi,Belarus,53.1323,26.0184"  # 1076
BARANAVICHY_BIALA = "Baranavichy,Belarus,53.1333,26.0167,Biała Podlaska,Poland,52.0333,23.1167"  # 1468
BIALA_BARANAVICHY = "Biała Podlaska,Poland,52.0333,23.1167,Baranavichy,Belarus,53.1333,26.0167"
NIENBURG_SELF = "Nienburg,Germany,52.6488,9.2578,Nienburg,Germany,52.6488,9.2578"  # 12069
AZOV_COURBEVOIE = "Azov,Russia,47.1069,39.4149,Courbevoie,France,48.8967,2.2567"
SOLNTSEVO_STRYI = "Solntsevo (Moscow),Russia,55.6371,37.3812,Stryi,Ukraine,49.25,23.85"
FLORENCE_US = "Sydney,Australia,-33.8678,151.21,Florence,United States,43.7714,11.2542"
NAMES = [
    "Stockerau", "Baranovichi", "Baranavichy", "Biała Podlaska", "Nienburg", "Azov", "Courbevoie",
    "Solntsevo", "Moscow", "Stryi", "Sydney", "Florence",
]  # fmt: skip


@pytest.fixture(scope="session")
def small_gazetteer():
    """The gazetteer indexed for the names these tests use: loaded once, not per import."""
    return Gazetteer({name_key(name) for name in NAMES})


@pytest.fixture(autouse=True)
def _gazetteer(monkeypatch, small_gazetteer):
    monkeypatch.setattr(importing, "Gazetteer", lambda wanted: small_gazetteer)


def write_csv(directory, *rows, name="pairs.csv", header=HEADER):
    path = Path(directory) / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def run_import(path, tmp_path, **kwargs):
    return import_twinnings(path, report_path=tmp_path / "report.csv", **kwargs)


def read_report(tmp_path):
    with (tmp_path / "report.csv").open(encoding="utf-8") as file:
        return list(csv.DictReader(file))


def table_counts():
    return {
        model.__name__: model.objects.count()
        for model in (City, CityName, Twinning, City.history.model, Twinning.history.model, Source)
    }


def pairs():
    return sorted(
        tuple(sorted((twinning.city_a.name, twinning.city_b.name)))
        for twinning in Twinning.objects.select_related("city_a", "city_b")
    )


# ---------------------------------------------------------------- matching
def test_spelling_variants_become_one_city_with_both_aliases(tmp_path):
    path = write_csv(tmp_path, STOCKERAU_BARANOVICHI, BARANAVICHY_BIALA)

    summary = run_import(path, tmp_path)

    baranovichi = City.objects.get(geonames_id=630429)
    assert sorted(baranovichi.names.values_list("name", flat=True)) == ["Baranavichy", "Baranovichi"]
    assert pairs() == [("Baranovichi", "Biała Podlaska"), ("Baranovichi", "Stockerau")]
    assert City.objects.count() == 3
    assert (summary.places, summary.places_gazetteer, summary.cities_created) == (4, 4, 3)


def test_city_takes_population_and_coordinates_from_the_gazetteer_and_is_published(tmp_path):
    run_import(write_csv(tmp_path, STOCKERAU_BARANOVICHI), tmp_path)

    city = City.objects.get(geonames_id=630429)
    assert (city.name, city.slug, city.country.code, city.population) == ("Baranovichi", "baranovichi", "BY", 170039)
    assert (city.latitude, city.longitude) == (53.13255, 26.00775)
    assert city.publication == Publication.PUBLISHED and city.published_at is not None


def test_existing_city_is_matched_by_alias_and_gets_the_new_spelling(tmp_path):
    azov = make_city("Азов", names=[("Azov", "en", True)], latitude=47.1, longitude=39.4)
    path = write_csv(tmp_path, AZOV_COURBEVOIE)

    summary = run_import(path, tmp_path)

    assert Twinning.objects.involving(azov).count() == 1
    assert City.objects.filter(country="RU").count() == 1
    assert summary.places_existing == 1
    # "Azov" is already an English name: no alias repeats it.
    assert list(azov.names.values_list("name", "language")) == [("Azov", "en")]


def test_existing_city_is_matched_by_geonames_id(tmp_path):
    baranovichi = make_city("Барановичи", country="BY", geonames_id=630429)

    run_import(write_csv(tmp_path, STOCKERAU_BARANOVICHI), tmp_path)

    assert Twinning.objects.involving(baranovichi).count() == 1
    assert list(baranovichi.names.values_list("name", flat=True)) == ["Baranovichi"]


def test_district_is_its_own_city_not_its_parent(tmp_path):
    run_import(write_csv(tmp_path, SOLNTSEVO_STRYI), tmp_path)

    solntsevo = City.objects.get(country="RU")
    assert (solntsevo.name, solntsevo.region, solntsevo.geonames_id) == ("Solntsevo", "Moscow", 490971)
    assert sorted(solntsevo.names.values_list("name", flat=True)) == ["Solntsevo", "Solntsevo (Moscow)"]


def test_coordinates_of_a_namesake_abroad_are_ignored_and_the_choice_reported(tmp_path):
    # Florence, United States, at the coordinates of Florence, Italy.
    summary = run_import(write_csv(tmp_path, FLORENCE_US), tmp_path)

    florence = City.objects.get(name="Florence")
    assert (florence.country.code, florence.geonames_id) == ("US", 4062577)  # the most populous
    assert summary.places_ambiguous == 1
    report = read_report(tmp_path)
    assert [(row["line"], row["outcome"]) for row in report] == [("2", "ambiguous")]
    assert "chose Florence (GeoNames 4062577" in report[0]["reason"]


# ---------------------------------------------------------------- pairs
def test_reciprocal_rows_make_one_twinning(tmp_path):
    path = write_csv(tmp_path, BARANAVICHY_BIALA, BIALA_BARANAVICHY)

    summary = run_import(path, tmp_path)

    assert Twinning.objects.count() == 1
    assert (summary.twinnings_created, summary.twinnings_repeated) == (1, 1)


def test_twinning_is_published_unknown_kind_undated_and_cites_the_wikipedia_lists(tmp_path):
    run_import(write_csv(tmp_path, BARANAVICHY_BIALA), tmp_path)

    twinning = Twinning.objects.with_status().get()
    assert (twinning.kind, twinning.established_on, twinning.publication) == ("unknown", None, "published")
    assert twinning.status == "active"
    assert [source.title for source in twinning.sources.all()] == ["Wikipedia: lists of twin towns and sister cities"]
    assert "MIT License" in twinning.sources.get().text


def test_self_pair_is_refused_and_reported(tmp_path):
    path = write_csv(tmp_path, NIENBURG_SELF, AZOV_COURBEVOIE)

    summary = run_import(path, tmp_path)

    assert (summary.rows_refused, summary.twinnings_created) == (1, 1)
    assert [(row["line"], row["city1"], row["outcome"]) for row in read_report(tmp_path)] == [("2", "Nienburg", "refused")]


def test_pair_of_two_spellings_of_one_city_is_refused(tmp_path):
    path = write_csv(tmp_path, "Baranovichi,Belarus,53.1323,26.0184,Baranavichy,Belarus,53.1333,26.0167")

    summary = run_import(path, tmp_path)

    assert Twinning.objects.count() == 0
    assert summary.refusals == {"both sides are the same city": 1}
    assert read_report(tmp_path)[0]["reason"] == "both sides are the same city: Baranovichi"


def test_pair_already_in_the_registry_is_not_duplicated(tmp_path):
    azov = make_city("Azov", geonames_id=580054)
    courbevoie = make_city("Courbevoie", country="FR", geonames_id=3023141)
    make_twinning(courbevoie, azov)

    summary = run_import(write_csv(tmp_path, AZOV_COURBEVOIE), tmp_path)

    assert Twinning.objects.count() == 1
    assert (summary.twinnings_present, summary.twinnings_created) == (1, 0)


def test_blank_country_is_read_from_the_name(tmp_path):
    path = write_csv(tmp_path, "Stockerau,Austria,48.3833,16.2167,\"Azov, Russia\",,47.1069,39.4149")

    run_import(path, tmp_path)

    assert City.objects.get(geonames_id=580054).country.code == "RU"


# ---------------------------------------------------------------- reruns
def test_second_run_changes_nothing_and_says_so(tmp_path):
    path = write_csv(tmp_path, STOCKERAU_BARANOVICHI, BARANAVICHY_BIALA, NIENBURG_SELF, SOLNTSEVO_STRYI, FLORENCE_US)
    run_import(path, tmp_path)
    before = table_counts()

    summary = run_import(path, tmp_path)

    assert table_counts() == before
    assert (summary.cities_created, summary.aliases_added, summary.twinnings_created) == (0, 0, 0)
    assert summary.places_existing + summary.places_ambiguous == summary.places
    assert "Nothing changed: the registry already holds everything in this file." in summary.lines()


def test_interrupted_import_is_completed_by_a_rerun(tmp_path, monkeypatch):
    rows = [STOCKERAU_BARANOVICHI, BARANAVICHY_BIALA, AZOV_COURBEVOIE, SOLNTSEVO_STRYI]
    path = write_csv(tmp_path, *rows)
    real_write_batch = importing._write_batch
    batches = itertools.count()

    def write_batch_then_fail(*args, **kwargs):
        if next(batches) == 1:
            raise KeyboardInterrupt
        real_write_batch(*args, **kwargs)

    monkeypatch.setattr(importing, "_write_batch", write_batch_then_fail)
    with pytest.raises(KeyboardInterrupt):
        run_import(path, tmp_path, batch_rows=2)
    # The first batch (two rows) is in; the second left nothing behind.
    assert pairs() == [("Baranovichi", "Biała Podlaska"), ("Baranovichi", "Stockerau")]
    assert not CityName.objects.filter(name__in=["Azov", "Courbevoie"]).exists()
    monkeypatch.setattr(importing, "_write_batch", real_write_batch)

    summary = run_import(path, tmp_path, batch_rows=2)

    assert (summary.twinnings_present, summary.twinnings_created) == (2, 2)
    assert City.objects.count() == 7
    assert len(pairs()) == 4


def test_query_count_does_not_grow_with_rows(tmp_path):
    # Load the registry (cities, names, pairs, slugs), lock, source, then per batch: cities,
    # their history and sources, aliases, twinnings, their history and sources; mark, unlock.
    importing._open_data_source()
    with CaptureQueriesContext(connection) as one_row:
        run_import(write_csv(tmp_path, AZOV_COURBEVOIE, name="one.csv"), tmp_path)
    Twinning.objects.all().delete()
    CityName.objects.all().delete()
    City.objects.all().delete()
    rows = (STOCKERAU_BARANOVICHI, BARANAVICHY_BIALA, AZOV_COURBEVOIE, SOLNTSEVO_STRYI, FLORENCE_US)

    with CaptureQueriesContext(connection) as five_rows:
        run_import(write_csv(tmp_path, *rows, name="five.csv"), tmp_path)

    assert len(five_rows) == len(one_row)


def test_import_records_one_history_entry_per_new_record(tmp_path):
    run_import(write_csv(tmp_path, AZOV_COURBEVOIE), tmp_path)

    twinning = Twinning.objects.get()
    [record] = twinning.history.all()
    assert (record.history_type, record.history_change_reason) == ("+", "Imported from open data")
    assert [link.source.title for link in record.sources.all()] == ["Wikipedia: lists of twin towns and sister cities"]
    assert City.history.filter(history_type="+").count() == 2


def test_export_then_import_changes_nothing(tmp_path):
    run_import(write_csv(tmp_path, STOCKERAU_BARANOVICHI, BARANAVICHY_BIALA, SOLNTSEVO_STRYI, FLORENCE_US), tmp_path)
    exported = tmp_path / "export.csv"
    before = table_counts()

    assert export_twinnings(exported) == 4
    summary = run_import(exported, tmp_path)

    assert table_counts() == before
    assert summary.twinnings_present == 4
    rows = exported.read_text(encoding="utf-8").splitlines()
    assert rows[0] == HEADER
    assert "Solntsevo,\"Moscow, Russia\",55.63711,37.38115,Stryi,Ukraine,49.26103,23.84845" in rows


def test_export_command_writes_gzip(tmp_path):
    run_import(write_csv(tmp_path, AZOV_COURBEVOIE), tmp_path)
    path = tmp_path / "export.csv.gz"

    call_command("export_twinnings", str(path), stdout=io.StringIO())

    assert gzip.decompress(path.read_bytes()).decode().splitlines() == [
        HEADER,
        "Azov,Russia,47.1069,39.41486,Courbevoie,France,48.89672,2.25666",
    ]


# ---------------------------------------------------------------- the command and its input
def test_command_reads_gzip_and_prints_the_summary(tmp_path):
    path = tmp_path / "pairs.csv.gz"
    path.write_bytes(gzip.compress(f"{HEADER}\n{AZOV_COURBEVOIE}\n".encode()))
    out = io.StringIO()

    call_command("import_twinnings", str(path), report=str(tmp_path / "report.csv"), stdout=out)

    assert Twinning.objects.count() == 1
    assert "Twinnings created: 1" in out.getvalue()
    assert "  total: 1 of 1 rows" in out.getvalue()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"city1,country1,lat1,lng1,city2,country2,lat2\n", "line 1: missing column(s) lng2"),
        (f"{HEADER}\n{AZOV_COURBEVOIE}\nAzov,Russia,47.1,39.4,Paris,France\n".encode(), "line 3: 6 columns, expected 8"),
        (f"{HEADER}\n{AZOV_COURBEVOIE}\nAzov,Russia,47.1,forty,Paris,France,48.8,2.3\n".encode(), "line 3: lng1 'forty' is not a number"),
        (f"{HEADER}\nAzov,Russia,147.1,39.4,Paris,France,48.8,2.3\n".encode(), "line 2: lat1 '147.1' is outside -90..90"),
        (f"{HEADER}\n{AZOV_COURBEVOIE}\nAzov,Russia,47.1,39.4, ,France,48.8,2.3\n".encode(), "line 3: city2 is empty"),
        (f"{HEADER}\n{AZOV_COURBEVOIE}\nK\xf6ln,Germany,50.9,6.9,Azov,Russia,47.1,39.4\n".encode("latin-1"), "line 3: not UTF-8"),
        (b"\x1f\x8b\x08broken", "not a readable gzip file"),
    ],
    ids=["missing column", "short row", "malformed number", "number out of range", "empty name", "not UTF-8", "bad gzip"],
)
def test_bad_line_stops_the_import_before_anything_is_written(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)

    with pytest.raises(CommandError, match="nothing imported") as error:
        call_command("import_twinnings", str(path), report=str(tmp_path / "report.csv"), stdout=io.StringIO())

    assert message in str(error.value)
    assert table_counts() == dict.fromkeys(table_counts(), 0)


def test_all_bad_lines_are_named_at_once(tmp_path):
    path = write_csv(tmp_path, "A,Russia,x,1,B,France,1,1", AZOV_COURBEVOIE, ",Russia,1,1,B,France,1,1")

    with pytest.raises(ImportFileError) as error:
        read_rows(path)

    assert str(error.value).splitlines() == ["line 2: lat1 'x' is not a number", "line 4: city1 is empty"]


def test_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_twinnings", str(tmp_path / "absent.csv"), stdout=io.StringIO())


# ---------------------------------------------------------------- first start
def test_first_start_import_skips_an_absent_file(tmp_path, settings):
    settings.OPEN_DATA_CSV = tmp_path / "absent.csv"
    out = io.StringIO()

    call_command("first_start_import", stdout=out)

    assert "not found: skipping the import" in out.getvalue()
    assert Twinning.objects.count() == 0


def test_first_start_import_imports_once(tmp_path, settings, monkeypatch):
    settings.OPEN_DATA_CSV = write_csv(tmp_path, AZOV_COURBEVOIE)
    settings.BASE_DIR = tmp_path  # the report goes to BASE_DIR/var
    call_command("first_start_import", stdout=io.StringIO())
    assert Twinning.objects.count() == 1
    monkeypatch.setattr(importing, "plan_import", None)  # a second import would fail loudly
    out = io.StringIO()

    call_command("first_start_import", stdout=out)

    assert "already imported: skipping" in out.getvalue()
    assert (tmp_path / "var" / "import-report.csv").exists()


# ---------------------------------------------------------------- the whole open-data file
@pytest.mark.slow
def test_whole_open_data_file(tmp_path, monkeypatch):
    monkeypatch.setattr(importing, "Gazetteer", Gazetteer)
    path = Path(settings.OPEN_DATA_CSV)
    if not path.is_file():
        pytest.skip(f"{path} is not here")

    summary = run_import(path, tmp_path)

    assert summary.rows_read == 25917
    assert (
        summary.twinnings_created + summary.twinnings_present + summary.twinnings_repeated + summary.rows_refused
        == summary.rows_read
    )
    assert (
        summary.places_existing + summary.places_gazetteer + summary.places_ambiguous + summary.places_new
        + summary.places_unreadable
        == summary.places
    )  # fmt: skip
    geonames_ids = list(City.objects.exclude(geonames_id=None).values_list("geonames_id", flat=True))
    assert len(geonames_ids) == len(set(geonames_ids))
    unordered = Twinning.objects.annotate(low=Least("city_a", "city_b"), high=Greatest("city_a", "city_b"))
    assert unordered.values("low", "high").distinct().count() == Twinning.objects.count() == summary.twinnings_created
    report = read_report(tmp_path)
    refused_lines = [row["line"] for row in report if row["outcome"] == "refused"]
    assert len(refused_lines) == summary.rows_refused > 0
    assert sum(row["outcome"] == "ambiguous" for row in report) + summary.rows_refused == summary.rows_reported
