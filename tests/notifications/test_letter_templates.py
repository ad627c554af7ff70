"""Letter texts per fund: vera (verwaltung, the fund admin) edits them on her pages; every save is a new version;
a letter freezes the texts it was drafted with. Placeholders are a small whitelist, never template code.

alice – applicant; carla – Citymanagement; frieda/felix – finance; verwaltung – fund admin of Dorsten;
greta – fund admin of Gladbeck, who must see nothing of Dorsten's."""

import hashlib

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from fonds import roles
from fonds.errors import DomainError
from fonds.letter_texts import DEFAULTS, blocks_validate
from fonds.models import AuditEvent, Fund, Letter, LetterTemplate
from fonds.services.letter_templates import letter_template_save
from notifications.letters import render_letter_pdf
from tests.notifications.test_letters import text_of
from tests.support.people import gladbeck, staff_user
from tests.workflows.driver import Driver

LIST = "/verwaltung/briefvorlagen/"


def edit_url(fund, kind="bescheid"):
    return f"/verwaltung/fonds/{fund.pk}/briefvorlagen/{kind}/"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def fund(world):
    return world["round"].fund


@pytest.fixture
def drive(people, django_capture_on_commit_callbacks):
    return Driver(people, django_capture_on_commit_callbacks)


def form_data(kind="bescheid", note="Förderhinweis angepasst", **changes):
    return {**DEFAULTS[kind], **changes, "note": note}


def stored_pdf(letter) -> bytes:
    with letter.pdf.open("rb") as handle:
        return handle.read()


def test_the_bescheid_uses_the_funds_edited_text_and_an_issued_bescheid_keeps_its_own(drive, people, fund):
    vera = client_for(people["verwaltung"])
    sign = "Bitte bringen Sie das Schild „Altstadtfonds – {aktenzeichen}“ gut sichtbar am Projekt an."
    terms = "Auszahlung von bis zu {betrag} zum Aktenzeichen {aktenzeichen} auf Anforderung."
    response = vera.post(edit_url(fund), form_data(publicity_sign=sign, payment_terms=terms))
    assert response.status_code == 302
    first = LetterTemplate.objects.get(fund=fund, kind="bescheid")
    assert first.version == 1 and first.created_by == people["verwaltung"]

    a = drive.apply()
    drive.eligible(a)
    drive.recommend(a)
    drive.decide(a, "approve")
    drive.bescheid(a)
    # The draft form proposes the fund's payment terms, resolved for this application.
    [draft_page] = [html for node, html in drive.pages if node == "bescheid_draft"]
    assert (f"Auszahlung von bis zu 4.760,00 € zum Aktenzeichen {a.file_number} auf Anforderung."
            in draft_page.replace("\u00a0", " "))
    bescheid = a.letters.get(kind=Letter.Kind.BESCHEID)
    assert bescheid.status == Letter.Status.ISSUED
    assert bescheid.data["template"] == {"id": first.pk, "version": 1}
    text = text_of(stored_pdf(bescheid))
    assert f"Bitte bringen Sie das Schild „Altstadtfonds – {a.file_number}“ gut sichtbar" in text
    assert "Gefördert durch Städtebauförderung von Bund, Ländern und Gemeinden" not in text
    assert "Rechtsbehelfsbelehrung" in text  # the legal skeleton stays

    # The text changes again: the issued Bescheid keeps its text and re-renders to the very same bytes.
    response = vera.post(edit_url(fund), form_data(publicity_sign="Ein ganz neuer Förderhinweis.", note="neu"))
    assert response.status_code == 302
    bescheid.refresh_from_db()
    stored = stored_pdf(bescheid)
    assert hashlib.sha256(stored).hexdigest() == bescheid.sha256
    again = render_letter_pdf(bescheid)
    assert again == stored
    assert "Ein ganz neuer Förderhinweis" not in text_of(again)


def test_an_unknown_placeholder_is_refused_by_name_and_nothing_is_stored(people, fund):
    vera = client_for(people["verwaltung"])
    audit_before = AuditEvent.objects.count()
    response = vera.post(edit_url(fund), form_data(publicity_sign="Schild mit {betrg} anbringen."))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Unbekannter Platzhalter „{betrg}“" in page and "Förderhinweis (Nr. 2.4)" in page
    assert "{aktenzeichen}" in page  # the allowed ones are named
    assert not LetterTemplate.objects.exists() and AuditEvent.objects.count() == audit_before


@pytest.mark.parametrize("text, message", [
    ("Schild {Aktenzeichen} anbringen", "ist fehlerhaft"),
    ("Schild {{ aktenzeichen }} anbringen", "ist fehlerhaft"),
    ("Schild {% load x %} anbringen", "ist fehlerhaft"),
    ("Schild { anbringen", "einzelne geschweifte Klammer"),
    ("", "darf nicht leer sein"),
])
def test_malformed_texts_are_refused_with_a_german_message(people, fund, text, message):
    with pytest.raises(DomainError) as refused:
        letter_template_save(actor=people["verwaltung"], fund=fund, kind="bescheid",
                             blocks={**DEFAULTS["bescheid"], "publicity_sign": text}, note="Test")
    assert message in refused.value.message and refused.value.field == "publicity_sign"
    assert not LetterTemplate.objects.exists()


def test_a_placeholder_of_another_kind_is_refused():
    # {frist} belongs to the Nachforderung and the Anhörung, not to the receipt.
    with pytest.raises(DomainError, match="{frist}"):
        blocks_validate("receipt", {**DEFAULTS["receipt"], "closing": "Bis zum {frist}."})
    assert blocks_validate("documents_request", {**DEFAULTS["documents_request"], "closing": "Bis zum {frist}."})


def test_a_version_is_never_changed_in_place(people, fund):
    template = letter_template_save(actor=people["verwaltung"], fund=fund, kind="receipt",
                                    blocks={**DEFAULTS["receipt"], "closing": "Danke."}, note="kürzer")
    template.note = "anders"
    with pytest.raises(ValueError):
        template.save()


def test_every_save_is_a_new_version_listed_in_the_history_and_audited(people, fund):
    vera = client_for(people["verwaltung"])
    for number, closing in ((1, "Erste Fassung."), (2, "Zweite Fassung.")):
        response = vera.post(edit_url(fund, "receipt"), form_data("receipt", note=f"Fassung {number}",
                                                                  closing=closing))
        assert response.status_code == 302
    assert list(LetterTemplate.objects.filter(fund=fund, kind="receipt").values_list("version", flat=True)) == [2, 1]
    page = vera.get(edit_url(fund, "receipt")).content.decode()
    assert "Gültig ist Version 2" in page and "Fassung 1" in page and "Fassung 2" in page
    assert "Zweite Fassung." in page  # the form starts from the current version
    audits = AuditEvent.objects.filter(action="letter_template.receipt.saved").order_by("pk")
    assert [e.after["version"] for e in audits] == [1, 2] and audits[1].before["blocks"]["closing"] == "Erste Fassung."
    # An unchanged save makes no version.
    response = vera.post(edit_url(fund, "receipt"), form_data("receipt", note="nichts", closing="Zweite Fassung."))
    assert response.status_code == 400 and LetterTemplate.objects.filter(fund=fund).count() == 2
    assert "Version 2" in vera.get(LIST).content.decode()


def test_the_preview_renders_a_sample_letter_with_the_typed_text(people, fund):
    vera = client_for(people["verwaltung"])
    response = vera.post(f"{edit_url(fund)}vorschau/", form_data(publicity_sign="Vorschautext {projekt}."))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = text_of(response.content)
    assert "Vorschautext Musterprojekt." in text and "ENTWURF" in text and "Stadt Dorsten" in text
    assert not LetterTemplate.objects.exists()  # a preview saves nothing
    refused = vera.post(f"{edit_url(fund)}vorschau/", form_data(publicity_sign="{unbekannt}"))
    assert refused.status_code == 400 and "{unbekannt}" in refused.content.decode()


def test_only_the_funds_own_admin_may_edit_the_texts(people, fund):
    greta = staff_user("greta", roles.FUND_ADMIN, gladbeck())
    vera = client_for(people["verwaltung"])
    assert vera.get(LIST).status_code == 200
    assert vera.get(edit_url(fund)).status_code == 200
    assert vera.get(edit_url(fund, "nonsense")).status_code == 404
    for name in ("carla", "frieda", "alice", "bob", "dieter"):
        client = client_for(people[name])
        assert client.get(LIST).status_code == 403, name
        assert client.get(edit_url(fund)).status_code == 403, name
        assert client.post(edit_url(fund), form_data(publicity_sign="X")).status_code == 403, name
        assert client.post(f"{edit_url(fund)}vorschau/", form_data()).status_code == 403, name
    other = client_for(greta)
    assert other.get(edit_url(fund)).status_code == 404
    assert other.post(edit_url(fund), form_data(publicity_sign="X")).status_code == 404
    assert other.post(f"{edit_url(fund)}vorschau/", form_data()).status_code == 404
    assert edit_url(fund) not in other.get(LIST).content.decode()
    assert not LetterTemplate.objects.exists()


def test_the_list_runs_a_constant_number_of_queries(people, fund):
    vera = client_for(people["verwaltung"])
    # The site header names the authority once there is more than one fund: one such fund from the start.
    Fund.objects.create(authority=fund.authority, name="Bürgerfonds", code="BF")
    with CaptureQueriesContext(connection) as one:
        assert vera.get(LIST).status_code == 200
    for number in range(3):
        other = Fund.objects.create(authority=fund.authority, name=f"Fonds {number}", code=f"F{number}")
        letter_template_save(actor=people["verwaltung"], fund=other, kind="receipt",
                             blocks={**DEFAULTS["receipt"], "closing": f"Text {number}"}, note="neu")
    with CaptureQueriesContext(connection) as many:
        page = vera.get(LIST)
    assert "Fonds 2" in page.content.decode()
    assert len(many) == len(one)


def test_every_kind_of_letter_has_editable_texts_with_a_preview(people, fund):
    """All ten kinds the issue names, the De-minimis-Bescheinigung included."""
    assert set(DEFAULTS) == set(Letter.Kind.values)
    vera = client_for(people["verwaltung"])
    listing = vera.get("/verwaltung/briefvorlagen/").content.decode()
    for kind in Letter.Kind.values:
        assert edit_url(fund, kind) in listing, kind
    data = form_data("de_minimis", intro="Bescheinigung zu {bescheid_nummer} für {empfaenger}.")
    response = vera.post(f"{edit_url(fund, 'de_minimis')}vorschau/", data)
    assert response.status_code == 200, response.content.decode()[:2000]
    text = text_of(response.content)
    assert "Bescheinigung zu AF-2026-0001/B1 für Musterverein Altstadt e. V." in text
    assert "Bruttosubventionsäquivalent" in text and "4.250,00 €" in text
