"""Applications that have reached the Bescheid, built directly with the ORM and the letter services: the
quick way to many Bescheide (the flow itself is driven in tests/workflows)."""

from datetime import timedelta
from decimal import Decimal as D

from django.utils import timezone

from fonds.models import AgendaItem, Application, BoardDecision, Letter, Meeting, Stage
from fonds.services.letters import letter_draft, letter_issue, letter_store_pdf
from workflows import demo

_numbers = iter(range(1, 100_000))


def approved(world, *, title="Sitzbank am Markt", grant="476.00", org=None, user=None) -> Application:
    """An application in implementation with an approved grant (cost plan under the quote threshold)."""
    u = world["users"]
    a = demo.draft(world, org or world["dia"], user or u["alice"], title, [("Material", "800.00", "952.00")])
    Application.objects.filter(pk=a.pk).update(
        stage=Stage.IMPLEMENTATION, file_number=f"AF-{timezone.localdate().year}-B{next(_numbers):04d}",
        rules=world["round"].current_rules, submitted_at=timezone.now() - timedelta(days=20),
        approved_grant=D(grant))
    a.refresh_from_db()
    return a


def bescheid(world, application, *, kind=Letter.Kind.BESCHEID, issued=True, stored=True) -> Letter:
    """frieda drafts, felix issues; the stored PDF is a small real PDF that names the letter's number. With
    `stored=False` the issued letter still waits for its PDF, as it does until the letters queue renders it."""
    u = world["users"]
    content = ({"amount": application.approved_grant, "reasons": "Der Beirat hat die Förderung beschlossen."}
               if kind == Letter.Kind.BESCHEID else {"reasons": "Nicht im Fördergebiet.", "decided_by": "beirat",
                                                     "decided_on": timezone.localdate().isoformat()})
    letter = letter_draft(actor=u["frieda"], application=application, kind=kind, content=content)
    if issued:
        letter = letter_issue(actor=u["felix"], letter=letter)
    if issued and stored:
        letter = letter_store_pdf(letter=letter, pdf=demo.pdf_bytes(f"Bescheid {letter.number}"))
    return letter


def signed_meeting(world, applications, *, outcome=BoardDecision.Outcome.APPROVE, rejected=(),
                   status=Meeting.Status.SIGNED) -> Meeting:
    """A Beirat meeting two days ago whose minutes dieter signed, with a decision on each application (rejected:
    the applications the Beirat turned down)."""
    u = world["users"]
    starts = timezone.now() - timedelta(days=2)
    signed = status == Meeting.Status.SIGNED
    # Held first: the database guards a signed meeting's items (migration 0009).
    meeting = Meeting.objects.create(board=world["board"], starts_at=starts, place="Altes Rathaus",
                                     status=Meeting.Status.HELD, closed_at=timezone.now(), created_by=u["carla"])
    rejected = {a.pk for a in rejected}
    outcomes = {a.pk: BoardDecision.Outcome.REJECT if a.pk in rejected else outcome for a in applications}
    items = AgendaItem.objects.bulk_create([
        AgendaItem(meeting=meeting, application=a, position=n, proposal=outcomes[a.pk], amount=a.approved_grant,
                   result=AgendaItem.Result.ADOPTED, outcome=outcomes[a.pk])
        for n, a in enumerate(applications, start=1)])
    if signed:
        BoardDecision.objects.bulk_create([
            BoardDecision(application=item.application, outcome=item.outcome,
                          amount=item.amount if item.outcome in BoardDecision.APPROVING else None,
                          decided_on=starts.date(), recorded_by=u["dieter"], agenda_item=item) for item in items])
        Meeting.objects.filter(pk=meeting.pk).update(status=status, signed_by=u["dieter"], signed_at=timezone.now())
        meeting.refresh_from_db()
    return meeting
