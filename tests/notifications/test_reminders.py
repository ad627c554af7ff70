"""Reminders fire on the right day — across weekends, month and year ends — and never twice."""

from datetime import date, timedelta

import time_machine
from django.db import transaction
from django.utils import timezone

from fonds.models import Application, Stage
from notifications.models import Notification
from notifications.reminders import send_reminders
from workflows.tasks import send_weekly_digest


def make_application(world, **fields):
    return Application.objects.create(
        fund=world["round"].fund, round=world["round"], organisation=world["dia"],
        created_by=world["users"]["alice"], title="Brunnen", description="x", location="Markt",
        planned_start=date(2026, 1, 1), planned_end=date(2026, 6, 30), file_number=f"AF-2026-{fields.pop('n'):04d}",
        privacy_acknowledged_at=timezone.now(), truth_declared_at=timezone.now(),
        **fields)


def run_daily(first: date, last: date) -> dict:
    """Run the daily beat job on every calendar day (weekends included) and note what went out when."""
    fired = {}
    day = first
    while day <= last:
        with time_machine.travel(day, tick=False), transaction.atomic():
            before = set(Notification.objects.values_list("pk", flat=True))
            send_reminders()
            for n in Notification.objects.exclude(pk__in=before):
                fired.setdefault(day, []).append((n.event, n.context.get("weeks")))
        day += timedelta(days=1)
    return fired


def test_proof_of_use_reminders_come_four_weeks_and_one_week_before_and_when_overdue_over_new_year(world):
    # Due on Sunday, 3 January 2027.
    make_application(world, n=1, stage=Stage.IMPLEMENTATION, approved_grant=1000, use_report_due=date(2027, 1, 3))
    fired = run_daily(date(2026, 11, 20), date(2027, 1, 20))
    assert fired == {
        date(2026, 12, 6): [("use_report_due_soon", "4")],   # 28 days before, a Sunday
        date(2026, 12, 27): [("use_report_due_soon", "1")],  # 7 days before
        date(2027, 1, 4): [("use_report_overdue", None)],    # the day after, in the new year
    }


def test_a_reminder_is_not_sent_twice_even_if_the_job_runs_twice_a_day(world):
    make_application(world, n=2, stage=Stage.IMPLEMENTATION, approved_grant=1000, use_report_due=date(2027, 2, 28))
    with time_machine.travel(date(2027, 1, 31), tick=False):  # month end, exactly 28 days before
        with transaction.atomic():
            assert send_reminders() == 1
        with transaction.atomic():
            assert send_reminders() == 0
    assert Notification.objects.count() == 1


def test_nothing_is_reminded_once_the_proof_of_use_is_in(world):
    make_application(world, n=3, stage=Stage.USE_REPORT_CHECK, approved_grant=1000, use_report_due=date(2027, 1, 3))
    assert run_daily(date(2026, 12, 1), date(2027, 1, 10)) == {}


def test_the_end_of_the_earmarking_period_is_announced_ninety_days_ahead_once(world):
    make_application(world, n=4, stage=Stage.CLOSED, approved_grant=1000, final_grant=1000,
                     earmarked_until=date(2036, 3, 31))
    fired = run_daily(date(2035, 12, 30), date(2036, 1, 5))
    assert fired == {date(2036, 1, 1): [("earmarking_ends", None)]}


def test_the_weekly_digest_goes_to_the_citymanagement_once_a_week(world, people):
    citymanagement = {"carla", "clemens", "lena"}  # the team lead is Citymanagement too
    with time_machine.travel(date(2026, 11, 30), tick=False):  # a Monday
        assert send_weekly_digest() == 3
        assert send_weekly_digest() == 0
    with time_machine.travel(date(2026, 12, 7), tick=False):
        assert send_weekly_digest() == 3
    digests = Notification.objects.filter(event="weekly_digest")
    assert digests.count() == 6 and {n.recipient.username for n in digests} == citymanagement
