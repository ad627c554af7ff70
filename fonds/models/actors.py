"""Actors (Akteure) of the city centre, their contacts with recorded consent, cooperations between them and
the network events the Stadtteilbüro invites them to."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from .authority import Authority
from .measures import Measure
from .organisations import Organisation


def new_message_id() -> str:
    return f"<{uuid.uuid4().hex}@fondsflow>"


class Topic(models.Model):
    name = models.CharField(_("Thema"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("Thema")
        verbose_name_plural = _("Themen")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Actor(models.Model):
    """An organisation or person of the city centre the Stadtteilbüro works with."""

    class Kind(models.TextChoices):
        RETAIL = "retail", _("Einzelhandel")
        GASTRONOMY = "gastronomy", _("Gastronomie")
        OWNER = "owner", _("Immobilieneigentümer/in")
        CLUB = "club", _("Verein")
        INITIATIVE = "initiative", _("Initiative")
        INSTITUTION = "institution", _("Institution")
        PERSON = "person", _("Privatperson")

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="actors",
                                  verbose_name=_("Behörde"))
    name = models.CharField(_("Name"), max_length=200)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    street = models.CharField(_("Straße und Hausnummer"), max_length=200, blank=True)
    postcode = models.CharField(_("PLZ"), max_length=10, blank=True)
    city = models.CharField(_("Ort"), max_length=100, blank=True)
    latitude = models.DecimalField(_("Breitengrad"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("Längengrad"), max_digits=9, decimal_places=6, null=True, blank=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="actors", verbose_name=_("Themen"))
    organisation = models.ForeignKey(Organisation, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="actors", verbose_name=_("Antragstellende Organisation"),
                                     help_text=_("Verknüpft das Akteursprofil mit den Anträgen der Organisation."))
    measures = models.ManyToManyField(Measure, blank=True, related_name="actors", verbose_name=_("Maßnahmen"))
    notes = models.TextField(_("Notizen"), blank=True)
    created_at = models.DateTimeField(_("Angelegt am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Akteur")
        verbose_name_plural = _("Akteure")
        ordering = ["name"]
        permissions = [("manage_network", _("Akteure, Kontakte und Netzwerktreffen pflegen"))]

    def __str__(self):
        return self.name

    @property
    def address(self) -> str:
        return ", ".join(part for part in (self.street, f"{self.postcode} {self.city}".strip()) if part)


class Contact(models.Model):
    """A person to talk to at an actor. Personal data: exported on request (Art. 15) and anonymised on
    request (Art. 17) unless a retention duty applies."""

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("Akteur"))
    name = models.CharField(_("Name"), max_length=200)
    function = models.CharField(_("Funktion"), max_length=200, blank=True)
    email = models.EmailField(_("E-Mail"), blank=True)
    phone = models.CharField(_("Telefon"), max_length=50, blank=True)
    language = models.CharField(_("Sprache"), max_length=2, choices=[("de", "Deutsch"), ("en", "English")],
                                default="de")
    anonymised_at = models.DateTimeField(_("Anonymisiert am"), null=True, blank=True)
    created_at = models.DateTimeField(_("Angelegt am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Kontakt")
        verbose_name_plural = _("Kontakte")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), "actor", condition=~Q(email=""),
                                    name="contact_email_unique_per_actor"),
        ]

    def __str__(self):
        return f"{self.name} ({self.actor})"


class Consent(models.Model):
    """What a contact agreed to, when, how it was recorded, and when it was withdrawn. A new consent is a new
    row; the old rows stay as the history."""

    class Purpose(models.TextChoices):
        INVITATIONS = "invitations", _("E-Mails: Einladungen zu Netzwerktreffen und Newsletter")
        PUBLICATION = "publication", _("Veröffentlichung von Name und Organisation")

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="consents",
                                verbose_name=_("Kontakt"))
    purpose = models.CharField(_("Zweck"), max_length=20, choices=Purpose.choices)
    given_at = models.DateTimeField(_("Erteilt am"))
    source = models.CharField(_("Wie erteilt"), max_length=200,
                              help_text=_("z. B. „schriftlich beim Händlerfrühstück“, „Import Kontaktliste“"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("Erfasst von"))
    withdrawn_at = models.DateTimeField(_("Widerrufen am"), null=True, blank=True)
    withdrawn_note = models.CharField(_("Widerruf: Vermerk"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("Einwilligung")
        verbose_name_plural = _("Einwilligungen")
        ordering = ["-given_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["contact", "purpose"], condition=Q(withdrawn_at__isnull=True),
                                    name="consent_one_active_per_purpose"),
            models.CheckConstraint(condition=Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=F("given_at")),
                                   name="consent_withdrawn_after_given"),
        ]

    def __str__(self):
        return f"{self.contact}: {self.get_purpose_display()}"


class Cooperation(models.Model):
    first = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="cooperations_started",
                              verbose_name=_("Akteur"))
    second = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="cooperations_joined",
                               verbose_name=_("Partner"))
    description = models.CharField(_("Worum es geht"), max_length=300)
    since = models.DateField(_("Seit"), null=True, blank=True)

    class Meta:
        verbose_name = _("Kooperation")
        verbose_name_plural = _("Kooperationen")
        constraints = [
            models.CheckConstraint(condition=~Q(first=F("second")), name="cooperation_two_actors"),
            models.UniqueConstraint(fields=["first", "second"], name="cooperation_unique"),
        ]

    def __str__(self):
        return f"{self.first} – {self.second}"


class NetworkEvent(models.Model):
    class Kind(models.TextChoices):
        NETWORK = "network", _("Netzwerktreffen")
        BREAKFAST = "breakfast", _("Händlerfrühstück")
        WORKSHOP = "workshop", _("Werkstatt / Beteiligung")
        OTHER = "other", _("Sonstiges")

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="network_events",
                                  verbose_name=_("Behörde"))
    title = models.CharField(_("Titel"), max_length=200)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices, default=Kind.NETWORK)
    starts_at = models.DateTimeField(_("Beginn"))
    place = models.CharField(_("Ort"), max_length=300)
    description = models.TextField(_("Beschreibung"), blank=True)
    measure = models.ForeignKey(Measure, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="network_events", verbose_name=_("Maßnahme"))

    class Meta:
        verbose_name = _("Netzwerktreffen")
        verbose_name_plural = _("Netzwerktreffen")
        ordering = ["-starts_at"]

    def __str__(self):
        return f"{self.title} ({self.starts_at:%d.%m.%Y})"


class EventInvitation(models.Model):
    """One contact invited to one event: the outbox row of the invitation e-mail (contacts are not users, so
    they are not reached through notifications.Notification), then registration and attendance."""

    class EmailStatus(models.TextChoices):
        PENDING = "pending", _("wartet auf Versand")
        SENT = "sent", _("versandt")
        FAILED = "failed", _("fehlgeschlagen")
        STOPPED = "stopped", _("nicht versandt: keine Einwilligung")

    event = models.ForeignKey(NetworkEvent, on_delete=models.CASCADE, related_name="invitations",
                              verbose_name=_("Treffen"))
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="invitations",
                                verbose_name=_("Kontakt"))
    # Stable across redeliveries, so a duplicate after a crash is recognisable as the same message.
    message_id = models.CharField(max_length=100, unique=True, default=new_message_id, editable=False)
    email_status = models.CharField(_("E-Mail"), max_length=10, choices=EmailStatus.choices,
                                    default=EmailStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("Versuche"), default=0)
    last_error = models.TextField(_("Letzter Fehler"), blank=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+", verbose_name=_("Eingeladen von"))
    created_at = models.DateTimeField(_("Eingeladen am"), auto_now_add=True)
    sent_at = models.DateTimeField(_("Versandt am"), null=True, blank=True)
    registered_at = models.DateTimeField(_("Angemeldet am"), null=True, blank=True)
    attended = models.BooleanField(_("Teilgenommen"), null=True, blank=True)

    class Meta:
        verbose_name = _("Einladung zum Treffen")
        verbose_name_plural = _("Einladungen zu Treffen")
        ordering = ["contact__name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "contact"], name="event_invitation_unique"),
            models.CheckConstraint(condition=~Q(email_status="sent") | Q(sent_at__isnull=False),
                                   name="event_invitation_sent_has_time"),
        ]

    def __str__(self):
        return f"{self.contact} → {self.event}"


class ErasureRequest(models.Model):
    """A request to delete a contact's data (Art. 17 DSGVO) and what became of it. Kept after the contact is
    anonymised; holds no personal data itself."""

    class Outcome(models.TextChoices):
        ANONYMISED = "anonymised", _("anonymisiert")
        REFUSED = "refused", _("abgelehnt (Aufbewahrungspflicht)")

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="erasure_requests",
                                verbose_name=_("Kontakt"))
    outcome = models.CharField(_("Ergebnis"), max_length=20, choices=Outcome.choices)
    reason = models.TextField(_("Begründung"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("Bearbeitet von"))
    decided_at = models.DateTimeField(_("Bearbeitet am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Löschersuchen")
        verbose_name_plural = _("Löschersuchen")
        ordering = ["-decided_at"]
        constraints = [models.CheckConstraint(condition=~Q(outcome="refused") | ~Q(reason=""),
                                              name="erasure_refusal_has_reason")]

    def __str__(self):
        return f"{self.contact_id}: {self.get_outcome_display()}"
