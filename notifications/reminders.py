"""Reminders that depend only on dates in the domain. Run daily from Celery beat; the notification key
carries the due date, so a reminder never goes out twice, whatever the run frequency."""

from datetime import date, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from fonds.formatting import date_de
from fonds.models import Application, Stage
from fonds.selectors.people import applicant_people

from .services import notify

SOON, LAST_WEEK = 28, 7  # days before the proof of use is due
EARMARKING_NOTICE = 90  # days before the earmarking period ends


def _notify_applicant(event, application, key, **context):
    return notify(event, recipients=applicant_people(application), application=application,
           key=f"app{application.pk}:{key}", context=context,
           link=reverse("portal:application", args=[application.pk]))


def use_report_reminders(today: date) -> int:
    sent = 0
    due = Application.objects.filter(stage=Stage.IMPLEMENTATION, use_report_due__isnull=False).select_related(
        "fund", "organisation")
    for application in due:
        days_left = (application.use_report_due - today).days
        when = application.use_report_due.isoformat()
        with transaction.atomic():
            if days_left < 0:
                sent += len(_notify_applicant("use_report_overdue", application, f"use_report_overdue:{when}",
                                              due_date=date_de(application.use_report_due)))
            elif days_left <= LAST_WEEK:
                sent += len(_notify_applicant("use_report_due_soon", application, f"use_report_due_1w:{when}",
                                              due_date=date_de(application.use_report_due), weeks="1"))
            elif days_left <= SOON:
                sent += len(_notify_applicant("use_report_due_soon", application, f"use_report_due_4w:{when}",
                                              due_date=date_de(application.use_report_due), weeks="4"))
    return sent


def earmarking_reminders(today: date) -> int:
    sent = 0
    ending = Application.objects.filter(stage=Stage.CLOSED, earmarked_until__gte=today,
                                        earmarked_until__lte=today + timedelta(days=EARMARKING_NOTICE))
    for application in ending.select_related("fund", "organisation"):
        with transaction.atomic():
            sent += len(_notify_applicant("earmarking_ends", application,
                                          f"earmarking_ends:{application.earmarked_until.isoformat()}",
                                          end_date=date_de(application.earmarked_until)))
    return sent


def send_reminders(today: date | None = None) -> int:
    today = today or timezone.localdate()
    return use_report_reminders(today) + earmarking_reminders(today)
