from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from viewflow.workflow import timers
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from fonds.models import Application, Authority
from fonds.selectors.people import staff_with_permission
from notifications.services import notify


@shared_task
def fire_due_timers() -> int:
    """Celery beat fires viewflow's database timers (deadlines that move a flow)."""
    return timers.fire_due_timers()


def waiting_tasks(authority) -> list[dict]:
    """Open staff tasks of the authority's applications, counted per step."""
    application_ids = Application.objects.filter(fund__authority=authority).values("pk")
    rows = (Task.objects.filter(status__in=[STATUS.NEW, STATUS.ASSIGNED], flow_task_type="HUMAN",
                                process__artifact_content_type=ContentType.objects.get_for_model(Application),
                                process__artifact_object_id__in=application_ids)
            .values("flow_task").annotate(count=Count("pk")).order_by("flow_task"))
    return [{"label": str(row["flow_task"].task_title), "count": row["count"]} for row in rows
            if row["flow_task"].__class__.__name__ != "ApplicantView"]


@shared_task
def send_weekly_digest(today_iso: str | None = None) -> int:
    """Monday morning: what is waiting, for the Citymanagement of each authority (once per week)."""
    today = timezone.localdate() if today_iso is None else timezone.datetime.fromisoformat(today_iso).date()
    year, week, _ = today.isocalendar()
    sent = 0
    for authority in Authority.objects.all():
        waiting = waiting_tasks(authority)
        with transaction.atomic():
            sent += len(notify("weekly_digest", key=f"digest{authority.pk}:{year}-W{week:02d}",
                               recipients=staff_with_permission(authority=authority,
                                                                permission="fonds.check_eligibility"),
                               context={"waiting": waiting, "waiting_count": sum(w["count"] for w in waiting)},
                               link="/arbeit/"))
    return sent


@shared_task
def send_task_reminders(today_iso: str | None = None) -> int:
    """Daily: staff steps past their due date are reminded once to whoever holds them, or to everyone of the
    role in the authority while nobody has taken them; still open FONDSFLOW_ESCALATE_AFTER_DAYS days after the
    due date, once more to the authority's team leads."""
    from django.db.models.fields.json import KT
    from django.urls import reverse

    from fonds.formatting import date_de

    from .deadlines import due_on
    from .nodes import StaffView
    from .notify import in_each_language

    today = timezone.localdate() if today_iso is None else timezone.datetime.fromisoformat(today_iso).date()
    overdue = (Task.objects.filter(status__in=[STATUS.NEW, STATUS.ASSIGNED], flow_task_type="HUMAN")
               .annotate(due=KT("data__due_on")).filter(due__lt=today.isoformat())
               .select_related("owner", "process"))
    escalate_before = today - timedelta(days=settings.FONDSFLOW_ESCALATE_AFTER_DAYS)
    sent = 0
    for task in overdue:
        if not isinstance(task.flow_task, StaffView):
            continue
        application = task.process.coerced.artifact
        authority = application.fund.authority
        recipients = ([task.owner] if task.owner_id else
                      staff_with_permission(authority=authority, permission=task.owner_permission))
        context = {"task": in_each_language(task.flow_task.task_title), "due_date": date_de(due_on(task))}
        link = reverse("portal:dossier", args=[application.pk])
        with transaction.atomic():
            sent += len(notify("task_overdue", recipients=recipients, application=application,
                               key=f"task{task.pk}:overdue", context=context, link=link))
            if due_on(task) < escalate_before:
                leads = staff_with_permission(authority=authority, permission="fonds.lead_team")
                sent += len(notify("task_overdue", recipients=leads, application=application,
                                   key=f"task{task.pk}:escalated", context=context, link=link))
    return sent


@shared_task
def close_written_procedures() -> int:
    """Beat: close the written procedures whose response deadline has passed; their answers decide."""
    from .board import close_due_written_procedures

    return close_due_written_procedures()


@shared_task
def remind_meetings_ahead() -> int:
    """Daily: a week before a Beirat meeting, its members get the reminder with the link to their board pack."""
    from .board import remind_meetings_ahead as run

    return run()


@shared_task
def remind_conflict_declarations() -> int:
    """Daily: members who have not yet declared their conflicts of interest for a meeting in the next days."""
    from .board import remind_conflict_declarations as run

    return run()
