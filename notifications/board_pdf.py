"""The Beirat's PDFs, rendered by WeasyPrint in Celery tasks with the letters' fonts and URL fetcher:

- the board pack (Sitzungsunterlagen): the agenda and, per item, what the board needs to decide – project,
  costs and financing, the eligibility check and the recommendation. Never bank details, de-minimis data or
  the applicant's contact data. One pack per member, without the items the member is excluded from, and one
  for the Citymanagement with every item.
- the minutes (Niederschrift): attendance, who left the room for which item, every vote, the decisions."""

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from fonds.models import AgendaItem, Attendance, BoardPack, ConflictDeclaration, Meeting, StandingInterest, Vote
from fonds.selectors.board import conflicted_item_ids, members_in_term

from .letters import ASSETS_DIR, _url_fetcher


def _pdf(template: str, context: dict) -> bytes:
    import weasyprint

    with translation.override("de"):
        html = render_to_string(template, context)
    return weasyprint.HTML(string=html, base_url=str(ASSETS_DIR), url_fetcher=_url_fetcher()).write_pdf(
        pdf_variant="pdf/ua-1")


def _item_facts(item: AgendaItem) -> dict:
    """Only what the board needs (data minimisation, Art. 5 (1) c GDPR): no IBAN, no de-minimis data, no
    address, e-mail or phone of the applicant."""
    application = item.application
    check = application.eligibility_checks.order_by("-pk").first()
    recommendation = application.recommendations.order_by("-pk").first()
    return {
        "position": item.position, "public": item.public, "file_number": application.file_number,
        "title": application.title, "organisation": application.organisation.name,
        "organisation_kind": application.organisation.get_kind_display(),
        "description": application.description, "location": application.location,
        "planned_start": application.planned_start, "planned_end": application.planned_end,
        "cost_items": [{"description": c.description, "net": c.net_amount, "gross": c.gross_amount,
                        "eligible": c.eligible} for c in application.cost_items.all()],
        "vat_deductible": application.vat_deductible,
        "own_funds": application.own_funds, "third_party_funds": application.third_party_funds,
        "donations": application.donations, "requested_grant": application.requested_grant,
        "check": {"outcome": check.get_outcome_display(), "reasons": check.reasons,
                  "items": [{"label": i.label, "met": i.met, "reason": i.reason} for i in check.items.all()]}
        if check else None,
        "recommendation": {"amount": recommendation.recommended_amount, "conditions": recommendation.conditions,
                           "reasoning": recommendation.reasoning} if recommendation else None,
        "proposal": item.get_proposal_display(), "amount": item.amount, "carried": item.carried_from_id is not None,
    }


def render_pack_pdf(meeting: Meeting, member=None) -> tuple[bytes, list[int]]:
    items = list(meeting.items.select_related("application__organisation").order_by("position"))
    excluded = conflicted_item_ids(member, meeting) if member is not None else set()
    shown = [item for item in items if item.pk not in excluded]
    deadline = meeting.response_deadline
    context = {"meeting": meeting, "board": meeting.board, "fund": meeting.board.fund,
               "authority": meeting.board.fund.authority, "member": member,
               "starts_at": timezone.localtime(meeting.starts_at),
               "response_deadline": timezone.localtime(deadline) if deadline else None,
               "items": [_item_facts(item) for item in shown], "excluded_count": len(items) - len(shown)}
    return _pdf("board/pack.html", context), [item.pk for item in shown]


def render_minutes_pdf(meeting: Meeting) -> bytes:
    members = members_in_term(meeting)
    attendance = dict(Attendance.objects.filter(meeting=meeting).values_list("member_id", "present"))
    items = list(meeting.items.select_related("application__organisation", "decision").order_by("position"))
    conflicts = {}
    for declaration in ConflictDeclaration.objects.filter(item__meeting=meeting, conflicted=True):
        conflicts.setdefault(declaration.item_id, set()).add(declaration.member_id)
    for interest in StandingInterest.objects.filter(member__board=meeting.board):
        for item in items:
            if item.application.organisation_id == interest.organisation_id:
                conflicts.setdefault(item.pk, set()).add(interest.member_id)
    votes = {}
    for vote in Vote.objects.filter(item__meeting=meeting):
        votes.setdefault(vote.item_id, {})[vote.member_id] = vote.get_choice_display()
    by_pk = {m.pk: m for m in members}
    rows = [{"item": item, "left": [by_pk[pk].name for pk in sorted(conflicts.get(item.pk, ())) if pk in by_pk],
             "votes": [(m.name, votes.get(item.pk, {}).get(m.pk, "–")) for m in members if m.has_vote
                       and m.pk not in conflicts.get(item.pk, ())],
             "decision": getattr(item, "decision", None)} for item in items]
    context = {"meeting": meeting, "board": meeting.board, "fund": meeting.board.fund,
               "authority": meeting.board.fund.authority, "starts_at": timezone.localtime(meeting.starts_at),
               "signed_at": timezone.localtime(meeting.signed_at) if meeting.signed_at else None,
               "members": [{"name": m.name, "role": m.get_role_display(), "organisation": m.organisation,
                            "present": attendance.get(m.pk)} for m in members],
               "rows": rows}
    return _pdf("board/minutes.html", context)


def board_pack_store(*, meeting: Meeting, member=None) -> BoardPack:
    pdf, item_ids = render_pack_pdf(meeting, member)
    with transaction.atomic():
        pack = BoardPack.objects.select_for_update().filter(meeting=meeting, member=member).first() or BoardPack(
            meeting=meeting, member=member)
        old = pack.pdf.name if pack.pk else None
        pack.sha256, pack.item_ids = hashlib.sha256(pdf).hexdigest(), item_ids
        suffix = f"m{member.pk}" if member else "cm"
        pack.pdf.save(f"sitzung-{meeting.pk}-{suffix}.pdf", ContentFile(pdf), save=False)
        pack.save()
    if old and old != pack.pdf.name:
        pack.pdf.storage.delete(old)
    return pack


def minutes_store(*, meeting: Meeting) -> Meeting:
    """The minutes are rendered once, after the sign-off, and kept with their hash."""
    meeting = Meeting.objects.get(pk=meeting.pk)
    if meeting.minutes_pdf or meeting.status != Meeting.Status.SIGNED:
        return meeting
    pdf = render_minutes_pdf(meeting)
    meeting.minutes_sha256 = hashlib.sha256(pdf).hexdigest()
    meeting.minutes_pdf.save(f"niederschrift-{meeting.pk}.pdf", ContentFile(pdf), save=False)
    meeting.save(update_fields=["minutes_pdf", "minutes_sha256"])
    return meeting


def board_packs_refresh(*, meeting: Meeting, member=None) -> None:
    """Queue fresh packs after the commit (all, or one member's after a conflict declaration)."""
    from .tasks import render_board_packs

    transaction.on_commit(lambda: render_board_packs.delay(meeting.pk, member.pk if member else None))


def minutes_render_async(*, meeting: Meeting) -> None:
    from .tasks import render_minutes

    transaction.on_commit(lambda: render_minutes.delay(meeting.pk))
