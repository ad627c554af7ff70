"""The fund's finance pages: private contributions (Finanzen records pledges and receipts; the fund admin reads),
the year end (Finanzen) and the dashboard with its exports (Finanzen and the fund admin). Citymanagement and
applicants have no access (403); another authority's funds do not exist for the user (404)."""

import csv
import io
from decimal import ROUND_HALF_UP

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from fonds.charts import bar_chart
from fonds.errors import DomainError
from fonds.finance_forms import ContributionPledgeForm, ContributionReceiptForm, DashboardYearForm, YearEndForm
from fonds.models import BudgetLine, PrivateContribution, YearClosing
from fonds.selectors.fund_finance import fund_measure_report, fund_years
from fonds.selectors.payments import fund_for_finance
from fonds.services.contributions import contribution_pledge, contribution_receive
from fonds.services.grants import CENT
from fonds.services.ledger import percent
from fonds.services.year_end import year_close, year_end_uncommitted

VIEW = "fonds.view_fund_dashboard"
MANAGE = "fonds.manage_fund_finances"


def _year(request) -> int:
    try:
        return int(request.GET.get("jahr") or timezone.localdate().year)
    except ValueError:
        raise Http404 from None


@permission_required(VIEW, raise_exception=True)
@require_http_methods(["GET", "POST"])
def fund_contributions(request, pk):
    fund = fund_for_finance(user=request.user, pk=pk)
    year = _year(request)
    if request.method == "POST" and not request.user.has_perm(MANAGE):
        raise PermissionDenied
    pledge_form, failed, status = ContributionPledgeForm(), None, 200
    contributions = list(PrivateContribution.objects.filter(fund=fund, year=year).prefetch_related("receipts"))
    if request.method == "POST" and "zusage" in request.POST:
        pledge_form = failed = ContributionPledgeForm(request.POST)
        if pledge_form.is_valid():
            try:
                contribution_pledge(actor=request.user, fund=fund, year=year, **pledge_form.cleaned_data)
            except DomainError as error:
                pledge_form.add_error(error.field, error.message)
            else:
                messages.success(request, _("Die Zusage ist erfasst."))
                return redirect(f"{request.path}?jahr={year}")
        status = 400
    elif request.method == "POST":
        contribution = get_object_or_404(PrivateContribution.objects.filter(fund=fund, year=year),
                                         pk=request.POST.get("eingang") or 0)
        failed = ContributionReceiptForm(request.POST, prefix=f"c{contribution.pk}")
        if failed.is_valid():
            try:
                contribution_receive(actor=request.user, contribution=contribution, **failed.cleaned_data)
            except DomainError as error:
                failed.add_error(error.field, error.message)
            else:
                messages.success(request, _("Der Zahlungseingang von %(who)s ist erfasst.")
                                 % {"who": contribution.contributor})
                return redirect(f"{request.path}?jahr={year}")
        status = 400
    for c in contributions:
        prefix = f"c{c.pk}"
        c.receipt_form = (failed if isinstance(failed, ContributionReceiptForm) and failed.prefix == prefix
                          else ContributionReceiptForm(prefix=prefix, initial={"received_on": timezone.localdate()}))
    return render(request, "fonds/fund_contributions.html", {
        "fund": fund, "year": year, "contributions": contributions, "pledge_form": pledge_form, "failed_form": failed,
        "can_manage": request.user.has_perm(MANAGE),
        "pledged": sum((c.pledged for c in contributions), 0), "received": sum((c.received for c in contributions), 0),
    }, status=status)


@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def fund_year_end(request, pk):
    fund = fund_for_finance(user=request.user, pk=pk)
    year = _year(request)
    closing = YearClosing.objects.filter(fund=fund, year=year).prefetch_related("lines").first()
    left = year_end_uncommitted(fund=fund, year=year)
    form, status = YearEndForm(left=left), 200
    if request.method == "POST" and closing is None:
        form = YearEndForm(request.POST, left=left)
        if form.is_valid():
            try:
                year_close(actor=request.user, fund=fund, year=year, decisions=form.cleaned_data)
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, _("Das Haushaltsjahr %(year)s ist abgeschlossen.") % {"year": year})
                return redirect(f"{request.path}?jahr={year}")
        status = 400
    elif request.method == "POST":
        form = YearEndForm(request.POST, left=left)
        form.is_valid()
        form.add_error(None, _("Das Haushaltsjahr %(year)s ist bereits abgeschlossen.") % {"year": year})
        status = 400
    return render(request, "fonds/fund_year_end.html", {
        "fund": fund, "year": year, "closing": closing, "form": form,
    }, status=status)


def _charts(row):
    y = row["year"]
    return [
        bar_chart(chart_id=f"haushalt-{y}", title=_("Haushalt und Mittelverwendung %(year)s") % {"year": y}, bars=[
            (_("Haushaltsansatz"), row["budget"]), (_("Gebunden"), row["committed"]),
            (_("Ausgezahlt"), row["paid"]), (_("Zurückgefordert"), row["recovered"]),
            (_("Verfügbar"), row["available"])]),
        bar_chart(chart_id=f"anteile-{y}", title=_("Anteile an den Ausgaben %(year)s") % {"year": y}, bars=[
            (_("Öffentliche Mittel"), row["public"]), (_("Private Mittel (Pool)"), row["pool"]),
            (_("Eigenanteile der Antragsteller"), row["own_share"])],
            suffix={label: percent(value * 100 / row["spend"]) for label, value in (
                (_("Öffentliche Mittel"), row["public"]), (_("Private Mittel (Pool)"), row["pool"]),
                (_("Eigenanteile der Antragsteller"), row["own_share"]))} if row["spend"] else None),
        bar_chart(chart_id=f"privat-{y}", title=_("Private Mittel %(year)s: zugesagt und eingegangen") % {"year": y},
                  bars=[(_("Zugesagt"), row["pledged_total"]), (_("Eingegangen"), row["received_total"])]),
    ]


@permission_required(VIEW, raise_exception=True)
def fund_dashboard(request, pk):
    fund = fund_for_finance(user=request.user, pk=pk)
    form, chosen, years, report = _selection(request, fund)
    for row in years:
        row["charts"] = _charts(row)
        row["public_share_text"] = percent(row["public_share"])
        row["source_rows"] = [(label, row["by_source"][source]) for source, label in BudgetLine.Source.choices]
    return render(request, "fonds/fund_dashboard.html", {
        "fund": fund, "form": form, "years": years, "report": report,
        "export_query": f"?jahr={chosen}" if chosen else "",
        "can_manage": request.user.has_perm(MANAGE),
    }, status=400 if form.errors else 200)


def _selection(request, fund):
    """The year rows and the measure report of the chosen budget year (all years without a choice); a year the
    fund has no figures for is refused with a message, and all years are shown."""
    years = fund_years(fund)
    form = DashboardYearForm(request.GET or None, years=[row["year"] for row in years])
    chosen = form.cleaned_data["jahr"] if form.is_bound and form.is_valid() else None
    report = fund_measure_report(fund)
    if chosen is None:
        return form, None, years, report
    return form, chosen, [r for r in years if r["year"] == chosen], [r for r in report if r["year"] == chosen]


def _export_rows(fund, years, report):
    sources = BudgetLine.Source.choices
    head = [_("Haushaltsjahr"), *[str(label) for _s, label in sources], _("Haushaltsansatz gesamt"), _("Gebunden"),
            _("Ausgezahlt"), _("Zurückgefordert"), _("Verfügbar"), _("Öffentliche Mittel (gebunden)"),
            _("Private Mittel aus dem Pool (gebunden)"), _("Eigenanteile der Antragsteller"),
            _("Öffentlicher Anteil (%)"), _("Private Mittel zugesagt"), _("Private Mittel eingegangen"),
            _("Abgeschlossen")]
    years = [[r["year"], *[r["by_source"][s] for s, _label in sources], r["budget"], r["committed"], r["paid"],
              r["recovered"], r["available"], r["public"], r["pool"], r["own_share"],
              r["public_share"].quantize(CENT, rounding=ROUND_HALF_UP), r["pledged_total"], r["received_total"],
              _("ja") if r["closed"] else _("nein")] for r in years]
    report_head = [_("Haushaltsjahr"), _("Handlungsfeld"), _("Maßnahme"), _("Anträge"), _("Gebunden"),
                   _("davon öffentlich"), _("davon Pool"), _("Eigenanteile"), _("Ausgezahlt")]
    report = [[r["year"], r["category"], r["measure"], r["applications"], r["committed"], r["public"], r["pool"],
               r["own_share"], r["paid"]] for r in report]
    return (head, years), (report_head, report)


@permission_required(VIEW, raise_exception=True)
def fund_dashboard_export(request, pk, fmt):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    fund = fund_for_finance(user=request.user, pk=pk)
    form, chosen, years, report = _selection(request, fund)
    if form.errors:
        return HttpResponse("\n".join(str(e) for errors in form.errors.values() for e in errors), status=400,
                            content_type="text/plain; charset=utf-8")
    (head, years), (report_head, report) = _export_rows(fund, years, report)
    name = f"Fonds-{fund.code}-Finanzen-{f'{chosen}-' if chosen else ''}{timezone.localdate():%Y-%m-%d}"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";")
        writer.writerow(head)
        writer.writerows([[str(v).replace(".", ",") if not isinstance(v, str | int) else v for v in row]
                          for row in years])
        writer.writerow([])
        writer.writerow([_("Nachweis nach Jahr und Handlungsfeld (Städtebauförderung)")])
        writer.writerow(report_head)
        writer.writerows([[str(v).replace(".", ",") if not isinstance(v, str | int) else v for v in row]
                          for row in report])
        response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = _("Jahre")
    for title, rows, target in ((head, years, sheet), (report_head, report, book.create_sheet(_("Handlungsfelder")))):
        for row in (title, *rows):
            target.append([str(v) if isinstance(v, Promise) else v for v in row])  # lazy German labels
        for column in target.iter_cols(min_row=2):
            for cell in column:
                if not isinstance(cell.value, str | int) and cell.value is not None:
                    cell.number_format = "#,##0.00"
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
