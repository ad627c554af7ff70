from django.conf import settings
from django.db import models
from django.db.models import Q
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

    class Meta:
        verbose_name = _("Fachliche Stellungnahme")
        verbose_name_plural = _("Fachliche Stellungnahmen")
        ordering = ["created_at", "pk"]
        constraints = [models.CheckConstraint(condition=Q(recommended_amount__gte=0),
                                              name="recommendation_amount_non_negative")]

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
