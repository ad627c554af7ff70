"""The letters beside the main line of the flow: Nachforderung, Anhörung (§ 28 VwVfG NRW), Änderungsbescheid
and Auszahlungsmitteilung. Each is drafted through letter_draft (texts frozen from the fund's template);
the caller queues the rendering (notifications.services.letter_render_async) once it has the issued letter."""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fonds.dates import add_months
from fonds.errors import DomainError
from fonds.formatting import date_de, euro
from fonds.models import Application, BoardDecision, DeMinimisGrant, DocumentRequest, Letter, Payment, Stage
from fonds.services.applications import application_locked, application_set_stage
from fonds.services.audit import audit_record
from fonds.services.de_minimis import de_minimis_amend, de_minimis_ensure_within_ceiling
from fonds.services.ledger import application_ordered_open, application_paid, commitment_book, commitment_release
from fonds.services.letters import letter_draft, letter_issue

HEARING_MIN_DAYS = 14  # "angemessene Frist": two weeks at least, so that post and a reply fit in
HEARING_MEASURES = {"rejection": "Ablehnung", "recovery": "Rückforderung"}
STAGES_BEFORE_NOTICE = (Stage.ELIGIBILITY, Stage.DOCUMENTS_REQUESTED, Stage.RECOMMENDATION, Stage.BOARD,
                        Stage.DEFERRED)
STAGES_AFTER_NOTICE = (Stage.IMPLEMENTATION, Stage.USE_REPORT_CHECK, Stage.SETTLEMENT, Stage.CLOSED)


def _issued_bescheid(application: Application) -> Letter | None:
    return application.letters.filter(kind=Letter.Kind.BESCHEID, status=Letter.Status.ISSUED).order_by("-pk").first()


# --- Nachforderung -------------------------------------------------------------------------------------


def documents_request_letter(*, request: DocumentRequest) -> Letter:
    """The letter for a Nachforderung, issued by the system in the advisor's name."""
    items = [line.strip(" -•\t") for line in request.items.splitlines() if line.strip(" -•\t")]
    letter = letter_draft(actor=None, application=request.application, kind=Letter.Kind.DOCUMENTS_REQUEST,
                          content={"items": request.items, "items_list": items,
                                   "deadline": request.deadline.isoformat()})
    return letter_issue(actor=None, letter=letter, signer=request.requested_by)


# --- Anhörung ------------------------------------------------------------------------------------------


def hearing_earliest_deadline() -> date:
    return timezone.localdate() + timedelta(days=HEARING_MIN_DAYS)


@transaction.atomic
def hearing_send(*, actor, application: Application, measure: str, facts: str, deadline: date | None) -> Letter:
    """Anhörung before a rejection (before the notice) or a recovery (after it). Issued at once in the name of
    the official: it announces a decision and decides nothing itself, so no second person is needed."""
    application = application_locked(application)
    if measure not in HEARING_MEASURES:
        raise DomainError(_("Bitte wählen Sie die beabsichtigte Maßnahme."), field="measure")
    if measure == "rejection" and application.stage not in STAGES_BEFORE_NOTICE:
        raise DomainError(_("Eine Anhörung vor einer Ablehnung ist nur vor dem Bescheid möglich."), field="measure")
    if measure == "recovery" and (application.stage not in STAGES_AFTER_NOTICE or _issued_bescheid(application)
                                  is None):
        raise DomainError(_("Eine Anhörung vor einer Rückforderung setzt einen erlassenen Zuwendungsbescheid "
                            "voraus."), field="measure")
    if not facts.strip():
        raise DomainError(_("Bitte schildern Sie den Sachverhalt und die Gründe der beabsichtigten Maßnahme."),
                          field="facts")
    earliest = hearing_earliest_deadline()
    if deadline is None or deadline < earliest:
        raise DomainError(_("Die Frist zur Stellungnahme muss mindestens zwei Wochen betragen, also frühestens am "
                            "%(date)s enden.") % {"date": date_de(earliest)}, field="deadline")
    letter = letter_draft(actor=actor, application=application, kind=Letter.Kind.HEARING, content={
        "measure": measure, "measure_label": HEARING_MEASURES[measure], "facts": facts.strip(),
        "deadline": deadline.isoformat()})
    return letter_issue(actor=None, letter=letter, signer=actor)


# --- Änderungsbescheid ---------------------------------------------------------------------------------


def amendment_ceiling(application: Application) -> Decimal:
    """The most an Änderungsbescheid may grant: what the Beirat approved."""
    decision = application.board_decisions.filter(outcome__in=BoardDecision.APPROVING).order_by("-pk").first()
    return decision.amount if decision else application.approved_grant


def _amendment_floor(application: Application) -> Decimal:
    return application_paid(application) + application_ordered_open(application)


@transaction.atomic
def amendment_draft(*, actor, application: Application, new_amount: Decimal, new_period_end: date,
                    conditions: str, reasons: str) -> Letter:
    """Draft of an Änderungsbescheid; a second person checks and issues it (amendment_issue)."""
    application = application_locked(application)
    bescheid = _issued_bescheid(application)
    if application.stage != Stage.IMPLEMENTATION or bescheid is None:
        raise DomainError(_("Ein Änderungsbescheid ist nur nach Erlass des Zuwendungsbescheids während der "
                            "Umsetzung möglich."))
    if application.letters.filter(kind=Letter.Kind.AMENDMENT, status=Letter.Status.DRAFT).exists():
        raise DomainError(_("Für diesen Antrag wartet bereits ein Änderungsbescheid auf die Prüfung."))
    old_amount, old_end = application.approved_grant, application.approval_period_end
    if new_amount is None or new_amount <= 0:
        raise DomainError(_("Bitte geben Sie einen Betrag größer als 0 € an."), field="new_amount")
    ceiling, floor = amendment_ceiling(application), _amendment_floor(application)
    if new_amount > ceiling:
        raise DomainError(_("Der Betrag von %(amount)s übersteigt den vom Beirat bewilligten Betrag von "
                            "%(ceiling)s.") % {"amount": euro(new_amount), "ceiling": euro(ceiling)},
                          field="new_amount")
    if new_amount < floor:
        raise DomainError(_("Der Betrag von %(amount)s liegt unter dem, was bereits ausgezahlt oder angeordnet ist "
                            "(%(floor)s).") % {"amount": euro(new_amount), "floor": euro(floor)}, field="new_amount")
    if new_period_end is None or new_period_end < timezone.localdate():
        raise DomainError(_("Der Bewilligungszeitraum darf nicht in der Vergangenheit enden."),
                          field="new_period_end")
    if new_amount == old_amount and new_period_end == old_end and not conditions.strip():
        raise DomainError(_("Bitte ändern Sie den Betrag, das Ende des Bewilligungszeitraums oder die "
                            "Nebenbestimmungen."))
    if not reasons.strip():
        raise DomainError(_("Bitte begründen Sie die Änderung."), field="reasons")
    if new_amount > old_amount and DeMinimisGrant.objects.filter(application=application).exists():
        de_minimis_ensure_within_ceiling(application=application, amount=new_amount)  # checked again at issue
    paid = application_paid(application)
    return letter_draft(actor=actor, application=application, kind=Letter.Kind.AMENDMENT, content={
        "bescheid_number": bescheid.number,
        "bescheid_issued_on": timezone.localtime(bescheid.issued_at).date().isoformat(),
        "old_amount": old_amount, "new_amount": new_amount, "reduced": new_amount < old_amount,
        "old_period_end": old_end.isoformat() if old_end else None, "new_period_end": new_period_end.isoformat(),
        "use_report_due": add_months(new_period_end, application.rules.proof_of_use_months).isoformat(),
        "conditions": conditions.strip(), "reasons": reasons.strip(), "paid": paid,
        "still_open": new_amount - paid,
    })


@transaction.atomic
def amendment_issue(*, actor, letter: Letter) -> Letter:
    """The second person issues the Änderungsbescheid; the approved grant, the approval period and the ledger
    follow. Refused (nothing changes) if the drafter issues, if payments meanwhile went beyond the new amount,
    or if the budget does not cover an increase."""
    application = application_locked(letter.application)
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    if letter.kind != Letter.Kind.AMENDMENT or letter.status != Letter.Status.DRAFT:
        raise DomainError(_("Dieser Änderungsbescheid wartet nicht auf die Prüfung."))
    if letter.drafted_by_id == actor.pk:
        raise DomainError(_("Vier-Augen-Prinzip: Wer einen Bescheid entworfen hat, darf ihn nicht selbst "
                            "erlassen."))
    content = letter.data["content"]
    new_amount, old_amount = Decimal(content["new_amount"]), application.approved_grant
    if application.stage != Stage.IMPLEMENTATION or old_amount != Decimal(content["old_amount"]):
        raise DomainError(_("Der Antrag hat sich seit dem Entwurf geändert. Bitte verwerfen Sie den Entwurf und "
                            "entwerfen Sie die Änderung neu."))
    floor = _amendment_floor(application)
    if new_amount < floor:
        raise DomainError(_("Der Betrag von %(amount)s liegt unter dem, was bereits ausgezahlt oder angeordnet ist "
                            "(%(floor)s).") % {"amount": euro(new_amount), "floor": euro(floor)})
    note = f"Änderungsbescheid {letter.number}"
    if new_amount < old_amount:
        commitment_release(actor=actor, application=application, amount=old_amount - new_amount, note=note)
    elif new_amount > old_amount:
        commitment_book(actor=actor, application=application, amount=new_amount - old_amount)
    letter = letter_issue(actor=actor, letter=letter)
    de_minimis_amend(actor=actor, application=application, amendment=letter, amount=new_amount)
    application_set_stage(actor=actor, application=application, stage=Stage.IMPLEMENTATION,
                          approved_grant=new_amount, approval_period_end=date.fromisoformat(content["new_period_end"]),
                          use_report_due=date.fromisoformat(content["use_report_due"]))
    return letter


@transaction.atomic
def amendment_return(*, actor, letter: Letter, note: str) -> None:
    """The second person sends the draft back: it is discarded (never issued, so nothing refers to it)."""
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    if letter.kind != Letter.Kind.AMENDMENT or letter.status != Letter.Status.DRAFT:
        raise DomainError(_("Dieser Änderungsbescheid wartet nicht auf die Prüfung."))
    if letter.drafted_by_id == actor.pk:
        raise DomainError(_("Vier-Augen-Prinzip: Den eigenen Entwurf prüft eine zweite Person."))
    if not note.strip():
        raise DomainError(_("Bitte vermerken Sie, was am Entwurf zu ändern ist."), field="note")
    audit_record(actor=actor, action="letter.amendment.returned", obj=letter, application=letter.application,
                 before={"number": letter.number, "content": letter.data["content"]}, after={"note": note.strip()})
    letter.delete()


# --- Auszahlungsmitteilung -----------------------------------------------------------------------------


def iban_masked(iban: str) -> str:
    """All but the last four characters hidden, grouped in fours: "**** **** **** **** **12 34"."""
    compact = "".join((iban or "").split()).upper()
    if len(compact) < 5:
        return ""
    masked = "*" * (len(compact) - 4) + compact[-4:]
    return " ".join(masked[i:i + 4] for i in range(0, len(masked), 4))


def payment_notice_letter(*, payment: Payment) -> Letter:
    """Auszahlungsmitteilung for a released payment, issued by the system in the releasing official's name."""
    application = payment.application
    paid = application_paid(application)
    ceiling = application.final_grant if application.final_grant is not None else application.approved_grant
    letter = letter_draft(actor=None, application=application, kind=Letter.Kind.PAYMENT_NOTICE, content={
        "payment_id": payment.pk, "amount": payment.amount, "kind": payment.kind,
        "kind_label": "Schlusszahlung" if payment.kind == Payment.Kind.FINAL else "Teilzahlung",
        "iban_masked": iban_masked(application.organisation.iban),
        "approved_grant": ceiling, "paid_total": paid, "remaining": max(ceiling - paid, Decimal("0")),
        "released_on": timezone.localtime(payment.released_at).date().isoformat(),
    })
    return letter_issue(actor=None, letter=letter, signer=payment.released_by)
