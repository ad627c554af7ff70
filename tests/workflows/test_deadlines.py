"""A Nachforderung's deadline moves the flow: fired by our beat task through viewflow's timers."""

from datetime import datetime, timedelta

import time_machine
from django.utils import timezone
from viewflow.workflow.status import STATUS

from fonds.models import Stage
from notifications.models import Notification
from workflows.flows import GrantFlow
from workflows.models import GrantProcess
from workflows.tasks import fire_due_timers

from .driver import Driver


def test_an_unanswered_nachforderung_returns_to_the_citymanagement_after_its_deadline(
        people, world, django_capture_on_commit_callbacks):
    drive = Driver(people, django_capture_on_commit_callbacks)
    a = drive.apply()
    deadline = timezone.localdate() + timedelta(days=14)
    drive.do("carla", a, GrantFlow.eligibility, {"outcome": "missing", "reasons": "Angebot fehlt",
                                                  "missing_items": "Zweites Angebot", "deadline": deadline})
    process = GrantProcess.for_application(a)

    with time_machine.travel(timezone.make_aware(datetime.combine(deadline, datetime.max.time())), tick=False):
        fire_due_timers()  # the last day still belongs to the applicant
    assert process.task_set.get(flow_task=GrantFlow.answer_documents).status == STATUS.ASSIGNED

    with time_machine.travel(timezone.make_aware(datetime.combine(deadline + timedelta(days=1), datetime.min.time()))
                             + timedelta(minutes=1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            fire_due_timers()
    assert process.task_set.get(flow_task=GrantFlow.answer_documents).status == STATUS.CANCELED
    assert process.task_set.filter(flow_task=GrantFlow.eligibility, status=STATUS.NEW).exists()
    a.refresh_from_db()
    assert a.stage == Stage.ELIGIBILITY
    overdue = Notification.objects.get(event="task_overdue")
    assert overdue.recipient == people["carla"] and overdue.context["due_date"] == deadline.strftime("%d.%m.%Y")

    # Carla decides again: here she rejects for want of the documents.
    drive.do("carla", a, GrantFlow.eligibility, {
        "outcome": "not_eligible", "reasons": "Das zweite Angebot wurde nicht nachgereicht.",
        **drive.answers(a, unmet={"quotes": "Das zweite Angebot wurde nicht nachgereicht."})})
    assert a.stage == Stage.REJECTED


def test_an_answer_in_time_disarms_the_deadline(people, world, django_capture_on_commit_callbacks):
    drive = Driver(people, django_capture_on_commit_callbacks)
    a = drive.apply()
    deadline = timezone.localdate() + timedelta(days=14)
    drive.do("carla", a, GrantFlow.eligibility, {"outcome": "missing", "reasons": "Angebot fehlt",
                                                  "missing_items": "Zweites Angebot", "deadline": deadline})
    drive.post("alice", f"/antraege/{a.pk}/nachreichen/", {"answer": "Liegt bei."})
    with time_machine.travel(timezone.now() + timedelta(days=30), tick=False):
        fire_due_timers()
    process = GrantProcess.for_application(a)
    assert process.task_set.filter(flow_task=GrantFlow.eligibility, status=STATUS.NEW).count() == 1
    assert not Notification.objects.filter(event="task_overdue").exists()
