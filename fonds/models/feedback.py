from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessibilityFeedback(models.Model):
    """A report of a barrier, sent from the Barrierefreiheitserklärung's feedback form (BITV 2.0 § 7)."""

    page = models.CharField(_("Betroffene Seite"), max_length=500, blank=True)
    message = models.TextField(_("Beschreibung der Barriere"))
    name = models.CharField(_("Name"), max_length=200, blank=True)
    email = models.EmailField(_("E-Mail für die Antwort"), blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+")
    created_at = models.DateTimeField(_("Eingegangen am"), auto_now_add=True)
    answered_at = models.DateTimeField(_("Beantwortet am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Rückmeldung zur Barrierefreiheit")
        verbose_name_plural = _("Rückmeldungen zur Barrierefreiheit")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.created_at:%d.%m.%Y} – {self.page or '—'}"
