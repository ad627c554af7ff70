"""Staff actions on the dossier that send a letter beside the flow's main line: the Anhörung before a rejection
or recovery, and the Änderungsbescheid (drafted by one, checked and issued by another). Thin: form, service,
queue the rendering, redirect."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fonds.errors import DomainError
from fonds.models import Letter
from fonds.selectors.applications import application_for_staff
from fonds.services.ledger import application_paid
from fonds.services.notices import (
    HEARING_MEASURES,
    amendment_ceiling,
    amendment_draft,
    amendment_issue,
    amendment_return,
    hearing_earliest_deadline,
    hearing_send,
)
from notifications.letters import render_letter_html
from notifications.services import certificates_render_async, letter_render_async

HEARING_PERMISSIONS = ("fonds.check_eligibility", "fonds.settle")  # Citymanagement or Finanzen


class HearingForm(forms.Form):
    measure = forms.ChoiceField(label=gettext_lazy("Beabsichtigte Maßnahme"), widget=forms.RadioSelect,
                                choices=[(k, v) for k, v in HEARING_MEASURES.items()])
    facts = forms.CharField(label=gettext_lazy("Sachverhalt und Gründe"), widget=forms.Textarea(attrs={"rows": 6}),
                            required=False,
                            help_text=gettext_lazy("Die Tatsachen, auf die sich die beabsichtigte Entscheidung "
                                                   "stützt. Sie stehen so im Schreiben."))
    deadline = forms.DateField(label=gettext_lazy("Frist für die Stellungnahme"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                               help_text=gettext_lazy("Mindestens zwei Wochen ab heute."))


class AmendmentForm(forms.Form):
    new_amount = forms.DecimalField(label=gettext_lazy("Zuwendung nach der Änderung (€)"), max_digits=12,
                                    decimal_places=2, required=False)
    new_period_end = forms.DateField(label=gettext_lazy("Ende des Bewilligungszeitraums"), required=False,
                                     widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    conditions = forms.CharField(label=gettext_lazy("Geänderte oder neue Nebenbestimmungen"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 4}),
                                 help_text=gettext_lazy("Leer lassen, wenn die Nebenbestimmungen gleich bleiben."))
    reasons = forms.CharField(label=gettext_lazy("Begründung"), required=False,
                              widget=forms.Textarea(attrs={"rows": 5}))


class AmendmentDecisionForm(forms.Form):
    decision = forms.ChoiceField(label=gettext_lazy("Entscheidung"), widget=forms.RadioSelect, choices=[
        ("issue", gettext_lazy("Geprüft – Änderungsbescheid erlassen")),
        ("return", gettext_lazy("Zurück an die Verfasserin / den Verfasser (Entwurf wird verworfen)"))])
    note = forms.CharField(label=gettext_lazy("Vermerk (bei Rückgabe)"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))


def _form_error(form, error: DomainError):
    form.add_error(error.field if error.field in form.fields else None, error.message)


def hearing(request, pk):
    if not any(request.user.has_perm(p) for p in HEARING_PERMISSIONS):
        raise PermissionDenied
    application = application_for_staff(user=request.user, pk=pk)
    form = HearingForm(request.POST or None, initial={"deadline": hearing_earliest_deadline()})
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                letter = hearing_send(actor=request.user, application=application, **form.cleaned_data)
                letter_render_async(letter=letter)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Die Anhörung %(number)s ist erlassen; das Schreiben wird erstellt.")
                             % {"number": letter.number})
            return redirect(f"{reverse('portal:dossier', args=[pk])}#briefe")
    return render(request, "workflows/letters/hearing.html", {"application": application, "form": form},
                  status=400 if form.errors else 200)


def amendment(request, pk):
    if not request.user.has_perm("fonds.draft_bescheid"):
        raise PermissionDenied
    application = application_for_staff(user=request.user, pk=pk)
    form = AmendmentForm(request.POST or None, initial={"new_amount": application.approved_grant,
                                                        "new_period_end": application.approval_period_end})
    if request.method == "POST" and form.is_valid():
        try:
            letter = amendment_draft(actor=request.user, application=application, **form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Der Änderungsbescheid %(number)s ist entworfen. Eine zweite Person prüft "
                                        "und erlässt ihn.") % {"number": letter.number})
            return redirect(f"{reverse('portal:dossier', args=[pk])}#briefe")
    return render(request, "workflows/letters/amendment.html", {
        "application": application, "form": form, "ceiling": amendment_ceiling(application) if
        application.approved_grant is not None else None, "paid": application_paid(application),
    }, status=400 if form.errors else 200)


def _awaiting(user):
    return (Letter.objects.filter(kind=Letter.Kind.AMENDMENT, status=Letter.Status.DRAFT,
                                  application__fund__authority__staff_memberships__user=user)
            .select_related("application", "application__organisation", "drafted_by").order_by("created_at"))


def amendments_awaiting(request):
    if not request.user.has_perm("fonds.issue_bescheid"):
        raise PermissionDenied
    return render(request, "workflows/letters/amendments.html", {"letters": _awaiting(request.user)})


def amendment_confirm(request, pk):
    if not request.user.has_perm("fonds.issue_bescheid"):
        raise PermissionDenied
    letter = get_object_or_404(_awaiting(request.user), pk=pk)
    form = AmendmentDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                if form.cleaned_data["decision"] == "issue":
                    letter_render_async(letter=amendment_issue(actor=request.user, letter=letter))
                    certificates_render_async(application=letter.application)  # a changed de-minimis grant
                    message = _("Der Änderungsbescheid %(number)s ist erlassen; das Schreiben wird erstellt.")
                else:
                    amendment_return(actor=request.user, letter=letter, note=form.cleaned_data["note"])
                    message = _("Der Entwurf %(number)s ist zurückgegeben und verworfen.")
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, message % {"number": letter.number})
            return redirect("antrag:amendments")
    return render(request, "workflows/letters/amendment_confirm.html", {
        "letter": letter, "application": letter.application, "form": form, "letter_html": render_letter_html(letter),
    }, status=400 if form.errors else 200)
