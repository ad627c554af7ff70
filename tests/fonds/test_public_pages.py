"""The public face of the fund: its start page, the accessibility statement with its feedback form,
Leichte Sprache and the privacy notice; the page frame around every page; accessible form rendering."""

import re
from datetime import date

import pytest
from django import forms
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.core import mail
from django.core.mail import EmailMessage
from django.template import Context, Template
from django.test import Client
from django.utils import timezone

from fonds.models import AccessibilityFeedback, Fund, FundingRound
from fonds.public_views import AccessibilityFeedbackForm

PUBLIC_PAGES = ("/", "/barrierefreiheit/", "/leichte-sprache/", "/datenschutz/", "/anmelden/")
FOOTER_LINKS = ('href="/barrierefreiheit/"', 'href="/leichte-sprache/"', 'href="/datenschutz/"')


@pytest.fixture
def fund(world):
    return world["round"].fund


def footer(html: str) -> str:
    return html[html.index('<footer class="ff-footer">'):]


def test_the_public_pages_open_for_visitors_who_are_not_signed_in(fund):
    for path in (*PUBLIC_PAGES, f"/fonds/{fund.pk}/"):
        response = Client().get(path)
        html = response.content.decode()
        assert response.status_code == 200, path
        assert '<html lang="de"' in html and html.count("<h1") == 1, path
        assert '<main id="inhalt"' in html and 'href="#inhalt"' in html, path


def test_every_page_links_to_the_statement_leichte_sprache_and_privacy_signed_in_or_not(fund, people):
    alice = Client()  # alice: applicant
    alice.force_login(people["alice"])
    pages = [(Client(), path) for path in (*PUBLIC_PAGES, f"/fonds/{fund.pk}/")]
    pages += [(alice, "/antraege/"), (alice, "/benachrichtigungen/"), (alice, "/barrierefreiheit/")]
    for client, path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        links = footer(response.content.decode())
        assert all(link in links for link in FOOTER_LINKS), path


def test_the_fund_page_shows_the_rules_of_the_open_round_in_german_formats(fund):
    html = Client().get(f"/fonds/{fund.pk}/").content.decode()
    year = timezone.localdate().year
    assert "<h1>Altstadtfonds Dorsten</h1>" in html
    assert "<dd>50&nbsp;%" in html and "Der Fonds zahlt 50&nbsp;% der" in html  # rate_percent 50.00
    assert "15.000,00\xa0€" in html and "250,00\xa0€" in html and "500,00\xa0€" in html  # max, min grant, min cost
    assert "über 1.000,00\xa0€ brauchen wir 3 Vergleichsangebote" in html
    assert f"vom 01.01.{year} bis zum 31.12.{year}" in html
    assert "Lippestraße" in html and "Wallrings" in html  # eligible streets and area
    for kind in ("Verein / Initiative", "Unternehmen / Einzelhandel", "Eigentümer/in", "Privatperson"):
        assert kind in html
    assert "Halterner Straße 5" in html and "02362 66-0" in html and "altstadtfonds@dorsten.example" in html
    assert 'href="/anmelden/?next=/antraege/neu/"' in html and "Jetzt Antrag stellen" in html
    assert html.index("Registrieren") < html.index("Der Beirat entscheidet") < html.index("Verwendungsnachweis</h3>")


def test_apply_now_leads_signed_in_applicants_straight_to_a_new_application(fund, people):
    alice = Client()  # alice: applicant
    alice.force_login(people["alice"])
    html = alice.get(f"/fonds/{fund.pk}/").content.decode()
    assert 'href="/antraege/neu/"' in html and "?next=" not in html


def test_the_home_page_explains_the_portal_and_links_each_fund_to_its_start_page(fund):
    html = Client().get("/").content.decode()
    assert f'href="/fonds/{fund.pk}/"' in html
    assert 'href="/leichte-sprache/"' in html[:html.index("<footer")]


def test_a_fund_without_an_open_round_announces_the_next_one(fund):
    today = timezone.localdate()
    last_year = today.year - 1
    FundingRound.objects.filter(fund=fund).update(opens_on=date(last_year, 1, 1), closes_on=date(last_year, 12, 31))
    FundingRound.objects.create(fund=fund, name="Förderrunde Herbst", year=today.year + 1,
                                opens_on=date(today.year + 1, 9, 1), closes_on=date(today.year + 1, 10, 31))
    html = Client().get(f"/fonds/{fund.pk}/").content.decode()
    assert "Zurzeit nimmt der Fonds keine Anträge an" in html
    assert f"vom 01.09.{today.year + 1} bis zum 31.10.{today.year + 1}" in html
    assert "stehen noch nicht fest" in html  # the new round has no rules yet


def test_an_unknown_fund_is_not_found(world):
    assert Client().get(f"/fonds/{Fund.objects.count() + 99}/").status_code == 404


def test_leichte_sprache_explains_the_words_and_names_who_helps(fund):
    html = Client().get("/leichte-sprache/").content.decode()
    for word in ("Antrag", "Zuschuss", "Beirat", "Bescheid"):
        assert f"<dfn>{word}</dfn>" in html
    assert "Ihre Idee kostet 1.000 Euro." in html and "Dann bekommen Sie 500 Euro von der Stadt." in html
    assert "Sie bekommen höchstens 15.000 Euro." in html
    assert "02362 66-0" in html and "altstadtfonds@dorsten.example" in html
    assert "z. B." not in html and "€" not in html.split("<main")[1].split("</main>")[0]  # no abbreviations, no signs


def test_the_privacy_notice_names_the_controller_legal_basis_retention_and_the_supervisory_authority(fund):
    html = Client().get("/datenschutz/").content.decode()
    assert "Stadt Dorsten" in html and "Halterner Straße 5" in html
    assert "Artikel 6 Absatz 1 Buchstabe e DSGVO" in html and "§ 3 des Datenschutzgesetzes Nordrhein-Westfalen" in html
    assert "Förderrichtlinie" in html and "Beirat" in html and "Fördermittelgeber" in html
    assert "zehn Jahren nach dem Ende der Zweckbindung" in html
    assert "Landesbeauftragte für Datenschutz und Informationsfreiheit Nordrhein-Westfalen" in html


def test_the_statement_says_how_accessible_the_portal_is_and_where_to_complain(world):
    html = Client().get("/barrierefreiheit/").content.decode()
    assert "teilweise barrierefrei" in html and "WCAG" in html
    assert "/arbeit/" in html and "PDF" in html  # known limitations are named
    assert "Ombudsstelle für barrierefreie Informationstechnik" in html
    assert 'id="rueckmeldung"' in html and 'name="message"' in html


# --- the feedback form --------------------------------------------------------------------------------

def test_feedback_is_stored_mailed_and_acknowledged(world, django_capture_on_commit_callbacks):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/barrierefreiheit/", {
            "page": "/antraege/neu/", "message": "Die Schaltfläche „Weiter“ ist mit der Tastatur nicht erreichbar.",
            "name": "Ute Unger", "email": "ute@example.org"})
    assert response.status_code == 302 and response["Location"] == "/barrierefreiheit/"
    feedback = AccessibilityFeedback.objects.get()
    assert (feedback.page, feedback.name, feedback.email, feedback.user) == (
        "/antraege/neu/", "Ute Unger", "ute@example.org", None)
    [message] = mail.outbox
    assert message.to == [settings.FONDSFLOW_ACCESSIBILITY_EMAIL] and message.reply_to == ["ute@example.org"]
    assert "Tastatur nicht erreichbar" in message.body and "/antraege/neu/" in message.subject
    page = client.get(response["Location"]).content.decode()
    assert "Vielen Dank! Ihre Rückmeldung ist angekommen." in page and 'role="status"' in page


def test_feedback_from_a_signed_in_applicant_records_who_sent_it(people, django_capture_on_commit_callbacks):
    alice = Client()  # alice: applicant
    alice.force_login(people["alice"])
    with django_capture_on_commit_callbacks(execute=True):
        alice.post("/barrierefreiheit/", {"message": "Kontrast im Kalender zu schwach."})
    assert AccessibilityFeedback.objects.get().user == people["alice"]
    assert "alice" in mail.outbox[0].body and mail.outbox[0].reply_to == []


def test_bad_feedback_stores_nothing_and_says_what_to_fix_in_german(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post("/barrierefreiheit/", {"message": "  ", "email": "ute-at-example"})
    html = response.content.decode()
    assert response.status_code == 200
    assert AccessibilityFeedback.objects.count() == 0 and mail.outbox == []
    assert 'id="fehler"' in html and 'tabindex="-1"' in html and "Bitte korrigieren Sie Folgendes" in html
    assert 'href="#id_message"' in html and 'href="#id_email"' in html
    assert "Bitte beschreiben Sie, was nicht funktioniert hat." in html
    assert "Bitte geben Sie eine E-Mail-Adresse wie name@beispiel.de ein" in html
    textarea = re.search(r"<textarea[^>]*>", html).group(0)
    assert 'aria-invalid="true"' in textarea and 'aria-describedby="id_message_helptext id_message_error"' in textarea
    assert 'id="id_message_error"' in html and 'id="id_message_helptext"' in html


def test_a_mail_server_that_is_down_does_not_lose_the_feedback(world, monkeypatch, django_capture_on_commit_callbacks):
    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr(EmailMessage, "send", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post("/barrierefreiheit/", {"message": "Bilder ohne Alternativtext."})
    assert response.status_code == 302 and AccessibilityFeedback.objects.count() == 1


# --- the page frame ---------------------------------------------------------------------------------

def test_visitors_switch_the_language_without_signing_in(world):
    client = Client()
    html = client.get("/datenschutz/").content.decode()
    assert 'action="/i18n/setlang/"' in html and 'name="language" value="en"' in html
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/datenschutz/"})
    assert response.status_code == 302 and response["Location"] == "/datenschutz/"
    html = client.get("/datenschutz/").content.decode()
    assert '<html lang="en"' in html and 'name="language" value="de"' in html


def test_the_navigation_keeps_staff_and_applicant_links_and_marks_the_current_page(people):
    alice, carla = Client(), Client()  # alice: applicant; carla: Citymanagement
    alice.force_login(people["alice"])
    carla.force_login(people["carla"])
    html = alice.get("/antraege/").content.decode()
    assert 'href="/antraege/" aria-current="page"' in html and 'href="/arbeit/aufgaben/"' not in html
    assert 'action="/abmelden/"' in html and 'href="/benachrichtigungen/"' in html
    html = carla.get("/").content.decode()
    assert 'href="/arbeit/aufgaben/"' in html and 'href="/verwaltung/antraege/"' in html
    assert 'href="/anmelden/"' in Client().get("/").content.decode()


def test_messages_are_alerts_for_errors_and_status_otherwise(rf, world):
    template = Template('{% extends "base.html" %}')
    request = rf.get("/")
    request.user = AnonymousUser()
    html = template.render(Context({"request": request, "user": request.user, "messages": [
        Message(constants.ERROR, "Das ging schief."), Message(constants.SUCCESS, "Gespeichert.")]}))
    assert re.search(r'kern-alert--danger" role="alert">.*?Das ging schief', html, re.S)
    assert re.search(r'kern-alert--success" role="status">.*?Gespeichert', html, re.S)


# --- accessible form rendering ------------------------------------------------------------------------

class ChoiceForm(forms.Form):
    kind = forms.ChoiceField(label="Art", choices=[("a", "Verein"), ("b", "Firma")], widget=forms.RadioSelect,
                             help_text="Wer stellt den Antrag?")
    agree = forms.BooleanField(label="Ich stimme zu")
    note = forms.CharField(label="Notiz", required=False)


def test_radio_groups_are_fieldsets_with_a_legend_and_required_fields_say_so_in_words():
    html = str(ChoiceForm(data={}))
    fieldset = re.search(r"<fieldset[^>]*>", html).group(0)
    assert 'aria-describedby="id_kind_helptext id_kind_error"' in fieldset
    assert re.search(r'<legend class="kern-label">Art <span class="ff-required">\(Pflichtfeld\)</span></legend>', html)
    assert '<label class="kern-label" for="id_kind_0">Verein</label>' in html
    radio = re.search(r'<input type="radio"[^>]*id="id_kind_0"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in radio and "kern-form-check__radio" in radio
    checkbox = re.search(r'<input type="checkbox"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in checkbox and 'aria-describedby="id_agree_error"' in checkbox
    assert 'for="id_note">Notiz</label>' in html  # optional: no marker


def test_the_error_summary_links_to_each_field_and_lists_general_errors_plainly():
    form = AccessibilityFeedbackForm(data={"message": ""})
    form.is_valid()
    form.add_error(None, "Zu viele Rückmeldungen in kurzer Zeit.")
    ChoiceFormSet = forms.formset_factory(ChoiceForm, min_num=1, validate_min=True)
    formset = ChoiceFormSet(data={"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "0", "form-0-kind": "a"})
    formset.is_valid()
    html = Template("{% load fonds_forms %}{% error_summary form formset %}").render(
        Context({"form": form, "formset": formset}))
    assert html.count('id="fehler"') == 1
    assert "<li>Zu viele Rückmeldungen in kurzer Zeit.</li>" in html
    assert 'href="#id_message">Beschreibung der Barriere: Bitte beschreiben Sie' in html
    assert 'href="#id_form-0-agree">Position 1: Ich stimme zu: ' in html


def test_a_valid_form_has_no_error_summary():
    form = ChoiceForm(data={"kind": "a", "agree": "on"})
    assert form.is_valid()
    assert Template("{% load fonds_forms %}{% error_summary form %}").render(Context({"form": form})).strip() == ""
