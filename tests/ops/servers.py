"""Throwaway PostgreSQL clusters and gunicorn app servers for the reliability and replica tests.

Each cluster lives in its own temporary directory on a free port and is removed afterwards. The
directory is made with mkdtemp rather than pytest's tmp_path because tmp_path's parents are
private to root, and PostgreSQL refuses to run as root: as root the server runs as the postgres
user (as scripts/pg.sh does), which must be able to reach its data directory.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import requests

BASE_DIR = Path(__file__).resolve().parents[2]
USER = "twinning"
ADMIN_USERNAME = "ops-admin"
ADMIN_PASSWORD = "ops-password-1"


def database_url(settings_dict):
    """A postgresql:// URL for a Django database settings dict (for the command-line tools)."""
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    return (
        f"postgresql://{settings_dict['USER']}{password}@{settings_dict['HOST'] or '127.0.0.1'}:"
        f"{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"
    )


def _bindir():
    for candidate in [Path("/usr/lib/postgresql/15/bin"), *sorted(Path("/usr/lib/postgresql").glob("*/bin"))]:
        if (candidate / "pg_ctl").exists():
            return candidate
    raise RuntimeError("PostgreSQL server binaries not found (apt-get install postgresql)")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_owner(command):
    """Run a server command as the postgres user when we are root."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def wait_until(condition, *, timeout, interval=0.1, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise TimeoutError(f"{message} not reached within {timeout} s")


class Cluster:
    """A PostgreSQL cluster in a temporary directory: `init()` or `replica_of(primary)`, then `start()`."""

    def __init__(self, name, *, log_statements=False):
        self.log_statements = log_statements
        self.root = Path(tempfile.mkdtemp(prefix=f"twinning-{name}-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = free_port()
        self.bin = _bindir()
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")

    def url(self, database="twinning"):
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{database}"

    def _run(self, *command, timeout=60):
        subprocess.run(_as_owner([str(self.bin / command[0]), *command[1:]]), check=True, capture_output=True, timeout=timeout)

    def _configure(self):
        settings = {
            "listen_addresses": "'127.0.0.1'",
            "port": self.port,
            "unix_socket_directories": f"'{self.root}'",
            "max_connections": 100,
            "wal_level": "replica",
            "max_wal_senders": 5,
            "hot_standby": "on",
            # Throwaway data: skip flushing to disk (a committed row still survives a server restart).
            "fsync": "off",
            "full_page_writes": "off",
            "logging_collector": "off",
        }
        if self.log_statements:
            # Lets a test see which server ran which query.
            settings.update(log_statement="'all'", log_line_prefix="'%m [%p] %d '")
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.writelines(f"{key} = {value}\n" for key, value in settings.items())

    def init(self):
        self._run("initdb", "-D", str(self.data), "-U", USER, "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync")
        self._configure()
        with (self.data / "pg_hba.conf").open("a") as hba:
            hba.write(f"host replication {USER} 127.0.0.1/32 trust\n")
        return self

    def replica_of(self, primary):
        """A streaming replica of a running `primary`: pg_basebackup -R writes the standby settings."""
        self._run(
            "pg_basebackup", "-h", "127.0.0.1", "-p", str(primary.port), "-U", USER, "-D", str(self.data),
            "-R", "-X", "stream", "--checkpoint=fast", "--no-sync", timeout=120,
        )
        self._configure()  # later lines win: this cluster's own port and socket directory
        return self

    def start(self):
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "start")
        return self

    def stop(self, mode="fast"):
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")

    def is_running(self):
        return subprocess.run(_as_owner([str(self.bin / "pg_ctl"), "-D", str(self.data), "status"]), capture_output=True).returncode == 0

    def execute(self, sql, params=None, database="twinning"):
        """Run one statement in autocommit; return its rows (or None)."""
        with psycopg.connect(self.url(database), autocommit=True) as connection:
            cursor = connection.execute(sql, params)
            return cursor.fetchall() if cursor.description else None

    def create_database_from(self, source_url):
        """Create the `twinning` database as a copy of `source_url`'s schema and reference rows
        (the migrated test database): seconds, where running the migrations takes much longer."""
        self.execute(f"CREATE DATABASE twinning OWNER {USER}", database="postgres")
        dump = subprocess.run(
            [str(self.bin / "pg_dump"), "--no-owner", "--no-privileges", source_url], check=True, capture_output=True, timeout=120
        )
        subprocess.run(
            [str(self.bin / "psql"), "-q", "-v", "ON_ERROR_STOP=1", self.url()],
            input=dump.stdout, check=True, capture_output=True, timeout=120,
        )

    def destroy(self):
        if self.data.exists() and self.is_running():
            self.stop(mode="immediate")
        shutil.rmtree(self.root, ignore_errors=True)


def run_script(*args, env=None, timeout=120):
    """Run scripts/<args[0]> with `args[1:]` and `env` added; return the completed process."""
    return subprocess.run(
        [str(BASE_DIR / "scripts" / args[0]), *args[1:]],
        cwd=BASE_DIR,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def django_shell(database_url, code):
    """Run `code` in `manage.py shell` against `database_url` (the ORM, so model defaults apply)."""
    environment = {**os.environ, "DATABASE_URL": database_url}
    environment.pop("DATABASE_REPLICA_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=BASE_DIR, env=environment, check=True, capture_output=True, timeout=120
    )


class AppServer:
    """The registry under gunicorn on a free port, with the environment given."""

    def __init__(self, env, *, workers=2, threads=1):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_file = tempfile.NamedTemporaryFile(prefix="twinning-gunicorn-", suffix=".log", delete=False)
        environment = {**os.environ, "DJANGO_ENV": "development", "DEBUG": "0", "LOG_FORMAT": "json", **env}
        environment.pop("TEST_DB_SUFFIX", None)
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", "twinning.wsgi", "--bind", f"127.0.0.1:{self.port}",
                "--workers", str(workers), "--threads", str(threads), "--timeout", "30", "--graceful-timeout", "5",
                # Several servers at once (parallel tests) must not share the default control socket.
                "--no-control-socket",
            ],
            cwd=BASE_DIR,
            env=environment,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            wait_until(self._healthy, timeout=90, interval=0.2, message="gunicorn answering /health/")
        except BaseException:
            self.stop()
            raise

    def _healthy(self):
        if self.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited: {self.log()}")
        try:
            return requests.get(f"{self.url}/health/", timeout=10).status_code == 200
        except requests.RequestException:
            return False

    def log(self):
        return Path(self.log_file.name).read_text(errors="replace")

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log_file.close()
        Path(self.log_file.name).unlink(missing_ok=True)


def admin_session(base_url, username, password):
    """A requests session signed in to the admin."""
    session = requests.Session()
    login_url = f"{base_url}/admin/login/"
    session.get(login_url, timeout=10)
    response = session.post(
        login_url,
        data={"username": username, "password": password, "csrfmiddlewaretoken": session.cookies["csrftoken"], "next": "/admin/"},
        headers={"Referer": login_url},
        timeout=30,
        allow_redirects=False,
    )
    if response.status_code != 302:
        raise RuntimeError(f"admin login failed: {response.status_code}")
    return session


def add_source_via_admin(session, base_url, title):
    """Create a Source through the admin's add form; return the response (302 when saved)."""
    url = f"{base_url}/admin/twinning/source/add/"
    return session.post(
        url,
        data={
            "title": title,
            "url": "https://example.org/press/1",
            "publisher": "Пресс-служба",
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
            "_save": "Save",
        },
        headers={"Referer": url},
        timeout=10,
        allow_redirects=False,
    )
