"""Handing released payments to the city's cash office (Stadtkasse) and recording the day they were paid.

The cash office pays; Fondsflow only hands over what the second person released (Freigabe), as a SEPA credit
transfer (pain.001.001.03) for the bank or as a CSV list for the Kasse's own system. Each payment goes over
once: the export locks the fund and the payments, so two clicks at the same time never hand one over twice."""

import csv
import hashlib
import io
import secrets
from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException
from sepaxml import SepaTransfer

from fonds.errors import DomainError
from fonds.models import Fund, Payment, PaymentExport
from fonds.selectors.payments import payments_to_export
from fonds.services.audit import audit_record

CSV_COLUMNS = ["Aktenzeichen", "Empfänger", "IBAN", "BIC", "Betrag", "Verwendungszweck", "Haushaltsstelle",
               "Freigegeben am", "Freigegeben von", "Sachlich richtig", "Rechnerisch richtig"]
# A spreadsheet runs a cell that starts like a formula; applicants choose their organisation's name.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cents(amount: Decimal) -> int:
    """The amount in whole cents, as sepaxml wants it. Money has two decimal places in the database; anything
    finer would be rounded silently by a bank, so it is refused here instead."""
    value = amount * 100
    if value != value.to_integral_value():
        raise ValueError(f"{amount} is not a whole number of cents")
    return int(value)


def iban_or_none(value: str) -> IBAN | None:
    try:
        return IBAN(value or "")
    except SchwiftyException:
        return None


def remittance(payment: Payment, fund: Fund) -> str:
    """Verwendungszweck: the file number, the fund's code and its budget account (max. 140 characters)."""
    return " ".join(part for part in (payment.application.file_number, fund.code, fund.budget_account)
                    if part)[:140]


def released_by_label(payment: Payment) -> str:
    user = payment.released_by
    return user.get_full_name() or user.get_username()


def attestation_label(user, at) -> str:
    """Who attested sachliche or rechnerische Richtigkeit, and when ("" for payments from before the rule)."""
    if user is None:
        return ""
    return f"{user.get_full_name() or user.get_username()}, {timezone.localtime(at):%d.%m.%Y}"


def sepa_file(*, fund: Fund, payments: list[Payment], ibans: dict[int, IBAN], execution_date: date) -> bytes:
    authority = fund.authority
    debtor = iban_or_none(authority.iban)
    if debtor is None:
        raise DomainError(_("Die IBAN der Bewilligungsbehörde „%(authority)s“ ist ungültig oder fehlt. Bitte "
                            "die Stammdaten der Behörde korrigieren lassen; es wurde nichts übergeben.")
                          % {"authority": authority.name})
    config = {"name": authority.name, "IBAN": debtor.compact, "batch": True, "currency": "EUR"}
    if authority.bic:
        try:
            config["BIC"] = str(BIC(authority.bic))
        except SchwiftyException:
            raise DomainError(_("Die BIC der Bewilligungsbehörde „%(authority)s“ ist ungültig; es wurde nichts "
                                "übergeben.") % {"authority": authority.name}) from None
    transfer = SepaTransfer(config, schema="pain.001.001.03")
    for payment in payments:
        transfer.add_payment({
            "name": payment.application.organisation.name,
            "IBAN": ibans[payment.pk].compact,
            "amount": cents(payment.amount),
            "execution_date": execution_date,
            "description": remittance(payment, fund),
            "endtoend_id": str(payment.pk),
        })
    # sepaxml checks the result against the pain.001.001.03 schema it ships (offline, with xmlschema).
    return transfer.export(validate=True)


def _cell(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def german_amount(amount: Decimal) -> str:
    """1234.5 → "1234,50": decimal comma, no thousands separator (the Kasse's import reads it as a number)."""
    return f"{amount:.2f}".replace(".", ",")


def csv_file(*, fund: Fund, payments: list[Payment], ibans: dict[int, IBAN]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for payment in payments:
        iban = ibans[payment.pk]
        bic = iban.bic
        writer.writerow([_cell(value) for value in (
            payment.application.file_number, payment.application.organisation.name, iban.compact,
            str(bic) if bic else "", german_amount(payment.amount), remittance(payment, fund),
            fund.budget_account, f"{timezone.localtime(payment.released_at):%d.%m.%Y}",
            released_by_label(payment), attestation_label(payment.factual_by, payment.factual_at),
            attestation_label(payment.arithmetic_by, payment.arithmetic_at))])
    # The BOM makes Excel read the umlauts as UTF-8.
    return out.getvalue().encode("utf-8-sig")


@transaction.atomic
def payments_export(*, actor, fund: Fund, kind: str) -> PaymentExport:
    """Hand every released payment of the fund that has not gone to the cash office yet over in one file.
    Refuses the whole export (nothing changes) if a recipient has no valid IBAN."""
    if kind not in PaymentExport.Kind.values:
        raise DomainError(_("Unbekannte Art der Übergabe."))
    # One export of a fund at a time; the second waits here and then finds the payments already handed over.
    fund = Fund.objects.select_for_update().select_related("authority").get(pk=fund.pk)
    payments = list(payments_to_export(fund).select_for_update(of=("self",)))
    if not payments:
        raise DomainError(_("Es gibt keine freigegebenen Auszahlungen, die noch nicht an die Stadtkasse übergeben "
                            "wurden."))
    ibans = {payment.pk: iban_or_none(payment.application.organisation.iban) for payment in payments}
    missing = sorted({p.application.file_number for p in payments if ibans[p.pk] is None})
    if missing:
        raise DomainError(_("Für diese Anträge ist keine gültige IBAN des Zuwendungsempfängers hinterlegt: "
                            "%(files)s. Bitte die IBAN in den Stammdaten der Organisation korrigieren; es wurde "
                            "nichts übergeben.") % {"files": ", ".join(missing)})
    now = timezone.now()
    if kind == PaymentExport.Kind.SEPA:
        content, ending = sepa_file(fund=fund, payments=payments, ibans=ibans,
                                    execution_date=timezone.localdate()), "xml"
    else:
        content, ending = csv_file(fund=fund, payments=payments, ibans=ibans), "csv"
    export = PaymentExport(fund=fund, kind=kind, created_by=actor, sha256=hashlib.sha256(content).hexdigest(),
                           payment_count=len(payments), total=sum((p.amount for p in payments), Decimal("0.00")))
    # Stored last, after every check: a refused export leaves no file behind.
    name = f"{fund.code}-{timezone.localtime(now):%Y%m%d-%H%M%S}-{secrets.token_hex(4)}.{ending}"
    export.file.save(name, ContentFile(content), save=False)
    export.save()
    Payment.objects.filter(pk__in=[p.pk for p in payments]).update(export_batch=export, exported_at=now)
    audit_record(actor=actor, action="payment_export.created", obj=export,
                 after={"kind": kind, "payments": [p.pk for p in payments], "total": export.total,
                        "sha256": export.sha256})
    for payment in payments:
        audit_record(actor=actor, action="payment.exported", obj=payment, application=payment.application,
                     before={"exported_at": None}, after={"exported_at": now, "export": export.pk})
    return export


@transaction.atomic
def payment_mark_paid(*, actor, payment: Payment, paid_on: date) -> Payment:
    """The cash office reports the transfer: the payment is paid on that day."""
    payment = Payment.objects.select_for_update().select_related("application").get(pk=payment.pk)
    if payment.status == Payment.Status.PAID:
        raise DomainError(_("Diese Auszahlung ist bereits als bezahlt erfasst."))
    if payment.status != Payment.Status.RELEASED:
        raise DomainError(_("Nur freigegebene Auszahlungen können als bezahlt markiert werden."))
    if paid_on > timezone.localdate():
        raise DomainError(_("Das Zahldatum darf nicht in der Zukunft liegen."), field="paid_on")
    if paid_on < timezone.localtime(payment.released_at).date():
        raise DomainError(_("Das Zahldatum darf nicht vor der Freigabe liegen."), field="paid_on")
    payment.status = Payment.Status.PAID
    payment.paid_on = paid_on
    payment.save(update_fields=["status", "paid_on"])
    audit_record(actor=actor, action="payment.paid", obj=payment, application=payment.application,
                 before={"status": Payment.Status.RELEASED}, after={"status": payment.status, "paid_on": paid_on})
    return payment
