"""Staff pages of the Stadtteilbüro's network: actors with everything linked to them, the import of a contact
list, a contact's consents and GDPR requests, network events with registration and attendance. Creating and
editing events and cooperations happens in the Django admin; actors and their contacts are recorded here too."""


from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from fonds.errors import DomainError
from fonds.models import Actor, Consent, Contact, ErasureRequest, StaffMembership, Topic
from fonds.selectors.network import (
    actor_dossier,
    actor_for_staff,
    actors_for_staff,
    contact_for_staff,
    contacts_to_invite,
    event_for_staff,
    events_for_staff,
)
from fonds.services.actors import actor_save, attendance_record, consent_give, consent_withdraw, contact_add
from fonds.services.contact_import import ImportRow, contact_import_apply, contact_import_preview
from fonds.services.contact_privacy import contact_erase, contact_export, contact_export_csv

NETWORK = "fonds.manage_network"
IMPORT_SESSION_KEY = "contact_import"


@permission_required(NETWORK, raise_exception=True)
def actors(request):
    return render(request, "fonds/network/actors.html", {"actors": actors_for_staff(user=request.user)})


@permission_required(NETWORK, raise_exception=True)
def actor_detail(request, pk):
    actor = actor_for_staff(user=request.user, pk=pk)
    return render(request, "fonds/network/actor_detail.html", {"actor": actor, **actor_dossier(actor)})


class ActorForm(forms.ModelForm):
    topics = forms.ModelMultipleChoiceField(label=gettext_lazy("Themen"), queryset=Topic.objects.order_by("name"),
                                            required=False, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Actor
        fields = ["name", "kind", "street", "postcode", "city", "notes"]
        error_messages = {"name": {"required": gettext_lazy("Bitte geben Sie den Namen an.")},
                          "kind": {"required": gettext_lazy("Bitte wählen Sie die Art des Akteurs.")}}


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "function", "email", "phone", "language"]
        error_messages = {"name": {"required": gettext_lazy("Bitte geben Sie den Namen der Ansprechperson an.")},
                          "email": {"invalid": gettext_lazy("Bitte geben Sie eine gültige E-Mail-Adresse an.")}}

    def validate_unique(self):
        pass  # the service checks the one e-mail address per actor, with a German message


@permission_required(NETWORK, raise_exception=True)
@require_http_methods(["GET", "POST"])
def actor_edit(request, pk=None):
    """Record a new actor of the city, or change one."""
    target = actor_for_staff(user=request.user, pk=pk) if pk else None
    form = ActorForm(request.POST or None, instance=target,
                     initial={"topics": list(target.topics.all())} if target else None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = actor_save(actor=request.user, authority=_authority(request.user), target=target,
                               data=form.cleaned_data, topics=form.cleaned_data["topics"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Der Akteur ist gespeichert."))
            return redirect("portal:actor", pk=saved.pk)
    return render(request, "fonds/network/actor_form.html", {"form": form, "target": target},
                  status=400 if form.errors else 200)


@permission_required(NETWORK, raise_exception=True)
@require_http_methods(["GET", "POST"])
def contact_new(request, pk):
    target = actor_for_staff(user=request.user, pk=pk)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contact = contact_add(actor=request.user, target=target, data=form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("Die Ansprechperson ist gespeichert. Einwilligungen erfassen Sie hier."))
            return redirect("portal:contact", pk=contact.pk)
    return render(request, "fonds/network/contact_form.html", {"form": form, "target": target},
                  status=400 if form.errors else 200)


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Kontaktliste (CSV oder Excel)"),
                           help_text=gettext_lazy("Erste Zeile: Spaltenüberschriften, z. B. Akteur, Art, Straße, PLZ, "
                                                  "Ort, Ansprechperson, E-Mail, Telefon, Themen, Einwilligung E-Mail, "
                                                  "Einwilligung am."),
                           error_messages={"required": gettext_lazy("Bitte wählen Sie eine Datei aus.")})


def _authority(user):
    membership = StaffMembership.objects.filter(user=user).select_related("authority").first()
    if membership is None:
        raise DomainError(_("Sie gehören zu keiner Behörde."))
    return membership.authority


@permission_required(NETWORK, raise_exception=True)
@require_http_methods(["GET", "POST"])
def actor_import(request):
    """Step 1: upload and see the preview (nothing is written). Step 2: confirm, and the good rows are written."""
    form, rows, status = ImportForm(), None, 200
    if request.method == "POST" and "confirm" in request.POST:
        stored = request.session.pop(IMPORT_SESSION_KEY, None)
        if stored is None:
            messages.error(request, _("Die Vorschau ist abgelaufen. Bitte laden Sie die Datei erneut hoch."))
            return redirect("portal:actor_import")
        result = contact_import_apply(actor=request.user, authority=_authority(request.user),
                                      rows=[ImportRow(**row) for row in stored["rows"]], source=stored["name"])
        messages.success(request, _("Import abgeschlossen: %(created)s neu, %(updated)s aktualisiert, "
                                    "%(skipped)s Zeilen mit Fehlern übersprungen.") % result)
        return redirect("portal:actors")
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                rows = contact_import_preview(authority=_authority(request.user), name=upload.name,
                                              data=upload.read())
            except DomainError as error:
                form.add_error("file", error.message)
            else:
                request.session[IMPORT_SESSION_KEY] = {
                    "name": upload.name[:100],
                    "rows": [{"number": r.number, "values": r.values, "errors": r.errors, "action": str(r.action)}
                             for r in rows]}
        status = 400 if form.errors else 200
    return render(request, "fonds/network/actor_import.html", {
        "form": form, "rows": rows, "bad": [r for r in rows or [] if r.errors],
        "good": sum(1 for r in rows or [] if not r.errors)}, status=status)


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=gettext_lazy("Zweck"), choices=Consent.Purpose.choices)
    source = forms.CharField(label=gettext_lazy("Wie wurde die Einwilligung erteilt?"), max_length=200,
                             help_text=gettext_lazy("z. B. „schriftlich beim Händlerfrühstück am 12.03.“"),
                             error_messages={"required": gettext_lazy("Bitte geben Sie an, wie die Einwilligung "
                                                                      "erteilt wurde.")})


@permission_required(NETWORK, raise_exception=True)
@require_http_methods(["GET", "POST"])
def contact_detail(request, pk):
    contact = contact_for_staff(user=request.user, pk=pk)
    form, status = ConsentForm(), 200
    if request.method == "POST" and "withdraw" in request.POST:
        withdrawn = consent_withdraw(actor=request.user, contact=contact, purpose=request.POST["withdraw"],
                                     note=_("erfasst vom Stadtteilbüro"))
        if withdrawn is None:
            messages.error(request, _("Für diesen Zweck gibt es keine Einwilligung, die widerrufen werden könnte."))
        else:
            messages.success(request, _("Die Einwilligung ist widerrufen. Ab sofort gehen keine E-Mails mehr dafür "
                                        "hinaus."))
        return redirect("portal:contact", pk=pk)
    if request.method == "POST":
        form = ConsentForm(request.POST)
        if form.is_valid():
            try:
                consent_give(actor=request.user, contact=contact, **form.cleaned_data)
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, _("Die Einwilligung ist erfasst."))
                return redirect("portal:contact", pk=pk)
        status = 400
    return render(request, "fonds/network/contact_detail.html", {
        "contact": contact, "form": form, "consents": contact.consents.order_by("-given_at", "-pk"),
        "active": set(contact.consents.filter(withdrawn_at__isnull=True).values_list("purpose", flat=True)),
        "erasures": contact.erasure_requests.select_related("decided_by")}, status=status)


@permission_required(NETWORK, raise_exception=True)
def contact_export_json(request, pk):
    contact = contact_for_staff(user=request.user, pk=pk)
    response = JsonResponse(contact_export(contact), json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="auskunft-kontakt-{contact.pk}.json"'
    return response


@permission_required(NETWORK, raise_exception=True)
def contact_export_table(request, pk):
    contact = contact_for_staff(user=request.user, pk=pk)
    response = HttpResponse(contact_export_csv(contact), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="auskunft-kontakt-{contact.pk}.csv"'
    return response


@permission_required(NETWORK, raise_exception=True)
@require_POST
def contact_erase_view(request, pk):
    contact = contact_for_staff(user=request.user, pk=pk)
    request_row = contact_erase(actor=request.user, contact=contact)
    if request_row.outcome == ErasureRequest.Outcome.REFUSED:
        messages.error(request, _("Löschung abgelehnt: %(reason)s") % {"reason": request_row.reason})
    else:
        messages.success(request, _("Die Daten des Kontakts sind anonymisiert."))
    return redirect("portal:contact", pk=pk)


@permission_required(NETWORK, raise_exception=True)
def events(request):
    return render(request, "fonds/network/events.html", {"events": events_for_staff(user=request.user)})


@permission_required(NETWORK, raise_exception=True)
@require_http_methods(["GET", "POST"])
def event_detail(request, pk):
    event = event_for_staff(user=request.user, pk=pk)
    if request.method == "POST":
        invitation = get_object_or_404(event.invitations, pk=request.POST.get("invitation"))
        try:
            attendance_record(actor=request.user, invitation=invitation,
                              attended=request.POST.get("attended") == "1")
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("portal:event", pk=pk)
    return render(request, "fonds/network/event_detail.html", {
        "event": event, "invitations": event.invitations.select_related("contact__actor"),
        "started": event.starts_at <= timezone.now(),
        "can_invite": contacts_to_invite(event=event).exclude(invitations__event=event).count()})


