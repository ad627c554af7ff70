from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .applications import Application
from .funds import MONEY


class EligibilityCheck(models.Model):
    class Outcome(models.TextChoices):
        ELIGIBLE = "eligible", _("zuwendungsfähig")
        MISSING = "missing", _("Unterlagen fehlen – nachfordern")
        NOT_ELIGIBLE = "not_eligible", _("nicht zuwendungsfähig")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="eligibility_checks")
    outcome = models.CharField(_("Ergebnis"), max_length=20, choices=Outcome.choices)
    reasons = models.TextField(_("Begründung"))
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Prüfung der Zuwendungsfähigkeit")
        verbose_name_plural = _("Prüfungen der Zuwendungsfähigkeit")
        ordering = ["checked_at", "pk"]

    def __str__(self):
        return f"{self.application}: {self.get_outcome_display()}"


class EligibilityCheckItem(models.Model):
    """One item of the checklist generated from the rules. `automatic` is what the system found (None: it
    cannot decide); `met` is the advisor's answer; answering against the automatic result needs a reason."""

    check_run = models.ForeignKey(EligibilityCheck, on_delete=models.CASCADE, related_name="items")
    key = models.CharField(_("Prüfpunkt"), max_length=40)
    label = models.CharField(_("Bezeichnung"), max_length=300)
    automatic = models.BooleanField(_("Automatisches Ergebnis"), null=True)
    automatic_reason = models.TextField(_("Begründung des Systems"), blank=True)
    met = models.BooleanField(_("Erfüllt"))
    reason = models.TextField(_("Begründung"), blank=True)

    class Meta:
        verbose_name = _("Prüfpunkt")
        verbose_name_plural = _("Prüfpunkte")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["check_run", "key"], name="check_item_unique"),
            models.CheckConstraint(condition=Q(automatic__isnull=True) | Q(met=F("automatic")) | ~Q(reason=""),
                                   name="check_item_override_has_reason"),
        ]

    def __str__(self):
        return self.label

    @property
    def overridden(self):
        return self.automatic is not None and self.met != self.automatic


class DocumentRequest(models.Model):
    """Nachforderung: what the applicant must still send, by when."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="document_requests")
    items = models.TextField(_("Fehlende Unterlagen"))
    deadline = models.DateField(_("Frist"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(_("Antwort"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Nachforderung")
        verbose_name_plural = _("Nachforderungen")
        ordering = ["requested_at", "pk"]

    def __str__(self):
        return _("%(application)s: Nachforderung bis %(date)s") % {"application": self.application,
                                                                  "date": f"{self.deadline:%d.%m.%Y}"}


class Recommendation(models.Model):
    """Fachliche Stellungnahme of the Citymanagement for the Beirat."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="recommendations")
    recommended_amount = models.DecimalField(_("Empfohlener Zuschuss (€)"), **MONEY)
    conditions = models.TextField(_("Empfohlene Auflagen"), blank=True)
    reasoning = models.TextField(_("Begründung"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("Bestätigt von"))
    confirmed_at = models.DateTimeField(_("Bestätigt am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Fachliche Stellungnahme")
        verbose_name_plural = _("Fachliche Stellungnahmen")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(recommended_amount__gte=0), name="recommendation_amount_non_negative"),
            models.CheckConstraint(condition=Q(confirmed_by__isnull=True) | ~Q(confirmed_by=F("author")),
                                   name="recommendation_confirmed_by_second_person"),
        ]

    def __str__(self):
        return _("%(application)s: Empfehlung %(amount)s €") % {"application": self.application,
                                                               "amount": self.recommended_amount}


class BoardDecision(models.Model):
    class Outcome(models.TextChoices):
        APPROVE = "approve", _("bewilligt")
        REDUCE = "reduce", _("bewilligt mit gekürztem Betrag")
        CONDITIONS = "conditions", _("bewilligt mit Auflagen")
        DEFER = "defer", _("zurückgestellt")
        REJECT = "reject", _("abgelehnt")

    APPROVING = (Outcome.APPROVE, Outcome.REDUCE, Outcome.CONDITIONS)

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="board_decisions")
    outcome = models.CharField(_("Beschluss"), max_length=20, choices=Outcome.choices)
    amount = models.DecimalField(_("Bewilligter Betrag (€)"), null=True, blank=True, **MONEY)
    conditions = models.TextField(_("Auflagen"), blank=True)
    reasons = models.TextField(_("Begründung"), blank=True)
    decided_on = models.DateField(_("Sitzungsdatum"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    agenda_item = models.OneToOneField("fonds.AgendaItem", on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="decision", verbose_name=_("Tagesordnungspunkt"))

    class Meta:
        verbose_name = _("Beiratsbeschluss")
        verbose_name_plural = _("Beiratsbeschlüsse")
        ordering = ["recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(outcome__in=["approve", "reduce", "conditions"], amount__gt=0)
                           | Q(outcome__in=["defer", "reject"], amount__isnull=True)),
                name="board_decision_amount_matches_outcome"),
        ]

    def __str__(self):
        return f"{self.application}: {self.get_outcome_display()}"

    @property
    def approves(self):
        return self.outcome in self.APPROVING


class CriterionScore(models.Model):
    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey("fonds.Criterion", on_delete=models.PROTECT, related_name="+")
    points = models.PositiveSmallIntegerField(_("Punkte"))

    class Meta:
        verbose_name = _("Bewertung")
        verbose_name_plural = _("Bewertungen")
        constraints = [models.UniqueConstraint(fields=["recommendation", "criterion"], name="score_unique")]

    def __str__(self):
        return f"{self.criterion}: {self.points}"


class InternalNote(models.Model):
    """A note of the staff on an application; never shown to the applicant."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="internal_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("Notiz"))
    created_at = models.DateTimeField(_("Angelegt am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Interne Notiz")
        verbose_name_plural = _("Interne Notizen")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.text[:80]
