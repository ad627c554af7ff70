from django import forms
from django.template.defaultfilters import floatformat
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from fonds.models import ConditionTemplate, Document, EligibilityCheck
from fonds.services.checklist import answer_problems

MONEY = {"max_digits": 12, "decimal_places": 2, "min_value": 0}
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EligibilityForm(forms.Form):
    """One yes/no answer per item of the checklist generated from the rules, pre-filled with the system's
    result, and a reason (required where the answer differs or the system cannot decide); then the outcome.
    `clean()` hands the step `items` and one `missing_items` text (ticked things plus free text)."""

    template_name_div = "workflows/eligibility_form.html"
    YES_NO = [("yes", _("erfüllt")), ("no", _("nicht erfüllt"))]
    SYSTEM = {True: _("erfüllt"), False: _("nicht erfüllt"), None: _("nicht automatisch prüfbar")}
    # What is typically asked for in a Nachforderung, besides the document items the check found missing.
    TYPICAL_MISSING = [
        ("quote", _("Vergleichsangebote")),
        ("owner_consent", _("Zustimmung der Eigentümerin oder des Eigentümers")),
        ("photo", _("Fotos des heutigen Zustands")),
        ("permit", _("Genehmigung (z. B. Baugenehmigung, Sondernutzungserlaubnis)")),
        ("own_funds", _("Nachweis der Eigenmittel")),
        ("de_minimis", _("Erklärung zu De-minimis-Beihilfen der letzten drei Jahre")),
        ("site_plan", _("Lageplan oder genaue Adresse des Vorhabens")),
    ]

    outcome = forms.ChoiceField(label=_("Ergebnis der Prüfung"), choices=EligibilityCheck.Outcome.choices,
                                widget=forms.RadioSelect)
    reasons = forms.CharField(label=_("Begründung"), widget=forms.Textarea(attrs={"rows": 4}))
    missing_checklist = forms.MultipleChoiceField(label=_("Was fehlt? (nur bei Nachforderung)"), required=False,
                                                  widget=forms.CheckboxSelectMultiple)
    missing_items = forms.CharField(label=_("Weitere fehlende Unterlagen (nur bei Nachforderung)"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.DateField(label=_("Frist für die Nachforderung"), required=False, widget=DATE)

    def __init__(self, *args, checklist, **kwargs):
        super().__init__(*args, **kwargs)
        self.checklist = checklist
        kinds = dict(Document.Kind.choices)
        typical = dict(self.TYPICAL_MISSING)
        failed = [item.document_kind or ("quote" if item.key == "quotes" else None)
                  for item in checklist if item.automatic is False]
        failed = [kind for kind in failed if kind]
        extra = [(kind, kinds.get(kind, kind)) for kind in failed if kind not in typical]
        self.fields["missing_checklist"].choices = [*extra, *self.TYPICAL_MISSING]
        self.fields["missing_checklist"].initial = failed
        item_fields = {}
        for item in checklist:
            system = format_html("{}: <strong>{}</strong>. {}", _("Ergebnis des Systems"), self.SYSTEM[item.automatic],
                                 item.reason)
            item_fields[f"met_{item.key}"] = forms.ChoiceField(
                label=item.label, choices=self.YES_NO, widget=forms.RadioSelect, help_text=system,
                initial={True: "yes", False: "no"}.get(item.automatic),
                error_messages={"required": _("Bitte beantworten Sie diesen Prüfpunkt.")})
            need = (_("Pflicht, weil das System nicht entscheiden kann") if item.automatic is None
                    else _("Pflicht, wenn Sie vom Ergebnis des Systems abweichen"))
            item_fields[f"reason_{item.key}"] = forms.CharField(
                label=_("Begründung zu „%(label)s“ (%(need)s)") % {"label": item.label, "need": need},
                required=False, widget=forms.Textarea(attrs={"rows": 2}))
        self.fields = {**item_fields, **self.fields}

    def checklist_rows(self):
        return [(item, self[f"met_{item.key}"], self[f"reason_{item.key}"]) for item in self.checklist]

    def outcome_fields(self):
        return [self[name] for name in ("outcome", "reasons", "missing_checklist", "missing_items", "deadline")]

    def clean(self):
        data = super().clean()
        answers = {}
        for item in self.checklist:
            met = data.pop(f"met_{item.key}", None)
            reason = data.pop(f"reason_{item.key}", "")
            if met:
                answers[item.key] = {"key": item.key, "met": met == "yes", "reason": reason}
        for key, message in answer_problems(self.checklist, answers).items():
            if key in answers:  # an unanswered item already has its "required" error
                self.add_error(f"reason_{key}", message)
        data["items"] = list(answers.values())
        labels = dict(self.fields["missing_checklist"].choices)
        ticked = [str(labels[value]) for value in data.pop("missing_checklist", [])]
        data["missing_items"] = "\n".join([*ticked, *filter(None, [data.get("missing_items", "").strip()])])
        return data


class RecommendationForm(forms.Form):
    """The fund's standard conditions as checkboxes plus free text, and one score field per criterion of the
    round. `clean()` hands the step `scores` ({criterion pk: points}) instead of the single score fields."""

    amount = forms.DecimalField(label=_("Empfohlener Zuschuss (€)"), **MONEY)
    condition_templates = forms.ModelMultipleChoiceField(
        label=_("Auflagen aus der Liste des Fonds"), queryset=ConditionTemplate.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple)
    conditions = forms.CharField(label=_("Weitere Auflagen (eine je Zeile)"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 3}))
    reasoning = forms.CharField(label=_("Begründung der Empfehlung"), widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        templates = application.fund.condition_templates.filter(active=True)
        self.fields["condition_templates"].queryset = templates
        if not templates.exists():
            del self.fields["condition_templates"]
        self.criteria = list(application.round.criteria.all())
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = forms.IntegerField(
                label=_("%(name)s (0–%(max)s Punkte, Gewicht %(weight)s)")
                % {"name": criterion.name, "max": criterion.max_points, "weight": floatformat(criterion.weight, -2)},
                help_text=criterion.description, min_value=0, max_value=criterion.max_points,
                error_messages={"required": _("Bitte vergeben Sie Punkte."),
                                "min_value": _("Mindestens 0 Punkte."),
                                "max_value": _("Höchstens %(limit_value)s Punkte.")})

    def clean(self):
        data = super().clean()
        data["scores"] = {c.pk: data.pop(f"score_{c.pk}", None) for c in self.criteria}
        data.setdefault("condition_templates", [])
        return data


class RecommendationConfirmForm(forms.Form):
    decision = forms.ChoiceField(label=_("Ergebnis der Zweitprüfung"), widget=forms.RadioSelect, choices=[
        ("confirm", _("Stellungnahme bestätigen – an den Beirat")),
        ("return", _("Zurück an die Verfasserin oder den Verfasser")),
    ])
    reason = forms.CharField(label=_("Vermerk (bei Rückgabe Pflicht)"), required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))


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


# Feststellung der sachlichen und rechnerischen Richtigkeit (as in the VV zu § 70 LHO and the municipal
# Kassenanordnung), each by a different person.
FACTUALLY_CORRECT = _(
    "Sachlich richtig: Ich stelle fest, dass die Rechnungen zum geförderten Vorhaben gehören, dass die "
    "abgerechneten Leistungen wie angegeben erbracht wurden und dass die Auszahlung nach dem Zuwendungsbescheid "
    "begründet ist.")
ARITHMETICALLY_CORRECT = _(
    "Rechnerisch richtig: Ich stelle fest, dass der auszuzahlende Betrag und alle Beträge und Berechnungen, auf "
    "denen er beruht, richtig sind.")


class PaymentOrderForm(forms.Form):
    decision = forms.ChoiceField(label=_("Entscheidung"), widget=forms.RadioSelect, choices=[
        ("order", _("Auszahlung anordnen")),
        ("decline", _("Mittelabruf zurückweisen")),
    ], initial="order")
    amount = forms.DecimalField(label=_("Auszuzahlender Betrag (€)"), required=False, **MONEY)
    note = forms.CharField(label=_("Vermerk"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    # Required for an order; the service refuses an order without it (a declined request needs none).
    factually_correct = forms.BooleanField(label=FACTUALLY_CORRECT, required=False)


class PaymentReleaseForm(forms.Form):
    arithmetically_correct = forms.BooleanField(label=ARITHMETICALLY_CORRECT, required=False)


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(label=_("Ich habe die Angaben geprüft und bestätige sie."))


class UseReportCheckForm(forms.Form):
    decision = forms.ChoiceField(label=_("Ergebnis"), widget=forms.RadioSelect, choices=[
        ("accept", _("Verwendungsnachweis anerkannt")),
        ("return", _("Zur Nachbesserung an den Antragsteller")),
    ])
    accepted_costs = forms.DecimalField(label=_("Anerkannte zuwendungsfähige Kosten (€)"), required=False, **MONEY)
    note = forms.CharField(label=_("Prüfvermerk"), widget=forms.Textarea(attrs={"rows": 3}))
