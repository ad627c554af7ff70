"""Forms of the fund's finance pages: private contributions and the year end. The rules are in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from fonds.application_forms import AmountField
from fonds.formatting import euro
from fonds.models import PrivateContribution, YearClosingLine

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ContributionPledgeForm(forms.Form):
    contributor = forms.CharField(label=_("Geldgeber/in"), max_length=200,
                                  error_messages={"required": _("Bitte nennen Sie, wer den Beitrag zusagt.")})
    kind = forms.ChoiceField(label=_("Art"), error_messages={"required": _("Bitte wählen Sie die Art des Beitrags.")},
                             choices=[c for c in PrivateContribution.Kind.choices
                                      if c[0] != PrivateContribution.Kind.CARRY_OVER])
    pledged = AmountField(label=_("Zugesagter Betrag (€)"),
                          error_messages={"required": _("Bitte geben Sie den zugesagten Betrag an.")})
    note = forms.CharField(label=_("Vermerk"), max_length=300, required=False)


class ContributionReceiptForm(forms.Form):
    """One per contribution (prefixed with its id, so the fields' ids differ)."""

    amount = AmountField(label=_("Eingegangener Betrag (€)"),
                         error_messages={"required": _("Bitte geben Sie den eingegangenen Betrag an.")})
    received_on = forms.DateField(label=_("Eingegangen am"), widget=DATE,
                                  error_messages={"required": _("Bitte geben Sie das Eingangsdatum an."),
                                                  "invalid": _("Bitte geben Sie ein Datum an, z. B. 01.03.2026.")})


class YearEndForm(forms.Form):
    """One choice per source: carry what is left over into the next year, or let it lapse."""

    def __init__(self, *args, left: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for source, label in YearClosingLine.Source.choices:
            if left[source] > 0:
                self.fields[source] = forms.ChoiceField(
                    label=_("%(source)s: %(amount)s nicht gebunden") % {"source": label, "amount": euro(left[source])},
                    choices=YearClosingLine.Decision.choices, widget=forms.RadioSelect,
                    initial=YearClosingLine.Decision.CARRY_OVER,
                    error_messages={"required": _("Bitte entscheiden Sie: übertragen oder verfallen lassen.")})


class DashboardYearForm(forms.Form):
    """The budget year the fund dashboard and its exports show; empty: every year."""

    jahr = forms.TypedChoiceField(label=_("Haushaltsjahr"), required=False, coerce=int, empty_value=None,
                                  error_messages={"invalid_choice": _("Für dieses Jahr hat der Fonds keine Zahlen. "
                                                                      "Bitte wählen Sie ein Jahr aus der Liste.")})

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jahr"].choices = [("", _("alle Jahre"))] + [(year, str(year)) for year in years]
