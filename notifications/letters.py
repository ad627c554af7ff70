"""Letters and notices as PDF: Django templates laid out after DIN 5008, rendered by WeasyPrint.

A letter is rendered from what it carries and nothing else: kind, number, status, issue time and the
frozen `letter.data` snapshot (see fonds.services.letters.letter_snapshot). No database access, so the
same letter renders to the same bytes years later and the stored SHA-256 can be checked again."""

import os
import re
from pathlib import Path
from urllib.parse import unquote

from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import timezone, translation

from fonds.letter_texts import blocks_resolve

ASSETS_DIR = Path(__file__).resolve().parent / "pdf_assets"

# Without HarfBuzz-Subset, WeasyPrint subsets the fonts with fontTools, which stamps the subset's `head` table
# with the current time: the same letter rendered a second later gave other bytes. fontTools honours the
# reproducible-builds variable instead (2020-01-01; the date means nothing, it only has to be fixed).
os.environ.setdefault("SOURCE_DATE_EPOCH", "1577836800")

# Scheme for files from default_storage (the authority's logo). Resolved by our URL fetcher, so the
# template never needs to know whether storage is a local directory or S3.
STORAGE_SCHEME = "fondsflow-storage"

# The title of each kind as printed on the letter and in the PDF metadata.
TITLES = {
    "receipt": "Eingangsbestätigung",
    "rejection": "Ablehnungsbescheid",
    "bescheid": "Zuwendungsbescheid",
    "settlement": "Mitteilung über das Ergebnis der Prüfung des Verwendungsnachweises",
    "recovery": "Teilwiderruf und Rückforderungsbescheid",
    "de_minimis": "De-minimis-Bescheinigung",
    "documents_request": "Nachforderung von Unterlagen",
    "hearing": "Anhörung nach § 28 VwVfG NRW",
    "amendment": "Änderungsbescheid",
    "payment_notice": "Auszahlungsmitteilung",
}


def _letter_date(letter, data: dict):
    """The date printed on the letter: the day it was issued, else (drafts) the day it was drafted."""
    if data.get("issued_on"):
        return data["issued_on"]
    if letter.issued_at:
        return timezone.localtime(letter.issued_at).date().isoformat()
    return data.get("date")


def _signature_parts(signatory: str) -> dict:
    """Split the authority's free-text signatory ("Der Bürgermeister, Im Auftrag, Katrin Hoffmann",
    also with line breaks) into the head of the authority for the letterhead, the delegation formula
    and the signer's name lines, so that each prints once in its DIN place."""
    parts = [p.strip() for p in re.split(r"[\n,]", signatory or "") if p.strip()]
    head = parts.pop(0) if parts and re.match(r"(Der|Die)\s", parts[0]) else ""
    delegation = "Im Auftrag"
    names = []
    for part in parts:
        low = part.lower().replace(" ", "")
        if low in ("imauftrag", "i.a."):
            continue
        if low in ("invertretung", "i.v."):
            delegation = "In Vertretung"
            continue
        names.append(part)
    return {"head": head, "delegation": delegation, "names": names}


def render_letter_html(letter) -> str:
    """The letter as HTML for WeasyPrint."""
    if letter.kind not in TITLES:
        raise ValueError(f"Unknown letter kind: {letter.kind!r}")
    data = letter.data or {}
    authority = data.get("authority") or {}
    context = {
        # Plain values only, never the model instance: a template that could follow
        # `letter.application` would query the database and break reproducibility.
        "letter": {"kind": letter.kind, "number": letter.number, "status": letter.status},
        "is_draft": letter.status == "draft",
        "title": TITLES[letter.kind],
        "date": _letter_date(letter, data),
        "data": data,
        "authority": authority,
        "fund": data.get("fund") or {},
        "recipient": data.get("recipient") or {},
        "application": data.get("application") or {},
        "rules": data.get("rules") or {},
        "content": data.get("content") or {},
        # The texts frozen at drafting; letters drafted before texts were editable print today's defaults,
        # which are their very wording.
        "blocks": data.get("blocks") or blocks_resolve(letter.kind, {}, data),
        "logo_url": f"{STORAGE_SCHEME}:{authority['logo']}" if authority.get("logo") else "",
        "signature": _signature_parts(authority.get("signatory", "")),
    }
    if data.get("signed_by"):
        # The person who issued the letter signs it (§ 37 Abs. 3 VwVfG: name of the official).
        context["signature"]["names"] = [data["signed_by"]]
    # Letters are German whatever language the requesting user or worker runs in.
    with translation.override("de"):
        return render_to_string(f"letters/{letter.kind}.html", context)


def _url_fetcher():
    """Only our own assets and the storage logo; nothing from the network. Letter data is escaped by the
    templates, but a renderer that cannot fetch remote URLs cannot be tricked into it either."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    assets_root = ASSETS_DIR.resolve()

    class LetterURLFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith(f"{STORAGE_SCHEME}:"):
                name = unquote(url.removeprefix(f"{STORAGE_SCHEME}:"))
                with default_storage.open(name, "rb") as handle:
                    return URLFetcherResponse(url, body=handle.read())
            if url.startswith("file:"):
                path = Path(unquote(url.removeprefix("file://").split("?")[0])).resolve()
                if path.is_relative_to(assets_root):
                    return super().fetch(url, headers)
            raise ValueError(f"Letters may not load {url}")

    return LetterURLFetcher(allowed_protocols=["file", STORAGE_SCHEME])


def render_letter_pdf(letter) -> bytes:
    """The letter as a tagged PDF (PDF/UA-1: structure tags, /Lang from <html lang>, title from <title>).

    Deterministic: WeasyPrint 70 writes no creation date and no random document ID for PDF/UA-1, and
    the fonts are the shipped DejaVu files, so equal input gives equal bytes."""
    import weasyprint  # here, not at module level: the import costs about 0.6 s in every process

    html = render_letter_html(letter)
    document = weasyprint.HTML(string=html, base_url=str(ASSETS_DIR), url_fetcher=_url_fetcher())
    return document.write_pdf(pdf_variant="pdf/ua-1")
