"""Budget against actual: each line of the financing plan next to what the receipts of a proof of use show for it.

The receipts name the plan line they belong to (`ReceiptLine.cost_item`); receipts without a plan line are
spending the plan did not foresee and are shown on a line of their own. Amounts are on the application's VAT
basis (net where the applicant deducts input VAT and the rules say so, else gross), like the grant itself."""

from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class ComparisonRow:
    label: str
    planned: Decimal
    actual: Decimal
    planned_eligible: bool
    receipt_count: int

    @property
    def difference(self) -> Decimal:
        return self.actual - self.planned


@dataclass(frozen=True)
class Comparison:
    rows: list[ComparisonRow]
    planned_total: Decimal
    actual_total: Decimal
    basis: str

    @property
    def difference(self) -> Decimal:
        return self.actual_total - self.planned_total


def budget_against_actual(report, cost_items=None) -> Comparison:
    """`report` with its `receipt_lines` (prefetch them); `cost_items` the application's plan lines (read once
    if not given). Only eligible receipts count toward "actual", as in the settlement."""
    from django.utils.translation import gettext as _

    application = report.application
    rules = application.rules
    use_net = bool(application.vat_deductible and rules and rules.net_if_vat_deductible)
    amount = (lambda line: line.net_amount) if use_net else (lambda line: line.gross_amount)
    items = list(application.cost_items.all()) if cost_items is None else list(cost_items)
    actual, count = {}, {}
    for receipt in report.receipt_lines.all():
        if not receipt.eligible:
            continue
        actual[receipt.cost_item_id] = actual.get(receipt.cost_item_id, ZERO) + amount(receipt)
        count[receipt.cost_item_id] = count.get(receipt.cost_item_id, 0) + 1
    rows = [ComparisonRow(label=item.description, planned=amount(item) if item.eligible else ZERO,
                          actual=actual.get(item.pk, ZERO), planned_eligible=item.eligible,
                          receipt_count=count.get(item.pk, 0))
            for item in items]
    if None in actual:
        rows.append(ComparisonRow(label=_("Nicht im Finanzierungsplan vorgesehen"), planned=ZERO,
                                  actual=actual[None], planned_eligible=True, receipt_count=count[None]))
    return Comparison(rows=rows, planned_total=sum((r.planned for r in rows), ZERO),
                      actual_total=sum((r.actual for r in rows), ZERO), basis="netto" if use_net else "brutto")
