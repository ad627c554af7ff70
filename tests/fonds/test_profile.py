"""Mein Konto: alice keeps her name, address, password and the data of her association up to date, and brings a
colleague in by invitation. bob (Lions Club) must not touch any of it; carla (Citymanagement) has no organisation.

Everything goes through the test client and the real database; mails land in django.core.mail.outbox.
"""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group, User
from django.core import mail
from django.test import Client
from django.utils import timezone

from fonds.models import AuditEvent, Invitation, Membership, Organisation
from workflows.demo import PASSWORD, draft

NEW_PASSWORD = "Lippe-Ufer-2027!"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def link_in(message) -> str:
    return re.search(r"http://testserver(/\S+)", message.body).group(1)


def page(response) -> str:
    return response.content.decode()


def audit(action):
    return AuditEvent.objects.filter(action=action)


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """POST and run the on-commit callbacks (the mails go out after the commit)."""
    def post(client, url, data=None):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data or {})
    return post


def invite(send, client, org, email):
    return send(client, f"/konto/organisationen/{org.pk}/einladen/", {f"org{org.pk}-email": email})


# --- the page -------------------------------------------------------------------------------------------------------

def test_the_profile_shows_the_person_and_for_applicants_their_organisations(world, people):
    response = client_for(people["alice"]).get("/konto/")
    html = page(response)
    assert response.status_code == 200
    assert "alice@dia-dorsten.example" in html and "Dorstener Interessengemeinschaft Altstadt e. V." in html
    assert "DE02 1203 0000 0000 2020 51" in html and "Kollegin oder Kollegen einladen" in html
    assert "Lions Club" not in html

    staff = page(client_for(people["carla"]).get("/konto/"))
    assert "Passwort ändern" in staff and "Ihre Organisationen" not in staff and "einladen" not in staff

    anonymous = Client().get("/konto/")
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/anmelden/")


def test_the_name_is_changed_and_audited_an_empty_one_is_refused(world, people):
    alice, client = people["alice"], client_for(people["alice"])
    empty = client.post("/konto/", {"first_name": "", "last_name": "Albers-Brandt"})
    assert empty.status_code == 200 and "Dieses Feld ist zwingend erforderlich." in page(empty)
    alice.refresh_from_db()
    assert alice.last_name == "Albers"

    assert client.post("/konto/", {"first_name": "Alice", "last_name": "Albers-Brandt"}).status_code == 302
    alice.refresh_from_db()
    assert alice.last_name == "Albers-Brandt"
    event = audit("account.name_changed").get()
    assert event.before == {"last_name": "Albers"} and event.after == {"last_name": "Albers-Brandt"}


# --- e-mail and password --------------------------------------------------------------------------------------------

def test_the_e_mail_address_changes_only_after_the_link_to_the_new_one_is_opened(world, people, send):
    alice, client = people["alice"], client_for(people["alice"])
    wrong = send(client, "/konto/e-mail/", {"email": "alice@neu.example", "password": "falsch"})
    assert "Das Passwort ist nicht richtig." in page(wrong) and mail.outbox == []
    taken = send(client, "/konto/e-mail/", {"email": "BOB@lions-dorsten.example", "password": PASSWORD})
    assert "Zu dieser E-Mail-Adresse gibt es schon ein Konto." in page(taken) and mail.outbox == []

    response = send(client, "/konto/e-mail/", {"email": "Alice@Neu.example", "password": PASSWORD})
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["alice@neu.example"]
    alice.refresh_from_db()
    assert alice.email == "alice@dia-dorsten.example"  # the old address stays until confirmed

    foreign = client_for(people["bob"]).get(link_in(message))
    assert foreign.status_code == 400 and "anderen Konto" in page(foreign)
    with time_machine.travel(timezone.now() + timedelta(days=4)):
        expired = client_for(alice).get(link_in(message))  # a new login: sessions last an hour
    assert expired.status_code == 400 and "abgelaufen" in page(expired)
    alice.refresh_from_db()
    assert alice.email == "alice@dia-dorsten.example"

    confirmed = client.get(link_in(message))
    assert confirmed.status_code == 302 and confirmed["Location"] == "/konto/"
    alice.refresh_from_db()
    assert alice.email == "alice@neu.example" and alice.username == "alice"
    assert audit("account.email_changed").get().before == {"email": "alice@dia-dorsten.example"}
    again = client.get(link_in(message))
    assert again.status_code == 400 and "nicht mehr" in page(again)


def test_a_user_name_that_was_the_address_follows_it(world, people, django_capture_on_commit_callbacks):
    rita = User.objects.create_user("rita@modehaus.example", "rita@modehaus.example", PASSWORD)
    rita.groups.add(Group.objects.get(name="Antragsteller"))
    client = client_for(rita)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/konto/e-mail/", {"email": "rita@rademacher.example", "password": PASSWORD})
    with django_capture_on_commit_callbacks(execute=True):
        client.get(link_in(mail.outbox[0]))
    rita.refresh_from_db()
    assert rita.username == rita.email == "rita@rademacher.example"
    assert Client().login(username="rita@rademacher.example", password=PASSWORD)
    notice = mail.outbox[1]  # the old address learns of the change
    assert notice.to == ["rita@modehaus.example"] and "rita@rademacher.example" in notice.body


def test_the_password_changes_only_with_the_old_one(world, people):
    client = client_for(people["alice"])
    data = {"old_password": "falsch", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    wrong = client.post("/konto/passwort/", data)
    assert wrong.status_code == 200 and "Das alte Passwort war falsch." in page(wrong)
    assert Client().login(username="alice", password=PASSWORD)

    response = client.post("/konto/passwort/", {**data, "old_password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/konto/"
    assert client.get("/konto/").status_code == 200  # still logged in
    assert Client().login(username="alice", password=NEW_PASSWORD)
    assert audit("account.password_changed").count() == 1


# --- the organisation's data ----------------------------------------------------------------------------------------

def organisation_data(org, **changes):
    data = {field: getattr(org, field) for field in ("name", "kind", "legal_form", "representative", "street",
                                                      "postcode", "city", "email", "phone", "iban")}
    return {**data, **changes}


def test_a_member_edits_the_organisation_and_the_audit_keeps_before_and_after(world, people):
    dia, client = world["dia"], client_for(people["alice"])
    assert client.get(f"/konto/organisationen/{dia.pk}/").status_code == 200
    response = client.post(f"/konto/organisationen/{dia.pk}/", organisation_data(
        dia, phone="02362 12345", iban="de89370400440532013000"))
    assert response.status_code == 302
    dia.refresh_from_db()
    assert dia.phone == "02362 12345" and dia.iban == "DE89 3704 0044 0532 0130 00"
    event = audit("organisation.updated").get()
    assert event.before == {"phone": "", "iban": "DE02 1203 0000 0000 2020 51"}
    assert event.after == {"phone": "02362 12345", "iban": "DE89 3704 0044 0532 0130 00"}


@pytest.mark.parametrize("iban, message", [
    ("DE89 3704 0044 0532 0130 01", "Die Prüfziffern der IBAN stimmen nicht."),
    ("DE89 3704 0044 0532 0130", "Eine IBAN aus DE hat 22 Zeichen, diese hat 20."),
    ("Sparkasse Dorsten", "Das ist keine IBAN."),
])
def test_a_bad_iban_is_refused_and_nothing_changes(world, people, iban, message):
    dia, client = world["dia"], client_for(people["alice"])
    response = client.post(f"/konto/organisationen/{dia.pk}/", organisation_data(dia, name="Umbenannt", iban=iban))
    assert response.status_code == 200 and message in page(response)
    assert "Es wurde nichts gespeichert." in page(response)
    dia.refresh_from_db()
    assert dia.name == "Dorstener Interessengemeinschaft Altstadt e. V." and dia.iban == "DE02 1203 0000 0000 2020 51"
    assert not audit("organisation.updated").exists()


def test_bob_and_staff_cannot_touch_alice_s_organisation(world, people, send):
    dia = world["dia"]
    invite(send, client_for(people["alice"]), dia, "clara@dia-dorsten.example")
    invitation = Invitation.objects.get()
    mail.outbox.clear()
    for outsider in (people["bob"], people["carla"]):
        client = client_for(outsider)
        assert client.get(f"/konto/organisationen/{dia.pk}/").status_code == 404
        hijack = organisation_data(dia, name="Gekapert")
        assert client.post(f"/konto/organisationen/{dia.pk}/", hijack).status_code == 404
        assert invite(send, client, dia, "mallory@example.org").status_code == 404
        assert client.post(f"/konto/einladungen/{invitation.pk}/zuruecknehmen/").status_code == 404
        assert client.post(f"/konto/organisationen/{dia.pk}/verlassen/").status_code == 404
    dia.refresh_from_db()
    invitation.refresh_from_db()
    assert dia.name != "Gekapert" and invitation.is_open
    assert Invitation.objects.count() == 1 and mail.outbox == []
    assert Membership.objects.filter(organisation=dia).count() == 1


# --- invitations ----------------------------------------------------------------------------------------------------

def test_an_invited_colleague_with_an_account_logs_in_accepts_and_sees_the_applications(world, people, send):
    alice, bob, dia = people["alice"], people["bob"], world["dia"]
    application = draft(world, dia, alice, "Beleuchtung Altes Rathaus", [("LED-Fassadenstrahler", "3000", "3570")])

    response = invite(send, client_for(alice), dia, "BOB@lions-dorsten.example")
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["bob@lions-dorsten.example"]
    assert "Alice Albers" in message.subject + message.body and "Dorstener Interessengemeinschaft" in message.subject
    assert "alle Anträge" in message.body
    assert audit("invitation.sent").count() == 1
    link = link_in(message)

    bob_client = Client()
    welcome = bob_client.get(link)
    assert welcome.status_code == 200 and "Anmelden und Einladung annehmen" in page(welcome)
    login = bob_client.post("/anmelden/", {"username": "bob", "password": PASSWORD, "next": link})
    assert login.status_code == 302 and login["Location"] == link
    confirm = bob_client.get(link)
    assert confirm.status_code == 200 and "Einladung annehmen" in page(confirm)
    assert not dia.members.filter(pk=bob.pk).exists()  # opening the link alone changes nothing

    accepted = bob_client.post(link)
    assert accepted.status_code == 302 and accepted["Location"] == "/antraege/"
    assert dia.members.filter(pk=bob.pk).exists()
    assert "Beleuchtung Altes Rathaus" in page(bob_client.get("/antraege/"))
    assert bob_client.get(f"/antraege/{application.pk}/").status_code == 200
    invitation = Invitation.objects.get()
    assert invitation.accepted_by == bob and not invitation.is_open
    assert audit("invitation.accepted").get().actor == bob

    again = bob_client.get(link)
    assert again.status_code == 400 and "bereits angenommen" in page(again)


def test_an_invited_colleague_without_an_account_registers_through_the_link(world, people, send):
    dia = world["dia"]
    application = draft(world, dia, people["alice"], "Blumenampeln", [("20 Blumenampeln", "2000", "2380")])
    invite(send, client_for(people["alice"]), dia, "clara@dia-dorsten.example")
    link = link_in(mail.outbox[0])
    organisations = Organisation.objects.count()

    client = Client()
    assert "Konto anlegen und Einladung annehmen" in page(client.get(link))
    form = client.get(link + "registrieren/")
    assert form.status_code == 200 and 'value="clara@dia-dorsten.example"' in page(form)
    data = {"first_name": "Clara", "last_name": "Cramer", "email": "mallory@example.org",  # fixed: ignored
            "password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "privacy": "on"}
    mismatch = client.post(link + "registrieren/", {**data, "password2": "anders"})
    assert "Die beiden Passwörter stimmen nicht überein." in page(mismatch)
    assert not User.objects.filter(first_name="Clara").exists()

    response = client.post(link + "registrieren/", data)
    assert response.status_code == 302 and response["Location"] == "/antraege/"
    clara = User.objects.get(first_name="Clara")
    assert clara.email == clara.username == "clara@dia-dorsten.example" and clara.is_active
    assert clara.groups.filter(name="Antragsteller").exists()
    assert list(clara.organisations.all()) == [dia] and Organisation.objects.count() == organisations
    assert not User.objects.filter(email="mallory@example.org").exists()
    assert client.get(f"/antraege/{application.pk}/").status_code == 200  # logged in already
    assert Invitation.objects.get().accepted_by == clara
    assert Client().login(username="clara@dia-dorsten.example", password=NEW_PASSWORD)
    assert len(mail.outbox) == 1  # no confirmation mail: the invitation proved the address

    used = Client().get(link + "registrieren/")
    assert used.status_code == 400 and "bereits angenommen" in page(used)


def test_broken_expired_and_revoked_links_are_refused(world, people, send):
    alice, dia = people["alice"], world["dia"]
    invite(send, client_for(alice), dia, "clara@dia-dorsten.example")
    link = link_in(mail.outbox[0])

    tampered = Client().get(link[:-2] + "x/")
    assert tampered.status_code == 400 and "ungültig" in page(tampered)
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        expired = Client().get(link)
        assert expired.status_code == 400 and "abgelaufen" in page(expired)
        registered = Client().post(link + "registrieren/", {
            "first_name": "Clara", "last_name": "Cramer", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD,
            "privacy": "on"})
        assert registered.status_code == 400 and "abgelaufen" in page(registered)
    assert not User.objects.filter(first_name="Clara").exists()

    invitation = Invitation.objects.get()
    response = client_for(alice).post(f"/konto/einladungen/{invitation.pk}/zuruecknehmen/")
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert audit("invitation.revoked").get().actor == alice
    revoked = Client().get(link)
    assert revoked.status_code == 400 and "zurückgenommen" in page(revoked)
    assert client_for(alice).get(f"/konto/einladungen/{invitation.pk}/zuruecknehmen/").status_code == 405


def test_someone_logged_in_with_another_address_is_told_and_offered_logout(world, people, send):
    invite(send, client_for(people["alice"]), world["dia"], "clara@dia-dorsten.example")
    link = link_in(mail.outbox[0])
    bob = client_for(people["bob"])
    response = bob.get(link)
    assert response.status_code == 403
    assert "Sie sind als bob@lions-dorsten.example angemeldet" in page(response)
    assert "clara@dia-dorsten.example" in page(response) and "Abmelden und Einladung erneut öffnen" in page(response)
    assert bob.post(link).status_code == 403
    assert not world["dia"].members.filter(pk=people["bob"].pk).exists()
    assert Invitation.objects.get().is_open


def test_staff_cannot_accept_an_invitation(world, people, send):
    invite(send, client_for(people["alice"]), world["dia"], "carla@dorsten.example")
    response = client_for(people["carla"]).post(link_in(mail.outbox[0]))
    assert response.status_code == 403 and "Konto der Verwaltung" in page(response)
    assert not Membership.objects.filter(user=people["carla"]).exists()


def test_invitations_that_make_no_sense_or_too_many_are_refused(world, people, send):
    alice, dia = people["alice"], world["dia"]
    client = client_for(alice)

    member = invite(send, client, dia, "Alice@dia-dorsten.example")
    assert member.status_code == 200 and "ist schon Mitglied" in page(member)
    invalid = invite(send, client, dia, "keine-adresse")
    assert "Bitte gültige E-Mail-Adresse eingeben." in page(invalid)
    assert Invitation.objects.count() == 0 and mail.outbox == []

    for n in range(10):
        assert invite(send, client, dia, f"kollege{n}@dia-dorsten.example").status_code == 302
    twice = invite(send, client, dia, "kollege0@dia-dorsten.example")
    assert "schon eine Einladung unterwegs" in page(twice)
    eleventh = invite(send, client, dia, "kollege10@dia-dorsten.example")
    assert "schon 10 Einladungen offen" in page(eleventh)
    assert Invitation.objects.count() == 10 and len(mail.outbox) == 10

    Invitation.objects.update(revoked_at=timezone.now())
    for n in range(10, 20):
        assert invite(send, client, dia, f"kollege{n}@dia-dorsten.example").status_code == 302
    Invitation.objects.update(revoked_at=timezone.now())
    too_many = invite(send, client, dia, "kollege20@dia-dorsten.example")
    assert "in den letzten 24 Stunden schon 20 Einladungen verschickt" in page(too_many)
    assert Invitation.objects.count() == 20 and len(mail.outbox) == 20
    with time_machine.travel(timezone.now() + timedelta(days=1, minutes=1)):
        assert invite(send, client, dia, "kollege20@dia-dorsten.example").status_code == 302


def test_the_profile_lists_open_invitations_with_a_way_to_revoke_them(world, people, send):
    client = client_for(people["alice"])
    invite(send, client, world["dia"], "clara@dia-dorsten.example")
    html = page(client.get("/konto/"))
    assert "clara@dia-dorsten.example" in html and "Einladung zurücknehmen" in html


# --- leaving --------------------------------------------------------------------------------------------------------

def test_a_member_may_leave_but_not_as_the_last_one(world, people):
    alice, bob, dia = people["alice"], people["bob"], world["dia"]
    application = draft(world, dia, alice, "Blumenampeln", [("20 Blumenampeln", "2000", "2380")])
    client = client_for(alice)
    assert "verlassen" in page(client.get(f"/konto/organisationen/{dia.pk}/verlassen/"))

    last = client.post(f"/konto/organisationen/{dia.pk}/verlassen/", follow=True)
    assert "Sie sind das letzte Mitglied" in page(last)
    assert dia.members.filter(pk=alice.pk).exists() and not audit("organisation.member_left").exists()

    Membership.objects.create(user=bob, organisation=dia)
    left = client.post(f"/konto/organisationen/{dia.pk}/verlassen/", follow=True)
    assert "Sie gehören nicht mehr zu" in page(left)
    assert not dia.members.filter(pk=alice.pk).exists()
    assert audit("organisation.member_left").get().before == {"member": "alice"}
    assert client.get(f"/antraege/{application.pk}/").status_code == 404
    assert client_for(bob).get(f"/antraege/{application.pk}/").status_code == 200


def test_the_profile_page_runs_a_constant_number_of_queries(world, people):
    """Members and open invitations are listed: the page costs the same for one of each as for many."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    alice = client_for(people["alice"])
    Invitation.objects.create(organisation=world["dia"], email="erste@example.org", invited_by=people["alice"])

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert alice.get("/konto/").status_code == 200
        return len(captured)

    few = count()
    for n in range(10):
        member = User.objects.create_user(f"mitglied{n}", f"mitglied{n}@example.org", PASSWORD)
        Membership.objects.create(user=member, organisation=world["dia"])
        Invitation.objects.create(organisation=world["dia"], email=f"gast{n}@example.org",
                                  invited_by=people["alice"])
    second = Organisation.objects.create(name="Zweiter Verein", kind="club", legal_form="ev", street="Markt 2",
                                         postcode="46282", city="Dorsten", email="zwei@example.org")
    Membership.objects.create(user=people["alice"], organisation=second)
    assert count() == few
