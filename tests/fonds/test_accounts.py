"""A retailer applying for the first time: registers, confirms the e-mail, applies; and forgets the password."""

import re
from datetime import timedelta

import time_machine
from django.contrib.auth.models import User
from django.core import mail, signing
from django.test import Client
from django.utils import timezone

from fonds.accounts import CONFIRM_SALT
from fonds.models import Organisation

REGISTRATION = {
    "first_name": "Rita", "last_name": "Rademacher", "email": "Rita@Modehaus-Rademacher.example",
    "password1": "Lippe-Ufer-2027!", "password2": "Lippe-Ufer-2027!", "name": "Modehaus Rademacher",
    "kind": "company", "legal_form": "sole", "representative": "", "street": "Lippestraße 3", "postcode": "46282",
    "city": "Dorsten", "phone": "", "privacy": "on",
}


def link_in(message) -> str:
    return re.search(r"http://testserver(/\S+)", message.body).group(1)


def test_a_new_applicant_registers_confirms_and_can_apply(world, django_capture_on_commit_callbacks):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/registrieren/", REGISTRATION)
    assert response.status_code == 200 and "rita@modehaus-rademacher.example" in response.content.decode()
    user = User.objects.get(username="rita@modehaus-rademacher.example")
    assert not user.is_active and user.groups.filter(name="Antragsteller").exists()
    org = Organisation.objects.get(name="Modehaus Rademacher")
    assert list(org.members.all()) == [user]
    [message] = mail.outbox
    assert message.to == ["rita@modehaus-rademacher.example"]

    assert not Client().login(username=user.username, password="Lippe-Ufer-2027!")  # not confirmed yet
    response = client.get(link_in(message))
    assert response.status_code == 302 and response["Location"] == "/antraege/"
    user.refresh_from_db()
    assert user.is_active
    page = client.get("/antraege/neu/")
    assert page.status_code == 200 and "Modehaus Rademacher" in page.content.decode()


def test_bad_registrations_change_nothing_and_say_why_in_german(world, people):
    client = Client()
    mismatch = client.post("/registrieren/", {**REGISTRATION, "password2": "anders-2027-!"})
    assert "Die beiden Passwörter stimmen nicht überein." in mismatch.content.decode()
    weak = client.post("/registrieren/", {**REGISTRATION, "password1": "12345678", "password2": "12345678"})
    assert weak.status_code == 200 and "Passwort" in weak.content.decode()
    taken = client.post("/registrieren/", {**REGISTRATION, "email": people["alice"].email.upper()})
    assert "Zu dieser E-Mail-Adresse gibt es schon ein Konto" in taken.content.decode()
    assert not Organisation.objects.filter(name="Modehaus Rademacher").exists()
    assert not User.objects.filter(username__startswith="rita").exists() and mail.outbox == []


def test_a_tampered_or_expired_link_confirms_nothing(world, people):
    bob = people["bob"]
    bob.is_active = False
    bob.save()
    tampered = Client().get(f"/registrieren/bestaetigen/{signing.dumps(bob.pk, salt=CONFIRM_SALT)}x/")
    assert tampered.status_code == 400 and "ungültig" in tampered.content.decode()
    token = signing.dumps(bob.pk, salt=CONFIRM_SALT)
    with time_machine.travel(timezone.now() + timedelta(days=4)):
        expired = Client().get(f"/registrieren/bestaetigen/{token}/")
    assert expired.status_code == 400 and "abgelaufen" in expired.content.decode()
    bob.refresh_from_db()
    assert not bob.is_active


def test_a_forgotten_password_is_reset_by_e_mail(world, people):
    alice, client = people["alice"], Client()
    response = client.post("/passwort/vergessen/", {"email": alice.email})
    assert response.status_code == 302
    [message] = mail.outbox
    form_url = client.get(link_in(message)).url  # Django swaps the token for a session marker
    response = client.post(form_url, {"new_password1": "Neues-Passwort-2027", "new_password2": "Neues-Passwort-2027"})
    assert response.status_code == 302
    assert Client().login(username="alice", password="Neues-Passwort-2027")


def test_guessing_locks_the_login_for_fifteen_minutes_even_for_the_right_password(world, people):
    client = Client()
    for _ in range(5):
        wrong = client.post("/anmelden/", {"username": "alice", "password": "falsch"})
        assert wrong.status_code == 200
    locked = client.post("/anmelden/", {"username": "alice", "password": "fondsflow-demo"})
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    other = Client().post("/anmelden/", {"username": "bob", "password": "fondsflow-demo"})
    assert other.status_code == 302  # another account is not affected
