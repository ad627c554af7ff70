"""Where the Beirat meets the flow: once the chair signs the minutes (or a written procedure is closed), each
decision runs the application's waiting `board` Handle, and the flow goes on to the Bescheid, the rejection
letter or back to waiting. Views, the beat task, the demo and the tests all act through these functions."""

import logging
from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.status import STATUS

from fonds.errors import DomainError
from fonds.formatting import date_de
from fonds.models import BoardDecision, Meeting
from fonds.selectors.board import members_in_term
from fonds.services import meetings as meeting_services
from fonds.services.audit import audit_record
from fonds.services.board import meeting_locked, require_open, require_preparer
from notifications.board_pdf import board_packs_refresh, minutes_render_async
from notifications.services import notify as send

from . import notify
from .flows import GrantFlow
from .models import GrantProcess

logger = logging.getLogger(__name__)


def _continue_flows(decisions: list[BoardDecision]) -> None:
    for decision in decisions:
        process = GrantProcess.for_application(decision.application)
        task = process.task_set.filter(flow_task=GrantFlow.board, status=STATUS.NEW).first() if process else None
        if task is None:
            # A bug, not user input: the whole sign-off rolls back.
            raise RuntimeError(f"{decision.application.file_number}: no board step waiting")
        GrantFlow.board.run(task, decision=decision)
        notify.board_decided(decision.application, decision)


def meeting_sign_off(*, actor, meeting: Meeting) -> Meeting:
    with transaction.atomic():
        meeting, decisions = meeting_services.meeting_sign_off(actor=actor, meeting=meeting)
        _continue_flows(decisions)
        _after_final(meeting)
    return meeting


def meeting_close(*, actor, meeting: Meeting, now=None) -> Meeting:
    """Citymanagement closes a meeting (the chair signs next) or a written procedure (final at once)."""
    with transaction.atomic():
        meeting, decisions = meeting_services.meeting_close(actor=actor, meeting=meeting, now=now)
        if meeting.status == Meeting.Status.SIGNED:
            _continue_flows(decisions)
            _after_final(meeting)
    return meeting


def _after_final(meeting: Meeting) -> None:
    minutes_render_async(meeting=meeting)
    following = (Meeting.objects.filter(board=meeting.board, status=Meeting.Status.PLANNED, invited_at__isnull=False)
                 .exclude(pk=meeting.pk))
    for other in following:  # deferred items joined their agenda: fresh packs
        board_packs_refresh(meeting=other)


def meeting_invite(*, actor, meeting: Meeting) -> int:
    """Send the invitation with the link to the board pack to every member in term; render the packs."""
    with transaction.atomic():
        meeting = meeting_locked(meeting)
        require_preparer(actor, meeting.board)
        require_open(meeting)
        if not meeting.items.exists():
            raise DomainError(_("Die Tagesordnung ist leer; bitte setzen Sie zuerst Anträge auf die Tagesordnung."))
        meeting.invited_at = timezone.now()
        meeting.save(update_fields=["invited_at"])
        audit_record(actor=actor, action="meeting.invited", obj=meeting)
        members = [m.user for m in members_in_term(meeting)]
        sent = send("meeting_ahead", recipients=members, fund=meeting.board.fund,
                    key=f"meeting{meeting.pk}:{meeting.invited_at:%Y%m%d%H%M%S}",
                    context={"meeting": str(meeting), "date": date_de(timezone.localtime(meeting.starts_at).date()),
                             "pack_link": reverse("beirat:pack", args=[meeting.pk])},
                    link=reverse("beirat:meeting", args=[meeting.pk]))
        board_packs_refresh(meeting=meeting)
    return len(sent)


def remind_meetings_ahead(now=None, days_ahead=7) -> int:
    """Beat (daily): a week before an invited meeting every member in term is reminded once, with the link to the
    board pack (`meeting_ahead`). A meeting invited less than a week ahead needs no reminder: the invitation was."""
    now = now or timezone.now()
    sent = 0
    meetings = Meeting.objects.filter(status=Meeting.Status.PLANNED, invited_at__isnull=False,
                                      starts_at__gt=now, starts_at__lte=now + timedelta(days=days_ahead))
    for meeting in meetings.select_related("board__fund"):
        if meeting.invited_at > meeting.starts_at - timedelta(days=days_ahead):
            continue
        with transaction.atomic():
            sent += len(send("meeting_ahead", recipients=[m.user for m in members_in_term(meeting)],
                             fund=meeting.board.fund, key=f"meeting{meeting.pk}:week-ahead",
                             context={"meeting": str(meeting),
                                      "date": date_de(timezone.localtime(meeting.starts_at).date()),
                                      "pack_link": reverse("beirat:pack", args=[meeting.pk])},
                             link=reverse("beirat:meeting", args=[meeting.pk])))
    return sent


def remind_conflict_declarations(now=None, days_ahead=3) -> int:
    """Beat (daily): members of an invited meeting in the next days who have not declared on every item are
    reminded once (`conflict_declaration_open`)."""
    now = now or timezone.now()
    sent = 0
    meetings = Meeting.objects.filter(status=Meeting.Status.PLANNED, invited_at__isnull=False,
                                      starts_at__gt=now, starts_at__lte=now + timedelta(days=days_ahead))
    for meeting in meetings.select_related("board__fund"):
        items = set(meeting.items.values_list("pk", flat=True))
        for member in members_in_term(meeting):
            declared = set(member.conflicts.filter(item__meeting=meeting).values_list("item_id", flat=True))
            if items <= declared:
                continue
            with transaction.atomic():
                sent += len(send("conflict_declaration_open", recipients=[member.user], fund=meeting.board.fund,
                                 key=f"meeting{meeting.pk}:conflicts", context={
                                     "meeting": str(meeting),
                                     "date": date_de(timezone.localtime(meeting.starts_at).date())},
                                 link=reverse("beirat:meeting", args=[meeting.pk])))
    return sent


def close_due_written_procedures(now=None) -> int:
    """Beat: written procedures past their response deadline are closed by the system."""
    now = now or timezone.now()
    closed = 0
    for meeting in Meeting.objects.filter(kind=Meeting.Kind.WRITTEN, status=Meeting.Status.PLANNED,
                                          response_deadline__lt=now):
        try:
            meeting_close(actor=None, meeting=meeting, now=now)
            closed += 1
        except DomainError as error:
            logger.warning("Written procedure %s not closed: %s", meeting.pk, error.message)
    return closed
