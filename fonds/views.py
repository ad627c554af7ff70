"""Pages that show the domain's data: the applicant portal and the staff dossier."""

from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from fonds.errors import DomainError
from fonds.forms import InternalNoteForm
from fonds.models import Fund, Stage
from fonds.selectors.applications import (
    application_for_applicant,
    application_status_for_applicant,
    applications_for_applicant,
    applications_for_staff,
)
from fonds.selectors.dossier import application_dossier_for_staff, dossier_for_staff
from fonds.selectors.status import application_timeline, application_todos, next_step_text
from fonds.services.applications import application_grant_preview, submission_problems
from fonds.services.documents import UPLOAD_STAGES
from fonds.services.ledger import fund_available
from fonds.services.notes import internal_note_add
from fonds.services.publication import PUBLIC_STAGES

CHECKLIST_TEMPLATE = "fonds/includes/checklist.html"


@login_not_required
def home(request):
    return render(request, "fonds/home.html", {"funds": Fund.objects.select_related("authority")})


@require_POST
def session_extend(request):
    """Keeps the session alive (a changed session is saved with a new expiry) and tells the page for how long."""
    request.session["extended_at"] = timezone.now().isoformat()
    return JsonResponse({"seconds": settings.SESSION_COOKIE_AGE})


def my_applications(request):
    return render(request, "fonds/my_applications.html",
                  {"applications": applications_for_applicant(user=request.user)})


def application_detail(request, pk):
    application = application_status_for_applicant(user=request.user, pk=pk)
    letters = list(application.letters.all())  # issued ones only (the selector's prefetch)
    payments = list(application.payments.all())
    requests = list(application.document_requests.all())
    open_request = next((r for r in reversed(requests) if r.answered_at is None), None)
    preview = application_grant_preview(application) if application.cost_items.all() else None
    return render(request, "fonds/application_detail.html", {
        "application": application,
        "preview": preview,
        "timeline": application_timeline(application, letters=letters, payments=payments,
                                         decisions=list(application.board_decisions.all()),
                                         open_request=open_request, next_meeting=application.next_meeting),
        "next_step": next_step_text(application),
        "todos": application_todos(application),
        "authority": application.fund.authority,
        "documents": application.documents.all(),
        "letters": letters,
        "document_requests": requests,
        "payments": payments,
        "can_upload": application.stage in UPLOAD_STAGES and application.stage != Stage.DRAFT,
        "can_publish": application.stage in PUBLIC_STAGES,
        "publication_consent": application.publication_consent,
    })


def wizard_resume(request, pk):
    """Back to a draft: the first step that still lacks something (else the summary)."""
    application = application_for_applicant(user=request.user, pk=pk)
    if application.stage != Stage.DRAFT:
        return redirect("portal:application", pk=pk)
    rules = application.round.current_rules
    problems = submission_problems(application, rules) if rules else {}
    first = next((slug for slug in ("vorhaben", "kosten", "finanzierung", "unterlagen", "erklaerungen")
                  if slug in problems), "pruefen")
    return redirect("portal:wizard", pk=pk, step=first)


@permission_required("fonds.view_all_applications", raise_exception=True)
def staff_applications(request):
    return render(request, "fonds/staff_applications.html",
                  {"applications": applications_for_staff(user=request.user).order_by("-submitted_at")})


@permission_required("fonds.view_all_applications", raise_exception=True)
@require_http_methods(["GET", "POST"])
def dossier(request, pk):
    """The whole file of an application for the staff of its authority. A POST adds an internal note."""
    application = application_dossier_for_staff(user=request.user, pk=pk)
    note_form, status = InternalNoteForm(), 200
    if request.method == "POST":
        note_form = InternalNoteForm(request.POST)
        if note_form.is_valid():
            try:
                internal_note_add(actor=request.user, application=application, text=note_form.cleaned_data["text"])
            except DomainError as error:
                note_form.add_error("text", error.message)
            else:
                messages.success(request, _("Die Notiz wurde gespeichert."))
                return redirect(f"{reverse('portal:dossier', args=[pk])}#notizen")
        status = 400
    return render(request, "fonds/dossier.html", {
        "application": application, "note_form": note_form, "checklist_template": _checklist_template(),
        **dossier_for_staff(application=application),
    }, status=status)


def _checklist_template() -> str | None:
    """The eligibility checklist partial, if it is installed (it is maintained with the eligibility check)."""
    try:
        get_template(CHECKLIST_TEMPLATE)
        return CHECKLIST_TEMPLATE
    except TemplateDoesNotExist:
        return None


@permission_required("fonds.view_all_applications", raise_exception=True)
def fund_ledger(request, pk):
    fund = get_object_or_404(Fund.objects.filter(authority__staff_memberships__user=request.user), pk=pk)
    year = int(request.GET.get("jahr") or timezone.localdate().year)
    budget_lines = list(fund.budget_lines.filter(year=year))
    return render(request, "fonds/fund_ledger.html", {
        "fund": fund, "year": year,
        "budget_lines": budget_lines,
        "budget": sum((line.amount for line in budget_lines), Decimal("0")),
        "available": fund_available(fund=fund, year=year),
        "entries": fund.ledger_entries.filter(year=year).select_related("application", "created_by"),
    })


