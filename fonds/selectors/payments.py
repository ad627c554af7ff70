"""Reads for the cash-office page: what is waiting to be handed over, what was handed over and not yet paid."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from fonds.models import Fund, Payment, PaymentExport

PAYMENT_RELATED = ("application__organisation", "released_by", "factual_by", "arithmetic_by")


def fund_for_finance(*, user, pk: int) -> Fund:
    """A fund of the user's authority (StaffMembership); any other fund does not exist for them."""
    return get_object_or_404(Fund.objects.filter(authority__staff_memberships__user=user)
                             .select_related("authority"), pk=pk)


def payments_to_export(fund: Fund) -> QuerySet[Payment]:
    """Released (second person's Freigabe) and not yet handed to the cash office."""
    return (Payment.objects.filter(application__fund=fund, status=Payment.Status.RELEASED, export_batch__isnull=True)
            .select_related(*PAYMENT_RELATED).order_by("released_at", "pk"))


def payments_awaiting_payment(fund: Fund) -> QuerySet[Payment]:
    """Handed over, but the cash office has not reported the transfer yet."""
    return (Payment.objects.filter(application__fund=fund, status=Payment.Status.RELEASED, export_batch__isnull=False)
            .select_related(*PAYMENT_RELATED, "export_batch").order_by("exported_at", "pk"))


def payment_exports(fund: Fund) -> QuerySet[PaymentExport]:
    return fund.payment_exports.select_related("created_by", "fund")


def payment_export_for_user(*, user, pk: int) -> PaymentExport:
    return get_object_or_404(PaymentExport.objects.filter(fund__authority__staff_memberships__user=user)
                             .select_related("fund"), pk=pk)
