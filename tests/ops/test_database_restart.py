"""PostgreSQL restarted under load: the app recovers by itself and loses no accepted write."""

import threading
import time

import pytest
import requests

from tests.ops.servers import ADMIN_PASSWORD, ADMIN_USERNAME, add_source_via_admin, admin_session

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("postgres_clusters")]

READ_PATHS = ["/", "/health/", "/cities/lagtown/"]


class Load:
    """Readers and writers hitting the app until stopped; every outcome kept with its start time."""

    def __init__(self, base_url, writer_sessions, readers=3):
        self.base_url = base_url
        self.outcomes = []  # (started, what, status code or exception name)
        self.accepted_writes = []
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self._read) for _ in range(readers)]
        self.threads += [threading.Thread(target=self._write, args=(n, s)) for n, s in enumerate(writer_sessions)]

    def _record(self, what, call):
        started = time.monotonic()
        try:
            response = call()
            self.outcomes.append((started, what, response.status_code))
            return response
        except requests.RequestException as error:
            self.outcomes.append((started, what, type(error).__name__))
            return None

    def _read(self):
        with requests.Session() as session:
            while not self.stopping.is_set():
                for path in READ_PATHS:
                    self._record(path, lambda: session.get(f"{self.base_url}{path}", timeout=10))

    def _write(self, writer, session):
        number = 0
        while not self.stopping.is_set():
            number += 1
            title = f"restart-{writer}-{number}"
            response = self._record("write", lambda: add_source_via_admin(session, self.base_url, title))
            if response is not None and response.status_code == 302:
                self.accepted_writes.append(title)

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=30)

    def statuses(self, *, since=0.0, until=float("inf")):
        return [status for started, _, status in self.outcomes if since <= started < until]


def test_app_recovers_after_postgresql_restarts_under_load(registry_primary, app_servers):
    database = registry_primary
    server = app_servers({"DATABASE_URL": database.url()}, workers=2)
    writers = [admin_session(server.url, ADMIN_USERNAME, ADMIN_PASSWORD) for _ in range(2)]

    with Load(server.url, writers) as load:
        time.sleep(2)
        stopped = time.monotonic()
        # As abrupt as a crash: no shutdown checkpoint, open connections cut.
        database.stop(mode="immediate")
        time.sleep(1)
        database.start()
        back = time.monotonic()
        time.sleep(4)

    first_success = min(started for started, _, status in load.outcomes if started >= back and status in (200, 302))
    saved = {title for (title,) in database.execute("SELECT title FROM twinning_source WHERE title LIKE 'restart-%%'")}
    outage = load.statuses(since=stopped, until=back)
    print(
        f"restart: {len(load.outcomes)} requests, {sum(s not in (200, 302) for s in outage)} of {len(outage)} failed "
        f"during the outage, first success {first_success - back:.2f} s after the database was back, "
        f"{len(load.accepted_writes)} writes accepted"
    )
    assert set(load.statuses(until=stopped - 0.5)) <= {200, 302}, "errors before the restart"
    assert len(load.statuses(since=back)) > 20
    assert set(load.statuses(since=back)) <= {200, 302}, "errors once the database was back"
    assert first_success - back < 3
    assert set(load.accepted_writes) <= saved, "an accepted write was lost"
    assert len(load.accepted_writes) > 4
