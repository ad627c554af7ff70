"""Pages that show the domain's data: the applicant portal and the staff dossier."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from fonds.errors import DomainError
from fonds.forms import ApplicationForm, CostItemFormSet, DocumentForm
from fonds.models import Fund, FundingRound, Stage
from fonds.models.applications import TIMELINE, TIMELINE_POSITION
from fonds.selectors.applications import (
    application_for_applicant,
    application_for_staff,
    applications_for_applicant,
    applications_for_staff,
    document_for_user,
    letter_for_user,
)
from fonds.services.applications import (
    application_create_draft,
    application_grant_preview,
    application_update_draft,
)
from fonds.services.documents import UPLOAD_STAGES, document_upload
from fonds.services.ledger import fund_available, fund_budget


@login_not_required
def home(request):
    return render(request, "fonds/home.html", {"funds": Fund.objects.select_related("authority")})


def my_applications(request):
    return render(request, "fonds/my_applications.html",
                  {"applications": applications_for_applicant(user=request.user)})


def _open_rounds():
    today = timezone.localdate()
    return FundingRound.objects.filter(opens_on__lte=today, closes_on__gte=today).select_related("fund")


def _cost_items(formset):
    return [form.cleaned_data for form in formset.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]


def application_edit(request, pk=None):
    application = application_for_applicant(user=request.user, pk=pk) if pk else None
    if application is not None and application.stage != Stage.DRAFT:
        raise Http404
    organisations = request.user.organisations.all()
    if application is None and not organisations.exists():
        messages.error(request, "Ihr Konto ist noch keiner antragstellenden Organisation zugeordnet.")
        return redirect("portal:applications")
    initial_items = ([{"description": i.description, "net_amount": i.net_amount, "gross_amount": i.gross_amount,
                       "eligible": i.eligible} for i in application.cost_items.all()] if application else None)
    form = ApplicationForm(request.POST or None, instance=application, organisations=organisations,
                           rounds=_open_rounds())
    formset = CostItemFormSet(request.POST or None, initial=initial_items, prefix="kosten")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("organisation", "round")}
        try:
            if application is None:
                application = application_create_draft(
                    actor=request.user, organisation=form.cleaned_data["organisation"],
                    round=form.cleaned_data["round"], data=data, cost_items=_cost_items(formset))
            else:
                application = application_update_draft(actor=request.user, application=application, data=data,
                                                       cost_items=_cost_items(formset))
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Ihr Entwurf ist gespeichert.")
            return redirect("portal:application", pk=application.pk)
    return render(request, "fonds/application_form.html",
                  {"form": form, "formset": formset, "application": application})


def application_detail(request, pk):
    application = application_for_applicant(user=request.user, pk=pk)
    preview = application_grant_preview(application) if application.cost_items.exists() else None
    stages = [stage for stage, _ in TIMELINE]
    position = TIMELINE_POSITION.get(application.stage, application.stage)
    reached = stages.index(position) if position in stages else None
    return render(request, "fonds/application_detail.html", {
        "application": application,
        "preview": preview,
        "timeline": [{"label": label, "done": reached is not None and i < reached, "current": i == reached}
                     for i, (stage, label) in enumerate(TIMELINE)],
        "documents": application.documents.all(),
        "letters": application.letters.filter(status="issued"),
        "document_requests": application.document_requests.all(),
        "payments": application.payments.all(),
        "upload_form": DocumentForm() if application.stage in UPLOAD_STAGES else None,
    })


@require_POST
def document_upload_view(request, pk):
    application = application_for_applicant(user=request.user, pk=pk)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Bitte wählen Sie die Art des Dokuments und eine Datei aus.")
        return redirect("portal:application", pk=pk)
    try:
        document_upload(actor=request.user, application=application, kind=form.cleaned_data["kind"],
                        uploaded_file=form.cleaned_data["file"])
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Das Dokument wurde hochgeladen.")
    return redirect("portal:application", pk=pk)


def _attachment(file_field, filename, content_type):
    response = FileResponse(file_field.open("rb"), as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response


def document_download(request, pk):
    document = document_for_user(user=request.user, pk=pk)
    return _attachment(document.file, document.original_name, document.content_type)


def letter_download(request, pk):
    letter = letter_for_user(user=request.user, pk=pk)
    return _attachment(letter.pdf, f"{letter.number.replace('/', '-')}.pdf", "application/pdf")


@permission_required("fonds.view_all_applications", raise_exception=True)
def staff_applications(request):
    return render(request, "fonds/staff_applications.html",
                  {"applications": applications_for_staff(user=request.user).order_by("-submitted_at")})


@permission_required("fonds.view_all_applications", raise_exception=True)
def dossier(request, pk):
    application = application_for_staff(user=request.user, pk=pk)
    return render(request, "fonds/dossier.html", {
        "application": application,
        "cost_items": application.cost_items.all(),
        "documents": application.documents.all(),
        "letters": application.letters.all(),
        "checks": application.eligibility_checks.select_related("checked_by"),
        "recommendations": application.recommendations.select_related("author"),
        "decisions": application.board_decisions.all(),
        "payments": application.payments.select_related("ordered_by", "released_by"),
        "ledger": application.ledger_entries.all(),
        "audit": application.audit_events.all(),
    })


@permission_required("fonds.view_all_applications", raise_exception=True)
def fund_ledger(request, pk):
    fund = get_object_or_404(Fund.objects.filter(authority__staff_memberships__user=request.user), pk=pk)
    year = int(request.GET.get("jahr") or timezone.localdate().year)
    return render(request, "fonds/fund_ledger.html", {
        "fund": fund, "year": year,
        "budget_lines": fund.budget_lines.filter(year=year),
        "budget": fund_budget(fund=fund, year=year),
        "available": fund_available(fund=fund, year=year),
        "entries": fund.ledger_entries.filter(year=year).select_related("application", "created_by"),
    })


