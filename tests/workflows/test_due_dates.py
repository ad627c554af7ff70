"""Every staff step has a due date; an overdue one is reminded once to whoever must act."""

from datetime import date, datetime, timedelta

import time_machine
from django.utils import timezone
from viewflow.workflow.status import STATUS

from fonds.dates import add_working_days
from notifications.models import Notification
from workflows.deadlines import due_on
from workflows.flows import GrantFlow
from workflows.tasks import send_task_reminders

from .driver import Driver


def at(day: date):
    return time_machine.travel(timezone.make_aware(datetime.combine(day, datetime.min.time()) + timedelta(hours=9)),
                               tick=False)


def test_the_eligibility_check_is_due_ten_working_days_after_submission_and_reminded_once(
        people, world, django_capture_on_commit_callbacks):
    drive = Driver(people, django_capture_on_commit_callbacks)
    with at(date(2026, 12, 17)):  # a Thursday before Christmas
        a = drive.apply(start="2027-03-01", end="2027-06-30")
    task = drive.task(a, GrantFlow.eligibility)
    assert due_on(task) == add_working_days(date(2026, 12, 17), 10) == date(2027, 1, 4)

    with at(date(2027, 1, 4)):  # due today: not overdue yet
        assert send_task_reminders() == 0
    with at(date(2027, 1, 5)):  # overdue: everyone who may take it hears, since nobody has
        assert send_task_reminders() == 3
        assert send_task_reminders() == 0
    reminders = Notification.objects.filter(event="task_overdue")
    assert {r.recipient.username for r in reminders} == {"carla", "clemens", "lena"}
    assert {r.context["due_date"] for r in reminders} == {"04.01.2027"}

    drive.eligible(a)  # done: the next step has its own due date, counted from today
    recommendation = drive.task(a, GrantFlow.recommendation)
    assert due_on(recommendation) == add_working_days(timezone.localdate(), 10)


def test_an_overdue_task_someone_holds_is_reminded_to_that_person_only(
        people, world, django_capture_on_commit_callbacks):
    drive = Driver(people, django_capture_on_commit_callbacks)
    a = drive.apply()
    drive.eligible(a)
    task = drive.task(a, GrantFlow.recommendation)
    drive.post("carla", GrantFlow.recommendation.reverse("assign", args=[task.process_id, task.pk]))
    task.refresh_from_db()
    assert task.status == STATUS.ASSIGNED
    with at(due_on(task) + timedelta(days=1)):
        assert send_task_reminders() == 1
    assert list(Notification.objects.filter(event="task_overdue").values_list("recipient__username", flat=True)) \
        == ["carla"]


def test_a_task_still_open_days_after_its_due_date_goes_to_the_team_lead_once(
        people, world, django_capture_on_commit_callbacks, settings):
    settings.FONDSFLOW_ESCALATE_AFTER_DAYS = 5
    drive = Driver(people, django_capture_on_commit_callbacks)
    a = drive.apply()
    drive.eligible(a)
    task = drive.task(a, GrantFlow.recommendation)
    drive.post("carla", GrantFlow.recommendation.reverse("assign", args=[task.process_id, task.pk]))
    due = due_on(task)
    with at(due + timedelta(days=1)):
        assert send_task_reminders() == 1  # carla, who holds it
    with at(due + timedelta(days=5)):  # five days late: not yet
        assert send_task_reminders() == 0
    with at(due + timedelta(days=6)):
        assert send_task_reminders() == 1
        assert send_task_reminders() == 0
    escalated = Notification.objects.get(key__contains=f"task{task.pk}:escalated")
    assert escalated.recipient == people["lena"] and escalated.event == "task_overdue"


def test_applicant_steps_are_not_staff_reminders(people, world, django_capture_on_commit_callbacks):
    drive = Driver(people, django_capture_on_commit_callbacks)
    a = drive.apply()
    drive.do("carla", a, GrantFlow.eligibility, {"outcome": "missing", "reasons": "Angebot fehlt",
                                                  "missing_items": "Angebot", "deadline": "2099-01-31"})
    with at(timezone.localdate() + timedelta(days=60)):
        assert send_task_reminders() == 0
