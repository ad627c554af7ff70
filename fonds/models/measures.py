import uuid

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .authority import Authority
from .funds import MONEY


def measure_photo_path(instance, filename):
    # Generated name; the photo is checked and drawn anew before it is stored (fonds/services/measures.py).
    return f"measures/{uuid.uuid4().hex}{'.png' if filename.lower().endswith('.png') else '.jpg'}"


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
    public = models.BooleanField(_("Öffentlich zeigen"), default=True,
                                 help_text=_("Die Maßnahme erscheint auf den öffentlichen Seiten."))
    responsible_body = models.CharField(_("Verantwortliche Stelle"), max_length=200, blank=True,
                                        help_text=_("z. B. Stadt Dorsten, Stadtteilbüro / Citymanagement"))
    budget = models.DecimalField(_("Kostenrahmen (€)"), null=True, blank=True, **MONEY)
    starts_on = models.DateField(_("Beginn"), null=True, blank=True)
    ends_on = models.DateField(_("Geplantes Ende"), null=True, blank=True)
    location = models.CharField(_("Ort"), max_length=300, blank=True)
    latitude = models.DecimalField(_("Breitengrad"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("Längengrad"), max_digits=9, decimal_places=6, null=True, blank=True)
    photo = models.FileField(_("Foto"), upload_to=measure_photo_path, max_length=300, blank=True)
    photo_alt = models.CharField(_("Bildbeschreibung (Alternativtext)"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("Zuletzt geändert"), auto_now=True)

    class Meta:
        verbose_name = _("Maßnahme")
        verbose_name_plural = _("Maßnahmen")
        ordering = ["number", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(budget__isnull=True) | Q(budget__gte=0),
                                   name="measure_budget_non_negative"),
            models.CheckConstraint(condition=Q(starts_on__isnull=True) | Q(ends_on__isnull=True)
                                   | Q(starts_on__lte=F("ends_on")), name="measure_dates_ordered"),
            models.CheckConstraint(condition=Q(latitude__isnull=True, longitude__isnull=True)
                                   | Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180,
                                       longitude__lte=180), name="measure_point_valid"),
            models.CheckConstraint(condition=Q(photo="") | ~Q(photo_alt=""), name="measure_photo_has_alt"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}".strip()


class MeasureFunding(models.Model):
    """Where a measure's money comes from: Städtebauförderung (Bund, Land), the city, private or EU money."""

    class Source(models.TextChoices):
        BUND = "bund", _("Bund (Städtebauförderung)")
        LAND = "land", _("Land (Städtebauförderung)")
        STADT = "stadt", _("Stadt (Eigenanteil)")
        EU = "eu", _("EU-Mittel")
        PRIVATE = "private", _("Private Mittel / Wirtschaft")
        OTHER = "other", _("Sonstige")

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="fundings",
                                verbose_name=_("Maßnahme"))
    source = models.CharField(_("Herkunft"), max_length=20, choices=Source.choices)
    amount = models.DecimalField(_("Betrag (€)"), **MONEY)
    note = models.CharField(_("Vermerk"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("Finanzierung der Maßnahme")
        verbose_name_plural = _("Finanzierung der Maßnahme")
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="measure_funding_non_negative")]

    def __str__(self):
        return f"{self.get_source_display()}: {self.amount} €"


class Milestone(models.Model):
    """A step on a measure's timeline. Done when `done_on` is set."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="milestones",
                                verbose_name=_("Maßnahme"))
    title = models.CharField(_("Meilenstein"), max_length=200)
    due = models.DateField(_("Geplant bis"), null=True, blank=True)
    done_on = models.DateField(_("Erreicht am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Meilenstein")
        verbose_name_plural = _("Meilensteine")
        ordering = ["due", "pk"]

    def __str__(self):
        return self.title
