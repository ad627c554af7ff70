"""The fund's ledger. Every read-then-write on budget or payments runs under a row lock:
the fund row for budget and for the private money behind payments, the application row for payments.

The share rule (VV Städtebauförderung, domain.md §2.1/§2.2): of what the fund spends – grants plus the
applicants' own shares – at most `fund.max_public_share_percent` may be public money (Bund/Land/Stadt).
Each commitment takes public money as far as the rule and the public budget allow and the rest from the
pool of private contributions that are pledged and not yet bound; releases, payments and recoveries are
split in the proportion of the application's commitment."""

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from fonds.errors import DomainError
from fonds.formatting import euro
from fonds.models import (
    Application,
    BudgetLine,
    Fund,
    LedgerEntry,
    Payment,
    PrivateContribution,
    YearClosing,
)
from fonds.services.audit import audit_record
from fonds.services.grants import CENT

ZERO = Decimal("0.00")
HUNDRED = Decimal(100)
K = LedgerEntry.Kind
POOL_SOURCES = (BudgetLine.Source.PRIVATE, BudgetLine.Source.SPONSOR)


def _total(field="amount", **filters):
    return Coalesce(Sum(field, filter=Q(**filters)), Value(ZERO), output_field=DecimalField())


def _sum(queryset) -> Decimal:
    return queryset.aggregate(total=Sum("amount"))["total"] or ZERO


def percent(value: Decimal) -> str:
    return f"{value.quantize(CENT, rounding=ROUND_HALF_UP):.2f}".replace(".", ",") + "\u00a0%"


def fund_money(*, fund: Fund, year: int) -> dict:
    """Every figure of a fund's budget year, in three queries. Private/sponsor budget lines count as pool
    money that is pledged and received (it is already in the city's budget); private contributions count
    as pledged when promised and as received when the money has arrived."""
    lines = BudgetLine.objects.filter(fund=fund, year=year).aggregate(
        public=_total(source__in=BudgetLine.PUBLIC), pool=_total(source__in=POOL_SOURCES))
    contributions = PrivateContribution.objects.filter(fund=fund, year=year).aggregate(
        pledged=_total("pledged"), received=_total("received"))
    e = LedgerEntry.objects.filter(fund=fund, year=year).aggregate(
        **{f"{kind}_{part}": _total(part, kind=kind) for kind in K.values
           for part in ("amount", "public_amount", "own_share")})
    committed = e["commitment_amount"] - e["release_amount"]
    public_committed = e["commitment_public_amount"] - e["release_public_amount"]
    pool_budget = lines["pool"] + contributions["pledged"]
    figures = {
        "public_budget": lines["public"], "pool_budget": pool_budget,
        "pool_lines": lines["pool"], "pledged": contributions["pledged"],
        "received": lines["pool"] + contributions["received"],
        "contributions_received": contributions["received"],
        "budget": lines["public"] + pool_budget,
        "committed": committed, "public_committed": public_committed, "pool_committed": committed - public_committed,
        "own_share": e["commitment_own_share"] - e["release_own_share"],
        "paid": e["payment_amount"], "recovered": e["recovery_amount"],
        "pool_paid": (e["payment_amount"] - e["payment_public_amount"])
        - (e["recovery_amount"] - e["recovery_public_amount"]),
    }
    figures["available"] = figures["budget"] - committed
    figures["public_available"] = figures["public_budget"] - public_committed
    figures["pool_available"] = pool_budget - figures["pool_committed"]
    figures["spend"] = committed + figures["own_share"]
    figures["public_share"] = (public_committed * HUNDRED / figures["spend"]) if figures["spend"] else ZERO
    return figures


def fund_budget(*, fund: Fund, year: int) -> Decimal:
    return fund_money(fund=fund, year=year)["budget"]


def fund_available(*, fund: Fund, year: int) -> Decimal:
    return fund_money(fund=fund, year=year)["available"]


def application_committed(application: Application) -> Decimal:
    entries = LedgerEntry.objects.filter(application=application)
    return _sum(entries.filter(kind=K.COMMITMENT)) - _sum(entries.filter(kind=K.RELEASE))


def application_paid(application: Application) -> Decimal:
    """Money that has left the fund for this application, net of recoveries."""
    entries = LedgerEntry.objects.filter(application=application)
    return _sum(entries.filter(kind=K.PAYMENT)) - _sum(entries.filter(kind=K.RECOVERY))


def application_ordered_open(application: Application) -> Decimal:
    return _sum(Payment.objects.filter(application=application, status=Payment.Status.ORDERED))


def application_own_share(application: Application, grant: Decimal) -> Decimal:
    """Eligible costs of the cost plan minus the grant: the applicant's own share (never below 0)."""
    rules = application.rules
    use_net = application.vat_deductible and (rules.net_if_vat_deductible if rules else True)
    costs = sum(((i.net_amount if use_net else i.gross_amount) for i in application.cost_items.all() if i.eligible),
                ZERO)
    return max(costs - grant, ZERO)


def _application_split(application: Application) -> dict:
    return LedgerEntry.objects.filter(application=application, kind=K.COMMITMENT).aggregate(
        amount=_total(), public=_total("public_amount"), own=_total("own_share"))


def _proportional(part: Decimal, of: Decimal, amount: Decimal) -> Decimal:
    if not of:
        return ZERO
    return (amount * part / of).quantize(CENT, rounding=ROUND_HALF_UP)


def _book(*, actor, application, kind, amount, public_amount, own_share=ZERO, note=""):
    entry = LedgerEntry.objects.create(fund=application.fund, year=application.round.year, application=application,
                                       kind=kind, amount=amount, public_amount=public_amount, own_share=own_share,
                                       note=note, created_by=actor)
    audit_record(actor=actor, action=f"ledger.{kind}", obj=entry, application=application,
                 after={"amount": amount, "public_amount": public_amount, "own_share": own_share,
                        "year": entry.year, "note": note})
    return entry


def share_split(*, fund: Fund, year: int, grant: Decimal, own_share: Decimal, figures: dict | None = None) -> Decimal:
    """The public part of a new commitment of `grant`; the rest must come from free pool money. Refuses with
    the figures when the pool cannot cover what the rule keeps from public money."""
    f = figures or fund_money(fund=fund, year=year)
    allowed = fund.max_public_share_percent
    spend_after = f["spend"] + grant + own_share
    by_rule = (spend_after * allowed / HUNDRED - f["public_committed"]).quantize(CENT, rounding=ROUND_DOWN)
    public = max(min(grant, by_rule, f["public_available"]), ZERO)
    pool_needed = grant - public
    if pool_needed > f["pool_available"]:
        share = (f["public_committed"] + grant) * HUNDRED / spend_after
        raise DomainError(_(
            "Die Mittelbindung von %(grant)s ist nicht gedeckt: Öffentliche Mittel dürfen höchstens %(allowed)s "
            "dessen tragen, was der Fonds ausgibt (Zuschüsse und Eigenanteile). Bisher öffentlich gebunden: "
            "%(public)s von %(spend)s; mit dieser Bindung (Zuschuss %(grant)s, Eigenanteil %(own)s) läge der "
            "öffentliche Anteil bei %(share)s. Aus öffentlichen Mitteln sind höchstens %(public_part)s möglich "
            "(noch verfügbar: %(public_available)s); aus dem Pool privater Mittel wären %(pool_needed)s nötig, "
            "frei sind dort nur %(pool)s.") % {
                "grant": euro(grant), "allowed": percent(allowed), "public": euro(f["public_committed"]),
                "spend": euro(f["spend"]), "own": euro(own_share), "share": percent(share),
                "public_part": euro(public), "public_available": euro(f["public_available"]),
                "pool_needed": euro(pool_needed), "pool": euro(f["pool_available"])},
            field="amount")
    return public


def year_closed_check(*, fund: Fund, year: int) -> None:
    if YearClosing.objects.filter(fund=fund, year=year).exists():
        raise DomainError(_("Das Haushaltsjahr %(year)s des Fonds ist abgeschlossen: Es können keine Mittel mehr "
                            "gebunden werden.") % {"year": year}, field="amount")


@transaction.atomic
def commitment_book(*, actor, application: Application, amount: Decimal) -> LedgerEntry:
    """Bind `amount` of the fund's budget for this application. Refused if the budget does not cover it, if the
    public share would exceed the rule and the pool cannot make up for it, or if the year is closed."""
    fund = Fund.objects.select_for_update().get(pk=application.fund_id)
    year = application.round.year
    year_closed_check(fund=fund, year=year)
    figures = fund_money(fund=fund, year=year)
    if amount > figures["available"]:
        raise DomainError(_("Der Betrag von %(amount)s übersteigt die im Haushaltsjahr %(year)s noch verfügbaren "
                            "Mittel des Fonds (%(available)s).")
                          % {"amount": euro(amount), "year": year, "available": euro(figures["available"])},
                          field="amount")
    own_share = application_own_share(application, amount)
    public = share_split(fund=fund, year=year, grant=amount, own_share=own_share, figures=figures)
    return _book(actor=actor, application=application, kind=K.COMMITMENT, amount=amount, public_amount=public,
                 own_share=own_share, note="Mittelbindung nach Beiratsbeschluss")


@transaction.atomic
def commitment_release(*, actor, application: Application, amount: Decimal, note: str) -> LedgerEntry | None:
    if amount <= 0:
        return None
    Fund.objects.select_for_update().get(pk=application.fund_id)
    committed = application_committed(application)
    if amount > committed:
        raise DomainError(_("Es kann nicht mehr freigegeben werden, als gebunden ist."))
    split = _application_split(application)
    released = LedgerEntry.objects.filter(application=application, kind=K.RELEASE).aggregate(
        public=_total("public_amount"), own=_total("own_share"))
    if amount == committed:  # the last release gives back exactly what is left, whatever the rounding
        public, own = split["public"] - released["public"], split["own"] - released["own"]
    else:
        public = min(_proportional(split["public"], split["amount"], amount), split["public"] - released["public"])
        own = min(_proportional(split["own"], split["amount"], amount), split["own"] - released["own"])
    return _book(actor=actor, application=application, kind=K.RELEASE, amount=amount, public_amount=public,
                 own_share=own, note=note)


def _public_part_of(application: Application, amount: Decimal) -> Decimal:
    split = _application_split(application)
    return min(_proportional(split["public"], split["amount"], amount), amount)


def payment_book(*, actor, application: Application, amount: Decimal, note: str) -> LedgerEntry:
    return _book(actor=actor, application=application, kind=K.PAYMENT, amount=amount,
                 public_amount=_public_part_of(application, amount), note=note)


def recovery_book(*, actor, application: Application, amount: Decimal, note: str) -> LedgerEntry:
    return _book(actor=actor, application=application, kind=K.RECOVERY, amount=amount,
                 public_amount=_public_part_of(application, amount), note=note)


def payment_private_match_check(*, application: Application, amount: Decimal) -> None:
    """Public money is paid out only against matched private money: the pool part of all payments of the
    fund's year, this one included, must be covered by private money actually received (not just pledged)."""
    fund = Fund.objects.select_for_update().get(pk=application.fund_id)
    pool_part = amount - _public_part_of(application, amount)
    if pool_part <= 0:
        return
    year = application.round.year
    f = fund_money(fund=fund, year=year)
    if f["pool_paid"] + pool_part > f["received"]:
        raise DomainError(_(
            "Die Auszahlung von %(amount)s enthält %(pool_part)s aus privaten Mitteln (Pool). Im Haushaltsjahr "
            "%(year)s sind bisher %(pool_paid)s aus dem Pool ausgezahlt; eingegangen sind erst %(received)s "
            "(zugesagt: %(pledged)s). Bitte erfassen Sie zuerst den Zahlungseingang der privaten Mittel.") % {
                "amount": euro(amount), "pool_part": euro(pool_part), "year": year,
                "pool_paid": euro(f["pool_paid"]), "received": euro(f["received"]),
                "pledged": euro(f["pool_budget"])})
