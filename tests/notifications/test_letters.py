"""Letters render to PDF from their frozen data alone: German amounts and dates, the legal parts of each
notice, only the shipped fonts, byte-identical output. Unsaved Letter instances, so no database."""

import copy
import hashlib
import io
import re
import struct
import zlib

import pytest
from pypdf import PdfReader

from fonds.models import Letter
from notifications.letters import _url_fetcher, render_letter_html, render_letter_pdf

FILE_NUMBER = "AF-2026-0007"


def snapshot(**content) -> dict:
    """A letter.data dict shaped like fonds.services.letters.letter_snapshot() produces it."""
    return {
        "authority": {
            "name": "Stadt Dorsten", "department": "Fachbereich Stadtentwicklung",
            "signatory": "Der Bürgermeister\nIm Auftrag\nKatrin Hoffmann",
            "street": "Halterner Str. 5", "postcode": "46282", "city": "Dorsten",
            "phone": "02362 66-0", "email": "altstadtfonds@dorsten.de", "website": "www.dorsten.de",
            "bank_name": "Sparkasse Vest Recklinghausen", "iban": "DE12 4265 0150 0000 0000 00",
            "bic": "WELADED1REK",
            "court_name": "Verwaltungsgericht Gelsenkirchen",
            "court_address": "Bahnhofsvorplatz 2, 45879 Gelsenkirchen",
            "logo": "",
        },
        "fund": {
            "name": "Altstadtfonds", "programme": "Wir machen MITte",
            "purpose": "Zweck der Zuwendung ist die Stärkung der Dorstener Altstadt durch nachhaltige, "
                       "öffentlich zugängliche Projekte privater Akteure.",
        },
        "recipient": {
            "name": "Dorstener Interessengemeinschaft Altstadt e. V.", "representative": "Michael Schulte",
            "legal_form": "eingetragener Verein (e. V.)", "street": "Lippestraße 12", "postcode": "46282",
            "city": "Dorsten",
        },
        "application": {
            "file_number": FILE_NUMBER, "title": "Zwanzig Marktstände aus Holz für den Altstadtmarkt",
            "description": "Anschaffung von 20 Holzmarktständen, die Vereinen kostenlos verliehen werden.",
            "location": "Marktplatz, 46282 Dorsten",
            "planned_start": "2026-05-01", "planned_end": "2026-10-31", "submitted_at": "2026-03-12",
            "total_cost": "10115.00", "eligible_costs": "8500.00", "own_funds": "4865.00",
            "third_party_funds": "1000.00", "requested_grant": "4250.00", "vat_basis": "netto",
            "cost_items": [
                {"description": "20 Marktstände", "net": "8500.00", "gross": "10115.00", "eligible": True},
            ],
        },
        "rules": {
            "rate_percent": "50", "max_grant": "5000.00", "proof_of_use_months": 6, "earmarking_years": 10,
            "de_minimis_applicable": True,
        },
        "date": "2026-04-20",
        "issued_on": "2026-04-22",
        "content": content,
    }


CONTENT = {
    "receipt": {},
    "rejection": {
        "reasons": "Das Projekt liegt außerhalb des Fördergebiets des Innenstadtkonzepts.",
        "decided_by": "beirat", "decided_on": "2026-04-15",
    },
    "bescheid": {
        "amount": "4250.00", "rate_percent": "50", "eligible_costs": "8500.00", "own_share": "4250.00",
        "period_start": "2026-05-01", "period_end": "2026-12-31",
        "conditions": "Die Marktstände sind mit einer Inventarnummer zu versehen.\n"
                      "Die Verleihbedingungen sind vor dem ersten Verleih mit dem Citymanagement "
                      "abzustimmen.",
        "reasons": "Das Projekt belebt den Altstadtmarkt dauerhaft und steht allen Vereinen offen.",
        "board_decided_on": "2026-04-15", "use_report_due": "2027-06-30", "earmarking_years": 10,
        "payment_terms": "Die Zuwendung wird auf Anforderung nach Vorlage bezahlter Rechnungen ausgezahlt.",
        "de_minimis": True,
    },
    "settlement": {
        "approved_grant": "4250.00", "accepted_costs": "8100.00", "final_grant": "4050.00",
        "paid": "3000.00", "final_payment": "1050.00", "released": "200.00",
    },
    "recovery": {
        "approved_grant": "4250.00", "accepted_costs": "7200.00", "final_grant": "3600.00",
        "paid": "4250.00", "principal": "650.00", "interest_rate": "7.27", "interest_from": "2026-09-01",
        "interest_to": "2026-12-15", "interest": "13.59", "total": "663.59", "due_date": "2027-01-15",
    },
}

TITLES = {
    "receipt": "Eingangsbestätigung",
    "rejection": "Ablehnungsbescheid",
    "bescheid": "Zuwendungsbescheid",
    "settlement": "Mitteilung über das Ergebnis der Prüfung des Verwendungsnachweises",
    "recovery": "Teilwiderruf und Rückforderungsbescheid",
}

KEY_AMOUNTS = {
    "receipt": ["4.250,00 €", "10.115,00 €"],
    "rejection": ["4.250,00 €"],
    "bescheid": ["4.250,00 €", "8.500,00 €", "10.115,00 €"],
    "settlement": ["4.050,00 €", "8.100,00 €", "1.050,00 €", "200,00 €"],
    "recovery": ["3.600,00 €", "650,00 €", "13,59 €", "663,59 €"],
}


def make_letter(kind: str, **overrides) -> Letter:
    data = snapshot(**copy.deepcopy(CONTENT[kind]))
    data["content"].update(overrides)
    return Letter(kind=kind, number=f"{FILE_NUMBER}/{Letter.SHORT[kind]}1", status="issued", data=data)


_rendered: dict[str, bytes] = {}


def pdf_of(kind: str) -> bytes:
    # Rendering costs about 0.1-0.8 s; render each kind once per test session.
    if kind not in _rendered:
        _rendered[kind] = render_letter_pdf(make_letter(kind))
    return _rendered[kind]


def text_of(pdf: bytes) -> str:
    """The text of all pages as one line: hyphenated line ends joined again, no-break spaces (before €,
    after §) compared as ordinary spaces."""
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    text = re.sub(r"(\w)[\u2010-]\n(\w)", r"\1\2", text)
    return " ".join(text.replace("\u00a0", " ").split())


def font_names(pdf: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        fonts = page["/Resources"].get("/Font", {})
        for ref in fonts.values():
            names.add(str(ref.get_object()["/BaseFont"]))
    return names


@pytest.mark.parametrize("kind", list(CONTENT))
def test_every_letter_states_file_number_title_and_key_amounts_in_german_format(kind):
    text = text_of(pdf_of(kind))
    assert FILE_NUMBER in text
    assert TITLES[kind] in text
    for amount in KEY_AMOUNTS[kind]:
        assert amount in text, f"{amount} missing in {kind}"


@pytest.mark.parametrize("kind", list(CONTENT))
def test_every_letter_keeps_umlauts_and_numbers_its_pages(kind):
    text = text_of(pdf_of(kind))
    assert "Bürgermeister" in text
    assert "Mit freundlichen Grüßen" in text
    assert "Seite 1 von" in text
    assert "22.04.2026" in text  # issued_on, as TT.MM.JJJJ


@pytest.mark.parametrize("kind", list(CONTENT))
def test_every_letter_embeds_only_the_shipped_dejavu_fonts(kind):
    names = font_names(pdf_of(kind))
    assert names, "no fonts found"
    # The template registers the shipped TTFs as family "DejaVuSans Brief"; a font that fontconfig
    # picked itself (the classic: DejaVu Serif in a page-margin box) would carry another name.
    assert all("DejaVuSans" in name for name in names), names
    shipped = ("DejaVuSans-Brief", "DejaVuSans-Brief-Bold")
    assert all(name.split("+", 1)[1] in shipped for name in names), names


@pytest.mark.parametrize("kind", list(CONTENT))
def test_rendering_the_same_letter_twice_gives_identical_bytes(kind):
    again = render_letter_pdf(make_letter(kind))
    assert hashlib.sha256(again).hexdigest() == hashlib.sha256(pdf_of(kind)).hexdigest()


def test_the_pdf_is_tagged_and_declares_german_and_its_title():
    reader = PdfReader(io.BytesIO(pdf_of("bescheid")))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "de"
    assert "/StructTreeRoot" in root
    assert reader.metadata.title.startswith("Zuwendungsbescheid")


def test_the_receipt_warns_against_starting_before_the_bescheid_and_explains_next_steps():
    text = text_of(pdf_of("receipt"))
    assert "12.03.2026" in text
    assert "Liefer- oder Leistungsvertrags" in text
    assert "Citymanagement" in text and "Beirat" in text
    assert "Rechtsbehelfsbelehrung" not in text  # a receipt is no administrative act


def test_the_rejection_has_tenor_reasons_discretion_and_legal_remedy():
    text = text_of(pdf_of("rejection"))
    assert "aus dem Altstadtfonds" in text and "wird abgelehnt" in text
    assert "außerhalb des Fördergebiets" in text
    assert "Rechtsanspruch" in text and "Ermessen" in text
    assert "15.04.2026" in text
    assert "Rechtsbehelfsbelehrung" in text and "Verwaltungsgericht Gelsenkirchen" in text


def test_the_bescheid_grants_the_amount_with_rate_period_and_financing_plan():
    text = text_of(pdf_of("bescheid"))
    assert "eine Zuwendung in Höhe von bis zu 4.250,00 €" in text
    assert "Anteilfinanzierung in Höhe von 50 %" in text
    assert "01.05.2026" in text and "31.12.2026" in text
    assert "Zuwendungsfähige Ausgaben" in text
    assert "Nettoausgaben" in text
    assert "Finanzierungsplan" in text and "4.865,00 €" in text and "1.000,00 €" in text
    assert "Stärkung der Dorstener Altstadt" in text  # the fund's purpose


def test_the_bescheid_carries_the_nebenbestimmungen():
    text = text_of(pdf_of("bescheid"))
    assert "ANBest-P" in text
    assert "10 Jahren" in text
    assert "Gefördert durch Städtebauförderung von Bund, Ländern und Gemeinden" in text
    assert "30.06.2027" in text and "Sachbericht" in text and "Belegliste" in text
    assert "§ 49a Abs. 3 VwVfG NRW" in text
    assert "Inventarnummer" in text
    assert "De-minimis" in text and "2023/2831" in text


def test_the_bescheid_names_the_court_and_the_waiver_form():
    pdf = pdf_of("bescheid")
    text = text_of(pdf)
    assert "Rechtsbehelfsbelehrung" in text
    assert "Verwaltungsgericht Gelsenkirchen" in text and "Bahnhofsvorplatz 2, 45879 Gelsenkirchen" in text
    assert "innerhalb eines Monats nach Bekanntgabe Klage" in text
    last_page = PdfReader(io.BytesIO(pdf)).pages[-1].extract_text().replace("\u00a0", " ")
    assert "Erklärung über den Rechtsbehelfsverzicht" in last_page
    assert FILE_NUMBER in last_page and "22.04.2026" in last_page


def test_the_bescheid_explains_a_gross_basis_when_the_recipient_cannot_deduct_vat():
    letter = make_letter("bescheid")
    letter.data["application"]["vat_basis"] = "brutto"
    html = render_letter_html(letter)
    assert "einschließlich Umsatzsteuer (brutto)" in html
    assert "Nettoausgaben" not in html


def test_a_rejection_by_the_citymanagement_names_the_check_not_a_board_meeting():
    html = render_letter_html(make_letter("rejection", decided_by="citymanagement", decided_on=None))
    assert "Die Prüfung Ihres Antrags durch das Citymanagement hat ergeben" in html
    assert "Sitzung" not in html


def test_the_bescheid_leaves_out_de_minimis_when_it_is_no_aid():
    html = render_letter_html(make_letter("bescheid", de_minimis=False))
    assert "De-minimis" not in html


def test_the_settlement_announces_the_final_payment_and_reminds_of_earmarking():
    text = text_of(pdf_of("settlement"))
    assert "Der Restbetrag von 1.050,00 € wird Ihnen in den nächsten Tagen überwiesen." in text
    assert "10 Jahren" in text


def test_the_settlement_without_final_payment_announces_no_transfer():
    html = render_letter_html(make_letter("settlement", paid="4050.00", final_payment="0.00"))
    assert "Restbetrag" not in html
    assert "vollständig ausgezahlt" in html


def test_the_recovery_revokes_in_part_and_claims_refund_with_interest_to_the_city_account():
    text = text_of(pdf_of("recovery"))
    assert "§ 49 Abs. 3 VwVfG NRW" in text and "§ 49a Abs. 3 VwVfG NRW" in text
    assert "7,27 %" in text
    assert "01.09.2026" in text and "15.12.2026" in text and "15.01.2027" in text
    assert "DE12 4265 0150 0000 0000 00" in text and "WELADED1REK" in text
    assert "Verwendungszweck" in text
    assert "Rechtsbehelfsbelehrung" in text


def test_a_draft_is_marked_as_not_issued():
    letter = make_letter("bescheid")
    letter.status = "draft"
    assert "ENTWURF" in render_letter_html(letter)
    assert "ENTWURF" not in render_letter_html(make_letter("bescheid"))


def test_the_signatory_prints_head_in_letterhead_and_name_after_im_auftrag_once():
    html = render_letter_html(make_letter("receipt"))
    assert html.count("Im Auftrag") == 1
    assert "Katrin Hoffmann" in html


def test_an_unknown_kind_is_refused():
    letter = make_letter("receipt")
    letter.kind = "love-letter"
    with pytest.raises(ValueError):
        render_letter_html(letter)


def tiny_png() -> bytes:
    """A 4 x 4 blue PNG, written by hand so the test needs no imaging library."""
    def chunk(tag: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body))
    rows = b"".join(b"\x00" + b"\x00\x5a\x9c" * 4 for _ in range(4))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def test_the_authority_logo_comes_from_storage_and_is_printed_on_page_one(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    (tmp_path / "authority-logos").mkdir()
    (tmp_path / "authority-logos" / "dorsten.png").write_bytes(tiny_png())
    letter = make_letter("receipt")
    letter.data["authority"]["logo"] = "authority-logos/dorsten.png"
    reader = PdfReader(io.BytesIO(render_letter_pdf(letter)))
    assert len(reader.pages[0].images) == 1
    assert len(PdfReader(io.BytesIO(pdf_of("receipt"))).pages[0].images) == 0


def test_letters_load_nothing_from_the_network_or_outside_their_assets():
    fetcher = _url_fetcher()
    with pytest.raises(ValueError):
        fetcher.fetch("https://example.org/logo.png")
    with pytest.raises(ValueError):
        fetcher.fetch("file:///etc/passwd")


# Every part a Bewilligungsbescheid must carry (issue #6; domain.md §5.1), each with the words that show it.
BESCHEID_PARTS = {
    "authority": ["Stadt Dorsten", "Fachbereich Stadtentwicklung"],
    "date": ["22.04.2026"],
    "file number": [FILE_NUMBER],
    "recipient": ["Dorstener Interessengemeinschaft Altstadt e. V.", "Lippestraße 12"],
    "representative": ["Michael Schulte"],
    "purpose": ["Zuwendungszweck", "Stärkung der Dorstener Altstadt"],
    "project": ["Zwanzig Marktstände aus Holz für den Altstadtmarkt"],
    "location": ["Marktplatz, 46282 Dorsten"],
    "approval period": ["Bewilligungszeitraum", "01.05.2026", "31.12.2026"],
    "type of funding": ["Anteilfinanzierung in Höhe von 50 %", "Höchstbetrag"],
    "eligible costs": ["zuwendungsfähigen Ausgaben werden auf 8.500,00 € festgesetzt"],
    "financing plan": ["Finanzierungsplan", "10.115,00 €", "4.865,00 €"],
    "own share": ["Eigenanteil", "4.250,00 €"],
    "VAT basis": ["Nettoausgaben", "Vorsteuerabzug"],
    "ANBest-P": ["ANBest-P", "Bestandteil dieses Bescheides"],
    "earmarking": ["Zweckbindung", "10 Jahren"],
    "publicity sign": ["Förderhinweis", "Gefördert durch Städtebauförderung von Bund, Ländern und Gemeinden"],
    "proof-of-use deadline": ["Verwendungsnachweis", "30.06.2027"],
    "payment terms": ["Auszahlung", "nach Vorlage bezahlter Rechnungen"],
    "reservation of revocation": ["Widerrufsvorbehalt", "§ 36 Abs. 2 Nr. 3 VwVfG NRW"],
    "reasons referring to the Beirat": ["Begründung", "Der Beirat hat in seiner Sitzung am 15.04.2026"],
    "Rechtsbehelfsbelehrung": ["Rechtsbehelfsbelehrung", "Verwaltungsgericht Gelsenkirchen",
                               "innerhalb eines Monats nach Bekanntgabe Klage"],
    "waiver form": ["Erklärung über den Rechtsbehelfsverzicht"],
    "signature": ["Im Auftrag", "Katrin Hoffmann"],
    "page numbers": ["Seite 1 von"],
}


@pytest.mark.parametrize("part", list(BESCHEID_PARTS))
def test_the_bescheid_carries_each_required_part(part):
    text = text_of(pdf_of("bescheid"))
    for words in BESCHEID_PARTS[part]:
        assert words in text, (part, words)
