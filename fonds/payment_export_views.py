"""Finanzen hands released payments to the city's cash office and records the day each was paid."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from fonds.document_views import _attachment
from fonds.errors import DomainError
from fonds.forms import MarkPaidForm, PaymentExportForm
from fonds.models import PaymentExport
from fonds.selectors.payments import (
    fund_for_finance,
    payment_export_for_user,
    payment_exports,
    payments_awaiting_payment,
    payments_to_export,
)
from fonds.services.payment_export import payment_mark_paid, payments_export

EXPORT_PERMISSION = "fonds.export_payments"
CONTENT_TYPES = {PaymentExport.Kind.SEPA: "application/xml", PaymentExport.Kind.CSV: "text/csv"}


@permission_required(EXPORT_PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def fund_payments(request, pk):
    """The list for the cash office. A POST with `kind` hands the waiting payments over; one with
    `bezahlt=<payment id>` records the day that payment was paid."""
    fund = fund_for_finance(user=request.user, pk=pk)
    export_form, failed_form, status = PaymentExportForm(), None, 200
    if request.method == "POST" and "kind" in request.POST:
        export_form = failed_form = PaymentExportForm(request.POST)
        if export_form.is_valid():
            try:
                export = payments_export(actor=request.user, fund=fund, kind=export_form.cleaned_data["kind"])
            except DomainError as error:
                export_form.add_error(None, error.message)
            else:
                messages.success(request, ngettext(
                    "%(count)s Auszahlung wurde an die Stadtkasse übergeben.",
                    "%(count)s Auszahlungen wurden an die Stadtkasse übergeben.", export.payment_count)
                    % {"count": export.payment_count})
                return redirect("portal:fund_payments", pk=fund.pk)
        status = 400
    elif request.method == "POST":
        payment = get_object_or_404(payments_awaiting_payment(fund), pk=request.POST.get("bezahlt") or 0)
        failed_form = MarkPaidForm(request.POST, prefix=f"p{payment.pk}")
        if failed_form.is_valid():
            try:
                payment_mark_paid(actor=request.user, payment=payment, paid_on=failed_form.cleaned_data["paid_on"])
            except DomainError as error:
                failed_form.add_error(error.field, error.message)
            else:
                messages.success(request, _("Die Auszahlung %(file)s ist als bezahlt erfasst.")
                                 % {"file": payment.application.file_number})
                return redirect("portal:fund_payments", pk=fund.pk)
        status = 400
    today = timezone.localdate()
    awaiting = list(payments_awaiting_payment(fund))
    for payment in awaiting:
        prefix = f"p{payment.pk}"
        payment.paid_form = (failed_form if isinstance(failed_form, MarkPaidForm) and failed_form.prefix == prefix
                             else MarkPaidForm(prefix=prefix, initial={"paid_on": today}))
    waiting = list(payments_to_export(fund))
    return render(request, "fonds/fund_payments.html", {
        "fund": fund, "export_form": export_form, "failed_form": failed_form,
        "waiting": waiting, "waiting_total": sum((p.amount for p in waiting), 0),
        "awaiting": awaiting, "exports": payment_exports(fund),
    }, status=status)


@permission_required(EXPORT_PERMISSION, raise_exception=True)
def payment_export_download(request, pk):
    export = payment_export_for_user(user=request.user, pk=pk)
    return _attachment(export.file, export.download_name, CONTENT_TYPES[export.kind])
