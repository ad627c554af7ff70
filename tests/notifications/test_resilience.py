"""Delivery guarantees against a real Redis and real worker processes: a broker that is down when the change
commits, and a worker killed in the middle of sending an e-mail or storing a letter.

Every Redis here is our own `redis-server` on a free port (the machine's Redis is never touched). Workers are
`celery -A config worker` subprocesses with tests/support/worker_settings.py: they share the test database and
media directory, write mails to files (tests/support/slow_mail.py) and can be slowed down inside `send` or
inside storing a PDF, so that the test can SIGKILL them at exactly that point.
"""

import contextlib
import email
import hashlib
import os
import signal
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.db import DatabaseError, transaction
from django.test import override_settings
from django.utils import timezone
from kombu import pools
from kombu.utils.collections import eqhash
from viewflow.workflow.status import STATUS

from config.celery_app import app
from fonds.models import Letter
from notifications.models import Notification
from notifications.tasks import requeue_notifications, requeue_unrendered_letters
from workflows import demo, services, steps
from workflows.flows import GrantFlow
from workflows.models import GrantProcess

ROOT = Path(__file__).resolve().parent.parent.parent
VISIBILITY_TIMEOUT = 5  # seconds until Redis hands the message of a killed worker to the next one
WAIT = 60  # upper bound of every wait


def wait_for(predicate, what, seconds=WAIT, on_timeout=None):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    details = on_timeout() if on_timeout else ""
    pytest.fail(f"timed out after {seconds} s waiting for {what}\n{details}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- our own Redis ------------------------------------------------------------------------------


class RedisServer:
    """A throw-away redis-server on a fixed port that can be stopped and started again (empty: no persistence)."""

    def __init__(self, port: int, directory: Path):
        self.port, self.directory, self.process = port, directory, None
        self.url = f"redis://127.0.0.1:{port}/0"
        self._client = redis.Redis(host="127.0.0.1", port=port, db=0, socket_timeout=5)

    def start(self):
        assert self.process is None
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.directory)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = self.client()

        def up():
            try:
                return client.ping()
            except redis.ConnectionError:
                assert self.process.poll() is None, "redis-server exited"
                return False

        wait_for(up, f"redis-server on port {self.port}", seconds=15)

    def stop(self):
        self._client.connection_pool.disconnect()
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None

    def client(self) -> redis.Redis:
        return self._client

    def drained(self) -> bool:
        """No message waits in a queue, none is held unacknowledged by a worker (alive or dead)."""
        client = self.client()
        waiting = sum(client.llen(key) for key in client.keys("*") if client.type(key) == b"list")
        return waiting == 0 and client.hlen("unacked") == 0


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(free_port(), tmp_path)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def broker(redis_server, monkeypatch):
    """This test process publishes to our Redis (up or down) instead of the machine's, with eager mode off.

    Celery keeps its broker connections in kombu's process-wide pools, one per URL, and caches the pools of the
    URL it saw first. We only drop those references (closing the pools would break every later test: even eager
    mode acquires a producer), and at the end close and forget just the pools of our own URL."""

    def forget_cached_pools():
        app._pool = None
        app.amqp._producer_pool = None

    eager = app.conf.task_always_eager
    # The environment variable wins over the settings in Celery's conf.broker_url.
    monkeypatch.setenv("CELERY_BROKER_URL", redis_server.url)
    with override_settings(CELERY_BROKER_URL=redis_server.url, CELERY_TASK_ALWAYS_EAGER=False):
        app.conf.task_always_eager = False
        forget_cached_pools()
        ours = None
        try:
            with app.connection_for_write() as connection:
                assert connection.port == redis_server.port
                ours = eqhash(connection)
            yield redis_server
        finally:
            app.conf.task_always_eager = eager
            for group in (pools.producers, pools.connections):
                pool = group.pop(ours, None) if ours is not None else None
                if pool is not None:
                    pool.force_close_all()
            forget_cached_pools()
    monkeypatch.delenv("CELERY_BROKER_URL")


# --- worker processes ---------------------------------------------------------------------------


class Workers:
    """Starts `celery worker` processes against our Redis, the test database and media directory; every process
    is killed at the end of the test, before the database is flushed."""

    def __init__(self, redis_server: RedisServer, directory: Path):
        self.redis_server, self.directory = redis_server, directory
        self.mail_dir, self.marker_dir = directory / "mails", directory / "markers"
        self.mail_dir.mkdir()
        self.marker_dir.mkdir()
        self.processes = []

    def environment(self, **extra) -> dict:
        db = settings.DATABASES["default"]
        credentials = quote(db["USER"], safe="") + (f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else "")
        env = {key: value for key, value in os.environ.items() if not key.startswith(("CELERY_", "FONDSFLOW_TEST_"))}
        env.update({
            "DJANGO_SETTINGS_MODULE": "tests.support.worker_settings",
            "PYTHONPATH": str(ROOT),
            # The database pytest-django created for this run, not the one DATABASE_URL names.
            "DATABASE_URL": f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
            "REDIS_URL": self.redis_server.url,
            "CELERY_BROKER_URL": self.redis_server.url,
            "CELERY_RESULT_BACKEND": f"redis://127.0.0.1:{self.redis_server.port}/1",
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
            "FONDSFLOW_VAR_DIR": str(settings.VAR_DIR),
            "FONDSFLOW_TEST_MAIL_DIR": str(self.mail_dir),
            "FONDSFLOW_TEST_MARKER_DIR": str(self.marker_dir),
            "LOG_LEVEL": "INFO",
        })
        env.update({key: str(value) for key, value in extra.items()})
        return env

    def start(self, **extra_env) -> "Worker":
        number = len(self.processes) + 1
        log = self.directory / f"worker{number}.log"
        with open(log, "wb") as out:
            process = subprocess.Popen(
                # Prefork as in production: the task runs in a child while the parent talks to the broker
                # (with the solo pool even a task without acks_late is only acknowledged after it ran).
                [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", "celery,letters",
                 "--pool", "prefork", "--concurrency", "1", "--loglevel", "INFO",
                 "--hostname", f"resilience{number}@%h", "--without-gossip", "--without-mingle",
                 "--without-heartbeat"],
                cwd=ROOT, env=self.environment(**extra_env), stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True)
        worker = Worker(process, log)
        self.processes.append(worker)
        wait_for(lambda: worker.alive() and " ready." in worker.output(), f"worker {number} to be ready",
                 on_timeout=worker.output)
        return worker

    def stop_all(self):
        for worker in self.processes:
            worker.kill()

    def markers(self, prefix: str) -> list[Path]:
        return sorted(self.marker_dir.glob(f"{prefix}-*"))

    def mails_with(self, message_id: str) -> list[email.message.Message]:
        found = []
        for path in sorted(self.mail_dir.glob("*.eml")):
            message = email.message_from_bytes(path.read_bytes().rsplit(b"-" * 79, 1)[0])
            if message["Message-ID"] == message_id:
                found.append(message)
        return found

    def mail_count(self) -> int:
        return len(list(self.mail_dir.glob("*.eml")))


class Worker:
    def __init__(self, process: subprocess.Popen, log: Path):
        self.process, self.log = process, log

    def alive(self) -> bool:
        return self.process.poll() is None

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def kill(self):
        """SIGKILL to the worker and its pool child at once, as when the machine or container dies: no warm
        shutdown, no acknowledgement, no rejection; their database connections just drop."""
        with contextlib.suppress(ProcessLookupError):  # already gone
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self):
        """Warm shutdown (what a deploy does)."""
        if self.alive():
            self.process.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):  # the kill below finishes it
                self.process.wait(timeout=15)
        self.kill()  # whatever is left of the group

    def results(self, task: str) -> list[str]:
        """What the task returned, one entry per successful run in this worker."""
        return [line.rsplit(": ", 1)[1].strip() for line in self.output().splitlines()
                if f"{task}[" in line and " succeeded in " in line]


@pytest.fixture
def workers(transactional_db, broker, tmp_path):
    # Requesting transactional_db first makes this teardown run before the tables are flushed.
    pool = Workers(broker, tmp_path)
    try:
        yield pool
    finally:
        pool.stop_all()


# --- helpers ------------------------------------------------------------------------------------


def submit(world, title):
    alice = world["users"]["alice"]
    application = demo.draft(world, world["dia"], alice, title, [("Ampeln", "2000", "2380")])
    started = time.monotonic()
    services.submit_and_start(actor=alice, application=application)
    application.refresh_from_db()
    return application, time.monotonic() - started


def notification_of(application, event) -> Notification | None:
    return Notification.objects.filter(application=application, event=event,
                                       recipient__username="alice").first()


def is_sent(application, event) -> bool:
    notification = notification_of(application, event)
    return notification is not None and notification.email_status == Notification.EmailStatus.SENT


def age(queryset, field, minutes):
    queryset.update(**{field: timezone.now() - timedelta(minutes=minutes)})


def unlocked(queryset) -> bool:
    """No transaction (e.g. the one of a killed worker) holds these rows any more."""
    try:
        with transaction.atomic():
            list(queryset.select_for_update(nowait=True))
    except DatabaseError:
        return False
    return True


def wait_until_visible_again(marker: Path):
    """The killed worker received its message before it dropped the marker; once the visibility timeout has
    passed, the next worker restores the message when it starts."""
    remaining = marker.stat().st_mtime + VISIBILITY_TIMEOUT + 0.5 - time.time()
    if remaining > 0:
        time.sleep(remaining)


def pdf_files(application) -> list[Path]:
    return sorted((Path(settings.MEDIA_ROOT) / "letters" / str(application.pk)).glob("*.pdf"))


# --- 1. broker down when the change commits -----------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_submission_while_redis_is_down_commits_and_everything_is_delivered_once_when_it_is_back(
        world, broker, workers):
    # Nothing listens on the broker's port: every publish fails.
    with pytest.raises(redis.ConnectionError):
        broker.client().ping()

    application, took = submit(world, "Blumenampeln Lippestraße")

    # The request neither failed nor hung, and everything it did is committed.
    assert took < 10
    assert application.file_number
    letter = application.letters.get(kind=Letter.Kind.RECEIPT)
    assert letter.status == Letter.Status.QUEUED and not letter.pdf
    process = GrantProcess.for_application(application)
    assert process.task_set.get(flow_task=GrantFlow.receipt_stored).status == STATUS.NEW
    assert notification_of(application, "application_submitted") is None

    # Redis is back, and a worker runs: the message of the commit is lost, so nothing happens by itself.
    broker.start()
    worker = workers.start()
    assert broker.drained()
    time.sleep(1)
    assert Letter.objects.get(pk=letter.pk).status == Letter.Status.QUEUED

    # The periodic task finds the letter once it waited long enough; the worker renders it, the flow moves
    # on and the notification it writes is delivered.
    assert requeue_unrendered_letters.apply().get() == 0  # too young: its message may still be on its way
    age(Letter.objects.filter(pk=letter.pk), "issued_at", 10)
    assert requeue_unrendered_letters.apply().get() == 1
    wait_for(lambda: is_sent(application, "application_submitted") and broker.drained(),
             "the receipt and its e-mail", on_timeout=worker.output)
    letter.refresh_from_db()
    assert letter.status == Letter.Status.ISSUED
    assert process.task_set.get(flow_task=GrantFlow.receipt_stored).status == STATUS.DONE
    submitted = notification_of(application, "application_submitted")
    assert len(workers.mails_with(submitted.message_id)) == 1
    assert workers.mails_with(submitted.message_id)[0]["To"] == "alice@dia-dorsten.example"

    # Again, now for a notification written while the broker is down: the next step commits with its outbox row.
    worker.stop()
    broker.stop()
    carla = world["users"]["carla"]
    started = time.monotonic()
    demo.staff(carla, application, GrantFlow.eligibility, steps.check_eligibility, outcome="eligible",
               reasons="Im Fördergebiet, nicht begonnen, Eigenanteil gesichert.")
    assert time.monotonic() - started < 10
    checked = notification_of(application, "check_finished")
    assert checked is not None and checked.email_status == Notification.EmailStatus.PENDING
    assert workers.mails_with(checked.message_id) == []

    broker.start()  # an empty Redis: the message of the commit never reached it
    worker = workers.start()
    time.sleep(1)
    assert notification_of(application, "check_finished").email_status == Notification.EmailStatus.PENDING

    # The outbox requeue delivers it, once it waited long enough; a second run finds nothing to do.
    assert requeue_notifications.apply().get() == 0
    age(Notification.objects.filter(pk=checked.pk), "created_at", 3)
    assert requeue_notifications.apply().get() == 1
    wait_for(lambda: is_sent(application, "check_finished") and broker.drained(), "the outbox e-mail",
             on_timeout=worker.output)
    assert requeue_notifications.apply().get() == 0
    assert requeue_unrendered_letters.apply().get() == 0
    wait_for(broker.drained, "an empty queue")
    assert len(workers.mails_with(checked.message_id)) == 1
    assert len(workers.mails_with(submitted.message_id)) == 1
    assert workers.mail_count() == 2


# --- 2. a worker killed in the middle of a task -------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("pause, mails_before_restart", [("before", 0), ("after", 1)],
                         ids=["killed-before-the-mail-left", "killed-after-the-mail-left-before-the-commit"])
def test_a_worker_killed_while_sending_leaves_the_notification_to_the_next_one_with_at_most_one_duplicate(
        world, broker, workers, pause, mails_before_restart):
    broker.start()
    first = workers.start(FONDSFLOW_TEST_MAIL_DELAY=WAIT, FONDSFLOW_TEST_MAIL_PAUSE=pause)
    application, _ = submit(world, "Marktstände")

    # The worker renders the receipt, the flow notifies alice, the worker starts sending: kill it right there.
    wait_for(lambda: workers.markers("sending"), "the worker to be inside send()", on_timeout=first.output)
    first.kill()
    marker = workers.markers("sending")[0]
    notification = notification_of(application, "application_submitted")
    wait_for(lambda: unlocked(Notification.objects.filter(pk=notification.pk)), "the row lock to go")
    assert marker.read_text() == notification.message_id
    # Its transaction died with it: the row is as before the attempt.
    assert notification.email_status == Notification.EmailStatus.PENDING and notification.attempts == 0
    assert len(workers.mails_with(notification.message_id)) == mails_before_restart

    # Both ways back: the periodic requeue queues it again, and Redis hands the unacknowledged message of the
    # dead worker to the next one. The restarted worker thus gets the notification twice.
    age(Notification.objects.filter(pk=notification.pk), "created_at", 3)
    assert requeue_notifications.apply().get() == 1
    wait_until_visible_again(marker)
    second = workers.start()
    wait_for(lambda: is_sent(application, "application_submitted") and broker.drained(),
             "the notification to be sent", on_timeout=second.output)

    mails = workers.mails_with(notification.message_id)
    assert 1 <= len(mails) <= 2
    # The only duplicate is the mail of the killed attempt, recognisable by the same Message-ID.
    assert len(mails) == mails_before_restart + 1
    assert workers.mail_count() == len(mails)
    # The restarted worker ran the delivery twice (redelivered and requeued) and sent only once.
    assert sorted(second.results("deliver_notification")) == ["'nothing to do'", "'sent'"]
    notification.refresh_from_db()
    assert notification.attempts == 1 and notification.sent_at is not None


@pytest.mark.django_db(transaction=True)
# "after": the file was written but the transaction died; the next attempt replaces the orphan under its name.
@pytest.mark.parametrize("pause", ["before", "after"],
                         ids=["killed-before-the-file-was-written", "killed-after-the-file-was-written"])
def test_a_worker_killed_while_storing_a_letter_leaves_exactly_one_letter_and_one_step(
        world, broker, workers, pause):
    broker.start()
    first = workers.start(FONDSFLOW_TEST_STORAGE_DELAY=WAIT, FONDSFLOW_TEST_STORAGE_PAUSE=pause)
    application, _ = submit(world, "Tastmodell der Altstadt")
    letter = application.letters.get(kind=Letter.Kind.RECEIPT)
    process = GrantProcess.for_application(application)
    path = f"letters/{application.pk}/{letter.number.replace('/', '-')}.pdf"

    # The PDF is rendered; the worker has locked the letter row and is storing the file: kill it.
    wait_for(lambda: workers.markers("storing"), "the worker to store the PDF", on_timeout=first.output)
    first.kill()
    marker = workers.markers("storing")[0]
    assert marker.read_text() == path
    wait_for(lambda: unlocked(Letter.objects.filter(pk=letter.pk)), "the row lock to go")
    # Its transaction died with it: the letter still waits, the flow too.
    letter.refresh_from_db()
    assert letter.status == Letter.Status.QUEUED and not letter.pdf and not letter.sha256
    assert pdf_files(application) == ([] if pause == "before" else [Path(settings.MEDIA_ROOT) / path])
    assert process.task_set.get(flow_task=GrantFlow.receipt_stored).status == STATUS.NEW
    assert notification_of(application, "application_submitted") is None

    # Both ways back again: the periodic task and the redelivered message.
    age(Letter.objects.filter(pk=letter.pk), "issued_at", 10)
    assert requeue_unrendered_letters.apply().get() == 1
    wait_until_visible_again(marker)
    second = workers.start()
    wait_for(lambda: is_sent(application, "application_submitted") and broker.drained(),
             "the letter and its notification", on_timeout=second.output)

    # One letter, stored once, with the hash of the file it refers to; the flow step done once.
    letter.refresh_from_db()
    assert letter.status == Letter.Status.ISSUED
    assert application.letters.filter(kind=Letter.Kind.RECEIPT).count() == 1
    stored = Path(settings.MEDIA_ROOT) / letter.pdf.name
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == letter.sha256
    handles = process.task_set.filter(flow_task=GrantFlow.receipt_stored)
    assert [task.status for task in handles] == [STATUS.DONE]
    assert process.task_set.filter(flow_task=GrantFlow.eligibility).count() == 1
    # The restarted worker ran the letter task twice; the second run found it stored and changed nothing.
    assert second.results("render_letter") == [repr(letter.sha256)] * 2
    submitted = notification_of(application, "application_submitted")
    assert len(workers.mails_with(submitted.message_id)) == 1
    assert workers.mail_count() == 1
    # And exactly one PDF file for it.
    assert pdf_files(application) == [stored]
