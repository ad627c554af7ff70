from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from fonds.application_forms import AmountField, AmountLineForm

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Ihre Antwort an das Citymanagement"), required=False,
                             widget=forms.Textarea(attrs={"rows": 4}))


class PaymentRequestForm(forms.Form):
    amount = AmountField(label=_("Angeforderter Betrag (€)"))
    note = forms.CharField(label=_("Wofür wird das Geld benötigt? (bezahlte oder fällige Rechnungen)"),
                           widget=forms.Textarea(attrs={"rows": 3}))


class UseReportForm(forms.Form):
    narrative = forms.CharField(
        label=_("Sachbericht: Was wurde umgesetzt?"), widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Was wurde gemacht, wann, von wem? Wurde das Ziel erreicht? Gab es Abweichungen vom Antrag?"))
    funding_sign_in_place = forms.BooleanField(
        label=_("Der Förderhinweis („Gefördert durch …“) ist am Vorhaben angebracht."), required=True,
        error_messages={"required": _("Bitte bestätigen Sie, dass der Förderhinweis angebracht ist.")})


class ReceiptLineForm(AmountLineForm):
    paid_on = forms.DateField(label=_("Datum der Zahlung"), widget=DATE)
    payee = forms.CharField(label=_("Empfänger/in"), max_length=200)
    purpose = forms.CharField(label=_("Grund der Zahlung"), max_length=300)
    field_order = ["paid_on", "payee", "purpose", "net_amount", "gross_amount", "eligible"]


ReceiptLineFormSet = formset_factory(ReceiptLineForm, extra=3, max_num=200, validate_max=True)
