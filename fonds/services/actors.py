"""Actors and their contacts as the Stadtteilbüro records them; consent of the contacts, recorded as rows with a
history; event registration and attendance; the signed links in an invitation e-mail. A contact without an
active consent for invitations is never e-mailed."""

from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fonds.errors import DomainError
from fonds.models import Actor, Consent, Contact, EventInvitation
from fonds.services.audit import audit_record

TOKEN_SALT = "fonds.event-invitation"
TOKEN_MAX_AGE = 60 * 60 * 24 * 180  # half a year: an invitation is answered within weeks, a withdrawal any time


def active_consent(contact: Contact, purpose: str) -> Consent | None:
    return contact.consents.filter(purpose=purpose, withdrawn_at__isnull=True).first()


def may_email(contact: Contact) -> bool:
    """Whether the contact may get invitations by e-mail now: an address, an active consent, not anonymised."""
    return bool(contact.email) and contact.anonymised_at is None and (
        active_consent(contact, Consent.Purpose.INVITATIONS) is not None)


@transaction.atomic
def consent_give(*, actor, contact: Contact, purpose: str, source: str, given_at=None) -> Consent:
    """Record that the contact agreed to `purpose`, and how (`source`). An active consent stays as it is."""
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if contact.anonymised_at is not None:
        raise DomainError(_("Der Kontakt ist anonymisiert; eine Einwilligung kann nicht mehr erfasst werden."))
    if not source.strip():
        raise DomainError(_("Bitte geben Sie an, wie die Einwilligung erteilt wurde."), field="source")
    current = active_consent(contact, purpose)
    if current is not None:
        return current
    consent = Consent.objects.create(contact=contact, purpose=purpose, source=source.strip()[:200],
                                     given_at=given_at or timezone.now(),
                                     recorded_by=actor if actor is not None and actor.is_authenticated else None)
    audit_record(actor=actor, action="consent.given", obj=consent,
                 after={"contact": contact.pk, "purpose": purpose, "source": consent.source})
    return consent


@transaction.atomic
def consent_withdraw(*, actor, contact: Contact, purpose: str, note: str = "") -> Consent | None:
    """Withdraw the consent from now on. Invitations not yet sent are stopped: delivery checks the consent at the
    moment of sending, and the rows still waiting are marked here."""
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    consent = active_consent(contact, purpose)
    if consent is None:
        return None
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_note = note[:200]
    consent.save(update_fields=["withdrawn_at", "withdrawn_note"])
    if purpose == Consent.Purpose.INVITATIONS:
        EventInvitation.objects.filter(contact=contact, email_status=EventInvitation.EmailStatus.PENDING).update(
            email_status=EventInvitation.EmailStatus.STOPPED)
    audit_record(actor=actor, action="consent.withdrawn", obj=consent,
                 before={"contact": contact.pk, "purpose": purpose}, after={"note": consent.withdrawn_note})
    return consent


def invitation_token(invitation: EventInvitation) -> str:
    return signing.dumps({"i": invitation.pk}, salt=TOKEN_SALT)


def invitation_from_token(token: str) -> EventInvitation | None:
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    return (EventInvitation.objects.select_related("event", "contact").filter(pk=data.get("i"))
            .exclude(contact__anonymised_at__isnull=False).first())


@transaction.atomic
def invitation_register(*, invitation: EventInvitation) -> EventInvitation:
    """The contact registers for the event through the link in the invitation."""
    invitation = EventInvitation.objects.select_for_update().select_related("event").get(pk=invitation.pk)
    if invitation.event.starts_at < timezone.now():
        raise DomainError(_("Das Treffen hat schon stattgefunden; eine Anmeldung ist nicht mehr möglich."))
    if invitation.registered_at is None:
        invitation.registered_at = timezone.now()
        invitation.save(update_fields=["registered_at"])
    return invitation


@transaction.atomic
def attendance_record(*, actor, invitation: EventInvitation, attended: bool) -> EventInvitation:
    invitation = EventInvitation.objects.select_for_update().select_related("event").get(pk=invitation.pk)
    if invitation.event.starts_at > timezone.now():
        raise DomainError(_("Die Teilnahme kann erst erfasst werden, wenn das Treffen begonnen hat."))
    before = invitation.attended
    invitation.attended = attended
    invitation.save(update_fields=["attended"])
    audit_record(actor=actor, action="event.attendance", obj=invitation, before={"attended": before},
                 after={"attended": attended})
    return invitation


ACTOR_FIELDS = ("name", "kind", "street", "postcode", "city", "notes")


def actor_save(*, actor, authority, target: Actor | None, data: dict, topics=()) -> Actor:
    """The Stadtteilbüro records an actor of its city, or changes one; both audited."""
    before = None
    with transaction.atomic():
        if target is None:
            target = Actor(authority=authority)
        else:
            target = Actor.objects.select_for_update().get(pk=target.pk)  # as stored, whatever a form did to it
            if target.authority_id != authority.pk:
                raise DomainError(_("Diesen Akteur führt eine andere Behörde."))
            before = {name: getattr(target, name) for name in ACTOR_FIELDS}
        for name in ACTOR_FIELDS:
            setattr(target, name, data.get(name, ""))
        target.full_clean(exclude=["authority", "organisation", "latitude", "longitude"])
        target.save()
        target.topics.set(topics)
        audit_record(actor=actor, action="actor.changed" if before else "actor.created", obj=target,
                     before=before, after={name: getattr(target, name) for name in ACTOR_FIELDS})
    return target


def contact_add(*, actor, target: Actor, data: dict) -> Contact:
    """A contact person of an actor. Consents are recorded on the contact's page, each with its source."""
    with transaction.atomic():
        email = data.get("email", "")
        if email and target.contacts.filter(email__iexact=email).exists():
            raise DomainError(_("Diese E-Mail-Adresse ist bei diesem Akteur schon erfasst."), field="email")
        contact = Contact(actor=target, **{k: data.get(k, "") for k in ("name", "function", "email", "phone")},
                          language=data.get("language") or "de")
        contact.full_clean()
        contact.save()
        audit_record(actor=actor, action="contact.created", obj=contact,
                     after={"actor": target.pk, "name": contact.name})
    return contact
