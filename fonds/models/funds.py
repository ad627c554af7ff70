from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .authority import Authority

MONEY = {"max_digits": 12, "decimal_places": 2}


class Fund(models.Model):
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="funds",
                                  verbose_name=_("Bewilligungsbehörde"))
    name = models.CharField(_("Name"), max_length=200)
    code = models.CharField(_("Kürzel"), max_length=10, help_text=_("Teil des Aktenzeichens, z. B. AF"))
    budget_account = models.CharField(
        _("Haushaltsstelle / Produktkonto"), max_length=60, blank=True,
        help_text=_("Steht im Verwendungszweck jeder Auszahlung und in der Liste für die Stadtkasse."))
    description = models.TextField(_("Beschreibung"), blank=True)
    programme = models.CharField(_("Förderprogramm"), max_length=200, blank=True,
                                 help_text=_("z. B. Städtebauförderung „Wir machen MITte“"))
    purpose = models.TextField(_("Zuwendungszweck"), blank=True)
    funding_note = models.CharField(
        _("Förderhinweis"), max_length=300, blank=True,
        help_text=_("Steht auf den öffentlichen Seiten, z. B. „Gefördert im Städtebauförderungsprogramm "
                    "„Lebendige Zentren“ durch Bund, Land NRW und Stadt Dorsten“."))
    area_geojson = models.JSONField(
        _("Fördergebiet (GeoJSON)"), null=True, blank=True,
        help_text=_("Polygon oder MultiPolygon in WGS84 (Längengrad, Breitengrad), z. B. aus geojson.io."))
    recommendation_four_eyes = models.BooleanField(
        _("Stellungnahme im Vier-Augen-Prinzip"), default=False,
        help_text=_("Eine zweite Person des Citymanagements bestätigt jede fachliche Stellungnahme."))
    payment_before_final = models.BooleanField(
        _("Auszahlung vor Bestandskraft erlaubt"), default=False,
        help_text=_("Sonst wird erst ausgezahlt, wenn der Bewilligungsbescheid bestandskräftig ist oder der "
                    "Rechtsbehelfsverzicht vorliegt."))
    max_public_share_percent = models.DecimalField(
        _("Höchstanteil öffentlicher Mittel (%)"), max_digits=5, decimal_places=2, default=Decimal("50"),
        help_text=_("In der Regel 50 % (VV Städtebauförderung); bis 100 % in Fonds des Programms Sozialer "
                    "Zusammenhalt."))

    class Meta:
        verbose_name = _("Fonds")
        verbose_name_plural = _("Fonds")
        constraints = [
            models.UniqueConstraint(fields=["authority", "code"], name="fund_code_unique"),
            models.CheckConstraint(condition=Q(max_public_share_percent__gt=0) & Q(max_public_share_percent__lte=100),
                                   name="fund_public_share_in_range"),
        ]

    def __str__(self):
        return self.name


class FundingRound(models.Model):
    """Förderrunde / Haushaltsjahr: applications are submitted into an open round."""

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="rounds", verbose_name=_("Fonds"))
    name = models.CharField(_("Bezeichnung"), max_length=200)
    year = models.PositiveIntegerField(_("Haushaltsjahr"))
    opens_on = models.DateField(_("Antragsbeginn"))
    closes_on = models.DateField(_("Antragsschluss"))

    class Meta:
        verbose_name = _("Förderrunde")
        verbose_name_plural = _("Förderrunden")
        ordering = ["-year", "-opens_on"]
        constraints = [models.CheckConstraint(condition=Q(opens_on__lte=F("closes_on")), name="round_dates_ordered")]

    def __str__(self):
        return f"{self.fund.code} {self.name}"

    @property
    def current_rules(self):
        return self.rule_sets.order_by("-version").first()


class RuleSet(models.Model):
    """One version of a round's rules. Never edited once an application was submitted under it:
    a change is a new version, and submitted applications keep theirs."""

    round = models.ForeignKey(FundingRound, on_delete=models.CASCADE, related_name="rule_sets",
                              verbose_name=_("Förderrunde"))
    version = models.PositiveIntegerField(_("Version"))
    rate_percent = models.DecimalField(_("Fördersatz (%)"), max_digits=5, decimal_places=2,
                                       validators=[MinValueValidator(Decimal("0.01")),
                                                   MaxValueValidator(Decimal("100"))])
    max_grant = models.DecimalField(_("Höchstbetrag (€)"), **MONEY)
    min_grant = models.DecimalField(_("Mindestzuschuss / Bagatellgrenze (€)"), default=Decimal("0"), **MONEY)
    min_total_cost = models.DecimalField(_("Mindest-Gesamtkosten (€)"), default=Decimal("0"), **MONEY)
    net_if_vat_deductible = models.BooleanField(
        _("Nettokosten bei Vorsteuerabzug"), default=True,
        help_text=_("Wer vorsteuerabzugsberechtigt ist, wird auf Basis der Nettokosten gefördert."))
    quotes_required = models.PositiveSmallIntegerField(_("Vergleichsangebote"), default=3)
    quote_threshold = models.DecimalField(_("Vergleichsangebote ab (€)"), default=Decimal("1000"), **MONEY)
    proof_of_use_months = models.PositiveSmallIntegerField(_("Frist Verwendungsnachweis (Monate)"), default=6)
    earmarking_years = models.PositiveSmallIntegerField(_("Zweckbindung (Jahre)"), default=10)
    de_minimis_applicable = models.BooleanField(_("De-minimis-Regeln anwendbar"), default=False)
    de_minimis_ceiling = models.DecimalField(
        _("De-minimis-Höchstbetrag in drei Jahren (€)"), default=Decimal("300000"), **MONEY,
        help_text=_("Verordnung (EU) 2023/2831: 300.000 € je Unternehmen in drei Jahren."))
    allowed_applicant_kinds = models.JSONField(
        _("Antragsberechtigt"), default=list, blank=True,
        help_text=_("Arten der Antragsteller (Organisation.Kind), die beantragen dürfen. Leer: alle."))
    required_documents = models.JSONField(
        _("Pflichtunterlagen"), default=list, blank=True,
        help_text=_("Arten von Unterlagen (Document.Kind), die jedem Antrag beiliegen müssen."))
    eligible_area = models.TextField(_("Fördergebiet"), blank=True)
    eligible_streets = models.TextField(
        _("Straßen im Fördergebiet"), blank=True,
        help_text=_("Eine Straße je Zeile. Leer: der Ort wird nicht gegen eine Liste geprüft."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Förderregeln")
        verbose_name_plural = _("Förderregeln")
        constraints = [
            models.UniqueConstraint(fields=["round", "version"], name="ruleset_version_unique"),
            models.CheckConstraint(condition=Q(rate_percent__gt=0) & Q(rate_percent__lte=100), name="rules_rate_range"),
            models.CheckConstraint(condition=Q(min_grant__gte=0) & Q(max_grant__gte=F("min_grant")),
                                   name="rules_grant_bounds"),
        ]

    def __str__(self):
        return _("%(round)s – Regeln v%(version)s") % {"round": self.round, "version": self.version}

    @property
    def street_list(self) -> list[str]:
        return [line.strip() for line in self.eligible_streets.splitlines() if line.strip()]


class ConditionTemplate(models.Model):
    """A standard condition (Auflage) the fund admin keeps; advisors pick from these for a recommendation."""

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="condition_templates",
                             verbose_name=_("Fonds"))
    text = models.TextField(_("Auflage"))
    active = models.BooleanField(_("Wählbar"), default=True)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Auflage (Vorlage)")
        verbose_name_plural = _("Auflagen (Vorlagen)")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.text[:80]


class Criterion(models.Model):
    """A scoring criterion of a round (e.g. 'Wirkung für die Altstadt', 0–5 points, weight 2)."""

    round = models.ForeignKey(FundingRound, on_delete=models.CASCADE, related_name="criteria",
                              verbose_name=_("Förderrunde"))
    name = models.CharField(_("Kriterium"), max_length=200)
    description = models.TextField(_("Erläuterung"), blank=True)
    max_points = models.PositiveSmallIntegerField(_("Höchstpunktzahl"), default=5)
    weight = models.DecimalField(_("Gewicht"), max_digits=4, decimal_places=2, default=Decimal("1"))
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Bewertungskriterium")
        verbose_name_plural = _("Bewertungskriterien")
        ordering = ["position", "pk"]
        constraints = [models.CheckConstraint(condition=Q(max_points__gt=0) & Q(weight__gt=0),
                                              name="criterion_points_and_weight_positive")]

    def __str__(self):
        return self.name
