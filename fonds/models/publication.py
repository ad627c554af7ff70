from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .applications import Application

# The fields a recipient may agree to publish, besides the title (a project is listed by its title).
PUBLISHABLE_FIELDS = ("organisation", "location", "grant", "photo", "description")


class PublicationConsent(models.Model):
    """The recipient's consent to show a funded project on the public pages and in the open data, field by
    field. A change is a new row (the old one is withdrawn), so the history of what was agreed when stays."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="publication_consents",
                                    verbose_name=_("Antrag"))
    show_organisation = models.BooleanField(_("Name der Organisation"), default=False)
    show_location = models.BooleanField(_("Ort (Adresse und Punkt auf der Karte)"), default=False)
    show_grant = models.BooleanField(_("Höhe des Zuschusses"), default=False)
    show_photo = models.BooleanField(_("Foto des fertigen Vorhabens"), default=False)
    show_description = models.BooleanField(_("Kurzbeschreibung"), default=False)
    given_at = models.DateTimeField(_("Erteilt am"), auto_now_add=True)
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("Erteilt von"))
    withdrawn_at = models.DateTimeField(_("Widerrufen am"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("Widerrufen von"))

    class Meta:
        verbose_name = _("Einwilligung zur Veröffentlichung")
        verbose_name_plural = _("Einwilligungen zur Veröffentlichung")
        ordering = ["-given_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["application"], condition=Q(withdrawn_at__isnull=True),
                                    name="publication_consent_one_active"),
            models.CheckConstraint(condition=Q(withdrawn_at__isnull=True) | Q(withdrawn_by__isnull=False),
                                   name="publication_consent_withdrawn_by_someone"),
        ]

    def __str__(self):
        return f"{self.application} ({self.given_at:%d.%m.%Y})"

    @property
    def fields(self) -> list[str]:
        return ["title", *(name for name in PUBLISHABLE_FIELDS if getattr(self, f"show_{name}"))]
