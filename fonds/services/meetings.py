"""Holding a Beirat meeting: attendance, votes, the result per item, closing and the chair's sign-off.

Rules (docs/workflow.md, "Beirat"): an item can be decided only if more than the board's quorum share of its
voting members take part without being conflicted. The proposal is adopted with more yes than no votes; a tie
rejects it. A rejected proposal to fund means the application is rejected; a rejected proposal to reject
means no decision, and the item is deferred. Decisions become final when the chair signs the minutes (a
written procedure: when it is closed); only then do the applications' flows move on."""

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from fonds.errors import DomainError
from fonds.formatting import date_de
from fonds.models import AgendaItem, Attendance, BoardDecision, BoardMember, Meeting, Vote
from fonds.selectors.board import item_conflicted_member_ids, item_quorum, members_in_term, voting_members
from fonds.services.audit import audit_record
from fonds.services.board import agenda_place, meeting_locked, require_open, require_preparer
from fonds.services.reviews import board_decision_record

APPROVING_PROPOSALS = ("approve", "reduce", "conditions")


def _may_protocol(actor, meeting) -> bool:
    from fonds.selectors.board import is_preparer

    chair = BoardMember.objects.filter(board=meeting.board, user=actor, role=BoardMember.Role.CHAIR).exists()
    return chair or is_preparer(actor, meeting.board)


def _require_protocol(actor, meeting):
    if not _may_protocol(actor, meeting):
        raise DomainError(_("Nur das Citymanagement oder der Vorsitz führt das Protokoll."))
    if not meeting.protocol_open():
        raise DomainError(_("Anwesenheit und Abstimmungen werden erst am Tag der Sitzung (%(date)s) protokolliert.")
                          % {"date": date_de(timezone.localtime(meeting.starts_at).date())})


@transaction.atomic
def attendance_record(*, actor, meeting: Meeting, present_ids) -> None:
    """Who is in the room. One row per member of the board in term."""
    meeting = meeting_locked(meeting)
    _require_protocol(actor, meeting)
    if meeting.is_written:
        raise DomainError(_("Im Umlaufverfahren gibt es keine Anwesenheit; es zählen die Antworten."))
    require_open(meeting, Meeting.Status.PLANNED, Meeting.Status.HELD)
    present_ids = {int(pk) for pk in present_ids}
    members = members_in_term(meeting)
    if present_ids - {m.pk for m in members}:
        raise DomainError(_("Nur Mitglieder dieses Beirats können anwesend sein."))
    for member in members:
        Attendance.objects.update_or_create(meeting=meeting, member=member,
                                            defaults={"present": member.pk in present_ids})
    audit_record(actor=actor, action="meeting.attendance", obj=meeting, after={"present": sorted(present_ids)})


def _quorum_message(item, quorum):
    return _("Der Beirat ist für TOP %(n)s nicht beschlussfähig: %(counted)s von %(members)s nicht befangenen "
             "stimmberechtigten Mitgliedern nehmen teil, nötig sind mehr als %(percent)s %%. Der Punkt kann nur "
             "vertagt werden.") % {"n": item.position, "counted": quorum.counted, "members": quorum.members,
                                   "percent": f"{quorum.needed_percent.normalize():f}".replace(".", ",")}


def _conclude(item: AgendaItem, yes: int, no: int, abstain: int) -> None:
    """The result from the votes: more yes than no adopts the proposal; a tie rejects it."""
    item.yes, item.no, item.abstain = yes, no, abstain
    adopted = yes > no
    if item.proposal in APPROVING_PROPOSALS:
        item.result = AgendaItem.Result.ADOPTED if adopted else AgendaItem.Result.REJECTED
        item.outcome = item.proposal if adopted else BoardDecision.Outcome.REJECT
        if not adopted:
            with translation.override("de"):  # part of the record and of the Bescheid: always German
                note = _("Der Beschlussvorschlag zur Förderung fand im Beirat keine Mehrheit (%(yes)s Ja, "
                         "%(no)s Nein, %(abstain)s Enthaltungen).") % {"yes": yes, "no": no, "abstain": abstain}
            item.reasons = (item.reasons + "\n\n" if item.reasons.strip() else "") + note
    else:  # a proposal to reject
        item.result = AgendaItem.Result.ADOPTED if adopted else AgendaItem.Result.DEFERRED
        item.outcome = BoardDecision.Outcome.REJECT if adopted else BoardDecision.Outcome.DEFER
    item.save()


@transaction.atomic
def votes_record(*, actor, item: AgendaItem, choices: dict) -> AgendaItem:
    """The protocol of one item in a meeting: {member_pk: "yes"|"no"|"abstain"} for every present voting
    member who is not conflicted. Refused without quorum; after the sign-off refused for good."""
    meeting = meeting_locked(item.meeting)
    item = AgendaItem.objects.select_related("application", "meeting__board").get(pk=item.pk)
    _require_protocol(actor, meeting)
    if meeting.is_written:
        raise DomainError(_("Im Umlaufverfahren stimmen die Mitglieder selbst ab."))
    require_open(meeting, Meeting.Status.PLANNED, Meeting.Status.HELD)
    if not item.proposal:
        raise DomainError(_("Bitte legen Sie zuerst den Beschlussvorschlag fest."))
    quorum = item_quorum(item)
    choices = {int(k): v for k, v in choices.items() if v}
    conflicted = item_conflicted_member_ids(item)
    if set(choices) & conflicted:
        raise DomainError(_("Ein befangenes Mitglied darf über diesen Punkt nicht abstimmen."))
    if not quorum.reached:
        raise DomainError(_quorum_message(item, quorum))
    if set(choices) - quorum.eligible_ids:
        raise DomainError(_("Nur anwesende, stimmberechtigte Mitglieder können abstimmen."))
    if set(choices) != quorum.eligible_ids:
        raise DomainError(_("Bitte tragen Sie für jedes anwesende stimmberechtigte Mitglied eine Stimme ein "
                            "(Ja, Nein oder Enthaltung)."))
    if any(choice not in Vote.Choice.values for choice in choices.values()):
        raise DomainError(_("Ungültige Stimme."))
    item.votes.all().delete()
    Vote.objects.bulk_create([Vote(item=item, member_id=pk, choice=c, recorded_by=actor) for pk, c in choices.items()])
    values = list(choices.values())
    _conclude(item, values.count("yes"), values.count("no"), values.count("abstain"))
    audit_record(actor=actor, action="agenda.voted", obj=item, application=item.application,
                 after={"yes": item.yes, "no": item.no, "abstain": item.abstain, "result": item.result})
    return item


@transaction.atomic
def item_defer(*, actor, item: AgendaItem, reasons: str = "") -> AgendaItem:
    """Vertagung: possible without quorum; the item goes to the next meeting once the minutes are signed."""
    meeting = meeting_locked(item.meeting)
    item = AgendaItem.objects.select_related("application").get(pk=item.pk)
    _require_protocol(actor, meeting)
    require_open(meeting, Meeting.Status.PLANNED, Meeting.Status.HELD)
    item.votes.all().delete()
    item.result, item.outcome, item.yes, item.no, item.abstain = (AgendaItem.Result.DEFERRED,
                                                                  BoardDecision.Outcome.DEFER, 0, 0, 0)
    if reasons.strip():
        item.reasons = reasons
    item.save()
    audit_record(actor=actor, action="agenda.deferred", obj=item, application=item.application)
    return item


@transaction.atomic
def written_vote_cast(*, actor, item: AgendaItem, choice: str, now=None) -> Vote:
    """A member answers in a written procedure, until the response deadline."""
    now = now or timezone.now()
    meeting = meeting_locked(item.meeting)
    item = AgendaItem.objects.select_related("application", "meeting__board").get(pk=item.pk)
    if not meeting.is_written:
        raise DomainError(_("In einer Sitzung nimmt das Citymanagement die Stimmen zu Protokoll."))
    require_open(meeting)
    if now > meeting.response_deadline:
        raise DomainError(_("Die Antwortfrist ist abgelaufen."))
    member = next((m for m in voting_members(meeting) if m.user_id == actor.pk), None)
    if member is None:
        raise DomainError(_("Sie sind in diesem Beirat nicht stimmberechtigt."))
    if member.pk in item_conflicted_member_ids(item):
        raise DomainError(_("Sie sind bei diesem Punkt befangen und dürfen nicht abstimmen."))
    if choice not in Vote.Choice.values:
        raise DomainError(_("Bitte wählen Sie Ja, Nein oder Enthaltung."), field="choice")
    vote, _created = Vote.objects.update_or_create(item=item, member=member,
                                                   defaults={"choice": choice, "recorded_by": actor})
    audit_record(actor=actor, action="written.voted", obj=item, application=item.application, after={"choice": choice})
    return vote


def _written_results(meeting: Meeting) -> None:
    silent_yes = meeting.board.silence_is_consent
    for item in meeting.items.select_related("application", "meeting__board"):
        quorum = item_quorum(item, silent_yes=silent_yes)
        if not quorum.reached or not item.proposal:
            item.result, item.outcome = AgendaItem.Result.DEFERRED, BoardDecision.Outcome.DEFER
            item.reasons = _quorum_message(item, quorum) if item.proposal else item.reasons
            item.save()
            continue
        given = dict(item.votes.filter(member_id__in=quorum.eligible_ids).values_list("member_id", "choice"))
        values = [given.get(pk, "yes") for pk in quorum.eligible_ids]  # only with silent_yes can one be missing
        _conclude(item, values.count("yes"), values.count("no"), values.count("abstain"))


def _finalise(*, actor, meeting: Meeting) -> list[BoardDecision]:
    """Write the BoardDecisions of every item; deferred items go onto the next planned meeting."""
    decided_on = timezone.localtime(meeting.starts_at).date()
    if meeting.is_written:
        decided_on = timezone.localdate()
    decisions = []
    following = (Meeting.objects.filter(board=meeting.board, status=Meeting.Status.PLANNED,
                                         starts_at__gt=meeting.starts_at).exclude(pk=meeting.pk)
                 .order_by("starts_at").first())
    for item in meeting.items.select_related("application").order_by("position"):
        decision = board_decision_record(
            actor=actor, application=item.application, outcome=item.outcome,
            amount=item.amount if item.outcome in BoardDecision.APPROVING else None,
            conditions=item.conditions, reasons=item.reasons, decided_on=decided_on)
        decision.agenda_item = item
        decision.save(update_fields=["agenda_item"])
        decisions.append(decision)
        if item.outcome == BoardDecision.Outcome.DEFER and following is not None:
            if not following.items.filter(application=item.application).exists():
                agenda_place(meeting=following, application=item.application, carried_from=item)
    return decisions


@transaction.atomic
def meeting_close(*, actor, meeting: Meeting, now=None) -> tuple[Meeting, list[BoardDecision]]:
    """A meeting: Citymanagement closes it once every item has a result; the chair signs next.
    A written procedure: after the deadline, the answers decide and the decisions are final at once.
    `actor` None: the beat task closing an overdue written procedure."""
    now = now or timezone.now()
    meeting = meeting_locked(meeting)
    if actor is not None:
        require_preparer(actor, meeting.board)
    require_open(meeting)
    if not meeting.items.exists():
        raise DomainError(_("Die Tagesordnung ist leer."))
    if meeting.is_written:
        if now <= meeting.response_deadline:
            raise DomainError(_("Die Antwortfrist läuft noch bis %(deadline)s.")
                              % {"deadline": f"{timezone.localtime(meeting.response_deadline):%d.%m.%Y %H:%M}"})
        _written_results(meeting)
        decisions = _finalise(actor=actor or meeting.created_by, meeting=meeting)
        meeting.status, meeting.closed_at, meeting.signed_at = Meeting.Status.SIGNED, now, now
        meeting.save()
        audit_record(actor=actor, action="meeting.closed", obj=meeting, after={"status": meeting.status})
        return meeting, decisions
    open_items = meeting.items.filter(result=AgendaItem.Result.OPEN).order_by("position")
    if open_items.exists():
        raise DomainError(_("Für TOP %(tops)s fehlt noch das Ergebnis (Abstimmung oder Vertagung).")
                          % {"tops": ", ".join(str(i.position) for i in open_items)})
    meeting.status, meeting.closed_at = Meeting.Status.HELD, now
    meeting.save()
    audit_record(actor=actor, action="meeting.closed", obj=meeting, after={"status": meeting.status})
    return meeting, []


@transaction.atomic
def meeting_sign_off(*, actor, meeting: Meeting) -> tuple[Meeting, list[BoardDecision]]:
    """The chair signs the minutes: the decisions become final. Refused for anyone else and in any other
    state; the database refuses changes to a signed meeting's votes, attendance and items as well."""
    meeting = meeting_locked(meeting)
    chair = BoardMember.objects.filter(board=meeting.board, user=actor, role=BoardMember.Role.CHAIR).first()
    if chair is None:
        raise DomainError(_("Nur der oder die Vorsitzende unterzeichnet die Niederschrift."))
    require_open(meeting, Meeting.Status.HELD)
    decisions = _finalise(actor=actor, meeting=meeting)
    meeting.status, meeting.signed_by, meeting.signed_at = Meeting.Status.SIGNED, actor, timezone.now()
    meeting.save()
    audit_record(actor=actor, action="meeting.signed", obj=meeting, after={"decisions": len(decisions)})
    return meeting, decisions
