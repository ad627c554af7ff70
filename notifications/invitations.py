"""Invitations to network events. The invited are contacts of actors (fonds.Contact), not users: they have no
inbox and no notification settings, so `notify()` (one Notification per user) does not fit. Each invitation is
its own outbox row (fonds.EventInvitation), written in the transaction of the invitation and delivered by a
Celery task after the commit, with the texts of the event `network_event_invitation` (German or English, a
fund's own wording does not apply: events belong to the authority, not to a fund).

The consent is checked twice: when the row is written and again at the moment of sending, so a withdrawal
stops every invitation not yet sent."""

import logging

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from fonds.formatting import date_de
from fonds.models import Contact, EventInvitation, NetworkEvent
from fonds.services.actors import invitation_token, may_email
from fonds.services.audit import audit_record

from .emails import render_email
from .services import absolute_url, send_recorded

logger = logging.getLogger(__name__)
EVENT = "network_event_invitation"
CLOCK = {"de": " Uhr", "en": ""}


def network_event_invite(*, actor, event: NetworkEvent, contacts) -> dict:
    """Invite `contacts` to `event`. Returns the counts: invited now, skipped for want of consent or e-mail
    address, invited before."""
    invited, skipped, before = [], 0, 0
    with transaction.atomic():
        for contact in contacts:
            if not may_email(contact):
                skipped += 1
                continue
            invitation, created = EventInvitation.objects.get_or_create(
                event=event, contact=contact, defaults={"invited_by": actor})
            if not created:
                before += 1
                continue
            invited.append(invitation.pk)
        audit_record(actor=actor, action="event.invited", obj=event,
                     after={"invited": len(invited), "skipped": skipped, "before": before})
        for pk in invited:
            _queue_after_commit(pk)
    return {"invited": len(invited), "skipped": skipped, "before": before}


def _queue_after_commit(pk: int) -> None:
    from notifications.tasks import deliver_event_invitation

    transaction.on_commit(lambda: deliver_event_invitation.delay(pk), robust=True)


def _context(invitation: EventInvitation) -> dict:
    event, token = invitation.event, invitation_token(invitation)
    local = timezone.localtime(event.starts_at)
    return {
        "recipient_name": invitation.contact.name,
        "fund": event.authority.department or event.authority.name,
        "site_name": "Fondsflow",
        "link": absolute_url(reverse("public:event_register", args=[token])),
        "unsubscribe_link": absolute_url(reverse("public:event_unsubscribe", args=[token])),
        "event_title": event.title,
        "event_date": f"{date_de(local.date())}, {local:%H:%M}{CLOCK[invitation.contact.language]}",
        "event_place": event.place,
    }


def invitation_deliver(pk: int) -> str:
    """Send one invitation, once: locked while sent, marked sent in the same transaction."""
    with transaction.atomic():
        invitation = (EventInvitation.objects.select_for_update(skip_locked=True, of=("self",))
                      .select_related("event__authority", "contact")
                      .filter(pk=pk, email_status=EventInvitation.EmailStatus.PENDING).first())
        if invitation is None:
            return "nothing to do"
        contact = Contact.objects.get(pk=invitation.contact_id)
        if not may_email(contact):
            invitation.email_status = EventInvitation.EmailStatus.STOPPED
            invitation.save(update_fields=["email_status"])
            return "stopped"
        context = _context(invitation)
        rendered = render_email(event=EVENT, language=contact.language, context=context)
        error = send_recorded(invitation, rendered, to=contact.email, sent=EventInvitation.EmailStatus.SENT, headers={
            "Message-ID": invitation.message_id, "List-Unsubscribe": f"<{context['unsubscribe_link']}>"})
    if error is not None:
        raise error
    return "sent"


def invitation_give_up(pk: int) -> None:
    EventInvitation.objects.filter(pk=pk, email_status=EventInvitation.EmailStatus.PENDING).update(
        email_status=EventInvitation.EmailStatus.FAILED)
