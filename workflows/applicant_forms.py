from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from fonds.application_forms import AmountField

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


class ReceiptLineForm(forms.Form):
    paid_on = forms.DateField(label=_("Datum der Zahlung"), widget=DATE)
    payee = forms.CharField(label=_("Empfänger/in"), max_length=200)
    purpose = forms.CharField(label=_("Grund der Zahlung"), max_length=300)
    net_amount = AmountField(label=_("Netto (€)"))
    gross_amount = AmountField(label=_("Brutto (€)"))
    eligible = forms.BooleanField(label=_("Zuwendungsfähig"), required=False, initial=True)

    def has_changed(self):
        # A blank row stays blank even though its checkbox is pre-ticked.
        return any(name in self.changed_data for name in self.fields if name != "eligible")

    def clean(self):
        data = super().clean()
        if data.get("net_amount") is not None and data.get("gross_amount") is not None \
                and data["gross_amount"] < data["net_amount"]:
            self.add_error("gross_amount", _("Der Bruttobetrag darf nicht kleiner als der Nettobetrag sein."))
        return data


ReceiptLineFormSet = formset_factory(ReceiptLineForm, extra=3, max_num=200, validate_max=True)
