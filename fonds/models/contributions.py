"""Private money paid into a fund (the pool that doubles other projects' grants) and the year end."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .funds import MONEY, Fund


class PrivateContribution(models.Model):
    """Money a business, an ISG or a sponsor promises to pay into the fund (pledge) and what has actually
    arrived (receipts). Only received money may back the private part of a payment."""

    class Kind(models.TextChoices):
        BUSINESS = "business", _("Wirtschaft / Gewerbetreibende")
        ISG = "isg", _("Immobilien- und Standortgemeinschaft (ISG)")
        SPONSOR = "sponsor", _("Spende / Sponsoring")
        CITY_EXTRA = "city_extra", _("Zusätzliche Mittel der Gemeinde")
        CARRY_OVER = "carry_over", _("Übertrag aus dem Vorjahr")

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="contributions", verbose_name=_("Fonds"))
    year = models.PositiveIntegerField(_("Haushaltsjahr"))
    contributor = models.CharField(_("Geldgeber/in"), max_length=200)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    pledged = models.DecimalField(_("Zugesagt (€)"), **MONEY)
    received = models.DecimalField(_("Eingegangen (€)"), default=Decimal("0"), **MONEY)
    note = models.CharField(_("Vermerk"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+",
                                   verbose_name=_("Erfasst von"))
    created_at = models.DateTimeField(_("Erfasst am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Privater Beitrag")
        verbose_name_plural = _("Private Beiträge")
        ordering = ["year", "created_at", "pk"]
        permissions = [
            ("manage_fund_finances", _("Private Beiträge und Jahresabschluss des Fonds erfassen")),
            ("view_fund_dashboard", _("Finanzübersicht des Fonds einsehen")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(pledged__gt=0), name="contribution_pledge_positive"),
            # A receipt can never exceed the pledge.
            models.CheckConstraint(condition=Q(received__gte=0) & Q(received__lte=F("pledged")),
                                   name="contribution_received_within_pledge"),
        ]

    def __str__(self):
        return f"{self.contributor} {self.year}: {self.received} / {self.pledged} €"

    @property
    def outstanding(self):
        return self.pledged - self.received


class ContributionReceipt(models.Model):
    """One payment received on a contribution (Zahlungseingang)."""

    contribution = models.ForeignKey(PrivateContribution, on_delete=models.PROTECT, related_name="receipts")
    amount = models.DecimalField(_("Betrag (€)"), **MONEY)
    received_on = models.DateField(_("Eingegangen am"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Zahlungseingang")
        verbose_name_plural = _("Zahlungseingänge")
        ordering = ["received_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="contribution_receipt_positive")]

    def __str__(self):
        return f"{self.received_on:%d.%m.%Y}: {self.amount} €"


class YearClosing(models.Model):
    """Jahresabschluss of a fund's budget year: recorded once. Afterwards no commitment is booked in that year."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="year_closings", verbose_name=_("Fonds"))
    year = models.PositiveIntegerField(_("Haushaltsjahr"))
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("Abgeschlossen von"))
    closed_at = models.DateTimeField(_("Abgeschlossen am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Jahresabschluss")
        verbose_name_plural = _("Jahresabschlüsse")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["fund", "year"], name="year_closing_once")]

    def __str__(self):
        return f"{self.fund.code} {self.year}"


class YearClosingLine(models.Model):
    """What was left of one source at the year end and whether it was carried over or lapsed."""

    class Source(models.TextChoices):
        BUND = "bund", _("Bund (Städtebauförderung)")
        LAND = "land", _("Land (Städtebauförderung)")
        STADT = "stadt", _("Stadt (Eigenanteil)")
        POOL = "pool", _("Private Mittel (Pool)")

    class Decision(models.TextChoices):
        CARRY_OVER = "carry_over", _("ins Folgejahr übertragen")
        LAPSE = "lapse", _("verfällt")

    closing = models.ForeignKey(YearClosing, on_delete=models.CASCADE, related_name="lines")
    source = models.CharField(_("Herkunft"), max_length=20, choices=Source.choices)
    amount = models.DecimalField(_("Nicht gebunden (€)"), **MONEY)
    decision = models.CharField(_("Entscheidung"), max_length=20, choices=Decision.choices)

    class Meta:
        verbose_name = _("Position des Jahresabschlusses")
        verbose_name_plural = _("Positionen des Jahresabschlusses")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["closing", "source"], name="year_closing_line_once"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="year_closing_line_non_negative"),
        ]

    def __str__(self):
        return f"{self.get_source_display()}: {self.amount} € ({self.get_decision_display()})"
