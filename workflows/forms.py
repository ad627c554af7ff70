from django import forms
from django.utils.translation import gettext_lazy as _

from fonds.models import BoardDecision, EligibilityCheck

MONEY = {"max_digits": 12, "decimal_places": 2, "min_value": 0}
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EligibilityForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Ergebnis der Prüfung"), choices=EligibilityCheck.Outcome.choices,
                                widget=forms.RadioSelect)
    reasons = forms.CharField(label=_("Begründung"), widget=forms.Textarea(attrs={"rows": 4}))
    missing_items = forms.CharField(label=_("Fehlende Unterlagen (nur bei Nachforderung)"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.DateField(label=_("Frist für die Nachforderung"), required=False, widget=DATE)


class RecommendationForm(forms.Form):
    amount = forms.DecimalField(label=_("Empfohlener Zuschuss (€)"), **MONEY)
    conditions = forms.CharField(label=_("Empfohlene Auflagen"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 3}))
    reasoning = forms.CharField(label=_("Begründung der Empfehlung"), widget=forms.Textarea(attrs={"rows": 5}))


class BoardDecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Beschluss des Beirats"), choices=BoardDecision.Outcome.choices,
                                widget=forms.RadioSelect)
    amount = forms.DecimalField(label=_("Bewilligter Betrag (€) – bei Kürzung Pflicht"), required=False, **MONEY)
    conditions = forms.CharField(label=_("Auflagen"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    reasons = forms.CharField(label=_("Begründung (bei Ablehnung Pflicht)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    decided_on = forms.DateField(label=_("Datum der Sitzung"), widget=DATE)


class BescheidDraftForm(forms.Form):
    period_end = forms.DateField(label=_("Bewilligungszeitraum bis"), widget=DATE)
    conditions = forms.CharField(label=_("Besondere Nebenbestimmungen"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 4}))
    reasons = forms.CharField(label=_("Begründung"), widget=forms.Textarea(attrs={"rows": 4}))
    payment_terms = forms.CharField(label=_("Auszahlungsbedingungen"), widget=forms.Textarea(attrs={"rows": 3}))


class BescheidIssueForm(forms.Form):
    decision = forms.ChoiceField(label=_("Ergebnis der Zweitprüfung"), widget=forms.RadioSelect, choices=[
        ("issue", _("Bescheid ist richtig – erlassen")),
        ("return", _("Zurück an den Entwurf")),
    ])
    note = forms.CharField(label=_("Vermerk (bei Rückgabe Pflicht)"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))


class PaymentOrderForm(forms.Form):
    decision = forms.ChoiceField(label=_("Entscheidung"), widget=forms.RadioSelect, choices=[
        ("order", _("Auszahlung anordnen")),
        ("decline", _("Mittelabruf zurückweisen")),
    ], initial="order")
    amount = forms.DecimalField(label=_("Auszuzahlender Betrag (€)"), required=False, **MONEY)
    note = forms.CharField(label=_("Vermerk"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(label=_("Ich habe die Angaben geprüft und bestätige sie."))


class UseReportCheckForm(forms.Form):
    decision = forms.ChoiceField(label=_("Ergebnis"), widget=forms.RadioSelect, choices=[
        ("accept", _("Verwendungsnachweis anerkannt")),
        ("return", _("Zur Nachbesserung an den Antragsteller")),
    ])
    accepted_costs = forms.DecimalField(label=_("Anerkannte zuwendungsfähige Kosten (€)"), required=False, **MONEY)
    note = forms.CharField(label=_("Prüfvermerk"), widget=forms.Textarea(attrs={"rows": 3}))
