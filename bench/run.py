"""`make bench`: seed a PostgreSQL database, serve it with gunicorn on 127.0.0.1, measure the pages against the
floor, the deadline rush and the letters, print one table and write it as JSON under bench/results/.

    python -m bench.run [--scale 1.0] [--database ff_bench] [--redis-db 9] [--reuse]

Every figure is compared with a floor measured in the same run (a bare view, or bare WeasyPrint), because the
machine is shared and noisy; the table gives the ratio and the target."""

import argparse
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse, urlunparse

from . import load

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
HOST = "127.0.0.1"

# The pages measured against the floor: name, who asks, path (format fields from the population).
# The fund dashboard (Finanzübersicht, fonds/finance_views.py).
FUND_DASHBOARD = "/verwaltung/fonds/{fund}/finanzen/"
PAGES = [
    ("Antragsteller: Status-Seite", "applicant", "/antraege/{application}/"),
    ("Antragsteller: Meine Anträge", "applicant", "/antraege/"),
    ("Citymanagement: Eingang (meine Aufgaben)", "advisor", "/arbeit/aufgaben/"),
    ("Citymanagement: Team-Warteschlange", "advisor", "/arbeit/aufgaben/team/"),
    ("Citymanagement: Akte", "advisor", "/verwaltung/antraege/{dossier}/"),
    ("Öffentlich: geförderte Projekte", None, "/projekte/"),
    ("Fonds-Übersicht", "finance", FUND_DASHBOARD),
]
TARGETS = {"page_ratio": 1.5, "page_queries": 12, "rush_p95_ms": 500, "letter_ratio": 1.15,
           "batch_seconds": 60, "celery_mb": 300, "gunicorn_mb": 250}


def log(message):
    print(message, flush=True)


# --- processes ------------------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _env(database_url: str, redis_url: str, var_dir: str) -> dict:
    env = dict(os.environ)
    env.update(DJANGO_SETTINGS_MODULE="config.settings.bench", DATABASE_URL=database_url, REDIS_URL=redis_url,
               CELERY_BROKER_URL=redis_url, CELERY_RESULT_BACKEND=redis_url, FONDSFLOW_VAR_DIR=var_dir,
               PYTHONPATH=str(ROOT))
    return env


def _bin(name: str) -> str:
    local = Path(sys.executable).parent / name
    return str(local) if local.exists() else shutil.which(name) or name


def _manage(env, *args):
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, check=True)


def _stop(process):
    if process and process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as handle:
            return [int(p) for p in handle.read().split()]
    except OSError:
        return []


def _memory_mb(pid: int, key: str) -> float:
    """VmRSS (now) or VmHWM (peak since the process started) from /proc, in MB."""
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _wait_http(port: int, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn antwortet nicht")


# --- the population -------------------------------------------------------------------------------------

def _sessions(users) -> dict:
    """A logged-in session per user, written straight into the session store (no login requests)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from fonds.middleware import RENEWED_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore
    cookies = {}
    for key, user in users.items():
        session = store()  # as a login leaves it: in the cache and the database, just renewed
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session[RENEWED_KEY] = int(time.time())
        session.create()
        cookies[key] = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
    return cookies


def _population() -> dict:
    """Who asks for which page, picked from the seeded population."""
    from django.contrib.auth.models import User
    from django.db.models import Count, Q
    from viewflow.workflow.status import STATUS

    from bench.seed import AUTHORITY_NAME, RUSH_PREFIX
    from fonds.models import Application, Fund, Letter, Stage

    applicant = (User.objects.filter(username__startswith="app")
                 .annotate(n=Count("created_applications")).order_by("-n", "pk").first())
    advisor = (User.objects.filter(username__startswith="cm")
               .annotate(n=Count("task", filter=Q(task__status=STATUS.ASSIGNED))).order_by("-n", "pk").first())
    finance = User.objects.filter(username__startswith="fin").order_by("pk").first()
    own = list(Application.objects.filter(created_by=applicant).exclude(stage=Stage.DRAFT)
               .values_list("pk", flat=True)) or [0]
    dossiers = list(Application.objects.filter(stage__in=[Stage.IMPLEMENTATION, Stage.CLOSED, Stage.BOARD])
                    .order_by("pk").values_list("pk", flat=True)[:20]) or [0]
    fund = Fund.objects.filter(authority__name=AUTHORITY_NAME).order_by("pk").first()
    rush = list(Application.objects.filter(stage=Stage.DRAFT, created_by__username__startswith=RUSH_PREFIX)
                .values_list("pk", "created_by_id"))
    letters = list(Letter.objects.filter(status=Letter.Status.QUEUED, number__contains="/BENCH")
                   .order_by("pk").values_list("pk", flat=True))
    return {"applicant": applicant, "advisor": advisor, "finance": finance, "own": own, "dossiers": dossiers,
            "fund": fund, "rush": rush, "letters": letters, "floor_pk": own[0]}


# --- measurements ---------------------------------------------------------------------------------------

def measure_pages(port, people, cookies, *, concurrency, total, duration) -> dict:
    def requests_for(user_key, pattern):
        headers = {"Cookie": cookies[user_key]} if user_key else {}
        paths = []
        for n in range(20):
            paths.append(pattern.format(application=people["own"][n % len(people["own"])],
                                        dossier=people["dossiers"][n % len(people["dossiers"])],
                                        fund=people["fund"].pk))
        return [load.Request(path, headers=headers) for path in dict.fromkeys(paths)]

    floor_requests = [load.Request(f"/bench/floor/?pk={people['floor_pk']}",
                                   headers={"Cookie": cookies["applicant"]})]
    frame_requests = [load.Request(f"/bench/frame/?pk={people['floor_pk']}",
                                   headers={"Cookie": cookies["applicant"]})]
    results = {}
    log("  Boden …")
    results["floor"] = load.run(floor_requests, host=HOST, port=port, concurrency=concurrency, total=total,
                                duration=duration).summary()
    log("  Boden im Seitenrahmen …")
    results["frame"] = load.run(frame_requests, host=HOST, port=port, concurrency=concurrency, total=total,
                                duration=duration).summary()
    for name, user_key, pattern in PAGES:
        log(f"  {name} …")
        summary = load.run(requests_for(user_key, pattern), host=HOST, port=port, concurrency=concurrency,
                           total=total, duration=duration).summary()
        summary["path"] = pattern
        results[name] = summary
    return results


def measure_rush(port, people, gunicorn, *, window: float = 0.0) -> dict:
    """Every rush applicant submits the prepared draft at the same moment (or spread over `window` seconds)."""
    from django.contrib.auth.models import User
    from django.utils.crypto import get_random_string

    from fonds.models import Application, Stage

    users = User.objects.in_bulk([user_id for _pk, user_id in people["rush"]])
    cookies = _sessions({pk: users[user_id] for pk, user_id in people["rush"]})
    requests = []
    for pk, _user_id in people["rush"]:
        token = get_random_string(32)
        requests.append(load.Request(
            f"/antraege/{pk}/einreichen/", method="POST", ok=(302,), body=b"",
            headers={"Cookie": f"{cookies[pk]}; csrftoken={token}", "X-CSRFToken": token,
                     "Content-Type": "application/x-www-form-urlencoded", "Content-Length": "0"}))
    peak = {}
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            for pid in _children(gunicorn.pid):
                peak[pid] = max(peak.get(pid, 0.0), _memory_mb(pid, "VmRSS"))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    result = load.burst(requests, host=HOST, port=port, window=window)
    stop.set()
    sampler.join()
    summary = result.summary()
    submitted = Application.objects.filter(pk__in=[pk for pk, _ in people["rush"]]).exclude(stage=Stage.DRAFT).count()
    summary["applicants"] = len(requests)
    summary["window_s"] = window
    summary["submitted"] = submitted
    summary["errors"] = summary["errors"] + (len(requests) - submitted - summary["errors"] if submitted < len(
        requests) else 0)
    summary["gunicorn_peak_mb"] = round(max(peak.values(), default=0.0), 1)
    return summary


def measure_letter(letter_pks, runs: int) -> dict:
    """One Bescheid: bare WeasyPrint from its final HTML vs our whole pipeline (the render_letter task body:
    template, render, store, hash, the flow told). Interleaved, after one warm-up each."""
    import weasyprint

    from fonds.models import Letter
    from notifications.letters import ASSETS_DIR, render_letter_html
    from notifications.tasks import render_letter

    pks = list(letter_pks)
    if len(pks) < runs + 1:
        raise RuntimeError(f"Zu wenige Bescheide für die Messung ({len(pks)} < {runs + 1}).")
    html = render_letter_html(Letter.objects.get(pk=pks[0]))

    def bare():
        return weasyprint.HTML(string=html, base_url=str(ASSETS_DIR)).write_pdf(pdf_variant="pdf/ua-1")

    bare()
    render_letter.run(pks[0])
    bare_times, pipeline_times = [], []
    for pk in pks[1:runs + 1]:
        started = time.perf_counter()
        bare()
        bare_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        render_letter.run(pk)
        pipeline_times.append(time.perf_counter() - started)
    bare_ms, pipeline_ms = statistics.median(bare_times) * 1000, statistics.median(pipeline_times) * 1000
    return {"runs": runs, "bare_median_ms": round(bare_ms, 1), "pipeline_median_ms": round(pipeline_ms, 1),
            "ratio": round(pipeline_ms / bare_ms, 3)}


def measure_batch(env, letter_pks, *, workers: int = 2, timeout: float = 600) -> dict:
    """`len(letter_pks)` Bescheide through `workers` real Celery workers on Redis (letters queue)."""
    from celery.exceptions import AlwaysEagerIgnored

    from config.celery_app import app
    from fonds.models import Letter

    app.control.purge()
    processes, logs = [], []
    try:
        for n in range(workers):
            handle = tempfile.NamedTemporaryFile(prefix=f"bench-worker{n}-", suffix=".log", delete=False)
            logs.append(handle.name)
            processes.append(subprocess.Popen(
                [_bin("celery"), "-A", "config", "worker", "-Q", "letters", "--pool", "solo", "-c", "1",
                 "-n", f"bench{n}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "info"],
                env=env, cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT))
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if all("ready" in Path(name).read_text(errors="ignore") for name in logs):
                break
            if any(p.poll() is not None for p in processes):
                raise RuntimeError("Ein Celery-Worker ist beim Start beendet worden: " + Path(logs[0]).read_text())
            time.sleep(0.2)
        else:
            raise RuntimeError("Die Celery-Worker melden sich nicht bereit.")
        started = time.perf_counter()
        with warnings.catch_warnings():  # send_task always goes to the broker, also where tests run eagerly
            warnings.simplefilter("ignore", AlwaysEagerIgnored)
            for pk in letter_pks:
                app.send_task("notifications.tasks.render_letter", args=[pk], queue="letters")
        deadline = time.monotonic() + timeout
        while Letter.objects.filter(pk__in=letter_pks, status=Letter.Status.ISSUED).count() < len(letter_pks):
            if time.monotonic() > deadline:
                raise RuntimeError("Die Bescheide wurden nicht rechtzeitig erstellt.")
            time.sleep(0.1)
        wall = time.perf_counter() - started
        peaks = [round(_memory_mb(p.pid, "VmHWM"), 1) for p in processes]
    finally:
        for process in processes:
            _stop(process)
        for name in logs:
            Path(name).unlink(missing_ok=True)
    return {"letters": len(letter_pks), "workers": workers, "wall_s": round(wall, 2), "worker_peak_mb": peaks}


def queue_plan(database_url) -> dict:
    """EXPLAIN ANALYZE of the team queue's query: does it scan viewflow_task sequentially?"""
    from django.contrib.auth.models import User
    from django.db import connection

    from workflows import queues

    advisor = User.objects.filter(username__startswith="cm").order_by("pk").first()
    sql, params = queues.team_queue(user=advisor).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN ANALYZE {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    return {"seq_scan_viewflow_task": "Seq Scan on viewflow_task" in plan, "plan": plan}


# --- the table ------------------------------------------------------------------------------------------

def table(results: dict) -> list[dict]:
    rows = []
    floor = results["pages"]["floor"]
    rows.append({"figure": "Boden (bare view)", "median_ms": floor["median_ms"], "p95_ms": floor["p95_ms"],
                 "rps": floor["throughput_rps"], "queries": floor["queries"], "ratio": 1.0, "target": "—",
                 "met": None})
    frame = results["pages"].get("frame")
    if frame:  # a reference, no target: the same view inside the frame of every real page
        rows.append({"figure": "Boden im Seitenrahmen (leere Seite)", "median_ms": frame["median_ms"],
                     "p95_ms": frame["p95_ms"], "rps": frame["throughput_rps"], "queries": frame["queries"],
                     "ratio": round(frame["median_ms"] / floor["median_ms"], 2), "target": "—", "met": None})
    for name, _user, _path in PAGES:
        page = results["pages"][name]
        ratio = round(page["median_ms"] / floor["median_ms"], 2) if page["median_ms"] and floor["median_ms"] else None
        met = (ratio is not None and ratio <= TARGETS["page_ratio"] and page["errors"] == 0
               and (page["queries"] or 0) <= TARGETS["page_queries"])
        rows.append({"figure": name, "median_ms": page["median_ms"], "p95_ms": page["p95_ms"],
                     "rps": page["throughput_rps"], "queries": page["queries"], "ratio": ratio,
                     "target": f"≤ {TARGETS['page_ratio']}× Boden, ≤ {TARGETS['page_queries']} Abfragen",
                     "met": met, "errors": page["errors"]})
    rush = results["rush"]
    arrival = (f"in {rush['window_s']:g} s" if rush.get("window_s") else "gleichzeitig")
    rows.append({"figure": f"Fristansturm ({rush['applicants']} {arrival})", "median_ms": rush["median_ms"],
                 "p95_ms": rush["p95_ms"], "rps": rush["throughput_rps"], "queries": rush["queries"],
                 "ratio": None, "target": f"p95 < {TARGETS['rush_p95_ms']} ms, 0 Fehler",
                 "met": (rush["p95_ms"] or 1e9) < TARGETS["rush_p95_ms"] and rush["errors"] == 0,
                 "errors": rush["errors"]})
    rows.append({"figure": "gunicorn-Worker: Spitze RSS im Ansturm (MB)", "value": rush["gunicorn_peak_mb"],
                 "target": f"≤ {TARGETS['gunicorn_mb']} MB", "met": rush["gunicorn_peak_mb"] <= TARGETS["gunicorn_mb"]})
    letter = results["letter"]
    rows.append({"figure": "Bescheid: bare WeasyPrint (Median)", "median_ms": letter["bare_median_ms"], "ratio": 1.0,
                 "target": "—", "met": None})
    rows.append({"figure": "Bescheid: ganze Pipeline (Median)", "median_ms": letter["pipeline_median_ms"],
                 "ratio": letter["ratio"], "target": f"≤ {TARGETS['letter_ratio']}× bare",
                 "met": letter["ratio"] <= TARGETS["letter_ratio"]})
    batch = results["batch"]
    rows.append({"figure": f"{batch['letters']} Bescheide, {batch['workers']} Celery-Worker (s)",
                 "value": batch["wall_s"], "target": f"≤ {TARGETS['batch_seconds']} s",
                 "met": batch["wall_s"] <= TARGETS["batch_seconds"]})
    rows.append({"figure": "Celery-Worker: Spitze RSS (MB)", "value": max(batch["worker_peak_mb"]),
                 "target": f"≤ {TARGETS['celery_mb']} MB", "met": max(batch["worker_peak_mb"]) <= TARGETS["celery_mb"]})
    plan = results["queue_plan"]
    rows.append({"figure": "Team-Warteschlange: Seq Scan auf viewflow_task", "value": plan["seq_scan_viewflow_task"],
                 "target": "nein", "met": not plan["seq_scan_viewflow_task"]})
    return rows


def render_table(rows) -> str:
    def fmt(value):
        if value is None:
            return "–"
        if isinstance(value, bool):
            return "ja" if value else "nein"
        if isinstance(value, float):
            return f"{value:.2f}" if value < 100 else f"{value:.0f}"
        return str(value)

    head = ["Kennzahl", "Median ms", "p95 ms", "req/s", "Abfragen", "Wert", "× Boden", "Ziel", "erreicht"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows:
        lines.append("| " + " | ".join(fmt(v) for v in (
            row["figure"], row.get("median_ms"), row.get("p95_ms"), row.get("rps"), row.get("queries"),
            row.get("value"), row.get("ratio"), row["target"],
            None if row["met"] is None else ("✔" if row["met"] else "✘"))) + " |")
    return "\n".join(lines)


# --- main -----------------------------------------------------------------------------------------------

def _database_url(name: str) -> str:
    base = urlparse(os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"))
    return urlunparse(base._replace(path=f"/{name}"))


def _create_database(database_url: str):
    import psycopg

    name = urlparse(database_url).path.lstrip("/")
    admin = urlunparse(urlparse(database_url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def main(argv=None) -> dict:
    saved = dict(os.environ)
    try:
        return _main(argv)
    finally:  # the runner may be called from a test: leave its environment as it was
        os.environ.clear()
        os.environ.update(saved)


def _main(argv) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--database", default="ff_bench", help="name of the database (dropped and re-created)")
    parser.add_argument("--database-url", help="use this migrated database as it is (with --reuse)")
    parser.add_argument("--reuse", action="store_true", help="the database is seeded already: measure only")
    parser.add_argument("--no-seed", action="store_true", help="the population is there; do not create or seed")
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"))
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--requests", type=int, default=300, help="per page, at most")
    parser.add_argument("--duration", type=float, default=15.0, help="seconds per page, at most")
    parser.add_argument("--rush-window", type=float, default=0.0,
                        help="seconds over which the rush submissions start (0: all at the same moment)")
    parser.add_argument("--letter-runs", type=int, default=20)
    parser.add_argument("--batch", type=int, default=100, help="Bescheide through the Celery workers")
    parser.add_argument("--seed-args", default="", help="passed on to bench_seed, e.g. '--applications 5'")
    parser.add_argument("--out", default=str(RESULTS))
    args = parser.parse_args(argv)

    database_url = args.database_url or _database_url(args.database)
    var_dir = tempfile.mkdtemp(prefix="fondsflow-bench-")
    env = _env(database_url, args.redis_url, var_dir)
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND",
                                          "FONDSFLOW_VAR_DIR")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    results = {"started": datetime.now(UTC).isoformat(timespec="seconds"), "scale": args.scale,
               "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                           "loadavg_start": Path("/proc/loadavg").read_text().split()[:3]}}
    if not (args.reuse or args.no_seed):
        log(f"Datenbank {database_url} anlegen, migrieren, füllen (Maßstab {args.scale}) …")
        started = time.perf_counter()
        _create_database(database_url)
        _manage(env, "migrate", "--noinput", "-v0")
        _manage(env, "bench_seed", "--scale", str(args.scale), *args.seed_args.split())
        results["seed_s"] = round(time.perf_counter() - started, 1)

    import django

    django.setup()
    from django.db import connection
    from viewflow.workflow.models import Task

    from fonds.models import Application

    results["population"] = {"applications": Application.objects.count(), "tasks": Task.objects.count()}
    people = _population()
    cookies = _sessions({k: people[k] for k in ("applicant", "advisor", "finance")})
    connection.close()
    results["queue_plan"] = queue_plan(database_url)

    port = _free_port()
    gunicorn = subprocess.Popen(
        [_bin("gunicorn"), "config.wsgi:application", "--bind", f"{HOST}:{port}", "--workers", str(args.workers),
         "--worker-class", "gthread", "--threads", str(args.threads), "--backlog", "2048", "--log-level", "warning",
         "--keep-alive", "30"], env=env, cwd=ROOT)
    try:
        _wait_http(port)
        log("Seiten …")
        results["pages"] = measure_pages(port, people, cookies, concurrency=args.concurrency, total=args.requests,
                                         duration=args.duration)
        letters = people["letters"]
        log("Bescheid einzeln …")
        results["letter"] = measure_letter(letters, args.letter_runs)
        batch = letters[args.letter_runs + 1:][:args.batch]
        log(f"{len(batch)} Bescheide über Celery …")
        results["batch"] = measure_batch(env, batch)
        connection.close()
        log("Fristansturm …")
        results["rush"] = measure_rush(port, people, gunicorn, window=args.rush_window)
        results["gunicorn_peak_mb_hwm"] = [round(_memory_mb(pid, "VmHWM"), 1) for pid in _children(gunicorn.pid)]
    finally:
        from config.celery_app import app

        app.control.purge()  # the rush queued receipts; no worker is left to render them
        _stop(gunicorn)
        shutil.rmtree(var_dir, ignore_errors=True)
    results["machine"]["loadavg_end"] = Path("/proc/loadavg").read_text().split()[:3]
    results["table"] = table(results)
    text = render_table(results["table"])
    print(text, flush=True)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    name = out / f"bench-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    name.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str))
    log(f"Ergebnis: {name}")
    results["file"] = str(name)
    return results


if __name__ == "__main__":
    main()
