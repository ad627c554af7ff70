"""Reads for the fund dashboard: every figure per budget year in a fixed number of grouped queries, whatever
the number of applications, years or contributions."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, DecimalField, F, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from fonds.models import BudgetLine, LedgerEntry, Measure, PrivateContribution, YearClosing

ZERO = Decimal("0.00")
K = LedgerEntry.Kind
POOL_SOURCES = (BudgetLine.Source.PRIVATE, BudgetLine.Source.SPONSOR)


def _total(field, **filters):
    return Coalesce(Sum(field, filter=Q(**filters) if filters else None), Value(ZERO), output_field=DecimalField())


def _year_row(year):
    return {"year": year, "by_source": {s: ZERO for s in BudgetLine.Source.values}, "pledged": ZERO,
            "received": ZERO, "closed": False, **{k: ZERO for k in (
                "commitment", "release", "payment", "recovery", "commitment_public", "release_public",
                "commitment_own", "release_own", "payment_public", "recovery_public")}}


def fund_years(fund) -> list[dict]:
    """One row per budget year with budget (by source), committed, paid, recovered, available, the shares of
    what the fund spends (public money, pool money, applicants' own shares) and pledged vs received money."""
    rows = defaultdict(lambda: None)

    def row(year):
        if rows[year] is None:
            rows[year] = _year_row(year)
        return rows[year]

    for line in BudgetLine.objects.filter(fund=fund).values("year", "source").annotate(total=Sum("amount")):
        row(line["year"])["by_source"][line["source"]] += line["total"]
    for c in PrivateContribution.objects.filter(fund=fund).values("year").annotate(
            pledged=Sum("pledged"), received=Sum("received")):
        row(c["year"])["pledged"], row(c["year"])["received"] = c["pledged"], c["received"]
    for e in LedgerEntry.objects.filter(fund=fund).values("year", "kind").annotate(
            amount=Sum("amount"), public=Sum("public_amount"), own=Sum("own_share")):
        r = row(e["year"])
        r[e["kind"]] += e["amount"]
        r[f"{e['kind']}_public"] = e["public"]
        r[f"{e['kind']}_own"] = e["own"]
    for year in YearClosing.objects.filter(fund=fund).values_list("year", flat=True):
        row(year)["closed"] = True
    result = []
    for year in sorted(y for y in rows if rows[y] is not None):
        r = rows[year]
        r["public_budget"] = sum((r["by_source"][s] for s in BudgetLine.PUBLIC), ZERO)
        pool_lines = sum((r["by_source"][s] for s in POOL_SOURCES), ZERO)
        r["pledged_total"] = pool_lines + r["pledged"]
        r["received_total"] = pool_lines + r["received"]
        r["budget"] = r["public_budget"] + r["pledged_total"]
        r["committed"] = r["commitment"] - r["release"]
        r["paid"] = r["payment"]
        r["recovered"] = r["recovery"]
        r["available"] = r["budget"] - r["committed"]
        r["public"] = r["commitment_public"] - r["release_public"]
        r["pool"] = r["committed"] - r["public"]
        r["own_share"] = r["commitment_own"] - r["release_own"]
        r["spend"] = r["committed"] + r["own_share"]
        r["public_share"] = (r["public"] * 100 / r["spend"]) if r["spend"] else ZERO
        r["private_share"] = (100 - r["public_share"]) if r["spend"] else ZERO
        result.append(r)
    return result


def fund_measure_report(fund) -> list[dict]:
    """Proof of use for the Städtebauförderung: per year and Handlungsfeld (the category of the measure of the
    integrated concept an application serves) and measure, what is bound, the own shares and what is paid."""
    net = F("amount")
    rows = (LedgerEntry.objects.filter(fund=fund)
            .values("year", "application__measure__field_of_action", "application__measure__number",
                    "application__measure__title")
            .annotate(applications=Count("application", distinct=True, filter=Q(kind=K.COMMITMENT)),
                      committed=_total(net, kind=K.COMMITMENT) - _total(net, kind=K.RELEASE),
                      public=_total("public_amount", kind=K.COMMITMENT) - _total("public_amount", kind=K.RELEASE),
                      own_share=_total("own_share", kind=K.COMMITMENT) - _total("own_share", kind=K.RELEASE),
                      paid=_total(net, kind=K.PAYMENT) - _total(net, kind=K.RECOVERY))
            .order_by("year", "application__measure__field_of_action", "application__measure__number"))
    labels = dict(Measure.FieldOfAction.choices)
    return [{"year": r["year"],
             "category": str(labels.get(r["application__measure__field_of_action"]) or _("ohne Maßnahme")),
             "measure": " ".join(filter(None, [r["application__measure__number"], r["application__measure__title"]]))
             or "–",
             "applications": r["applications"], "committed": r["committed"], "public": r["public"],
             "pool": r["committed"] - r["public"], "own_share": r["own_share"], "paid": r["paid"]}
            for r in rows]
