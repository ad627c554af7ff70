"""Invitations to network events go only to contacts who agreed to e-mails, once each, with links to register
and to withdraw; a withdrawal stops every invitation not yet sent, at once.

carla – Citymanagement (Stadtteilbüro), who invites
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from fonds.models import Actor, Consent, Contact, EventInvitation, NetworkEvent
from fonds.services.actors import consent_give, consent_withdraw
from notifications.invitations import network_event_invite
from notifications.tasks import deliver_event_invitation


@pytest.fixture
def network(world):
    authority = world["round"].fund.authority
    baeckerei = Actor.objects.create(authority=authority, name="Bäckerei Hülsmann", kind=Actor.Kind.RETAIL,
                                     street="Lippestraße 3", postcode="46282", city="Dorsten")
    hanna = Contact.objects.create(actor=baeckerei, name="Hanna Hülsmann", email="hanna@baeckerei.example")
    paul = Contact.objects.create(actor=baeckerei, name="Paul Hülsmann", email="paul@baeckerei.example")
    nomail = Contact.objects.create(actor=baeckerei, name="Nina Ohnemail")
    event = NetworkEvent.objects.create(authority=authority, title="Händlerfrühstück", kind="breakfast",
                                        starts_at=timezone.now() + timedelta(days=14), place="Stadtteilbüro, Markt 1")
    return {"hanna": hanna, "paul": paul, "nomail": nomail, "event": event}


def invite(carla, network, capture):
    with capture(execute=True):
        return network_event_invite(actor=carla, event=network["event"],
                                    contacts=[network["hanna"], network["paul"], network["nomail"]])


def test_only_contacts_who_agreed_to_emails_are_invited(network, people, django_capture_on_commit_callbacks):
    consent_give(actor=people["carla"], contact=network["hanna"], purpose=Consent.Purpose.INVITATIONS,
                 source="schriftlich beim Stadtfest")
    # paul agreed only to publication, nina has no address
    consent_give(actor=people["carla"], contact=network["paul"], purpose=Consent.Purpose.PUBLICATION,
                 source="mündlich")
    consent_give(actor=people["carla"], contact=network["nomail"], purpose=Consent.Purpose.INVITATIONS,
                 source="mündlich")

    result = invite(people["carla"], network, django_capture_on_commit_callbacks)

    assert result == {"invited": 1, "skipped": 2, "before": 0}
    assert [m.to for m in mail.outbox] == [["hanna@baeckerei.example"]]
    message = mail.outbox[0]
    assert message.subject.startswith("Einladung: Händlerfrühstück am ")
    assert "Guten Tag Hanna Hülsmann" in message.body and "Stadtteilbüro, Markt 1" in message.body
    assert "/treffen/anmeldung/" in message.body and "/treffen/einwilligung/" in message.body
    assert EventInvitation.objects.get().email_status == "sent"
    assert not EventInvitation.objects.filter(contact__in=[network["paul"], network["nomail"]]).exists()

    again = invite(people["carla"], network, django_capture_on_commit_callbacks)
    assert again == {"invited": 0, "skipped": 2, "before": 1} and len(mail.outbox) == 1


def test_a_withdrawal_stops_invitations_not_yet_sent_at_once(network, people, django_capture_on_commit_callbacks):
    hanna = network["hanna"]
    consent_give(actor=people["carla"], contact=hanna, purpose=Consent.Purpose.INVITATIONS, source="Formular")
    with django_capture_on_commit_callbacks(execute=False):  # the worker has not picked it up yet
        network_event_invite(actor=people["carla"], event=network["event"], contacts=[hanna])
    invitation = EventInvitation.objects.get()
    assert invitation.email_status == "pending"

    consent_withdraw(actor=people["carla"], contact=hanna, purpose=Consent.Purpose.INVITATIONS, note="Telefonat")
    deliver_event_invitation.apply(args=[invitation.pk])

    invitation.refresh_from_db()
    assert mail.outbox == [] and invitation.email_status == "stopped"
    later = NetworkEvent.objects.create(authority=network["event"].authority, title="Netzwerktreffen",
                                        starts_at=network["event"].starts_at, place="Altes Rathaus")
    assert network_event_invite(actor=people["carla"], event=later, contacts=[hanna])["skipped"] == 1
    history = list(hanna.consents.values_list("withdrawn_at", flat=True))
    assert len(history) == 1 and history[0] is not None


def test_even_a_queued_invitation_checks_the_consent_when_it_is_sent(network, people,
                                                                    django_capture_on_commit_callbacks):
    hanna = network["hanna"]
    consent = consent_give(actor=people["carla"], contact=hanna, purpose=Consent.Purpose.INVITATIONS, source="x")
    with django_capture_on_commit_callbacks(execute=False):
        network_event_invite(actor=people["carla"], event=network["event"], contacts=[hanna])
    # withdrawn by some other way than the service (e.g. the admin): the sender still sees it
    Consent.objects.filter(pk=consent.pk).update(withdrawn_at=timezone.now())
    assert deliver_event_invitation.apply(args=[EventInvitation.objects.get().pk]).get() == "stopped"
    assert mail.outbox == []


def test_the_links_in_the_mail_register_and_withdraw(network, people, django_capture_on_commit_callbacks):
    hanna = network["hanna"]
    consent_give(actor=people["carla"], contact=hanna, purpose=Consent.Purpose.INVITATIONS, source="Formular")
    invite(people["carla"], network, django_capture_on_commit_callbacks)
    body = mail.outbox[0].body
    register = body[body.index("/treffen/anmeldung/"):].split()[0]
    unsubscribe = body[body.index("/treffen/einwilligung/"):].split()[0]

    visitor = Client()
    assert "Verbindlich anmelden" in visitor.get(register).content.decode()
    assert "Sie sind angemeldet" in visitor.post(register).content.decode()
    assert EventInvitation.objects.get().registered_at is not None
    assert visitor.get(register[:-5] + "xxxx/").status_code == 404

    assert "Ihre Einwilligung ist widerrufen" in visitor.post(unsubscribe).content.decode()
    assert not hanna.consents.filter(withdrawn_at__isnull=True).exists()
