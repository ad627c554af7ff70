"""Preparing a Beirat meeting: the meeting itself, its agenda and the members' conflict declarations."""

from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from fonds.errors import DomainError
from fonds.formatting import date_de, euro
from fonds.models import AgendaItem, Application, Board, BoardMember, ConflictDeclaration, Meeting, StandingInterest
from fonds.selectors.board import candidates, is_preparer
from fonds.services.audit import audit_record


def meeting_locked(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().select_related("board__fund").get(pk=meeting.pk)


def require_preparer(actor, board: Board):
    if not is_preparer(actor, board):
        raise DomainError(_("Nur das Citymanagement bereitet die Sitzungen dieses Beirats vor."))


def require_open(meeting: Meeting, *statuses):
    statuses = statuses or (Meeting.Status.PLANNED,)
    if meeting.status not in statuses:
        if meeting.status == Meeting.Status.SIGNED:
            raise DomainError(_("Die Niederschrift ist unterzeichnet; die Beschlüsse sind endgültig und können "
                                "nicht mehr geändert werden."))
        raise DomainError(_("Das ist im Stand „%(status)s“ der Sitzung nicht möglich.")
                          % {"status": meeting.get_status_display()})


def _check_dates(kind, starts_at: datetime, agenda_deadline: date | None, response_deadline: datetime | None):
    if agenda_deadline and agenda_deadline > timezone.localtime(starts_at).date():
        raise DomainError(_("Der Anmeldeschluss muss vor der Sitzung liegen."), field="agenda_deadline")
    if kind == Meeting.Kind.WRITTEN:
        if response_deadline is None:
            raise DomainError(_("Ein Umlaufverfahren braucht eine Antwortfrist."), field="response_deadline")
        if response_deadline <= starts_at:
            raise DomainError(_("Die Antwortfrist muss nach dem Beginn des Umlaufverfahrens liegen."),
                              field="response_deadline")


def meeting_create(*, actor, board: Board, kind: str, starts_at: datetime, place: str = "",
                   agenda_deadline: date | None = None, response_deadline: datetime | None = None) -> Meeting:
    require_preparer(actor, board)
    _check_dates(kind, starts_at, agenda_deadline, response_deadline)
    meeting = Meeting(board=board, kind=kind, starts_at=starts_at, place=place, agenda_deadline=agenda_deadline,
                      response_deadline=response_deadline if kind == Meeting.Kind.WRITTEN else None,
                      created_by=actor)
    meeting.full_clean()
    meeting.save()
    audit_record(actor=actor, action="meeting.created", obj=meeting,
                 after={"kind": kind, "starts_at": starts_at.isoformat()})
    return meeting


@transaction.atomic
def meeting_update(*, actor, meeting: Meeting, starts_at: datetime, place: str, agenda_deadline: date | None,
                   response_deadline: datetime | None = None, **_ignored) -> Meeting:
    meeting = meeting_locked(meeting)
    require_preparer(actor, meeting.board)
    require_open(meeting)
    _check_dates(meeting.kind, starts_at, agenda_deadline, response_deadline)
    before = {"starts_at": meeting.starts_at.isoformat(), "place": meeting.place}
    meeting.starts_at, meeting.place, meeting.agenda_deadline = starts_at, place, agenda_deadline
    if meeting.is_written:
        meeting.response_deadline = response_deadline
    meeting.save()
    audit_record(actor=actor, action="meeting.changed", obj=meeting, before=before,
                 after={"starts_at": starts_at.isoformat(), "place": place})
    return meeting


def _mark_standing_interests(item: AgendaItem):
    """Members with a standing interest in the applicant are conflicted on the item, automatically."""
    members = (StandingInterest.objects.filter(member__board=item.meeting.board,
                                               organisation=item.application.organisation_id)
               .values_list("member_id", flat=True))
    for member_id in set(members):
        ConflictDeclaration.objects.update_or_create(
            item=item, member_id=member_id,
            defaults={"conflicted": True, "automatic": True, "note": _("Dauerhafte Interessenbindung")})


def _proposal_from_recommendation(application: Application) -> dict:
    recommendation = application.recommendations.order_by("-pk").first()
    if recommendation is None:
        return {}
    return {"proposal": "conditions" if recommendation.conditions.strip() else "approve",
            "amount": recommendation.recommended_amount, "conditions": recommendation.conditions,
            "reasons": ""}


def _next_position(meeting) -> int:
    return (meeting.items.aggregate(top=Max("position"))["top"] or 0) + 1


def agenda_place(*, meeting: Meeting, application: Application, carried_from: AgendaItem | None = None) -> AgendaItem:
    """Put an application on a meeting's agenda (no permission check: callers check)."""
    item = AgendaItem.objects.create(meeting=meeting, application=application, position=_next_position(meeting),
                                     carried_from=carried_from, **_proposal_from_recommendation(application))
    _mark_standing_interests(item)
    return item


@transaction.atomic
def agenda_add(*, actor, meeting: Meeting, applications) -> list[AgendaItem]:
    """Citymanagement puts waiting applications on the agenda (several at once), until the agenda deadline.
    (Items deferred at the meeting before are carried over by `agenda_place`, whatever the deadline.)"""
    meeting = meeting_locked(meeting)
    require_preparer(actor, meeting.board)
    require_open(meeting)
    if meeting.agenda_closed():
        raise DomainError(_("Der Anmeldeschluss für diese Tagesordnung war am %(date)s. Setzen Sie den Antrag "
                            "auf die nächste Sitzung.") % {"date": date_de(meeting.agenda_deadline)},
                          field="applications")
    waiting = {a.pk: a for a in candidates(meeting.board).select_for_update(of=("self",))}
    chosen = [waiting.get(getattr(a, "pk", a)) for a in applications]
    if not chosen:
        raise DomainError(_("Bitte wählen Sie mindestens einen Antrag aus."), field="applications")
    if None in chosen:
        raise DomainError(_("Mindestens einer der gewählten Anträge wartet nicht (mehr) auf den Beirat oder steht "
                            "schon auf einer Tagesordnung."), field="applications")
    items = [agenda_place(meeting=meeting, application=application) for application in chosen]
    for item in items:
        audit_record(actor=actor, action="agenda.added", obj=item, application=item.application,
                     after={"meeting": meeting.pk, "position": item.position})
    return items


def _item_locked(item: AgendaItem) -> tuple[Meeting, AgendaItem]:
    meeting = meeting_locked(item.meeting)
    return meeting, AgendaItem.objects.select_related("application").get(pk=item.pk)


@transaction.atomic
def agenda_move(*, actor, item: AgendaItem, direction: str) -> None:
    meeting, item = _item_locked(item)
    require_preparer(actor, meeting.board)
    require_open(meeting)
    items = list(meeting.items.order_by("position", "pk"))
    index = [i.pk for i in items].index(item.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(items):
        raise DomainError(_("Dieser Punkt steht schon am Rand der Tagesordnung."))
    items[index], items[other] = items[other], items[index]
    for position, each in enumerate(items, 1):
        if each.position != position:
            AgendaItem.objects.filter(pk=each.pk).update(position=position)


@transaction.atomic
def agenda_remove(*, actor, item: AgendaItem) -> None:
    meeting, item = _item_locked(item)
    require_preparer(actor, meeting.board)
    require_open(meeting)
    if item.votes.exists():
        raise DomainError(_("Über diesen Punkt wurde schon abgestimmt; er kann nicht mehr abgesetzt werden."))
    audit_record(actor=actor, action="agenda.removed", obj=item, application=item.application)
    item.delete()
    for position, each in enumerate(meeting.items.order_by("position", "pk"), 1):
        AgendaItem.objects.filter(pk=each.pk).update(position=position)


@transaction.atomic
def item_set_public(*, actor, item: AgendaItem, public: bool) -> None:
    meeting, item = _item_locked(item)
    require_preparer(actor, meeting.board)
    require_open(meeting)
    item.public = public
    item.save(update_fields=["public"])


@transaction.atomic
def item_propose(*, actor, item: AgendaItem, proposal: str, amount: Decimal | None, conditions: str,
                 reasons: str) -> AgendaItem:
    """The Beschlussvorschlag the members vote on. Fixed once anyone has voted."""
    meeting, item = _item_locked(item)
    require_preparer(actor, meeting.board)
    require_open(meeting, Meeting.Status.PLANNED, Meeting.Status.HELD)
    if item.votes.exists() or item.result != AgendaItem.Result.OPEN:
        raise DomainError(_("Über diesen Beschlussvorschlag wurde schon abgestimmt; er kann nicht mehr geändert "
                            "werden."))
    recommended = _proposal_from_recommendation(item.application).get("amount")
    if proposal == "reject":
        amount = None
        if not reasons.strip():
            raise DomainError(_("Eine Ablehnung muss begründet werden."), field="reasons")
    elif proposal == "reduce":
        if amount is None or amount <= 0 or (recommended is not None and amount >= recommended):
            raise DomainError(_("Bei einer Kürzung muss der Betrag über 0 € und unter der Empfehlung von "
                                "%(recommended)s liegen.") % {"recommended": euro(recommended)}, field="amount")
    else:
        amount = amount or recommended
        if proposal == "conditions" and not conditions.strip():
            raise DomainError(_("Bitte nennen Sie die Auflagen."), field="conditions")
    item.proposal, item.amount, item.conditions, item.reasons = proposal, amount, conditions, reasons
    item.save(update_fields=["proposal", "amount", "conditions", "reasons"])
    audit_record(actor=actor, action="agenda.proposal", obj=item, application=item.application,
                 after={"proposal": proposal, "amount": amount})
    return item


@transaction.atomic
def conflicts_declare(*, actor, meeting: Meeting, answers: dict) -> int:
    """A member declares per item whether they are conflicted ({item_pk: (conflicted, note)}). A conflict
    from a standing interest stays whatever the member answers. Not after the minutes are signed."""
    meeting = meeting_locked(meeting)
    member = BoardMember.objects.filter(board=meeting.board, user=actor).first()
    if member is None:
        raise DomainError(_("Sie gehören diesem Beirat nicht an."))
    require_open(meeting, Meeting.Status.PLANNED, Meeting.Status.HELD)
    items = {item.pk: item for item in meeting.items.all()}
    existing = {c.item_id: c for c in ConflictDeclaration.objects.filter(member=member, item__meeting=meeting)}
    voted = set(member.votes.filter(item__meeting=meeting).values_list("item_id", flat=True))
    changed = 0
    for item_pk, (conflicted, note) in answers.items():
        if item_pk not in items:
            raise DomainError(_("Dieser Tagesordnungspunkt gehört nicht zu der Sitzung."))
        current = existing.get(item_pk)
        if current is not None and current.automatic:
            continue  # a standing interest cannot be declared away
        if conflicted and item_pk in voted:
            raise DomainError(_("Sie haben über TOP %(n)s schon abgestimmt. Bitte wenden Sie sich an das "
                                "Citymanagement.") % {"n": items[item_pk].position})
        ConflictDeclaration.objects.update_or_create(item_id=item_pk, member=member,
                                                     defaults={"conflicted": conflicted, "note": note})
        changed += 1
    audit_record(actor=actor, action="meeting.conflicts_declared", obj=meeting,
                 after={str(k): v[0] for k, v in answers.items()})
    return changed
