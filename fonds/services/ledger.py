"""The fund's ledger. Every read-then-write on budget or payments runs under a row lock:
the fund row for budget, the application row for payments."""

from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _

from fonds.errors import DomainError
from fonds.formatting import euro
from fonds.models import Application, BudgetLine, Fund, LedgerEntry, Payment
from fonds.services.audit import audit_record

ZERO = Decimal("0.00")


def _sum(queryset) -> Decimal:
    return queryset.aggregate(total=Sum("amount"))["total"] or ZERO


def fund_budget(*, fund: Fund, year: int) -> Decimal:
    return _sum(BudgetLine.objects.filter(fund=fund, year=year))


def fund_available(*, fund: Fund, year: int) -> Decimal:
    entries = LedgerEntry.objects.filter(fund=fund, year=year)
    committed = _sum(entries.filter(kind=LedgerEntry.Kind.COMMITMENT))
    released = _sum(entries.filter(kind=LedgerEntry.Kind.RELEASE))
    return fund_budget(fund=fund, year=year) - committed + released


def application_committed(application: Application) -> Decimal:
    entries = LedgerEntry.objects.filter(application=application)
    return (_sum(entries.filter(kind=LedgerEntry.Kind.COMMITMENT))
            - _sum(entries.filter(kind=LedgerEntry.Kind.RELEASE)))


def application_paid(application: Application) -> Decimal:
    """Money that has left the fund for this application, net of recoveries."""
    entries = LedgerEntry.objects.filter(application=application)
    return _sum(entries.filter(kind=LedgerEntry.Kind.PAYMENT)) - _sum(entries.filter(kind=LedgerEntry.Kind.RECOVERY))


def application_ordered_open(application: Application) -> Decimal:
    return _sum(Payment.objects.filter(application=application, status=Payment.Status.ORDERED))


def _book(*, actor, application, kind, amount, note=""):
    entry = LedgerEntry.objects.create(fund=application.fund, year=application.round.year, application=application,
                                       kind=kind, amount=amount, note=note, created_by=actor)
    audit_record(actor=actor, action=f"ledger.{kind}", obj=entry, application=application,
                 after={"amount": amount, "year": entry.year, "note": note})
    return entry


def commitment_book(*, actor, application: Application, amount: Decimal) -> LedgerEntry:
    """Bind `amount` of the fund's budget for this application. Refused if the budget does not cover it."""
    Fund.objects.select_for_update().get(pk=application.fund_id)
    available = fund_available(fund=application.fund, year=application.round.year)
    if amount > available:
        raise DomainError(_("Der Betrag von %(amount)s übersteigt die im Haushaltsjahr %(year)s noch verfügbaren "
                            "Mittel des Fonds (%(available)s).")
                          % {"amount": euro(amount), "year": application.round.year, "available": euro(available)},
                          field="amount")
    return _book(actor=actor, application=application, kind=LedgerEntry.Kind.COMMITMENT, amount=amount,
                 note="Mittelbindung nach Beiratsbeschluss")


def commitment_release(*, actor, application: Application, amount: Decimal, note: str) -> LedgerEntry | None:
    if amount <= 0:
        return None
    Fund.objects.select_for_update().get(pk=application.fund_id)
    if amount > application_committed(application):
        raise DomainError(_("Es kann nicht mehr freigegeben werden, als gebunden ist."))
    return _book(actor=actor, application=application, kind=LedgerEntry.Kind.RELEASE, amount=amount, note=note)


def payment_book(*, actor, application: Application, amount: Decimal, note: str) -> LedgerEntry:
    return _book(actor=actor, application=application, kind=LedgerEntry.Kind.PAYMENT, amount=amount, note=note)


def recovery_book(*, actor, application: Application, amount: Decimal, note: str) -> LedgerEntry:
    return _book(actor=actor, application=application, kind=LedgerEntry.Kind.RECOVERY, amount=amount, note=note)
