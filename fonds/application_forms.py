"""The forms of the application, one per step. Amounts are typed the German way (1.234,56)."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from fonds.area_forms import MAP_FIELDS, clean_coordinates, latitude_field, longitude_field
from fonds.models import Application, FundingRound, Measure, Organisation
from fonds.services.de_minimis import aid_problems

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
YES_NO = [(True, _("Ja")), (False, _("Nein"))]


def parse_amount(text: str) -> Decimal:
    """'1.234,56', '1234,56', '1 234,56 €' and '12.50' all read as amounts; in English '1,234.56'."""
    value = text.replace("€", "").replace("\u00a0", "").replace(" ", "").strip()
    if not re.fullmatch(r"-?[\d.,]+", value):
        raise InvalidOperation(text)
    if (get_language() or "de").startswith("en"):
        value = value.replace(",", "")
    elif "," in value:
        value = value.replace(".", "").replace(",", ".")
    elif value.count(".") > 1 or re.search(r"\.\d{3}$", value):
        value = value.replace(".", "")  # 1.234 is a thousand in German
    return Decimal(value)


class AmountField(forms.DecimalField):
    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "class": "amount"})
    default_error_messages = {"invalid": _("Bitte geben Sie einen Betrag in Euro ein, z. B. 1.234,56.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal("0"))
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        # Shown as the applicant would write it: 3.570,00 (in English 3,570.00).
        if isinstance(value, Decimal):
            return number_format(value, 2, force_grouping=True)
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        try:
            amount = parse_amount(str(value))
        except InvalidOperation:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not amount.is_finite():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return amount


class YesNoField(forms.TypedChoiceField):
    """A required yes/no question as two radio buttons (a lone checkbox hides the 'no')."""

    def __init__(self, **kwargs):
        super().__init__(choices=YES_NO, coerce=lambda v: v in (True, "True"), widget=forms.RadioSelect,
                         empty_value=None, **kwargs)


class StartForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Für wen stellen Sie den Antrag?"),
                                          queryset=Organisation.objects.none(), empty_label=None)
    round = forms.ModelChoiceField(label=_("Fonds und Förderrunde"), queryset=FundingRound.objects.none(),
                                   empty_label=None)

    def __init__(self, *args, organisations, rounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["round"].queryset = rounds


class ProjectForm(forms.ModelForm):
    already_started = YesNoField(label=_("Haben Sie mit dem Vorhaben schon begonnen?"),
                                 help_text=_("Ein erteilter Auftrag oder ein Kauf gilt als Beginn. Begonnene "
                                             "Vorhaben können nicht gefördert werden."))
    is_tenant = YesNoField(label=_("Sind Sie Mieter/in oder Pächter/in des Gebäudes oder der Fläche?"),
                           help_text=_("Dann brauchen wir die schriftliche Zustimmung der Eigentümerin oder des "
                                       "Eigentümers."))
    latitude = latitude_field()  # shown by the template in „Ort auf der Karte festlegen“, with the map
    longitude = longitude_field()

    class Meta:
        model = Application
        fields = ["title", "description", "location", "measure", "planned_start", "planned_end",
                  "already_started", "is_tenant", *MAP_FIELDS]
        widgets = {"planned_start": DATE, "planned_end": DATE,
                   "description": forms.Textarea(attrs={"rows": 6}),
                   "location": forms.TextInput(attrs={"list": "strassen", "autocomplete": "off"})}
        help_texts = {
            "title": _("Kurz und verständlich, z. B. „Blumenampeln für die Lippestraße“."),
            "description": _("Was wollen Sie tun, wo, und was hat die Altstadt davon? Ist das Ergebnis "
                             "dauerhaft und öffentlich sichtbar oder zugänglich?"),
            "measure": _("Zu welcher Maßnahme des Innenstadtkonzepts passt Ihr Vorhaben am besten?"),
        }

    def __init__(self, *args, authority, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = Measure.objects.filter(authority=authority, open_for_applications=True)
        self.fields["measure"].empty_label = _("– bitte wählen –")
        for name in ("title", "description", "location", "planned_start", "planned_end"):
            self.fields[name].required = True

    def clean(self):
        data = super().clean()
        start, end = data.get("planned_start"), data.get("planned_end")
        if start and end and start > end:
            self.add_error("planned_end", _("Das Ende darf nicht vor dem Beginn liegen."))
        clean_coordinates(self, data)
        return data

    def get_context(self):
        # {{ form }} leaves the map's two fields out; the template shows them under the map.
        context = super().get_context()
        context["fields"] = [(field, errors) for field, errors in context["fields"] if field.name not in MAP_FIELDS]
        return context


class CostQuestionsForm(forms.ModelForm):
    vat_deductible = YesNoField(
        label=_("Sind Sie zum Vorsteuerabzug berechtigt?"),
        help_text=_("Unternehmen sind es meist, Vereine und Privatpersonen meist nicht. Wer die Vorsteuer abziehen "
                    "kann, wird auf Basis der Nettokosten gefördert."))

    class Meta:
        model = Application
        fields = ["vat_deductible"]


class AmountLineForm(forms.Form):
    """A line with a net and a gross amount that may count or not: cost plan and receipts list."""

    net_amount = AmountField(label=_("Netto (€)"))
    gross_amount = AmountField(label=_("Brutto (€)"))
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


class CostItemForm(AmountLineForm):
    description = forms.CharField(label=_("Kostenposition"), max_length=200)
    field_order = ["description", "net_amount", "gross_amount", "eligible"]


class BaseCostItemFormSet(forms.BaseFormSet):
    def get_form_kwargs(self, index):
        # Every row may be left blank: a blank row is no cost item, and clearing a row removes it.
        return {"empty_permitted": True}


CostItemFormSet = formset_factory(CostItemForm, formset=BaseCostItemFormSet, extra=2, max_num=50,
                                  validate_max=True)


def cost_rows(formset) -> list[dict]:
    """The filled, valid rows of the cost plan, in order (blank rows dropped). The formset of a POST
    is built without `initial`, so a row counts as filled by what was sent, not by what changed."""
    return [form.cleaned_data for form in formset.forms if form.is_valid() and form.cleaned_data]


class FinancingForm(forms.ModelForm):
    own_funds = AmountField(label=_("Eigenmittel (€)"), required=False,
                            help_text=_("Geld, das Sie selbst aufbringen."))
    third_party_funds = AmountField(label=_("Drittmittel (€)"), required=False,
                                    help_text=_("Andere Förderprogramme, Zuschüsse Dritter."))
    donations = AmountField(label=_("Spenden und Sponsoring (€)"), required=False)
    requested_grant = AmountField(label=_("Beantragter Zuschuss aus dem Fonds (€)"))

    class Meta:
        model = Application
        fields = ["own_funds", "third_party_funds", "donations", "requested_grant"]

    def clean(self):
        data = super().clean()
        for name in self.Meta.fields:
            if data.get(name) is None and name not in self.errors:
                data[name] = Decimal("0")
        return data


class DeclarationsForm(forms.Form):
    de_minimis_none = forms.BooleanField(
        label=_("Ich habe in den letzten drei Jahren keine De-minimis-Beihilfen erhalten."),
        required=False,
        help_text=_("Sonst tragen Sie unten jede De-minimis-Beihilfe der letzten drei Jahre ein."))
    privacy = forms.BooleanField(label=_("Ich habe den Datenschutzhinweis gelesen."), required=False)
    truth = forms.BooleanField(
        label=_("Ich versichere, dass meine Angaben richtig und vollständig sind. Mir ist bekannt, dass die Angaben "
                "zum Vorhaben, zu den Kosten und zur Finanzierung subventionserheblich im Sinne von § 264 StGB sind."),
        required=False)

    def __init__(self, *args, de_minimis: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not de_minimis:
            del self.fields["de_minimis_none"]


class DeMinimisAidForm(forms.Form):
    """One de-minimis aid the applicant received from another body in the last three years."""

    grantor = forms.CharField(label=_("Beihilfegeber"), max_length=200,
                              error_messages={"required": _("Bitte geben Sie an, wer die Beihilfe gewährt hat.")},
                              help_text=_("Wer hat die Beihilfe bewilligt? z. B. Land NRW, NRW.BANK, Stadt Dorsten"))
    granted_on = forms.DateField(label=_("Tag der Bewilligung"), widget=DATE,
                                 help_text=_("Datum des Bescheids oder Vertrags"),
                                 error_messages={"invalid": _("Bitte geben Sie ein Datum an, z. B. 01.03.2025."),
                                                 "required": _("Bitte geben Sie den Tag der Bewilligung an.")})
    amount = AmountField(label=_("Betrag (€)"), min_value=None,
                         error_messages={"required": _("Bitte geben Sie den Betrag an.")},
                         help_text=_("Der Beihilfewert laut De-minimis-Bescheinigung"))
    purpose = forms.CharField(label=_("Zweck und Rechtsgrundlage"), max_length=300, required=False,
                              help_text=_("z. B. „Digitalisierung, Verordnung (EU) 2023/2831“"))

    def clean(self):
        data = super().clean()
        problems = aid_problems(grantor=data.get("grantor"), granted_on=data.get("granted_on"),
                                amount=data.get("amount"), today=timezone.localdate())
        for name, message in problems.items():
            if name not in self.errors:
                self.add_error(name, message)
        return data


class BaseDeMinimisAidFormSet(forms.BaseFormSet):
    def get_form_kwargs(self, index):
        # A blank row is no aid; clearing a row removes it.
        return {"empty_permitted": True}


DeMinimisAidFormSet = formset_factory(DeMinimisAidForm, formset=BaseDeMinimisAidFormSet, extra=2, max_num=30,
                                      validate_max=True)


def aid_rows(formset) -> list[dict]:
    return [form.cleaned_data for form in formset.forms if form.is_valid() and form.cleaned_data]
