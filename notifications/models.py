import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .events import EVENTS

EVENT_CHOICES = [(code, event.label) for code, event in EVENTS.items()]
LANGUAGES = [("de", "Deutsch"), ("en", "English")]


def new_message_id() -> str:
    return f"<{uuid.uuid4().hex}@fondsflow>"


class Notification(models.Model):
    """One notification to one person: the in-app item and, in the same row, the outbox entry of its e-mail.
    Written in the transaction of the change that causes it; delivered by a Celery task after the commit."""

    class EmailStatus(models.TextChoices):
        PENDING = "pending", _("wartet auf Versand")
        SENT = "sent", _("versandt")
        FAILED = "failed", _("fehlgeschlagen")
        SKIPPED = "skipped", _("nur in der App")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    event = models.CharField(_("Ereignis"), max_length=40, choices=EVENT_CHOICES)
    # Stable per event, subject and recipient: the same event never notifies the same person twice.
    key = models.CharField(max_length=200, unique=True)
    application = models.ForeignKey("fonds.Application", on_delete=models.CASCADE, null=True, blank=True,
                                    related_name="notifications")
    fund = models.ForeignKey("fonds.Fund", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    context = models.JSONField(default=dict)
    language = models.CharField(max_length=2, choices=LANGUAGES, default="de")
    # Stable across redeliveries, so a duplicate after a crash is recognisable as the same message.
    message_id = models.CharField(max_length=100, unique=True, default=new_message_id)
    email_status = models.CharField(_("E-Mail"), max_length=10, choices=EmailStatus.choices,
                                    default=EmailStatus.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("Versuche"), default=0)
    last_error = models.TextField(_("Letzter Fehler"), blank=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("Versandt am"), null=True, blank=True)
    created_at = models.DateTimeField(_("Erstellt am"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("Gelesen am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Benachrichtigung")
        verbose_name_plural = _("Benachrichtigungen")
        ordering = ["-created_at", "-pk"]
        permissions = [("resend_notification", _("Fehlgeschlagene Benachrichtigungen erneut senden"))]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]
        constraints = [models.CheckConstraint(condition=~Q(email_status="sent") | Q(sent_at__isnull=False),
                                              name="notification_sent_has_time")]

    def __str__(self):
        return f"{self.get_event_display()} → {self.recipient}"

    @property
    def legal(self) -> bool:
        return EVENTS[self.event].legal


class NotificationSettings(models.Model):
    """A person's language and the events they want in the app only."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="notification_settings")
    language = models.CharField(_("Sprache"), max_length=2, choices=LANGUAGES, default="de")
    muted_events = models.JSONField(_("Nur in der App"), default=list, blank=True)

    class Meta:
        verbose_name = _("Benachrichtigungseinstellung")
        verbose_name_plural = _("Benachrichtigungseinstellungen")

    def __str__(self):
        return f"{self.user}: {self.language}"


class EmailTemplate(models.Model):
    """A fund's own wording of an event's e-mail, in one language. Without one, the shipped text is used."""

    fund = models.ForeignKey("fonds.Fund", on_delete=models.CASCADE, related_name="email_templates",
                             verbose_name=_("Fonds"))
    event = models.CharField(_("Ereignis"), max_length=40, choices=EVENT_CHOICES)
    language = models.CharField(_("Sprache"), max_length=2, choices=LANGUAGES)
    subject = models.CharField(_("Betreff"), max_length=200)
    text_body = models.TextField(_("Text"))
    html_body = models.TextField(_("HTML (leer: aus dem Text erzeugt)"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("E-Mail-Vorlage")
        verbose_name_plural = _("E-Mail-Vorlagen")
        constraints = [models.UniqueConstraint(fields=["fund", "event", "language"], name="email_template_unique")]

    def __str__(self):
        return f"{self.fund}: {self.get_event_display()} ({self.language})"
