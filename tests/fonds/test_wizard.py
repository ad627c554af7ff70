"""The application form in steps: each step saves, autosave keeps what is valid, the summary names what is
missing and submission is refused until nothing is; German amounts are read as the applicant types them."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from django.utils.translation import override

from fonds.application_forms import parse_amount
from fonds.models import Application, Stage
from tests.workflows.driver import Driver
from workflows.demo import pdf_bytes


@pytest.fixture
def drive(people, django_capture_on_commit_callbacks):
    return Driver(people, django_capture_on_commit_callbacks)


@pytest.fixture
def alice(people):
    client = Client()
    client.force_login(people["alice"])
    return client


def start(client, world):
    response = client.post("/antraege/neu/", {"organisation": world["dia"].pk, "round": world["round"].pk})
    assert response.status_code == 302
    application = Application.objects.latest("pk")
    assert response["Location"] == f"/antraege/{application.pk}/schritt/vorhaben/"
    return application


def project(**overrides):
    today = timezone.localdate()
    return {"title": "Bänke am Markt", "description": "Drei Bänke, dauerhaft und öffentlich.",
            "location": "Markt 3, 46282 Dorsten", "planned_start": (today + timedelta(days=40)).isoformat(),
            "planned_end": (today + timedelta(days=100)).isoformat(), "already_started": "False",
            "is_tenant": "False", **overrides}


def costs(*rows, vat="False"):
    data = {"vat_deductible": vat, "kosten-TOTAL_FORMS": str(max(len(rows), 1)), "kosten-INITIAL_FORMS": "0"}
    for i, (description, net, gross) in enumerate(rows):
        data.update({f"kosten-{i}-description": description, f"kosten-{i}-net_amount": net,
                     f"kosten-{i}-gross_amount": gross, f"kosten-{i}-eligible": "on"})
    return data


@pytest.mark.parametrize("typed, amount", [
    ("1.234,56", "1234.56"), ("1234,56", "1234.56"), ("1 234,56 €", "1234.56"), ("12.50", "12.50"),
    ("1.234", "1234"), ("1.234.567", "1234567"), ("0,5", "0.5"), ("800", "800"),
])
def test_amounts_are_read_the_german_way(typed, amount):
    with override("de"):
        assert parse_amount(typed) == Decimal(amount)


def test_amounts_are_read_the_english_way_when_english_is_chosen():
    with override("en"):
        assert parse_amount("1,234.56") == Decimal("1234.56")


def test_each_step_saves_and_the_draft_is_there_when_she_comes_back(world, alice):
    application = start(alice, world)
    url = f"/antraege/{application.pk}/schritt/"
    assert alice.post(url + "vorhaben/", project())["Location"] == url + "kosten/"
    response = alice.post(url + "kosten/", costs(("Drei Bänke", "1.000,00", "1.190,00")))
    assert response["Location"] == url + "finanzierung/"
    assert alice.post(url + "finanzierung/", {"own_funds": "595", "third_party_funds": "", "donations": "",
                                              "requested_grant": "595,00"})["Location"] == url + "unterlagen/"
    application.refresh_from_db()
    assert application.title == "Bänke am Markt"
    assert [(i.net_amount, i.gross_amount) for i in application.cost_items.all()] == [
        (Decimal("1000.00"), Decimal("1190.00"))]
    assert application.requested_grant == Decimal("595.00") and application.donations == 0

    # A new login (a closed browser) finds the draft and goes on where something is missing.
    later = Client()
    later.force_login(application.created_by)
    page = later.get("/antraege/")
    assert "weiter ausfüllen" in page.content.decode()
    assert later.get(f"/antraege/{application.pk}/weiter/")["Location"] == url + "unterlagen/"
    page = later.get(url + "kosten/").content.decode()
    assert 'value="Drei Bänke"' in page and 'value="1.190,00"' in page


def test_sending_the_saved_cost_plan_again_keeps_it(world, alice):
    """The autosave stores the rows; the button then sends the very same rows once more."""
    application = start(alice, world)
    url = f"/antraege/{application.pk}/schritt/kosten/"
    rows = costs(("Kübel", "2.000,00", "2.380,00"), ("Erde", "100,00", "119,00"))
    alice.post(url, rows, headers={"X-Autosave": "1"})
    page = alice.get(url).content.decode()
    assert 'name="kosten-INITIAL_FORMS" value="2"' in page
    assert alice.post(url, {**rows, "kosten-INITIAL_FORMS": "2", "kosten-TOTAL_FORMS": "4"}).status_code == 302
    assert [i.description for i in application.cost_items.all()] == ["Kübel", "Erde"]
    # clearing a row removes it
    cleared = {**rows, "kosten-INITIAL_FORMS": "2", "kosten-1-description": "", "kosten-1-net_amount": "",
               "kosten-1-gross_amount": ""}
    assert alice.post(url, cleared).status_code == 302
    assert [i.description for i in application.cost_items.all()] == ["Kübel"]


def test_the_back_button_saves_too(world, alice):
    application = start(alice, world)
    response = alice.post(f"/antraege/{application.pk}/schritt/kosten/",
                          {**costs(("Pflanzkübel", "400", "476")), "gehe_zu": "vorhaben"})
    assert response["Location"] == f"/antraege/{application.pk}/schritt/vorhaben/"
    assert application.cost_items.get().gross_amount == Decimal("476")


def test_autosave_keeps_what_is_valid_and_answers_with_the_grant_preview(world, alice):
    application = start(alice, world)
    url = f"/antraege/{application.pk}/schritt/"
    response = alice.post(url + "vorhaben/", project(planned_start="kein Datum", title="Blumenkübel"),
                          headers={"X-Autosave": "1"})
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["saved"] is True and "planned_start" in data["errors"]
    application.refresh_from_db()
    assert application.title == "Blumenkübel" and application.planned_start is None

    # A half-typed cost row is not saved, the finished one is, and the preview follows.
    response = alice.post(url + "kosten/", {**costs(("Kübel", "2.000", "2.380"), ("Erde", "", "")),
                                           "kosten-TOTAL_FORMS": "2"}, headers={"X-Autosave": "1"})
    data = json.loads(response.content)
    assert "1.190,00" in data["preview"]  # 50 % of 2.380,00 €
    assert [i.description for i in application.cost_items.all()] == ["Kübel"]


def test_a_failed_step_says_what_is_wrong_in_german_and_changes_nothing(world, alice):
    application = start(alice, world)
    response = alice.post(f"/antraege/{application.pk}/schritt/vorhaben/",
                          project(planned_end=(timezone.localdate() + timedelta(days=1)).isoformat(),
                                  planned_start=(timezone.localdate() + timedelta(days=9)).isoformat()))
    assert response.status_code == 400
    assert "Das Ende darf nicht vor dem Beginn liegen." in response.content.decode()
    application.refresh_from_db()
    assert application.title == "" and application.planned_start is None


def test_the_summary_names_everything_missing_and_submission_waits_for_it(world, alice, drive):
    application = start(alice, world)
    url = f"/antraege/{application.pk}/schritt/"
    alice.post(url + "vorhaben/", project(already_started="True", is_tenant="True", location="Hauptstraße 1"))
    alice.post(url + "kosten/", costs(("Markise", "3000", "3570")))
    alice.post(url + "finanzierung/", {"own_funds": "1785", "requested_grant": "1785"})
    page = alice.get(url + "pruefen/").content.decode()
    for missing in ("Begonnene Vorhaben können nicht gefördert werden",
                    "nicht im Fördergebiet",
                    "insgesamt 3, hochgeladen sind 0",
                    "Zustimmung der Eigentümerin",
                    "Datenschutzhinweis", "richtig und vollständig"):
        assert missing in page, missing
    assert "Antrag verbindlich einreichen" not in page
    response = drive.post("alice", f"/antraege/{application.pk}/einreichen/")
    application.refresh_from_db()
    assert response.status_code == 302 and application.stage == Stage.DRAFT and application.file_number is None

    alice.post(url + "vorhaben/", project())
    for n in range(3):
        alice.post(url + "unterlagen/", {"kind": "quote",
                                         "file": SimpleUploadedFile(f"Angebot {n}.pdf", pdf_bytes("Angebot"))})
    alice.post(url + "erklaerungen/", {"privacy": "on", "truth": "on"})
    page = alice.get(url + "pruefen/").content.decode()
    assert "fehlt noch" not in page and "Antrag verbindlich einreichen" in page
    drive.post("alice", f"/antraege/{application.pk}/einreichen/")
    application.refresh_from_db()
    assert application.stage == Stage.ELIGIBILITY and application.file_number


def test_a_tenant_needs_the_owners_consent(world, alice):
    application = start(alice, world)
    url = f"/antraege/{application.pk}/schritt/"
    alice.post(url + "vorhaben/", project(is_tenant="True"))
    assert "Zustimmung der Eigentümerin" in alice.get(url + "unterlagen/").content.decode()
    alice.post(url + "unterlagen/", {"kind": "owner_consent",
                                     "file": SimpleUploadedFile("Zustimmung.pdf", pdf_bytes("Zustimmung"))})
    assert "Zustimmung der Eigentümerin" not in alice.get(url + "pruefen/").content.decode()


def test_declarations_can_be_taken_back(world, alice):
    application = start(alice, world)
    url = f"/antraege/{application.pk}/schritt/erklaerungen/"
    alice.post(url, {"privacy": "on", "truth": "on"})
    application.refresh_from_db()
    assert application.privacy_acknowledged_at and application.truth_declared_at
    alice.post(url, {"privacy": "on"})
    application.refresh_from_db()
    assert application.privacy_acknowledged_at and application.truth_declared_at is None


def test_de_minimis_is_asked_only_where_the_rules_say_so(world, alice):
    application = start(alice, world)
    url = f"/antraege/{application.pk}/schritt/erklaerungen/"
    assert "De-minimis" not in alice.get(url).content.decode()
    rules = world["round"].current_rules
    rules.de_minimis_applicable = True
    rules.save()
    assert "De-minimis" in alice.get(url).content.decode()
    rows = {"privacy": "on", "truth": "on", "beihilfen-TOTAL_FORMS": "2", "beihilfen-INITIAL_FORMS": "0"}
    assert alice.post(url, rows).status_code == 400  # neither an aid nor „keine“
    day = (timezone.localdate() - timedelta(days=10)).isoformat()
    assert alice.post(url, {**rows, "beihilfen-0-grantor": "NRW.BANK", "beihilfen-0-granted_on": day,
                            "beihilfen-0-amount": "12.000,00"}).status_code == 302
    application.refresh_from_db()
    assert application.de_minimis_amount == Decimal("12000.00")


def test_the_form_is_only_for_drafts_of_her_own_organisation(world, alice, people, drive):
    application = start(alice, world)
    bob = Client()
    bob.force_login(people["bob"])
    for step in ("antragsteller", "vorhaben", "kosten", "finanzierung", "unterlagen", "erklaerungen", "pruefen"):
        assert bob.get(f"/antraege/{application.pk}/schritt/{step}/").status_code == 404
        assert bob.post(f"/antraege/{application.pk}/schritt/{step}/", project()).status_code == 404
    assert alice.get(f"/antraege/{application.pk}/schritt/gibt-es-nicht/").status_code == 404
    submitted = drive.apply("alice")
    assert alice.get(f"/antraege/{submitted.pk}/schritt/vorhaben/").status_code == 404
    assert alice.post(f"/antraege/{submitted.pk}/schritt/vorhaben/", project(title="Neu")).status_code == 404
    submitted.refresh_from_db()
    assert submitted.title == "Blumenampeln Lippestraße"


def test_the_session_can_be_extended_and_the_page_knows_how_long_it_lasts(world, alice, settings):
    application = start(alice, world)
    page = alice.get(f"/antraege/{application.pk}/schritt/vorhaben/").content.decode()
    assert f'data-session-seconds="{settings.SESSION_COOKIE_AGE}"' in page
    response = alice.post("/sitzung/verlaengern/")
    assert response.status_code == 200 and response.json() == {"seconds": settings.SESSION_COOKIE_AGE}
    assert Client().post("/sitzung/verlaengern/").status_code == 302  # to the login
