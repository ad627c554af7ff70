"""The grant arithmetic: min(Höchstbetrag, Fördersatz × zuwendungsfähige Kosten), cut down to the cent,
never above what was approved, refused below the Bagatellgrenze. Unsaved RuleSets, so no database."""

from decimal import ROUND_DOWN, Decimal, localcontext

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fonds.models import CostItem, RuleSet
from fonds.services.grants import eligible_costs_of, grant_amount

D = Decimal
CENT = D("0.01")

# Pure arithmetic: no deadline, so a busy CI machine cannot make these flaky.
pure = settings(deadline=None)


def cents(low, high):
    """Money as the database holds it: two decimal places."""
    return st.integers(min_value=int(low * 100), max_value=int(high * 100)).map(lambda c: D(c) / 100)


rates = st.integers(min_value=1, max_value=10000).map(lambda c: D(c) / 100)  # 0,01 % … 100 %
costs = cents(0, 10_000_000)
grant_limits = st.tuples(cents(0, 50_000), cents(0, 200_000)).map(sorted)  # (min_grant, max_grant)


@st.composite
def rule_sets(draw):
    min_grant, max_grant = draw(grant_limits)
    return RuleSet(rate_percent=draw(rates), max_grant=max_grant, min_grant=min_grant)


def exact_product(rules, eligible_costs) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 60
        return eligible_costs * rules.rate_percent / 100


def has_at_most_two_places(amount: Decimal) -> bool:
    return amount == amount.quantize(CENT)


# --- properties ----------------------------------------------------------------------------------


@pure
@given(rules=rule_sets(), eligible_costs=costs)
def test_the_grant_never_exceeds_the_maximum_grant(rules, eligible_costs):
    assert grant_amount(rules=rules, eligible_costs=eligible_costs).amount <= rules.max_grant


@pure
@given(rules=rule_sets(), eligible_costs=costs)
def test_the_grant_never_exceeds_the_rate_times_the_eligible_costs(rules, eligible_costs):
    result = grant_amount(rules=rules, eligible_costs=eligible_costs)
    assert result.amount <= exact_product(rules, eligible_costs)


@pure
@given(rules=rule_sets(), eligible_costs=costs)
def test_the_grant_is_the_exact_product_cut_down_to_the_cent_unless_the_maximum_binds(rules, eligible_costs):
    result = grant_amount(rules=rules, eligible_costs=eligible_costs, enforce_minimum=False)
    assert has_at_most_two_places(result.amount)
    by_rate = exact_product(rules, eligible_costs).quantize(CENT, rounding=ROUND_DOWN)
    if by_rate <= rules.max_grant:
        assert result.amount == by_rate
    else:
        assert result.amount == rules.max_grant


@pure
@given(rules=rule_sets(), eligible_costs=costs, cap=cents(0, 300_000))
def test_the_grant_never_exceeds_the_approved_cap(rules, eligible_costs, cap):
    result = grant_amount(rules=rules, eligible_costs=eligible_costs, cap=cap)
    assert result.amount <= cap
    assert result.amount <= rules.max_grant
    assert has_at_most_two_places(result.amount)


@pure
@given(rules=rule_sets(), eligible_costs=costs)
def test_a_grant_below_the_minimum_is_refused_with_a_german_reason(rules, eligible_costs):
    computed = min(exact_product(rules, eligible_costs).quantize(CENT, rounding=ROUND_DOWN), rules.max_grant)
    result = grant_amount(rules=rules, eligible_costs=eligible_costs)
    if computed < rules.min_grant:
        assert not result.allowed
        assert result.amount == D("0.00")
        assert any("Mindestbetrag" in reason for reason in result.reasons)
    else:
        assert result.allowed
        assert result.amount == computed
        assert not any("Mindestbetrag" in reason for reason in result.reasons)


@pure
@given(rules=rule_sets(), eligible_costs=costs)
def test_without_the_minimum_check_a_grant_is_always_allowed(rules, eligible_costs):
    assert grant_amount(rules=rules, eligible_costs=eligible_costs, enforce_minimum=False).allowed


# --- examples ------------------------------------------------------------------------------------

DORSTEN = RuleSet(rate_percent=D("50"), max_grant=D("15000"), min_grant=D("250"))


def test_half_of_9520_euro_is_4760_euro():
    result = grant_amount(rules=DORSTEN, eligible_costs=D("9520.00"))
    assert result.allowed and result.amount == D("4760.00")
    assert "4.760,00\u00a0€" in result.reasons[0]


def test_half_of_three_cents_is_cut_down_to_one_cent():
    rules = RuleSet(rate_percent=D("50"), max_grant=D("15000"), min_grant=D("0"))
    assert grant_amount(rules=rules, eligible_costs=D("0.03")).amount == D("0.01")


def test_a_large_project_is_capped_at_the_maximum_of_15000_euro():
    result = grant_amount(rules=DORSTEN, eligible_costs=D("40000.00"))
    assert result.allowed and result.amount == D("15000.00")
    assert any("Höchstbetrag von 15.000,00\u00a0€" in reason for reason in result.reasons)


def test_the_settlement_never_grants_more_than_was_approved():
    result = grant_amount(rules=DORSTEN, eligible_costs=D("9520.00"), cap=D("3000.00"), enforce_minimum=False)
    assert result.amount == D("3000.00")
    assert any("bewilligten Betrag" in reason for reason in result.reasons)


def test_a_small_project_below_the_minimum_of_250_euro_gets_nothing():
    result = grant_amount(rules=DORSTEN, eligible_costs=D("400.00"))  # 200,00 € < 250,00 €
    assert not result.allowed and result.amount == D("0.00")
    assert "Mindestbetrag von 250,00\u00a0€" in result.reasons[-1]


def test_negative_costs_are_a_programming_error():
    with pytest.raises(ValueError):
        grant_amount(rules=DORSTEN, eligible_costs=D("-0.01"))


# --- eligible costs ------------------------------------------------------------------------------


def line(net, gross, eligible=True):
    return CostItem(description="Position", net_amount=D(net), gross_amount=D(gross), eligible=eligible)


ITEMS = [line("1000.00", "1190.00"), line("500.00", "595.00"), line("300.00", "357.00", eligible=False)]


@pytest.mark.parametrize(("vat_deductible", "net_rule", "expected"), [
    (True, True, D("1500.00")),  # may deduct input VAT, and the rules say so: net
    (True, False, D("1785.00")),  # the rules fund gross regardless
    (False, True, D("1785.00")),  # cannot deduct input VAT: gross
    (False, False, D("1785.00")),
])
def test_eligible_costs_are_net_only_for_a_vat_deductible_applicant_under_net_rules(vat_deductible, net_rule,
                                                                                      expected):
    rules = RuleSet(rate_percent=D("50"), max_grant=D("15000"), net_if_vat_deductible=net_rule)
    assert eligible_costs_of(items=ITEMS, vat_deductible=vat_deductible, rules=rules) == expected


def test_ineligible_lines_are_ignored():
    rules = RuleSet(rate_percent=D("50"), max_grant=D("15000"))
    only_ineligible = [line("300.00", "357.00", eligible=False)]
    assert eligible_costs_of(items=only_ineligible, vat_deductible=False, rules=rules) == D("0.00")
    assert eligible_costs_of(items=[], vat_deductible=True, rules=rules) == D("0.00")


@pure
@given(lines=st.lists(st.tuples(cents(0, 100_000), cents(0, 50_000), st.booleans()), max_size=8),
       vat_deductible=st.booleans(), net_rule=st.booleans())
def test_eligible_costs_are_the_sum_of_the_eligible_lines_on_the_right_basis(lines, vat_deductible, net_rule):
    items = [line(net, net + vat, eligible) for net, vat, eligible in lines]
    rules = RuleSet(rate_percent=D("50"), max_grant=D("15000"), net_if_vat_deductible=net_rule)
    use_net = vat_deductible and net_rule
    expected = sum(((i.net_amount if use_net else i.gross_amount) for i in items if i.eligible), D("0.00"))
    assert eligible_costs_of(items=items, vat_deductible=vat_deductible, rules=rules) == expected
