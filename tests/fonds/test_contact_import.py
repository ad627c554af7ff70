"""Importing the Stadtteilbüro's existing contact list (CSV or Excel): every row checked first, bad rows reported
with a German reason and skipped, good rows written; a second import of the same list doubles nothing."""

import csv
import io

import pytest
from django.utils.timezone import localtime
from openpyxl import Workbook

from fonds.errors import DomainError
from fonds.models import Actor, Consent, Contact
from fonds.services.contact_import import contact_import_apply, contact_import_preview

HEADINGS = ["Akteur", "Art", "Straße", "PLZ", "Ort", "Ansprechperson", "E-Mail", "Telefon", "Themen",
            "Einwilligung E-Mail", "Einwilligung am"]
KINDS = ["Einzelhandel", "Gastronomie", "Verein", "Initiative", "Institution", "Immobilieneigentümer/in"]
# Line in the file (heading = line 1) -> what is wrong with it and the reason we expect.
BAD = {
    12: ("actor", "", "Der Name des Akteurs fehlt."),
    40: ("email", "kein-at-zeichen.example", "Die E-Mail-Adresse „kein-at-zeichen.example“ ist ungültig."),
    77: ("kind", "Bäckerei", "Die Art „Bäckerei“ ist unbekannt."),
    150: ("postcode", "4628", "Die PLZ „4628“ hat nicht fünf Ziffern."),
    199: ("consent", "vielleicht", "bitte „ja“ oder „nein“ eintragen"),
}
FIELD_INDEX = {"actor": 0, "kind": 1, "postcode": 3, "email": 6, "consent": 9}


def rows_200():
    rows = []
    for line in range(2, 202):
        n = line - 1
        row = [f"Geschäft {n // 2}", KINDS[n % len(KINDS)], f"Lippestraße {n // 2}", "46282", "Dorsten",
               f"Person {n}", f"person{n}@altstadt.example", f"02362 {n:04d}", "Leerstand; Sauberkeit",
               "ja" if n % 3 == 0 else "nein", "01.02.2025" if n % 3 == 0 else ""]
        if line in BAD:
            name, value, _reason = BAD[line]
            row[FIELD_INDEX[name]] = value
        rows.append(row)
    return rows


def as_csv(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(HEADINGS)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def as_xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADINGS)
    for row in rows:
        # Excel keeps a postcode typed as a number as a number
        sheet.append([(int(value) if value.isdigit() else value) if i == 3 else value for i, value in enumerate(row)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def authority(world):
    return world["round"].fund.authority


@pytest.mark.parametrize(("name", "build"), [("kontakte.csv", as_csv), ("kontakte.xlsx", as_xlsx)])
def test_200_rows_with_5_bad_ones_import_195_and_report_the_5_with_reasons(authority, people, name, build):
    data = build(rows_200())
    preview = contact_import_preview(authority=authority, name=name, data=data)
    assert len(preview) == 200
    bad = {row.number: row.errors for row in preview if row.errors}
    assert set(bad) == set(BAD)
    for line, (_field, _value, reason) in BAD.items():
        assert any(reason in error for error in bad[line]), (line, bad[line])
    assert Contact.objects.count() == 0  # the preview writes nothing

    result = contact_import_apply(actor=people["carla"], authority=authority, rows=preview, source=name)

    assert result == {"created": 195, "updated": 0, "skipped": 5}
    assert Contact.objects.count() == 195
    assert Actor.objects.count() == 101  # two people per shop; the first and the last shop have one
    hanna = Contact.objects.get(email="person3@altstadt.example")
    consent = hanna.consents.get()
    assert consent.purpose == Consent.Purpose.INVITATIONS
    assert localtime(consent.given_at).date().isoformat() == "2025-02-01"
    assert consent.source == f"Import: {name}"
    assert sorted(hanna.actor.topics.values_list("name", flat=True)) == ["Leerstand", "Sauberkeit"]

    again = contact_import_preview(authority=authority, name=name, data=data)
    assert {row.action for row in again if not row.errors} == {"aktualisieren"}
    result = contact_import_apply(actor=people["carla"], authority=authority, rows=again, source=name)
    assert result == {"created": 0, "updated": 195, "skipped": 5}
    assert Contact.objects.count() == 195 and Actor.objects.count() == 101
    assert Consent.objects.count() == Contact.objects.filter(consents__isnull=False).count()


def test_a_contact_without_email_is_matched_by_name_and_address(authority, people):
    data = as_csv([["Heimatverein Dorsten", "Verein", "Markt 2", "46282", "Dorsten", "Karl Krause", "", "", "",
                    "nein", ""]])
    for _ in range(2):
        rows = contact_import_preview(authority=authority, name="liste.csv", data=data)
        contact_import_apply(actor=people["carla"], authority=authority, rows=rows, source="liste.csv")
    assert Contact.objects.get().name == "Karl Krause" and Actor.objects.count() == 1


@pytest.mark.parametrize(("name", "data", "message"), [
    ("liste.pdf", b"%PDF-1.4", "CSV-Datei oder eine Excel-Datei"),
    ("liste.xlsx", b"Akteur;Art\n", "keine Excel-Datei"),
    ("liste.csv", b"Vorname;Nachname\nA;B\n", "Spalte „Akteur“"),
    ("liste.csv", b"", "leer"),
])
def test_an_unusable_file_is_refused_with_a_german_reason(authority, name, data, message):
    with pytest.raises(DomainError) as refused:
        contact_import_preview(authority=authority, name=name, data=data)
    assert message in refused.value.message
