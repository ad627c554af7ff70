"""The application form in steps. Each step saves the draft; the page autosaves while the applicant types
(the same POST with the header X-Autosave, answered with JSON), so nothing is lost when the browser is
closed or the session runs out."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fonds.application_forms import (
    CostItemFormSet,
    CostQuestionsForm,
    DeclarationsForm,
    DeMinimisAidFormSet,
    FinancingForm,
    ProjectForm,
    StartForm,
    aid_rows,
    cost_rows,
)
from fonds.document_views import handle_upload
from fonds.errors import DomainError
from fonds.forms import DocumentForm
from fonds.models import FundingRound, Stage
from fonds.selectors.applications import application_for_applicant
from fonds.services.applications import (
    application_create_draft,
    application_declare,
    application_grant_preview,
    application_update_draft,
    quotes_needed,
    submission_problems,
)
from fonds.services.de_minimis import de_minimis_declare, window_start
from fonds.services.documents import upload_limits


@dataclass(frozen=True)
class Step:
    slug: str
    title: str


STEPS = [
    Step("antragsteller", gettext_lazy("Antragsteller/in")),
    Step("vorhaben", gettext_lazy("Vorhaben")),
    Step("kosten", gettext_lazy("Kostenplan")),
    Step("finanzierung", gettext_lazy("Finanzierung")),
    Step("unterlagen", gettext_lazy("Unterlagen")),
    Step("erklaerungen", gettext_lazy("Erklärungen")),
    Step("pruefen", gettext_lazy("Prüfen und einreichen")),
]
SLUGS = [step.slug for step in STEPS]


def open_rounds():
    today = timezone.localdate()
    return FundingRound.objects.filter(opens_on__lte=today, closes_on__gte=today).select_related("fund")


def _draft(request, pk):
    application = application_for_applicant(user=request.user, pk=pk)
    if application.stage != Stage.DRAFT:
        raise Http404
    return application


def _autosave(request) -> bool:
    return request.headers.get("X-Autosave") == "1"


def _rules(application):
    return application.round.current_rules


def _preview(application):
    rules = _rules(application)
    if rules is None:
        return None
    return {"rules": rules, "grant": application_grant_preview(application, rules)}


def _page(request, application, slug, context, status=200):
    index = SLUGS.index(slug)
    problems = submission_problems(application, _rules(application)) if _rules(application) else {}
    return render(request, f"fonds/wizard/{slug}.html", {
        "application": application,
        "steps": [{"slug": s.slug, "title": s.title, "number": i + 1, "current": s.slug == slug,
                   "open": bool(problems.get(s.slug))} for i, s in enumerate(STEPS)],
        "step": STEPS[index], "step_number": index + 1, "step_count": len(STEPS),
        "previous": SLUGS[index - 1] if index else None, "next": SLUGS[index + 1] if index + 1 < len(SLUGS) else None,
        "preview": _preview(application), "problems": problems.get(slug, []),
        "streets": _rules(application).street_list if _rules(application) else [],
        "session_seconds": settings.SESSION_COOKIE_AGE,
        **context}, status=status)


def _saved(request, application, slug, *, errors=None):
    """The answer to a step's POST: JSON for autosave, else on to the next (or chosen) step."""
    if _autosave(request):
        application.refresh_from_db()
        return JsonResponse({
            "saved": True, "saved_at": timezone.localtime().strftime("%H:%M"),
            "errors": errors or {},
            "preview": render_to_string("fonds/wizard/_preview.html", {"preview": _preview(application)}, request),
        }, status=200)
    go = request.POST.get("gehe_zu")
    target = go if go in SLUGS else SLUGS[min(SLUGS.index(slug) + 1, len(SLUGS) - 1)]
    return redirect("portal:wizard", pk=application.pk, step=target)


def start(request):
    """Step 1 for a new application: who applies, to which fund. Creates the draft."""
    organisations = request.user.organisations.all()
    if not organisations.exists():
        messages.error(request, _("Ihr Konto ist noch keiner antragstellenden Organisation zugeordnet. Bitte "
                                  "legen Sie in „Mein Konto“ eine an oder lassen Sie sich einladen."))
        return redirect("portal:applications")
    rounds = open_rounds()
    form = StartForm(request.POST or None, organisations=organisations, rounds=rounds)
    if request.method == "POST" and form.is_valid():
        try:
            application = application_create_draft(
                actor=request.user, organisation=form.cleaned_data["organisation"],
                round=form.cleaned_data["round"], data={}, cost_items=[])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Ihr Entwurf ist angelegt und wird ab jetzt bei jedem Schritt gespeichert."))
            return redirect("portal:wizard", pk=application.pk, step="vorhaben")
    return render(request, "fonds/wizard/start.html", {
        "form": form, "no_rounds": not rounds.exists(),
        "steps": [{"slug": s.slug, "title": s.title, "number": i + 1, "current": i == 0}
                  for i, s in enumerate(STEPS)],
        "step": STEPS[0], "step_number": 1, "step_count": len(STEPS),
    }, status=400 if form.errors else 200)


def step(request, pk, step):
    if step not in SLUGS:
        raise Http404
    application = _draft(request, pk)
    return STEP_VIEWS[step](request, application)


def _applicant_step(request, application):
    return _page(request, application, "antragsteller", {"organisation": application.organisation})


def _project_step(request, application):
    form = ProjectForm(request.POST or None, instance=application, authority=application.fund.authority)
    return _model_step(request, application, "vorhaben", form)


def _financing_step(request, application):
    form = FinancingForm(request.POST or None, instance=application)
    return _model_step(request, application, "finanzierung", form)


def _model_step(request, application, slug, form):
    if request.method == "POST":
        valid = form.is_valid()
        if valid or _autosave(request):
            data = {k: v for k, v in form.cleaned_data.items() if k not in form.errors}
            try:
                application = application_update_draft(actor=request.user, application=application, data=data)
            except DomainError as error:
                form.add_error(None, error.message)
                valid = False
            if _autosave(request):
                return _saved(request, application, slug, errors=form.errors.get_json_data())
            if valid:
                return _saved(request, application, slug)
        form.instance.refresh_from_db()
        return _page(request, application, slug, {"form": form}, status=400)
    return _page(request, application, slug, {"form": form})


def _costs_step(request, application):
    initial = [{"description": i.description, "net_amount": i.net_amount, "gross_amount": i.gross_amount,
                "eligible": i.eligible} for i in application.cost_items.all()]
    questions = CostQuestionsForm(request.POST or None, instance=application)
    formset = (CostItemFormSet(request.POST, prefix="kosten") if request.method == "POST"
               else CostItemFormSet(initial=initial, prefix="kosten"))
    if request.method == "POST":
        valid = questions.is_valid() & formset.is_valid()
        if valid or _autosave(request):
            data = {k: v for k, v in (questions.cleaned_data or {}).items() if k not in questions.errors}
            try:
                application = application_update_draft(actor=request.user, application=application, data=data,
                                                       cost_items=cost_rows(formset))
            except DomainError as error:
                questions.add_error(None, error.message)
                valid = False
            if _autosave(request):
                return _saved(request, application, "kosten", errors=questions.errors.get_json_data())
            if valid:
                return _saved(request, application, "kosten")
        application.refresh_from_db()
        return _page(request, application, "kosten", {"form": questions, "formset": formset}, status=400)
    return _page(request, application, "kosten", {"form": questions, "formset": formset})


def _documents_step(request, application):
    rules = _rules(application)
    items = list(application.cost_items.all())
    use_net = application.vat_deductible and rules.net_if_vat_deductible
    documents = list(application.documents.all())
    form = None
    if request.method == "POST":
        form, document = handle_upload(request, application)
        if document is not None:
            messages.success(request, _("„%(name)s“ ist hochgeladen.") % {"name": document.original_name})
            return redirect("portal:wizard", pk=application.pk, step="unterlagen")
    context = {
        "documents": documents, "upload_form": form, "limits": upload_limits(application),
        "quotes_needed": quotes_needed(items, rules, use_net=use_net),
        "quotes_have": sum(1 for d in documents if d.kind == "quote"),
        "threshold": rules.quote_threshold, "quotes_per_item": rules.quotes_required,
        "consent_needed": application.is_tenant,
        "consent_have": any(d.kind == "owner_consent" for d in documents),
    }
    if form is None:
        context["upload_form"] = DocumentForm()
    return _page(request, application, "unterlagen", context, status=400 if form is not None else 200)


def _declarations_step(request, application):
    rules = _rules(application)
    de_minimis = rules.de_minimis_applicable
    aids = list(application.de_minimis_aids.all()) if de_minimis else []
    initial = {"de_minimis_none": application.de_minimis_amount == 0 and not aids,
               "privacy": application.privacy_acknowledged_at is not None,
               "truth": application.truth_declared_at is not None}
    form = DeclarationsForm(request.POST or None, initial=initial, de_minimis=de_minimis)
    formset = None
    if de_minimis:
        formset = (DeMinimisAidFormSet(request.POST, prefix="beihilfen") if request.method == "POST" else
                   DeMinimisAidFormSet(prefix="beihilfen", initial=[
                       {"grantor": a.grantor, "granted_on": a.granted_on, "amount": a.amount, "purpose": a.purpose}
                       for a in aids]))
    context = {"form": form, "formset": formset, "de_minimis_since": window_start(timezone.localdate())}
    if request.method == "POST":
        valid = form.is_valid() & (formset is None or formset.is_valid())
        if valid or _autosave(request):
            data = form.cleaned_data
            rows = aid_rows(formset) if formset is not None else []
            # Autosave keeps what is complete; a declaration with neither rows nor "keine" waits for the button.
            if de_minimis and valid and (rows or data.get("de_minimis_none") or not _autosave(request)):
                try:
                    application = de_minimis_declare(actor=request.user, application=application,
                                                     none=bool(data.get("de_minimis_none")), aids=rows)
                except DomainError as error:
                    form.add_error(error.field if error.field in form.fields else None, error.message)
                    valid = False
            application = application_declare(actor=request.user, application=application,
                                              privacy=bool(data.get("privacy")), truth=bool(data.get("truth")))
            if _autosave(request):
                return _saved(request, application, "erklaerungen", errors=form.errors.get_json_data())
            if valid:
                return _saved(request, application, "erklaerungen")
        return _page(request, application, "erklaerungen", context, status=400)
    return _page(request, application, "erklaerungen", context)


def _summary_step(request, application):
    rules = _rules(application)
    problems = submission_problems(application, rules) if rules else {}
    return _page(request, application, "pruefen", {
        "all_problems": [(s, problems[s.slug]) for s in STEPS if s.slug in problems],
        "cost_items": application.cost_items.all(),
        "documents": application.documents.all(),
        "submit_url": reverse("antrag:submit", args=[application.pk]),
    })


STEP_VIEWS = {
    "antragsteller": _applicant_step,
    "vorhaben": _project_step,
    "kosten": _costs_step,
    "finanzierung": _financing_step,
    "unterlagen": _documents_step,
    "erklaerungen": _declarations_step,
    "pruefen": _summary_step,
}
