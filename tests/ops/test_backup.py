"""`make backup` / `make restore` (scripts/backup.sh) against this worker's test database."""

import pytest
from django.db import connection

from cities.models import City
from tests.factories import make_agreement, make_city, make_delegation, make_event, make_twinning
from tests.ops.servers import run_script
from twinning.models import Twinning

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("postgres_clusters")]


def _snapshot():
    """Row count and a digest of every row of every table, by table name."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        tables = [name for (name,) in cursor.fetchall()]
        snapshot = {}
        for table in tables:
            cursor.execute(f'SELECT count(*), md5(coalesce(string_agg(t::text, \'|\' ORDER BY t::text), \'\')) FROM "{table}" t')
            snapshot[table] = cursor.fetchone()
    return snapshot


def _make_registry():
    moscow = make_city("Москва", names=[("Москва", "ru", True), ("Moscow", "en", True)])
    beijing = make_city("Beijing", country="CN", names=[("Пекин", "ru", True)])
    twinning = make_twinning(moscow, beijing, established_on="1995-05")
    make_agreement(moscow, beijing, title="Соглашение о сотрудничестве", twinning=twinning, spheres=["culture"])
    make_delegation(moscow, beijing, start_on="2023-09-24")
    make_event(moscow, beijing, title="Дни культуры", host_city=moscow)
    make_twinning(published=False)


def test_backup_and_restore_round_trip_preserves_every_row(test_database_url, tmp_path):
    _make_registry()
    before = _snapshot()
    dump = tmp_path / "backups" / "registry.dump"

    backed_up = run_script("backup.sh", "backup", str(dump), env={"DATABASE_URL": test_database_url})
    # What happens after the backup is undone by the restore.
    Twinning.objects.filter(publication="draft").delete()
    City.objects.filter(name="Москва").update(population=12_000_000)
    make_city("Зеленоград")
    restored = run_script("backup.sh", "restore", str(dump), env={"DATABASE_URL": test_database_url})

    assert backed_up.returncode == 0, backed_up.stderr
    assert restored.returncode == 0, restored.stderr
    assert before["cities_city"][0] == 4
    assert _snapshot() == before


def test_restore_of_a_missing_file_fails_without_touching_the_database(test_database_url, tmp_path):
    _make_registry()
    before = _snapshot()

    restored = run_script("backup.sh", "restore", str(tmp_path / "none.dump"), env={"DATABASE_URL": test_database_url})

    assert restored.returncode == 1
    assert restored.stderr.strip() == f"no backup file at {tmp_path / 'none.dump'}"
    assert _snapshot() == before
