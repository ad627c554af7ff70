"""The applicant decides what of a funded project the public may see (status page, after approval)."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from fonds.errors import DomainError
from fonds.models import PUBLISHABLE_FIELDS, PublicationConsent
from fonds.selectors.applications import application_for_applicant
from fonds.services.publication import (
    PUBLIC_STAGES,
    active_publication_consent,
    publication_consent_give,
    publication_consent_withdraw,
)


class PublicationForm(forms.Form):
    fields_ = forms.MultipleChoiceField(
        label=gettext_lazy("Außer dem Titel des Vorhabens darf veröffentlicht werden"), required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(name, PublicationConsent._meta.get_field(f"show_{name}").verbose_name)
                 for name in PUBLISHABLE_FIELDS],
        help_text=gettext_lazy("Auf der Seite „Geförderte Projekte“, auf der Karte und in den offenen Daten. "
                               "Sie können die Einwilligung jederzeit ändern oder widerrufen."))


@require_http_methods(["GET", "POST"])
def publication(request, pk):
    application = application_for_applicant(user=request.user, pk=pk)
    if application.stage not in PUBLIC_STAGES:
        messages.error(request, _("Eine Veröffentlichung ist erst möglich, wenn das Vorhaben bewilligt ist."))
        return redirect("portal:application", pk=pk)
    consent = active_publication_consent(application)
    form = PublicationForm(request.POST or None,
                           initial={"fields_": [n for n in PUBLISHABLE_FIELDS if getattr(consent, f"show_{n}", False)]})
    status = 200
    if request.method == "POST":
        try:
            if "withdraw" in request.POST:
                publication_consent_withdraw(actor=request.user, application=application)
                messages.success(request, _("Ihre Einwilligung ist widerrufen. Das Vorhaben erscheint nicht mehr "
                                            "auf den öffentlichen Seiten."))
                return redirect(reverse("portal:application", args=[pk]) + "#veroeffentlichung-titel")
            if form.is_valid():
                publication_consent_give(actor=request.user, application=application,
                                         fields=form.cleaned_data["fields_"])
                messages.success(request, _("Vielen Dank! Das Vorhaben erscheint mit den gewählten Angaben auf den "
                                            "öffentlichen Seiten."))
                return redirect(reverse("portal:application", args=[pk]) + "#veroeffentlichung-titel")
        except DomainError as error:
            form.add_error(None, error.message)
        status = 400
    return render(request, "fonds/publication.html", {"application": application, "form": form,
                                                      "consent": consent}, status=status)
