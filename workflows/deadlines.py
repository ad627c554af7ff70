"""How long each staff step may take, in working days of the authority's Land, and when it is due."""

from datetime import date

from django.conf import settings
from django.utils import timezone

from fonds.dates import add_working_days

DEFAULT_STEP_WORKING_DAYS = {
    "eligibility": 10, "recommendation": 10, "recommendation_confirm": 3, "board": 40, "bescheid_draft": 5,
    "bescheid_issue": 3,
    "payment_order": 5, "payment_release": 3, "use_report_check": 10, "settlement": 10,
}


def step_working_days(step: str) -> int:
    return {**DEFAULT_STEP_WORKING_DAYS, **settings.FONDSFLOW_STEP_WORKING_DAYS}[step]


def due_on(task) -> date | None:
    value = (task.data or {}).get("due_on")
    return date.fromisoformat(value) if value else None


def set_due_date(activation) -> None:
    """Called by viewflow when a staff task is created."""
    task = activation.task
    authority = activation.process.artifact.fund.authority
    created = timezone.localtime(task.created).date()
    task.data = {**(task.data or {}),
                 "due_on": add_working_days(created, step_working_days(task.flow_task.name), authority.state)
                 .isoformat()}
    task.save(update_fields=["data"])
