"""The benchmark harness at a tiny scale: the seeding command, and the whole run (gunicorn, load loop, letters,
two Celery workers, the rush) end to end. A smoke test of the harness, not a timing assertion."""

import json
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import STATUS

from bench import run
from bench.seed import RUSH_PREFIX
from fonds.models import Application, Document, Letter, Stage
from fonds.services.applications import submission_problems
from workflows import services
from workflows.models import GrantProcess

OPEN = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)
TINY = ["--applications", "30", "--tasks", "300", "--documents", "40", "--users", "14", "--rush", "2",
        "--letters", "5"]


def _seed():
    call_command("bench_seed", *TINY, stdout=open("/dev/null", "w"))


def test_the_seeding_command_fills_every_table_consistently(db):
    _seed()
    applications = Application.objects.all()
    assert applications.count() == 30
    assert User.objects.count() == 14
    assert Document.objects.count() == 40
    assert Task.objects.count() >= 300
    submitted = applications.exclude(stage=Stage.DRAFT)
    assert len({a.stage for a in submitted}) >= 5
    # one process per submitted application; a running process waits in exactly one open task
    assert Process.objects.count() == submitted.count()
    for process in GrantProcess.objects.filter(status="NEW"):
        assert process.task_set.filter(status__in=OPEN).count() == 1
    assert Letter.objects.filter(status=Letter.Status.QUEUED, number__contains="/BENCH").count() == 5
    # the rush drafts are complete: the real submission accepts them
    rush = list(applications.filter(created_by__username__startswith=RUSH_PREFIX, stage=Stage.DRAFT))
    assert len(rush) == 2
    for draft in rush:
        assert submission_problems(draft, draft.round.current_rules) == {}
    services.submit_and_start(actor=rush[0].created_by, application=rush[0])
    rush[0].refresh_from_db()
    assert rush[0].stage == Stage.ELIGIBILITY and rush[0].file_number
    with pytest.raises(Exception, match="bereits"):
        call_command("bench_seed", *TINY, stdout=open("/dev/null", "w"))


@pytest.mark.django_db(transaction=True)
def test_the_benchmark_runs_end_to_end_at_a_tiny_scale(tmp_path):
    _seed()
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    database_url = f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    started = time.monotonic()
    results = run.main(["--no-seed", "--database-url", database_url, "--redis-url", settings.REDIS_URL,
                        "--requests", "6", "--duration", "3", "--concurrency", "2", "--letter-runs", "1",
                        "--batch", "2", "--out", str(tmp_path)])
    elapsed = time.monotonic() - started
    saved = json.loads(Path(results["file"]).read_text())
    figures = [row["figure"] for row in saved["table"]]
    assert "Boden (bare view)" in figures and len(figures) == len(run.PAGES) + 9
    assert "Boden im Seitenrahmen (leere Seite)" in figures
    assert saved["pages"]["frame"]["errors"] == 0 and saved["pages"]["frame"]["requests"] >= 1
    for name, _user, _path in run.PAGES:
        page = saved["pages"][name]
        assert page["requests"] >= 1 and page["errors"] == 0, name
        assert page["queries"] >= 1
    assert saved["rush"]["submitted"] == saved["rush"]["applicants"] == 2
    assert saved["rush"]["errors"] == 0
    assert saved["batch"]["letters"] == 2 and len(saved["batch"]["worker_peak_mb"]) == 2
    assert saved["letter"]["bare_median_ms"] > 0 and saved["letter"]["pipeline_median_ms"] > 0
    assert "loadavg_start" in saved["machine"]
    assert Letter.objects.filter(number__contains="/BENCH", status=Letter.Status.ISSUED).count() == 4
    # Not a timing assertion: only a guard against a hanging harness. On a quiet 2-core machine the run takes
    # well under a minute; on a machine shared with other test runs it may take two.
    assert elapsed < 300, elapsed
