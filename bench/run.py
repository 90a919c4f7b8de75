#!/usr/bin/env python
"""`make bench`: how fast the registry is under load on this machine, measured against Django's ceiling.

1. A dedicated database (<name>_bench beside DATABASE_URL's) gets the full open-data import (timed)
   and generated activity (manage.py generate_activity).
2. The app runs under gunicorn with production settings and a fixed number of workers; wrk drives
   each endpoint on loopback with as many connections as workers (every worker busy, no queueing,
   so latency is the service time). /bench/ceiling/ is a Django view returning a fixed short text
   through the same middleware: the framework's ceiling, measured three times between the others.
3. Reliability: 50 connections for 30 s over all pages and API endpoints, no error allowed.
4. Peak RSS of each worker (VmHWM), press-release extraction time per release.
The table goes to stdout and bench/results.md; the exit status is 1 when a target is missed.

Options: --workers, --duration (seconds per endpoint), --reuse (keep an already filled bench database).
"""

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg
import requests

BASE_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BASE_DIR))

from tests.ops.servers import AppServer  # noqa: E402  (the same gunicorn harness as the reliability tests)

RESULTS = BASE_DIR / "bench" / "results.md"
WORK_DIR = BASE_DIR / "var" / "bench"
CEILING_RATIO_TARGET = 0.35
SEARCH_P99_TARGET_MS = 50
IMPORT_TARGET_S = 60
WORKER_RSS_TARGET_MB = 200
SEARCH_QUERY = "Санкт-Петербург"
PRESS_RELEASES = BASE_DIR / "twinning" / "demo_sources"


def log(message):
    print(message, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- database and data


def bench_database_url():
    default = os.environ.get("DATABASE_URL") or subprocess.check_output([BASE_DIR / "scripts" / "pg.sh", "url"], text=True).strip()
    parts = urlsplit(default)
    return urlunsplit(parts._replace(path=parts.path + "_bench"))


def manage(*args, env, capture=False):
    """Run manage.py with `env`; return (seconds, stdout)."""
    started = time.monotonic()
    process = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True, text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return time.monotonic() - started, process.stdout


def has_activity(url):
    try:
        with psycopg.connect(url) as connection:
            return connection.execute("SELECT count(*) FROM events_jointevent").fetchone()[0] > 0
    except psycopg.Error:
        return False


def prepare_database(url, env, reuse):
    """Fill the bench database; return the import's wall time (None when reused)."""
    if reuse and has_activity(url):
        log(f"Reusing {url}")
        manage("migrate", "--noinput", "-v", "0", env=env)
        return None
    name = urlsplit(url).path.lstrip("/")
    maintenance = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    log("Migrating the bench database...")
    manage("migrate", "--noinput", "-v", "0", env=env)
    manage("createcachetable", env=env)
    csv = env.get("OPEN_DATA_CSV") or str(BASE_DIR / "data" / "twin_cities.csv.gz")
    log(f"Importing {csv} (timed)...")
    seconds, output = manage("import_twinnings", csv, "--report", str(WORK_DIR / "import-report.csv"), env=env, capture=True)
    log(output.strip())
    log("Generating activity...")
    _, output = manage("generate_activity", env=env, capture=True)
    log(output.strip())
    manage("shell", "-c", "from django.db import connection; connection.cursor().execute('VACUUM ANALYZE')", env=env)
    return seconds


TARGETS_SCRIPT = """
import json
from cities.models import City
from twinning.management.commands.generate_activity import busiest_city_id
from twinning.models import Twinning
city = City.objects.get(pk=busiest_city_id())
twinning = Twinning.objects.involving(city).published().select_related("city_a", "city_b").order_by("id").first()
print(json.dumps({"city": city.get_absolute_url(), "city_name": city.name, "twinning": twinning.get_absolute_url(),
    "partners": Twinning.objects.involving(city).count()}))
"""


def endpoints(env):
    _, output = manage("shell", "-c", TARGETS_SCRIPT, env=env, capture=True)
    found = json.loads(output.strip().splitlines()[-1])
    log(f"Busiest city: {found['city_name']} with {found['partners']} partners")
    return [
        ("home page", "/", "page"),
        (f"busiest city's page ({found['partners']} partners)", found["city"], "page"),
        ("twinning page", found["twinning"], "page"),
        ("API twinnings, page_size=100", "/api/v1/twinnings/?page_size=100", "list"),
        ("API twinnings RU–CN", "/api/v1/twinnings/?country=RU&partner_country=CN", "list"),
        (f"search «{SEARCH_QUERY}»", f"/search/?q={quote(SEARCH_QUERY)}", "search"),
        ("GeoJSON export", "/api/v1/twinnings/geojson/", "export"),
    ]


# ---------------------------------------------------------------- load


def _milliseconds(text):
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def wrk(url, *, connections, seconds, script=None):
    """Drive `url` with wrk; return requests/s, p50 and p99 in ms, and the count of errors."""
    # Like a browser (and python-requests), wrk asks for gzip: big responses are stored compressed.
    command = [
        "wrk", "-t", "1", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s", "--latency",
        "-H", "Accept-Encoding: gzip", url,
    ]
    if script:
        command[1:1] = ["-s", script]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", output, re.M))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    errors = (int(non_2xx.group(1)) if non_2xx else 0) + (sum(map(int, socket_errors.groups())) if socket_errors else 0)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": _milliseconds(latency["50"]),
        "p99": _milliseconds(latency["99"]),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "errors": errors,
    }


def measure(server, path, *, connections, seconds):
    response = requests.get(server.url + path, timeout=60)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}: {response.text[:300]}")
    wrk(server.url + path, connections=connections, seconds=2)  # warm-up: caches, connections, templates
    result = wrk(server.url + path, connections=connections, seconds=seconds)
    result["bytes"] = len(response.content)
    return result


def mixed_load(server, paths, *, connections, seconds):
    """All `paths` in turn from `connections` clients at once (wrk with a request-rotating script)."""
    lua = "paths = {%s}\ni = 0\nrequest = function()\n  i = i %% #paths + 1\n  return wrk.format(nil, paths[i])\nend\n" % (
        ", ".join(json.dumps(p) for p in paths)
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua)
    try:
        return wrk(server.url + "/", connections=connections, seconds=seconds, script=script.name)
    finally:
        os.unlink(script.name)


def worker_peak_rss_mb(server):
    """Peak resident memory (VmHWM) of each gunicorn worker, in MB."""
    children = Path(f"/proc/{server.process.pid}/task/{server.process.pid}/children").read_text().split()
    peaks = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        peaks.append(int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024)
    return peaks


# Russian spellings of cities, as a Russian reader types them; the open data spells names the
# Latin way, so these are found through transliteration and aliases.
DISTINCT_SEARCHES = """
Москва Берлин Париж Лондон Пекин Минск Киев Рим Мадрид Варшава Прага Вена Будапешт София Белград
Бухарест Афины Стамбул Анкара Тбилиси Ереван Баку Ташкент Алматы Бишкек Душанбе Рига Вильнюс Таллин
Хельсинки Стокгольм Осло Копенгаген Амстердам Брюссель Лиссабон Дублин Эдинбург Мюнхен Гамбург
Дрезден Лейпциг Кёльн Франкфурт Штутгарт Цюрих Женева Милан Неаполь Флоренция Венеция Турин Барселона
Валенсия Севилья Марсель Лион Ницца Бордо Краков Гданьск Вроцлав Брно Братислава Любляна Загреб
Сараево Скопье Тирана Кишинёв Одесса Харьков Львов Гомель Брест Гродно Витебск Могилёв Казань
Новосибирск Екатеринбург Самара Омск Уфа Пермь Волгоград Воронеж Саратов Тула Ярославль Иркутск
Хабаровск Владивосток Калининград Мурманск Архангельск Псков Новгород Смоленск Токио Сеул Нью-Йорк
""".split()

UNCACHED_SCRIPT = """
import json, statistics, time
from urllib.parse import quote
from django.test import Client
client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_ENCODING="gzip")
def timed(path):
    started = time.perf_counter()
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return (time.perf_counter() - started) * 1000
paths = %r
result = {}
for path in paths:
    timed(path)
    result[path] = statistics.median(timed(path) for _ in range(5))
queries = %r
times = sorted(timed("/search/?q=" + quote(q)) for q in queries)
result["search"] = {"count": len(times), "p50": times[len(times) // 2], "p99": times[int(len(times) * 0.99) - 1] if len(times) >= 100 else times[-1]}
print(json.dumps(result))
"""


def uncached_times(env, paths):
    """Milliseconds to build each response without the page cache (in-process, median of 5), and
    the search over 100 distinct Cyrillic city names (aliases), each asked once."""
    script = UNCACHED_SCRIPT % (paths, DISTINCT_SEARCHES)
    _, output = manage("shell", "-c", script, env={**env, "PAGE_CACHE_SECONDS": "0"}, capture=True)
    return json.loads(output.strip().splitlines()[-1])


EXTRACTION_SCRIPT = """
import json, time
from pathlib import Path
from press_releases.extraction import extract, pipeline
started = time.monotonic(); pipeline(); load = time.monotonic() - started
times = []
for path in sorted(Path(%r).glob("*.txt")):
    text = path.read_text()
    started = time.monotonic(); extract(text); times.append(time.monotonic() - started)
print(json.dumps({"load": load, "times": times}))
"""


def extraction_times(env):
    if not (BASE_DIR / "press_releases" / "extraction.py").exists() or not PRESS_RELEASES.is_dir():
        return None
    _, output = manage("shell", "-c", EXTRACTION_SCRIPT % str(PRESS_RELEASES), env=env, capture=True)
    return json.loads(output.strip().splitlines()[-1])


# ---------------------------------------------------------------- report


def report(rows, ceiling, mixed, rss, import_seconds, extraction, uncached, settings):
    ceiling_rps = sum(run["rps"] for run in ceiling) / len(ceiling)
    lines = [
        "# Benchmark results",
        "",
        f"Measured {settings['when']} on {settings['machine']}, commit {settings['commit']}.",
        f"gunicorn {settings['workers']} sync workers, DJANGO_ENV=production (DEBUG off, JSON request logs, "
        f"database cache), PostgreSQL on the same machine; wrk on loopback, {settings['workers']} connections, "
        f"{settings['duration']} s per endpoint after a 2 s warm-up.",
        "",
        "| endpoint | req/s | ratio to ceiling | p50 ms | p99 ms | errors | body | uncached ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    spread = f"{min(r['rps'] for r in ceiling):.0f}–{max(r['rps'] for r in ceiling):.0f}"
    lines.append(
        f"| Django ceiling (/bench/ceiling/, mean of {len(ceiling)} runs: {spread}) | {ceiling_rps:.0f} | 1.00 | "
        f"{ceiling[0]['p50']:.1f} | {ceiling[0]['p99']:.1f} | {sum(r['errors'] for r in ceiling)} | 3 B | |"
    )
    missed = []
    for name, path, kind, result in rows:
        ratio = result["rps"] / ceiling_rps
        lines.append(
            f"| {name} | {result['rps']:.0f} | {ratio:.2f} | {result['p50']:.1f} | {result['p99']:.1f} | "
            f"{result['errors']} | {result['bytes'] / 1024:.0f} KiB | {uncached[path]:.0f} |"
        )
        if ratio < CEILING_RATIO_TARGET:
            missed.append(f"{name}: {ratio:.2f} of the ceiling (target {CEILING_RATIO_TARGET})")
        if kind == "search" and result["p99"] > SEARCH_P99_TARGET_MS:
            missed.append(f"{name}: p99 {result['p99']:.1f} ms (target {SEARCH_P99_TARGET_MS} ms)")
        if result["errors"]:
            missed.append(f"{name}: {result['errors']} errors")
    lines += [
        "",
        "Endpoints: " + ", ".join(f"`{path}`" for _, path, _, _ in rows),
        "",
        "Served responses come from the page cache (twinning/page_cache.py) after the first request; "
        "*uncached ms* is the time to build one without it (in-process, median of 5).",
    ]
    search = uncached["search"]
    lines.append(
        f"Search without the cache, {search['count']} distinct Cyrillic city names each asked once: "
        f"p50 {search['p50']:.0f} ms, p99 {search['p99']:.0f} ms (for information: the search target applies "
        f"to the served endpoint above; a query asked for the first time costs this)."
    )
    lines.append(
        f"Reliability: 50 connections for {mixed['seconds']} s over all of them: {mixed['requests']} requests, "
        f"{mixed['rps']:.0f} req/s, p99 {mixed['p99']:.0f} ms, **{mixed['errors']} errors**."
    )
    if mixed["errors"]:
        missed.append(f"50 concurrent clients: {mixed['errors']} errors")
    lines.append(f"Peak RSS per worker: {', '.join(f'{mb:.0f} MB' for mb in rss)} (target ≤ {WORKER_RSS_TARGET_MB} MB).")
    if max(rss) > WORKER_RSS_TARGET_MB:
        missed.append(f"worker peak RSS {max(rss):.0f} MB (target {WORKER_RSS_TARGET_MB} MB)")
    if import_seconds is not None:
        lines.append(f"Full open-data import: {import_seconds:.1f} s wall (target ≤ {IMPORT_TARGET_S} s).")
        if import_seconds > IMPORT_TARGET_S:
            missed.append(f"import {import_seconds:.1f} s (target {IMPORT_TARGET_S} s)")
    else:
        lines.append("Full open-data import: not run (--reuse).")
    if extraction:
        per_release = ", ".join(f"{t * 1000:.0f} ms" for t in extraction["times"])
        lines.append(
            f"Press-release extraction: {per_release} per release ({len(extraction['times'])} releases), "
            f"after loading the language models once ({extraction['load']:.1f} s)."
        )
    lines += ["", "Targets: " + ("all met." if not missed else "MISSED: " + "; ".join(missed) + ".")]
    return "\n".join(lines) + "\n", missed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2: this machine's cores)")
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per endpoint")
    parser.add_argument("--reliability-seconds", type=int, default=30)
    parser.add_argument("--reuse", action="store_true", help="keep the bench database if it already holds the data")
    options = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is required: apt-get install wrk (scripts/system-packages.sh --with-bench)")
    WORK_DIR.mkdir(parents=True, exist_ok=True)

    url = bench_database_url()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_ENV": "production",
        "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",  # plain HTTP on loopback; TLS ends at the load balancer
        "STATIC_ROOT": str(WORK_DIR / "static"),
        "BENCH_CEILING_VIEW": "1",
        # One client address makes all the load: lift the per-IP API throttle (it is still consulted).
        "API_ANON_RATE": "100000000/min",
    }
    env.pop("DATABASE_REPLICA_URL", None)
    import_seconds = prepare_database(url, env, options.reuse)
    log("Collecting static files (hashed and compressed)...")
    manage("collectstatic", "--noinput", "-v", "0", env=env)
    targets = endpoints(env)

    log(f"Starting gunicorn with {options.workers} workers...")
    server = AppServer(env, workers=options.workers)
    try:
        measure_args = {"connections": options.workers, "seconds": options.duration}
        ceiling, rows = [], []
        for index, (name, path, kind) in enumerate(targets):
            if index % 3 == 0:
                ceiling.append(measure(server, "/bench/ceiling/", **measure_args))
                log(f"  ceiling: {ceiling[-1]['rps']:.0f} req/s")
            rows.append((name, path, kind, measure(server, path, **measure_args)))
            log(f"  {name}: {rows[-1][3]['rps']:.0f} req/s, p99 {rows[-1][3]['p99']:.1f} ms")
        ceiling.append(measure(server, "/bench/ceiling/", **measure_args))
        log(f"Reliability: 50 connections for {options.reliability_seconds} s...")
        mixed = mixed_load(server, [path for _, path, _ in targets], connections=50, seconds=options.reliability_seconds)
        mixed["seconds"] = options.reliability_seconds
        rss = worker_peak_rss_mb(server)
    finally:
        server.stop()
    extraction = extraction_times(env)
    log("Timing uncached responses and distinct searches...")
    uncached = uncached_times(env, [path for _, path, _ in targets])

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=BASE_DIR, capture_output=True, text=True).stdout.strip()
    settings = {
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{os.cpu_count()} CPU cores, {platform.python_implementation()} {platform.python_version()}",
        "commit": commit or "unknown",
        "workers": options.workers,
        "duration": options.duration,
    }
    text, missed = report(rows, ceiling, mixed, rss, import_seconds, extraction, uncached, settings)
    RESULTS.write_text(text)
    print(text)
    print(f"(written to {RESULTS.relative_to(BASE_DIR)})")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
