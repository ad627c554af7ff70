from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from fonds.models import Application, Document, FundingRound, Organisation

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ApplicationForm(forms.ModelForm):
    organisation = forms.ModelChoiceField(label=_("Antragsteller/in"), queryset=Organisation.objects.none())
    round = forms.ModelChoiceField(label=_("Fonds und Förderrunde"), queryset=FundingRound.objects.none())

    class Meta:
        model = Application
        fields = ["organisation", "round", "title", "description", "location", "planned_start", "planned_end",
                  "vat_deductible", "own_funds", "third_party_funds", "requested_grant"]
        widgets = {"planned_start": DATE, "planned_end": DATE, "description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, organisations, rounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["round"].queryset = rounds
        if self.instance.pk:
            # Fund and applicant are fixed once the draft exists.
            del self.fields["organisation"]
            del self.fields["round"]

    def clean(self):
        data = super().clean()
        start, end = data.get("planned_start"), data.get("planned_end")
        if start and end and start > end:
            self.add_error("planned_end", _("Das Ende darf nicht vor dem Beginn liegen."))
        return data


class CostItemForm(forms.Form):
    description = forms.CharField(label=_("Kostenposition"), max_length=200)
    net_amount = forms.DecimalField(label=_("Netto (€)"), max_digits=12, decimal_places=2, min_value=0)
    gross_amount = forms.DecimalField(label=_("Brutto (€)"), max_digits=12, decimal_places=2, min_value=0)
    eligible = forms.BooleanField(label=_("Zuwendungsfähig"), required=False, initial=True)

    def has_changed(self):
        # A blank row stays blank even though its checkbox is pre-ticked.
        return any(name in self.changed_data for name in self.fields if name != "eligible")

    def clean(self):
        data = super().clean()
        net, gross = data.get("net_amount"), data.get("gross_amount")
        if net is not None and gross is not None and gross < net:
            self.add_error("gross_amount", _("Der Bruttobetrag darf nicht kleiner als der Nettobetrag sein."))
        return data


CostItemFormSet = formset_factory(CostItemForm, extra=3, max_num=50, validate_max=True)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Art des Dokuments"), choices=Document.Kind.choices)
    file = forms.FileField(label=_("Datei (PDF, JPEG oder PNG)"))
