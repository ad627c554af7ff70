"""Jahresabschluss: what is not bound at the end of a budget year is carried over into the next year or lapses,
as Finanzen decides per source. Recorded once per fund and year; afterwards no commitment in that year."""

from decimal import ROUND_DOWN, Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fonds.errors import DomainError
from fonds.models import BudgetLine, Fund, PrivateContribution, YearClosing, YearClosingLine
from fonds.services.audit import audit_record
from fonds.services.grants import CENT
from fonds.services.ledger import ZERO, fund_money

S = YearClosingLine.Source
PUBLIC_SOURCES = (S.BUND, S.LAND, S.STADT)


def year_end_uncommitted(*, fund: Fund, year: int) -> dict[str, Decimal]:
    """What is left per source. Commitments are split into public and pool money, not by Bund/Land/Stadt, so the
    public money left is shared out in the proportion of the year's public budget lines (the cent left over by
    rounding down goes to the last source that has a budget)."""
    figures = fund_money(fund=fund, year=year)
    by_source = {s: ZERO for s in PUBLIC_SOURCES}
    for line in BudgetLine.objects.filter(fund=fund, year=year, source__in=PUBLIC_SOURCES):
        by_source[line.source] += line.amount
    left = max(figures["public_available"], ZERO)
    result, given = {}, ZERO
    funded = [s for s in PUBLIC_SOURCES if by_source[s] > 0]
    for source in PUBLIC_SOURCES:
        if source not in funded:
            result[source] = ZERO
        elif source == funded[-1]:
            result[source] = left - given
        else:
            result[source] = (left * by_source[source] / figures["public_budget"]).quantize(CENT, rounding=ROUND_DOWN)
            given += result[source]
    result[S.POOL] = max(figures["pool_available"], ZERO)
    result["pool_received_free"] = min(max(figures["received"] - figures["pool_committed"], ZERO), result[S.POOL])
    return result


@transaction.atomic
def year_close(*, actor, fund: Fund, year: int, decisions: dict[str, str]) -> YearClosing:
    fund = Fund.objects.select_for_update().get(pk=fund.pk)  # no commitment may slip in while we close
    if year > timezone.localdate().year:
        raise DomainError(_("Ein künftiges Haushaltsjahr kann nicht abgeschlossen werden."), field="year")
    if YearClosing.objects.filter(fund=fund, year=year).exists():
        raise DomainError(_("Das Haushaltsjahr %(year)s ist bereits abgeschlossen.") % {"year": year}, field="year")
    left = year_end_uncommitted(fund=fund, year=year)
    for source in S.values:
        if left[source] > 0 and decisions.get(source) not in YearClosingLine.Decision.values:
            raise DomainError(_("Bitte entscheiden Sie für „%(source)s“, ob der Rest übertragen wird oder verfällt.")
                              % {"source": S(source).label}, field=source)
    closing = YearClosing.objects.create(fund=fund, year=year, closed_by=actor)
    note = _("Übertrag aus dem Haushaltsjahr %(year)s (Jahresabschluss)") % {"year": year}
    lines = []
    for source in S.values:
        decision = decisions.get(source) or YearClosingLine.Decision.LAPSE
        lines.append(YearClosingLine.objects.create(closing=closing, source=source, amount=left[source],
                                                    decision=decision))
        if decision != YearClosingLine.Decision.CARRY_OVER or left[source] <= 0:
            continue
        if source == S.POOL:
            PrivateContribution.objects.create(
                fund=fund, year=year + 1, contributor=note, kind=PrivateContribution.Kind.CARRY_OVER,
                pledged=left[source], received=left["pool_received_free"], created_by=actor)
        else:
            BudgetLine.objects.create(fund=fund, year=year + 1, source=source, amount=left[source], note=note)
    audit_record(actor=actor, action="year.closed", obj=closing,
                 after={"fund": fund.code, "year": year,
                        "lines": {line.source: {"amount": line.amount, "decision": line.decision} for line in lines}})
    return closing
