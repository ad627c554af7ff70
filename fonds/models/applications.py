from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .funds import MONEY, Fund, FundingRound, RuleSet
from .organisations import Organisation


class Stage(models.TextChoices):
    """Where an application stands. Written by the flow's services; read by the portal and lists."""

    DRAFT = "draft", _("Entwurf")
    ELIGIBILITY = "eligibility", _("Prüfung Zuwendungsfähigkeit")
    DOCUMENTS_REQUESTED = "documents_requested", _("Prüfung Zuwendungsfähigkeit – Nachforderung offen")
    RECOMMENDATION = "recommendation", _("Fachliche Stellungnahme")
    BOARD = "board", _("Beiratsentscheidung ausstehend")
    DEFERRED = "deferred", _("Vom Beirat zurückgestellt")
    BESCHEID = "bescheid", _("Bescheid in Vorbereitung")
    IMPLEMENTATION = "implementation", _("Umsetzung und Auszahlung")
    USE_REPORT_CHECK = "use_report_check", _("Verwendungsnachweis in Prüfung")
    SETTLEMENT = "settlement", _("Schlussabrechnung")
    CLOSED = "closed", _("Abgeschlossen – Zweckbindung läuft")
    REJECTED = "rejected", _("Abgelehnt")
    WITHDRAWN = "withdrawn", _("Zurückgezogen")


# Applicant-facing names differ from the staff names; both live in this one table.
APPLICANT_STAGE_LABELS = {
    Stage.DRAFT: _("Entwurf – noch nicht eingereicht"),
    Stage.ELIGIBILITY: _("Eingereicht – in Prüfung"),
    Stage.DOCUMENTS_REQUESTED: _("Bitte Unterlagen nachreichen"),
    Stage.RECOMMENDATION: _("In Prüfung"),
    Stage.BOARD: _("Liegt dem Beirat zur Entscheidung vor"),
    Stage.DEFERRED: _("Liegt dem Beirat vor – Entscheidung vertagt"),
    Stage.BESCHEID: _("Bewilligt – Bescheid wird erstellt"),
    Stage.IMPLEMENTATION: _("Bescheid erteilt – in Umsetzung"),
    Stage.USE_REPORT_CHECK: _("Verwendungsnachweis wird geprüft"),
    Stage.SETTLEMENT: _("Verwendungsnachweis wird abgerechnet"),
    Stage.CLOSED: _("Abgeschlossen"),
    Stage.REJECTED: _("Abgelehnt"),
    Stage.WITHDRAWN: _("Zurückgezogen"),
}

# The steps of a successful application as the applicant sees them, in order, with a short name each.
TIMELINE = [
    (Stage.DRAFT, _("Entwurf")),
    (Stage.ELIGIBILITY, _("Eingereicht")),
    (Stage.RECOMMENDATION, _("Prüfung")),
    (Stage.BOARD, _("Beirat")),
    (Stage.BESCHEID, _("Bescheid")),
    (Stage.IMPLEMENTATION, _("Umsetzung")),
    (Stage.USE_REPORT_CHECK, _("Verwendungsnachweis")),
    (Stage.SETTLEMENT, _("Abrechnung")),
    (Stage.CLOSED, _("Abgeschlossen")),
]
# Stages that stand on the timeline at the place of another one.
TIMELINE_POSITION = {Stage.DOCUMENTS_REQUESTED: Stage.ELIGIBILITY, Stage.DEFERRED: Stage.BOARD}

WITHDRAWABLE_STAGES = {Stage.DRAFT, Stage.ELIGIBILITY, Stage.DOCUMENTS_REQUESTED, Stage.RECOMMENDATION,
                       Stage.BOARD, Stage.DEFERRED, Stage.BESCHEID}


class FileNumberSequence(models.Model):
    """The last file number used per fund and year. Locked when a number is drawn, so no number
    is ever used twice or reused."""

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE)
    year = models.PositiveIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["fund", "year"], name="file_sequence_unique")]

    def __str__(self):
        return f"{self.fund.code}-{self.year}: {self.last_number}"


class Application(models.Model):
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="applications", verbose_name=_("Fonds"))
    round = models.ForeignKey(FundingRound, on_delete=models.PROTECT, related_name="applications",
                              verbose_name=_("Förderrunde"))
    rules = models.ForeignKey(RuleSet, on_delete=models.PROTECT, null=True, blank=True, related_name="applications",
                              verbose_name=_("Förderregeln"), help_text=_("Fest ab Einreichung"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="applications",
                                     verbose_name=_("Antragsteller/in"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="created_applications", verbose_name=_("Angelegt von"))
    stage = models.CharField(_("Stand"), max_length=30, choices=Stage.choices, default=Stage.DRAFT, db_index=True)

    file_number = models.CharField(_("Aktenzeichen"), max_length=40, null=True, blank=True, unique=True)
    # A draft is filled in step by step, so the project's fields may be empty until submission
    # (guarded by the constraint application_submitted_is_complete).
    title = models.CharField(_("Titel des Vorhabens"), max_length=200, blank=True)
    description = models.TextField(_("Beschreibung des Vorhabens"), blank=True)
    location = models.CharField(_("Ort des Vorhabens"), max_length=300, blank=True,
                                help_text=_("Straße und Hausnummer innerhalb des Fördergebiets"))
    latitude = models.DecimalField(_("Breitengrad"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("Längengrad"), max_digits=9, decimal_places=6, null=True, blank=True)
    measure = models.ForeignKey("fonds.Measure", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="applications", verbose_name=_("Maßnahme des Innenstadtkonzepts"))
    planned_start = models.DateField(_("Geplanter Beginn"), null=True, blank=True)
    planned_end = models.DateField(_("Geplantes Ende"), null=True, blank=True)
    already_started = models.BooleanField(
        _("Vorhaben bereits begonnen"), default=False,
        help_text=_("Ein Auftrag oder Kauf vor der Bewilligung gilt als Beginn."))
    is_tenant = models.BooleanField(_("Mieter/in oder Pächter/in des Objekts"), default=False)
    vat_deductible = models.BooleanField(_("Vorsteuerabzugsberechtigt"), default=False)
    own_funds = models.DecimalField(_("Eigenmittel (€)"), default=Decimal("0"), **MONEY)
    third_party_funds = models.DecimalField(_("Drittmittel (€)"), default=Decimal("0"), **MONEY)
    donations = models.DecimalField(_("Spenden und Sponsoring (€)"), default=Decimal("0"), **MONEY)
    requested_grant = models.DecimalField(_("Beantragter Zuschuss (€)"), default=Decimal("0"), **MONEY)
    de_minimis_amount = models.DecimalField(
        _("De-minimis-Beihilfen der letzten drei Jahre (€)"), null=True, blank=True, **MONEY)
    privacy_acknowledged_at = models.DateTimeField(_("Datenschutzhinweis gelesen am"), null=True, blank=True)
    truth_declared_at = models.DateTimeField(_("Richtigkeit versichert am"), null=True, blank=True)

    approved_grant = models.DecimalField(_("Bewilligter Zuschuss (€)"), null=True, blank=True, **MONEY)
    final_grant = models.DecimalField(_("Endgültiger Zuschuss (€)"), null=True, blank=True, **MONEY)
    approval_period_end = models.DateField(_("Bewilligungszeitraum bis"), null=True, blank=True)
    use_report_due = models.DateField(_("Verwendungsnachweis fällig am"), null=True, blank=True)
    earmarked_until = models.DateField(_("Zweckbindung bis"), null=True, blank=True)

    created_at = models.DateTimeField(_("Angelegt am"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("Eingereicht am"), null=True, blank=True)
    updated_at = models.DateTimeField(_("Zuletzt geändert"), auto_now=True)

    class Meta:
        verbose_name = _("Antrag")
        verbose_name_plural = _("Anträge")
        ordering = ["-created_at"]
        permissions = [
            ("check_eligibility", _("Zuwendungsfähigkeit prüfen")),
            ("recommend", _("Fachliche Stellungnahme abgeben")),
            ("decide", _("Beiratsentscheidung erfassen")),
            ("draft_bescheid", _("Bescheid entwerfen")),
            ("issue_bescheid", _("Bescheid prüfen und erlassen")),
            ("order_payment", _("Auszahlung anordnen")),
            ("release_payment", _("Auszahlung freigeben")),
            ("check_use_report", _("Verwendungsnachweis prüfen")),
            ("settle", _("Schlussabrechnung erstellen")),
            ("view_all_applications", _("Alle Anträge der eigenen Behörde einsehen")),
            ("lead_team", _("Team leiten: Aufgaben zuweisen, Übersicht sehen")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(planned_start__lte=F("planned_end")), name="application_dates_ordered"),
            models.CheckConstraint(
                condition=Q(own_funds__gte=0) & Q(third_party_funds__gte=0) & Q(donations__gte=0)
                & Q(requested_grant__gte=0) & (Q(de_minimis_amount__isnull=True) | Q(de_minimis_amount__gte=0)),
                name="application_financing_non_negative"),
            models.CheckConstraint(condition=Q(approved_grant__isnull=True) | Q(approved_grant__gte=0),
                                   name="application_approved_non_negative"),
            models.CheckConstraint(
                condition=Q(final_grant__isnull=True)
                | Q(approved_grant__isnull=False, final_grant__lte=F("approved_grant")),
                name="application_final_grant_within_approval"),
            models.CheckConstraint(condition=Q(stage="draft") | Q(file_number__isnull=False),
                                   name="application_submitted_has_file_number"),
            models.CheckConstraint(
                condition=Q(stage="draft") | (
                    ~Q(title="") & ~Q(description="") & ~Q(location="") & Q(planned_start__isnull=False)
                    & Q(planned_end__isnull=False) & Q(already_started=False)
                    & Q(privacy_acknowledged_at__isnull=False) & Q(truth_declared_at__isnull=False)),
                name="application_submitted_is_complete"),
        ]

    def __str__(self):
        return f"{self.file_number or _('Entwurf')} – {self.title or _('ohne Titel')}"

    @property
    def applicant_stage_label(self):
        return APPLICANT_STAGE_LABELS[Stage(self.stage)]

    @property
    def is_withdrawable(self):
        return self.stage in WITHDRAWABLE_STAGES


class CostItem(models.Model):
    """A line of the cost plan (Kostenplan)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="cost_items")
    description = models.CharField(_("Kostenposition"), max_length=200)
    net_amount = models.DecimalField(_("Netto (€)"), **MONEY)
    gross_amount = models.DecimalField(_("Brutto (€)"), **MONEY)
    eligible = models.BooleanField(_("Zuwendungsfähig"), default=True)

    class Meta:
        verbose_name = _("Kostenposition")
        verbose_name_plural = _("Kostenplan")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(net_amount__gte=0) & Q(gross_amount__gte=F("net_amount")),
                                   name="cost_item_amounts_valid"),
        ]

    def __str__(self):
        return self.description
