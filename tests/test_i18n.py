"""The portal in English: the catalogue is complete, the applicant's pages and the refusals of the domain
speak English when the applicant asks for it, and German stays the default.

alice – applicant, acts for the Dorstener Interessengemeinschaft Altstadt e. V.
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from fonds.models import Application
from fonds.services.applications import submission_problems
from workflows import demo

PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
GERMAN_UI = ["Meine Anträge", "Antrag verbindlich einreichen", "Speichern und weiter", "Schritt 2 von 7",
             "Was der Fonds zahlen würde", "Ihr Antrag", "Abmelden"]


def po_entries(text: str) -> list[dict]:
    """The entries of a .po file: flags, msgid and every msgstr (msgstr[n] for plurals), strings joined."""
    entries = []
    for block in re.split(r"\n\s*\n", text.strip()):
        entry = {"flags": "", "msgid": None, "msgstr": []}
        key = None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] += line
            elif line.startswith("#"):
                continue
            elif line.startswith("msgid "):
                key, entry["msgid"] = "msgid", line[6:].strip()[1:-1]
            elif line.startswith("msgid_plural "):
                key = "msgid_plural"
            elif line.startswith("msgstr"):
                key = "msgstr"
                entry["msgstr"].append(line.split(" ", 1)[1].strip()[1:-1])
            elif line.startswith('"') and key == "msgid":
                entry["msgid"] += line.strip()[1:-1]
            elif line.startswith('"') and key == "msgstr":
                entry["msgstr"][-1] += line.strip()[1:-1]
        if entry["msgid"] is not None:
            entries.append(entry)
    return entries


@pytest.fixture
def alice(people):
    client = Client(headers={"accept-language": "en"})
    client.force_login(people["alice"])
    return client


@pytest.fixture
def draft(world, people):
    return demo.draft(world, world["dia"], people["alice"], "Bänke", [("Bank", "400", "476")])


def english(response) -> str:
    assert response.status_code == 200, response.status_code
    page = response.content.decode()
    for words in GERMAN_UI:
        assert words not in page, f"German UI text {words!r} on an English page"
    return page


def test_the_catalogue_has_every_message_translated_and_nothing_fuzzy():
    entries = po_entries(PO.read_text(encoding="utf-8"))
    assert len(entries) > 500
    header, messages = entries[0], entries[1:]
    assert header["msgid"] == "" and "fuzzy" not in header["flags"]
    assert [e["msgid"] for e in messages if "fuzzy" in e["flags"]] == []
    assert [e["msgid"] for e in messages if not all(e["msgstr"])] == []


@pytest.mark.skipif(not shutil.which("xgettext"), reason="needs GNU gettext (.ci/run installs it)")
def test_every_message_of_the_source_is_in_the_catalogue(tmp_path, settings):
    """makemessages over a copy of the source and the catalogue adds nothing new: no German text of the
    code or the templates is missing from the English catalogue. (A copy, so the real catalogue is never
    touched.)"""
    base = Path(settings.BASE_DIR)
    for app in ("fonds", "workflows", "notifications", "config"):
        shutil.copytree(base / app, tmp_path / app, ignore=shutil.ignore_patterns("static", "__pycache__"))
    (tmp_path / "locale" / "en" / "LC_MESSAGES").mkdir(parents=True)
    copy = tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po"
    shutil.copy(PO, copy)
    settings.LOCALE_PATHS = []
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        call_command("makemessages", locale=["en"], no_obsolete=True, verbosity=0)
    finally:
        os.chdir(cwd)
    fresh = po_entries(copy.read_text(encoding="utf-8"))[1:]
    missing = [e["msgid"] for e in fresh if "fuzzy" in e["flags"] or not all(e["msgstr"])]
    assert missing == [], f"untranslated: {missing[:20]} (run makemessages -l en and translate)"


def test_the_compiled_catalogue_is_not_older_than_its_source():
    mo = PO.with_suffix(".mo")
    assert mo.exists(), "run manage.py compilemessages"
    assert mo.stat().st_mtime >= PO.stat().st_mtime - 1


def test_the_applicants_pages_speak_english_when_the_browser_asks_for_it(alice, draft):
    page = english(alice.get("/antraege/"))
    assert "My applications" in page and "Start a new application" in page
    assert "Draft – not submitted yet" in page and "continue filling in" in page

    page = english(alice.get("/antraege/neu/"))
    assert "Step 1 of 7: Applicant" in page and "Who are you applying for?" in page

    page = english(alice.get(f"/antraege/{draft.pk}/schritt/vorhaben/"))
    assert "Step 2 of 7: Project" in page and "What the fund would pay" in page
    assert "Have you already started the project?" in page and "Save and continue" in page
    assert "eligible costs comes to" in page  # the grant preview, computed in the service

    # The brief's draft costs less than the fund's minimum: the summary says so, in English.
    page = english(alice.get(f"/antraege/{draft.pk}/schritt/pruefen/"))
    assert "Step 7 of 7: Check and submit" in page
    assert "Before you can submit, the following is still missing:" in page
    assert "are below the minimum costs of" in page

    page = english(alice.get(f"/antraege/{draft.pk}/"))
    assert "Your application" in page and "What happens next" in page and "File number" in page
    assert "Fill in the steps of the application and submit it." in page


def test_the_language_cookie_switches_to_english(people, draft):
    client = Client()
    client.force_login(people["alice"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "My applications" in english(client.get("/antraege/"))


def test_a_refusal_of_the_domain_comes_out_in_english(alice, world):
    response = alice.post("/antraege/neu/", {"organisation": world["dia"].pk, "round": world["round"].pk})
    assert response.status_code == 302
    empty = Application.objects.latest("pk")

    response = alice.post(f"/antraege/{empty.pk}/einreichen/", follow=True)
    page = english(response)
    assert "Please enter the title." in page
    assert "Please confirm that you have read the privacy notice." in page
    assert "Bitte geben Sie den Titel an." not in page
    empty.refresh_from_db()
    assert empty.file_number is None


def test_the_problems_of_a_draft_are_told_in_the_active_language(world, people):
    empty = Application.objects.create(fund=world["round"].fund, round=world["round"], organisation=world["dia"],
                                       created_by=people["alice"])
    rules = world["round"].current_rules
    with translation.override("en"):
        assert "Please enter at least one cost item." in submission_problems(empty, rules)["kosten"]
    with translation.override("de"):
        assert "Bitte tragen Sie mindestens eine Kostenposition ein." in submission_problems(empty, rules)["kosten"]


def test_setlang_switches_the_language_of_the_next_page(people):
    client = Client()
    client.force_login(people["alice"])
    page = client.get("/antraege/").content.decode()
    assert "Meine Anträge" in page  # German is the default

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/antraege/"})
    assert response.status_code == 302
    assert "My applications" in english(client.get("/antraege/"))

    client.post("/i18n/setlang/", {"language": "de", "next": "/antraege/"})
    assert "Meine Anträge" in client.get("/antraege/").content.decode()
