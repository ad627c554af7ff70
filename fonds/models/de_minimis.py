"""De-minimis aid (Regulation (EU) 2023/2831): what the applicant declares it received from others, and
what this installation granted as de-minimis aid (the entries for the central register)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .applications import Application
from .funds import MONEY, Fund
from .letters import Letter
from .organisations import Organisation


class DeMinimisAid(models.Model):
    """One de-minimis aid the applicant declares to have received in the last three years (self-declaration)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="de_minimis_aids")
    grantor = models.CharField(_("Beihilfegeber"), max_length=200)
    granted_on = models.DateField(_("Tag der Bewilligung"))
    amount = models.DecimalField(_("Betrag (€)"), **MONEY)
    purpose = models.CharField(_("Zweck / Rechtsgrundlage"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("Erklärte De-minimis-Beihilfe")
        verbose_name_plural = _("Erklärte De-minimis-Beihilfen")
        ordering = ["granted_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="de_minimis_aid_amount_positive")]

    def __str__(self):
        return f"{self.grantor} {self.granted_on:%d.%m.%Y}"


class DeMinimisGrant(models.Model):
    """A grant of this installation given as de-minimis aid: written when the Bewilligungsbescheid is issued,
    counted for later applications of the same undertaking, and reported to the central register."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="de_minimis_grant")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="de_minimis_grants",
                                     verbose_name=_("Unternehmen"))
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="de_minimis_grants")
    certificate = models.OneToOneField(Letter, on_delete=models.PROTECT, related_name="de_minimis_grant",
                                       verbose_name=_("De-minimis-Bescheinigung"))
    amount = models.DecimalField(_("Zuwendung (€)"), **MONEY)
    gross_grant_equivalent = models.DecimalField(_("Bruttosubventionsäquivalent (€)"), **MONEY)
    granted_on = models.DateField(_("Tag der Gewährung"))
    report_due = models.DateField(_("Meldung an das Register bis"))
    reported_on = models.DateField(_("An das Register gemeldet am"), null=True, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("Gemeldet von"))

    class Meta:
        verbose_name = _("De-minimis-Gewährung")
        verbose_name_plural = _("De-minimis-Gewährungen")
        ordering = ["granted_on", "pk"]
        permissions = [("report_de_minimis", _("De-minimis-Gewährungen an das Register melden"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0) & Q(gross_grant_equivalent__gt=0)
                & Q(gross_grant_equivalent__lte=F("amount")),
                name="de_minimis_grant_amounts_valid"),
            models.CheckConstraint(condition=Q(report_due__gte=F("granted_on")), name="de_minimis_grant_due_after"),
            models.CheckConstraint(
                condition=(Q(reported_on__isnull=True) & Q(reported_by__isnull=True))
                | (Q(reported_on__gte=F("granted_on")) & Q(reported_by__isnull=False)),
                name="de_minimis_grant_reported_valid"),
        ]

    def __str__(self):
        return f"{self.organisation} {self.granted_on:%d.%m.%Y}"
