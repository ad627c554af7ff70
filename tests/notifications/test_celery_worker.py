"""A real Celery worker on Redis renders the letter outside the web request and moves the flow on."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from viewflow.workflow.status import STATUS

from config.celery_app import app
from fonds.models import Letter, Stage
from workflows import demo, services
from workflows.flows import GrantFlow
from workflows.models import GrantProcess


@pytest.fixture
def celery_worker(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=10) as worker:
        yield worker
    app.conf.task_always_eager = True


def wait_for(predicate, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_renders_the_receipt_and_completes_the_waiting_flow_step(world, celery_worker):
    alice = world["users"]["alice"]
    application = demo.draft(world, world["dia"], alice, "Blumenampeln Lippestraße", [("Ampeln", "2000", "2380")])
    services.submit_and_start(actor=alice, application=application)

    # Right after the commit the letter is only queued: nothing was rendered in this thread.
    letter = application.letters.get(kind=Letter.Kind.RECEIPT)
    process = GrantProcess.for_application(application)
    assert letter.status == Letter.Status.QUEUED and not letter.pdf

    assert wait_for(lambda: process.task_set.filter(flow_task=GrantFlow.eligibility, status=STATUS.NEW).exists())
    letter.refresh_from_db()
    assert letter.status == Letter.Status.ISSUED and len(letter.sha256) == 64
    with letter.pdf.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert process.task_set.get(flow_task=GrantFlow.receipt_stored).status == STATUS.DONE
    application.refresh_from_db()
    assert application.stage == Stage.ELIGIBILITY


@pytest.mark.django_db(transaction=True)
def test_a_redelivered_render_message_changes_neither_the_pdf_nor_the_flow(world, celery_worker):
    alice = world["users"]["alice"]
    application = demo.draft(world, world["dia"], alice, "Marktstände", [("Stände", "2000", "2380")])
    services.submit_and_start(actor=alice, application=application)
    letter = application.letters.get(kind=Letter.Kind.RECEIPT)
    assert wait_for(lambda: Letter.objects.get(pk=letter.pk).status == Letter.Status.ISSUED)
    first = Letter.objects.get(pk=letter.pk)

    from notifications.tasks import render_letter

    assert render_letter.delay(letter.pk).get(timeout=30) == first.sha256
    again = Letter.objects.get(pk=letter.pk)
    assert (again.pdf.name, again.sha256) == (first.pdf.name, first.sha256)
    process = GrantProcess.for_application(application)
    assert process.task_set.filter(flow_task=GrantFlow.eligibility).count() == 1
