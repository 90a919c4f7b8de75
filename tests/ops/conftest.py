import pytest
from django.db import connection

from tests.ops.servers import ADMIN_PASSWORD, ADMIN_USERNAME, AppServer, Cluster, database_url, django_shell


@pytest.fixture
def test_database_url(transactional_db):
    return database_url(connection.settings_dict)


@pytest.fixture
def clusters():
    """Make throwaway PostgreSQL clusters: clusters(name, log_statements=False); all removed after the test."""
    made = []

    def make(name, **kwargs):
        cluster = Cluster(name, **kwargs)
        made.append(cluster)
        return cluster

    yield make
    for cluster in reversed(made):  # replicas before their primary
        cluster.destroy()


@pytest.fixture
def app_servers():
    """Start gunicorn app servers: app_servers(env, workers=2); all stopped after the test."""
    started = []

    def start(env, **kwargs):
        server = AppServer(env, **kwargs)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def registry_primary(clusters, django_db_setup, django_db_blocker):
    """A running cluster holding the registry's schema, an admin and one published city ("lagtown")."""
    with django_db_blocker.unblock():
        source_url = database_url(connection.settings_dict)
    primary = clusters("primary", log_statements=True).init().start()
    primary.create_database_from(source_url)
    django_shell(
        primary.url(),
        "from django.contrib.auth.models import User; from tests.factories import make_city; "
        f"User.objects.create_superuser({ADMIN_USERNAME!r}, 'ops@example.org', {ADMIN_PASSWORD!r}); "
        "make_city('Lagtown', slug='lagtown', country='FR')",
    )
    return primary
