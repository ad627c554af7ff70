"""Finanzen's list of de-minimis grants for the central register: what is due when, marked once reported."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from fonds.errors import DomainError
from fonds.forms import DeMinimisReportedForm
from fonds.selectors.de_minimis import de_minimis_grant_of_fund, de_minimis_grants
from fonds.selectors.payments import fund_for_finance
from fonds.services.de_minimis import REGISTER_WORKING_DAYS, de_minimis_mark_reported, register_csv

PERMISSION = "fonds.report_de_minimis"


@permission_required(PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def fund_de_minimis(request, pk):
    """The register list. A POST with `gemeldet=<grant id>` records the day that grant was reported."""
    fund = fund_for_finance(user=request.user, pk=pk)
    failed_form, status = None, 200
    if request.method == "POST":
        grant = de_minimis_grant_of_fund(fund, request.POST.get("gemeldet"))
        failed_form = DeMinimisReportedForm(request.POST, prefix=f"g{grant.pk}")
        if failed_form.is_valid():
            try:
                de_minimis_mark_reported(actor=request.user, grant=grant,
                                         reported_on=failed_form.cleaned_data["reported_on"])
            except DomainError as error:
                failed_form.add_error(error.field, error.message)
            else:
                messages.success(request, _("Die De-minimis-Gewährung %(file)s ist als gemeldet erfasst.")
                                 % {"file": grant.application.file_number})
                return redirect("portal:fund_de_minimis", pk=fund.pk)
        status = 400
    today = timezone.localdate()
    grants = list(de_minimis_grants(fund))
    for grant in grants:
        if grant.reported_on is None:
            prefix = f"g{grant.pk}"
            grant.reported_form = (failed_form if failed_form is not None and failed_form.prefix == prefix
                                   else DeMinimisReportedForm(prefix=prefix, initial={"reported_on": today}))
            grant.overdue = grant.report_due < today
    return render(request, "fonds/fund_de_minimis.html", {
        "fund": fund, "grants": grants, "failed_form": failed_form, "working_days": REGISTER_WORKING_DAYS,
        "total": sum((g.gross_grant_equivalent for g in grants), 0),
    }, status=status)


@permission_required(PERMISSION, raise_exception=True)
@require_GET
def fund_de_minimis_csv(request, pk):
    fund = fund_for_finance(user=request.user, pk=pk)
    response = HttpResponse(register_csv(de_minimis_grants(fund)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (f'attachment; filename="de-minimis-{fund.code}-'
                                       f'{timezone.localdate():%Y%m%d}.csv"')
    return response
