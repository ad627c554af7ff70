from django.db import models
from django.utils.translation import gettext_lazy as _

from .authority import Authority


class Measure(models.Model):
    """A measure (Maßnahme) of the Integriertes Innenstadtkonzept. Applications say which one they serve."""

    class FieldOfAction(models.TextChoices):
        LOCAL_ECONOMY = "local_economy", _("Lokale Ökonomie")
        HOUSING = "housing", _("Wohnen und Wohnumfeld")
        PUBLIC_SPACE = "public_space", _("Öffentlicher Raum")
        CULTURE = "culture", _("Kultur, Image und Beteiligung")
        BUILDINGS = "buildings", _("Gebäude und Fassaden")

    class Status(models.TextChoices):
        IDEA = "idea", _("Idee")
        PLANNING = "planning", _("In Planung")
        IN_PROGRESS = "in_progress", _("In Umsetzung")
        DONE = "done", _("Abgeschlossen")

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="measures",
                                  verbose_name=_("Behörde"))
    number = models.CharField(_("Nummer im Konzept"), max_length=20, blank=True)
    title = models.CharField(_("Titel"), max_length=200)
    field_of_action = models.CharField(_("Handlungsfeld"), max_length=30, choices=FieldOfAction.choices)
    description = models.TextField(_("Beschreibung"), blank=True)
    status = models.CharField(_("Stand"), max_length=20, choices=Status.choices, default=Status.PLANNING)
    open_for_applications = models.BooleanField(
        _("Im Antrag wählbar"), default=True,
        help_text=_("Anträge auf den Fonds können dieser Maßnahme zugeordnet werden."))

    class Meta:
        verbose_name = _("Maßnahme")
        verbose_name_plural = _("Maßnahmen")
        ordering = ["number", "title"]

    def __str__(self):
        return f"{self.number} {self.title}".strip()
