from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from fonds.application_forms import AmountField, AmountLineForm
from fonds.models import CostItem

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
    cost_item = forms.ModelChoiceField(
        label=_("Kostenposition laut Finanzierungsplan"), queryset=CostItem.objects.none(), required=False,
        empty_label=_("– im Finanzierungsplan nicht vorgesehen –"),
        help_text=_("Zu welcher Position Ihres Kostenplans gehört diese Zahlung? So sieht die Schlussabrechnung "
                    "Plan und Ist je Position."))
    field_order = ["paid_on", "payee", "purpose", "cost_item", "net_amount", "gross_amount", "eligible"]

    def __init__(self, *args, cost_items=None, **kwargs):
        super().__init__(*args, **kwargs)
        if cost_items is not None:
            self.fields["cost_item"].queryset = cost_items


class BaseReceiptLineFormSet(forms.BaseFormSet):
    """The plan lines to choose from are the application's own, read once for all rows."""

    def __init__(self, *args, application=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.cost_items = application.cost_items.all() if application is not None else CostItem.objects.none()

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "cost_items": self.cost_items}


ReceiptLineFormSet = formset_factory(ReceiptLineForm, formset=BaseReceiptLineFormSet, extra=3, max_num=200,
                                     validate_max=True)
