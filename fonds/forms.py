from django import forms
from django.utils.translation import gettext_lazy as _

from fonds.models import Document, PaymentExport


class DocumentForm(forms.Form):
    """One document for an application. The form only asks for a file; whether it is accepted is decided by
    fonds.services.documents.document_upload (type, size, content), whose refusals land on `file`."""

    ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"

    kind = forms.ChoiceField(label=_("Art des Dokuments"), choices=Document.Kind.choices)
    # Empty files pass here so that the service's message (what to do instead) is the one shown.
    file = forms.FileField(label=_("Datei (PDF, JPEG oder PNG)"), allow_empty_file=True,
                           widget=forms.FileInput(attrs={"accept": ACCEPT}),
                           error_messages={"required": _("Bitte wählen Sie eine Datei aus."),
                                           "invalid": _("Bitte wählen Sie eine Datei aus.")})

    def __init__(self, *args, **kwargs):
        # Imported here: this class is maintained apart from the module head.
        from django.conf import settings

        from fonds.services.documents import mb

        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "PDF, JPEG oder PNG, höchstens %(file)s je Datei und %(application)s je Antrag. "
            "Fotos werden ohne Standort- und Kameradaten gespeichert."
        ) % {"file": mb(settings.FONDSFLOW_MAX_UPLOAD_BYTES),
             "application": mb(settings.FONDSFLOW_MAX_APPLICATION_BYTES)}


class InternalNoteForm(forms.Form):
    text = forms.CharField(label=_("Neue interne Notiz (nur für die Verwaltung sichtbar)"), max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": _("Bitte schreiben Sie die Notiz.")})


class PaymentExportForm(forms.Form):
    """Which file goes to the cash office; the page's two buttons send `kind`."""

    kind = forms.ChoiceField(choices=PaymentExport.Kind.choices, widget=forms.HiddenInput)


class MarkPaidForm(forms.Form):
    """One per handed-over payment (prefixed with its id, so the date fields' ids differ)."""

    paid_on = forms.DateField(label=_("Bezahlt am"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                              error_messages={"required": _("Bitte geben Sie an, wann die Stadtkasse gezahlt hat."),
                                              "invalid": _("Bitte geben Sie ein Datum an, z. B. 01.03.2026.")})


DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_ERRORS = {"invalid": _("Bitte geben Sie ein Datum an, z. B. 01.03.2026.")}


class PostingForm(forms.Form):
    posted_on = forms.DateField(
        label=_("Zur Post gegeben am"), widget=DATE_INPUT,
        help_text=_("Der Tag, an dem der Bescheid bei der Post aufgegeben wurde (nicht vor dem Erlass, nicht in der "
                    "Zukunft)."),
        error_messages={**DATE_ERRORS, "required": _("Bitte geben Sie an, wann der Bescheid zur Post ging.")})


class WaiverForm(forms.Form):
    waiver_received_on = forms.DateField(
        label=_("Rechtsbehelfsverzicht eingegangen am"), widget=DATE_INPUT,
        error_messages={**DATE_ERRORS, "required": _("Bitte geben Sie an, wann der Verzicht eingegangen ist.")})
    waiver_file = forms.FileField(
        label=_("Unterschriebene Verzichtserklärung (PDF, JPEG oder PNG, freiwillig)"), required=False,
        widget=forms.FileInput(attrs={"accept": DocumentForm.ACCEPT}))


class DeMinimisReportedForm(forms.Form):
    """One per unreported de-minimis grant (prefixed with its id, so the date fields' ids differ)."""

    reported_on = forms.DateField(
        label=_("Gemeldet am"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Bitte geben Sie an, wann die Gewährung an das Register gemeldet wurde."),
                        "invalid": _("Bitte geben Sie ein Datum an, z. B. 01.03.2026.")})
