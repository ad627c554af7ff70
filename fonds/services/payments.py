"""Payment requests, payment orders and releases (four-eyes), proof of use and settlement."""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from fonds.errors import DomainError
from fonds.formatting import euro
from fonds.models import (
    Application,
    BaseRate,
    Document,
    Payment,
    PaymentRequest,
    ReceiptLine,
    Recovery,
    Stage,
    UseReport,
)
from fonds.services.applications import application_locked, application_set_stage
from fonds.services.audit import audit_record
from fonds.services.finality import payment_block_check
from fonds.services.grants import CENT, grant_amount
from fonds.services.ledger import (
    application_ordered_open,
    application_paid,
    commitment_release,
    payment_book,
    payment_private_match_check,
    recovery_book,
)

INTEREST_POINTS_ABOVE_BASE = Decimal("5")  # § 49a Abs. 3 VwVfG


def payment_ceiling(application: Application) -> Decimal:
    """The most that may ever have left the fund for this application: the approved grant, or the final
    grant once the proof of use is settled."""
    return application.final_grant if application.final_grant is not None else (application.approved_grant or 0)


def payment_headroom(application: Application) -> Decimal:
    return payment_ceiling(application) - application_paid(application) - application_ordered_open(application)


@transaction.atomic
def payment_request_create(*, actor, application: Application, amount: Decimal, note: str) -> PaymentRequest:
    application = application_locked(application)
    if application.stage != Stage.IMPLEMENTATION:
        raise DomainError(_("Auszahlungen können erst nach Erlass des Bescheids angefordert werden."))
    headroom = payment_headroom(application)
    if amount <= 0:
        raise DomainError(_("Bitte geben Sie einen Betrag größer als 0 € an."), field="amount")
    if amount > headroom:
        raise DomainError(_("Es können höchstens noch %(amount)s abgerufen werden.") % {"amount": euro(headroom)},
                          field="amount")
    if not application.documents.filter(kind=Document.Kind.RECEIPT).exists():
        raise DomainError(_("Bitte laden Sie zuerst die Rechnungen hoch, für die Sie Geld abrufen (Art: Rechnung / "
                            "Zahlungsnachweis)."))
    request = PaymentRequest.objects.create(application=application, amount=amount, note=note, requested_by=actor)
    audit_record(actor=actor, action="payment.requested", obj=request, application=application,
                 after={"amount": amount})
    return request


@transaction.atomic
def payment_order(*, actor, application: Application, amount: Decimal, kind: str,
                  request: PaymentRequest | None = None, factually_correct: bool = False) -> Payment:
    """Anordnung: never more than is left of the grant, only once the Bescheid is final (unless the fund allows
    earlier payment), and with the orderer's Feststellung der sachlichen Richtigkeit."""
    application = application_locked(application)
    payment_block_check(application)
    if not factually_correct:
        raise DomainError(_("Bitte stellen Sie die sachliche Richtigkeit fest, bevor Sie die Auszahlung anordnen."),
                          field="factually_correct")
    headroom = payment_headroom(application)
    if amount <= 0:
        raise DomainError(_("Bitte geben Sie einen Betrag größer als 0 € an."), field="amount")
    if amount > headroom:
        raise DomainError(_("Die Auszahlung von %(amount)s übersteigt den noch nicht ausgezahlten Teil des "
                            "Zuschusses (%(headroom)s).") % {"amount": euro(amount), "headroom": euro(headroom)},
                          field="amount")
    payment = Payment.objects.create(application=application, request=request, kind=kind, amount=amount,
                                     ordered_by=actor, factual_by=actor, factual_at=timezone.now())
    audit_record(actor=actor, action="payment.ordered", obj=payment, application=application,
                 after={"amount": amount, "kind": kind, "factually_correct": True})
    return payment


@transaction.atomic
def payment_release(*, actor, payment: Payment, arithmetically_correct: bool = False) -> Payment:
    """Freigabe by a second person, who also attests the rechnerische Richtigkeit; books the payment in the
    ledger."""
    application = application_locked(payment.application)
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.status != Payment.Status.ORDERED:
        raise DomainError(_("Diese Auszahlung wurde bereits freigegeben."))
    if payment.ordered_by_id == actor.pk:
        raise DomainError(_("Vier-Augen-Prinzip: Wer eine Auszahlung angeordnet hat, darf sie nicht selbst "
                            "freigeben."))
    if payment.factual_by_id == actor.pk:
        raise DomainError(_("Sachliche und rechnerische Richtigkeit stellen zwei verschiedene Personen fest."))
    payment_block_check(application)
    if not arithmetically_correct:
        raise DomainError(_("Bitte stellen Sie die rechnerische Richtigkeit fest, bevor Sie die Auszahlung "
                            "freigeben."), field="arithmetically_correct")
    if application_paid(application) + payment.amount > payment_ceiling(application):
        raise DomainError(_("Die Auszahlung würde den bewilligten Zuschuss übersteigen."))
    payment_private_match_check(application=application, amount=payment.amount)  # share rule: ledger.py
    payment.status = Payment.Status.RELEASED
    payment.released_by = actor
    payment.released_at = timezone.now()
    payment.arithmetic_by, payment.arithmetic_at = actor, payment.released_at
    payment.save()
    with translation.override("de"):  # the Fondsbuch is kept in German, whoever books
        note = f"{payment.get_kind_display()} {application.file_number}"
    payment_book(actor=actor, application=application, amount=payment.amount, note=note)
    audit_record(actor=actor, action="payment.released", obj=payment, application=application,
                 before={"status": Payment.Status.ORDERED},
                 after={"status": payment.status, "arithmetically_correct": True})
    return payment


@transaction.atomic
def use_report_missing_documents(application: Application) -> list[str]:
    """What the proof of use needs as files: receipts and payment proofs, photos of the finished project
    and of the funding sign in place."""
    kinds = set(application.documents.values_list("kind", flat=True))
    needed = [(Document.Kind.RECEIPT, _("die Rechnungen und Zahlungsnachweise")),
              (Document.Kind.FINISHED_PHOTO, _("mindestens ein Foto des fertigen Vorhabens")),
              (Document.Kind.FUNDING_SIGN, _("ein Foto des angebrachten Förderhinweises"))]
    return [label for kind, label in needed if kind not in kinds]


def use_report_submit(*, actor, application: Application, narrative: str, lines: list[dict],
                      funding_sign_in_place: bool) -> UseReport:
    application = application_locked(application)
    if application.stage != Stage.IMPLEMENTATION:
        raise DomainError(_("Ein Verwendungsnachweis kann in diesem Stand nicht eingereicht werden."))
    if not narrative.strip():
        raise DomainError(_("Bitte beschreiben Sie im Sachbericht, was umgesetzt wurde."), field="narrative")
    if not lines:
        raise DomainError(_("Bitte tragen Sie mindestens einen Beleg in die Belegliste ein."))
    if not funding_sign_in_place:
        raise DomainError(_("Bitte bestätigen Sie, dass der Förderhinweis angebracht ist."),
                          field="funding_sign_in_place")
    missing = use_report_missing_documents(application)
    if missing:
        raise DomainError(_("Bitte laden Sie noch hoch: %(documents)s.") % {"documents": ", ".join(missing)})
    own_items = set(application.cost_items.values_list("pk", flat=True))
    if any(line.get("cost_item") is not None and line["cost_item"].pk not in own_items for line in lines):
        raise DomainError(_("Ein Beleg ist einer Kostenposition zugeordnet, die nicht zu diesem Antrag gehört."))
    report = UseReport.objects.create(application=application, narrative=narrative, submitted_by=actor,
                                      funding_sign_in_place=True)
    receipts = [ReceiptLine(use_report=report, **line) for line in lines]
    for receipt in receipts:
        receipt.full_clean(exclude=["use_report"])
    ReceiptLine.objects.bulk_create(receipts)
    audit_record(actor=actor, action="use_report.submitted", obj=report, application=application,
                 after={"lines": len(receipts), "claimed": use_report_claimed_costs(report)})
    application_set_stage(actor=actor, application=application, stage=Stage.USE_REPORT_CHECK)
    return report


def use_report_claimed_costs(report: UseReport) -> Decimal:
    application = report.application
    rules = application.rules
    use_net = application.vat_deductible and rules.net_if_vat_deductible
    return sum(((r.net_amount if use_net else r.gross_amount) for r in report.receipt_lines.all() if r.eligible),
               Decimal("0.00"))


@transaction.atomic
def use_report_check(*, actor, report: UseReport, accepted: bool, accepted_costs: Decimal | None,
                     note: str) -> UseReport:
    application = application_locked(report.application)
    if application.stage != Stage.USE_REPORT_CHECK or report.checked_at is not None:
        raise DomainError(_("Dieser Verwendungsnachweis ist nicht (mehr) zu prüfen."))
    if not note.strip():
        raise DomainError(_("Bitte halten Sie das Ergebnis der Prüfung in einem Prüfvermerk fest."), field="note")
    if accepted:
        if accepted_costs is None or accepted_costs < 0:
            raise DomainError(_("Bitte geben Sie die anerkannten zuwendungsfähigen Kosten an."),
                              field="accepted_costs")
        if accepted_costs > use_report_claimed_costs(report):
            raise DomainError(_("Es können nicht mehr Kosten anerkannt werden, als belegt sind."),
                              field="accepted_costs")
    report.accepted_eligible_costs = accepted_costs if accepted else None
    report.check_note = note
    report.checked_by = actor
    report.checked_at = timezone.now()
    report.save()
    audit_record(actor=actor, action="use_report.checked", obj=report, application=application,
                 after={"accepted": accepted, "accepted_costs": accepted_costs, "note": note})
    application_set_stage(actor=actor, application=application,
                          stage=Stage.SETTLEMENT if accepted else Stage.IMPLEMENTATION)
    return report


def interest_rate_on(day: date) -> Decimal:
    base = BaseRate.objects.filter(valid_from__lte=day).order_by("-valid_from").first()
    if base is None:
        raise DomainError(_("Für die Zinsberechnung ist kein Basiszinssatz hinterlegt (Fondsverwaltung)."))
    return base.rate_percent + INTEREST_POINTS_ABOVE_BASE


def interest_amount(*, principal: Decimal, rate_percent: Decimal, start: date, end: date) -> Decimal:
    """Simple interest for the actual days, on a 365-day year, commercially rounded to the cent."""
    days = (end - start).days
    return (principal * rate_percent / Decimal(100) * Decimal(days) / Decimal(365)).quantize(
        CENT, rounding=ROUND_HALF_UP)


@transaction.atomic
def settlement_record(*, actor, application: Application) -> dict:
    """Schlussabrechnung: the grant on the accepted actual costs (never above the approval). Releases the
    unused commitment; an overpayment becomes a Rückforderung with interest."""
    application = application_locked(application)
    if application.stage != Stage.SETTLEMENT or application.final_grant is not None:
        raise DomainError(_("Für diesen Antrag steht keine Schlussabrechnung an."))
    report = application.use_reports.filter(accepted_eligible_costs__isnull=False).last()
    final = grant_amount(rules=application.rules, eligible_costs=report.accepted_eligible_costs,
                         cap=application.approved_grant, enforce_minimum=False).amount
    paid = application_paid(application)
    released = application.approved_grant - final
    application.final_grant = final
    application.save(update_fields=["final_grant", "updated_at"])
    commitment_release(actor=actor, application=application, amount=released,
                       note="Freigabe nach Schlussabrechnung")
    result = {"approved_grant": application.approved_grant, "accepted_costs": report.accepted_eligible_costs,
              "final_grant": final, "paid": paid, "released": released,
              "final_payment": max(final - paid, Decimal("0.00")), "recovery": None}
    if paid > final:
        today = timezone.localdate()
        last_payment = application.payments.filter(
            status__in=[Payment.Status.RELEASED, Payment.Status.PAID]).order_by("-released_at").first()
        start = timezone.localtime(last_payment.released_at).date()
        rate = interest_rate_on(today)
        principal = paid - final
        recovery = Recovery.objects.create(
            application=application, principal=principal, interest_rate=rate, interest_from=start,
            interest_to=today, interest=interest_amount(principal=principal, rate_percent=rate, start=start,
                                                        end=today),
            created_by=actor)
        recovery_book(actor=actor, application=application, amount=principal,
                      note=f"Rückforderung {application.file_number}")
        result["recovery"] = recovery
    audit_record(actor=actor, action="settlement.recorded", obj=application, application=application,
                 after={k: v for k, v in result.items() if k != "recovery"})
    return result


def recovery_due_date(today: date | None = None) -> date:
    return (today or timezone.localdate()) + timedelta(days=30)
