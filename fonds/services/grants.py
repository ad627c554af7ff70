"""The one place that computes a grant from the fund's rules."""

from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

from django.utils.translation import gettext as _

from fonds.formatting import euro

CENT = Decimal("0.01")


@dataclass(frozen=True)
class GrantComputation:
    eligible_costs: Decimal
    amount: Decimal
    allowed: bool
    reasons: list[str] = field(default_factory=list)


def grant_amount(*, rules, eligible_costs: Decimal, cap: Decimal | None = None,
                 enforce_minimum: bool = True) -> GrantComputation:
    """min(max_grant, eligible_costs × rate), cut down to the cent, never above `cap`
    (what was approved). Below the minimum grant the grant is refused, with the reason."""
    if eligible_costs < 0:
        raise ValueError("eligible_costs must not be negative")
    rate = rules.rate_percent / Decimal(100)
    by_rate = (eligible_costs * rate).quantize(CENT, rounding=ROUND_DOWN)
    amount = by_rate
    reasons = [_("%(rate)s %% von %(costs)s zuwendungsfähigen Kosten ergeben %(amount)s.")
               % {"rate": f"{rules.rate_percent.normalize():f}", "costs": euro(eligible_costs),
                  "amount": euro(by_rate)}]
    if amount > rules.max_grant:
        amount = rules.max_grant
        reasons.append(_("Begrenzt auf den Höchstbetrag von %(amount)s.") % {"amount": euro(rules.max_grant)})
    if cap is not None and amount > cap:
        amount = cap.quantize(CENT, rounding=ROUND_DOWN)
        reasons.append(_("Begrenzt auf den bewilligten Betrag von %(amount)s.") % {"amount": euro(cap)})
    if enforce_minimum and amount < rules.min_grant:
        reasons.append(_("Der Zuschuss läge unter dem Mindestbetrag von %(amount)s und kann deshalb nicht "
                         "gewährt werden.") % {"amount": euro(rules.min_grant)})
        return GrantComputation(eligible_costs=eligible_costs, amount=Decimal("0.00"), allowed=False,
                                reasons=reasons)
    return GrantComputation(eligible_costs=eligible_costs, amount=amount, allowed=True, reasons=reasons)


def eligible_costs_of(*, items, vat_deductible: bool, rules) -> Decimal:
    """Sum of the eligible lines; net where the applicant can deduct input VAT (and the rules say so)."""
    use_net = vat_deductible and rules.net_if_vat_deductible
    total = sum(((item.net_amount if use_net else item.gross_amount) for item in items if item.eligible),
                Decimal("0.00"))
    return total.quantize(CENT, rounding=ROUND_DOWN)
