"""A real primary and streaming replica: public reads go to the replica, writes to the primary."""

import pytest
import requests

from tests.ops.servers import ADMIN_PASSWORD, ADMIN_USERNAME, add_source_via_admin, admin_session, django_shell, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("postgres_clusters")]


def _log_after(cluster, offset):
    return cluster.log.read_text(errors="replace")[offset:]


def _log_size(cluster):
    return len(cluster.log.read_text(errors="replace"))


def test_reads_hit_the_replica_writes_the_primary_and_a_lagging_replica_still_serves(
    registry_primary, clusters, app_servers
):
    primary = registry_primary
    replica = clusters("replica", log_statements=True).replica_of(primary).start()
    server = app_servers({"DATABASE_URL": primary.url(), "DATABASE_REPLICA_URL": replica.url()})
    wait_until(
        lambda: replica.execute("SELECT count(*) FROM cities_city WHERE slug = 'lagtown'") == [(1,)],
        timeout=30,
        message="replica caught up",
    )

    # A public page reads the replica and not the primary.
    primary_offset, replica_offset = _log_size(primary), _log_size(replica)
    page = requests.get(f"{server.url}/cities/lagtown/", timeout=10)
    assert page.status_code == 200
    assert '"cities_city"' in _log_after(replica, replica_offset)
    assert '"cities_city"' not in _log_after(primary, primary_offset)

    # The replica stops replaying: it lags behind a city published on the primary.
    replica.execute("SELECT pg_wal_replay_pause()")
    django_shell(primary.url(), "from tests.factories import make_city; make_city('Freshcity', slug='freshcity')")
    wait_until(lambda: replica.execute("SELECT pg_get_wal_replay_pause_state()") == [("paused",)], timeout=10)

    stale = requests.get(f"{server.url}/cities/freshcity/", timeout=10)
    still_served = requests.get(f"{server.url}/cities/lagtown/", timeout=10)
    assert stale.status_code == 404  # answered from the lagging replica
    assert still_served.status_code == 200

    # A press officer's write goes to the primary, and the page after it reads the primary.
    officer = admin_session(server.url, ADMIN_USERNAME, ADMIN_PASSWORD)
    saved = add_source_via_admin(officer, server.url, "Пресс-релиз о побратимстве")
    changelist = officer.get(f"{server.url}/admin/twinning/source/", timeout=10)
    assert saved.status_code == 302
    saved_rows = "SELECT count(*) FROM twinning_source WHERE title = 'Пресс-релиз о побратимстве'"
    assert (primary.execute(saved_rows), replica.execute(saved_rows)) == ([(1,)], [(0,)])
    assert "Пресс-релиз о побратимстве" in changelist.text

    # Replay resumes and the replica catches up by itself.
    replica.execute("SELECT pg_wal_replay_resume()")
    wait_until(
        lambda: requests.get(f"{server.url}/cities/freshcity/", timeout=10).status_code == 200,
        timeout=30,
        message="replica serving the new city",
    )
