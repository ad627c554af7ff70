from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """Append-only record of every transition and money movement: who, what, when, before/after."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+")
    actor_label = models.CharField(max_length=150, help_text=_("Name des Handelnden oder „System“"))
    action = models.CharField(_("Vorgang"), max_length=60, db_index=True)
    application = models.ForeignKey("fonds.Application", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="audit_events")
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("Protokolleintrag")
        verbose_name_plural = _("Protokoll")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.created_at:%d.%m.%Y %H:%M} {self.actor_label}: {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Protokolleinträge sind unveränderlich.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Protokolleinträge sind unveränderlich.")
