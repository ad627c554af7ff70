"""Uploads (quality A-F1..A-F5): only PDF, JPEG and PNG whose name and content agree; limits per file, per
application and per picture; pictures drawn anew without EXIF; stored under generated names; served only as
attachments that a browser will not run.

alice – applicant (Dorstener Interessengemeinschaft Altstadt e. V.), uploads to her own draft
bob   – another applicant (Lions Club) who must see nothing of alice's
"""

import hashlib
import io
import re
import zipfile
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils.html import escape
from PIL import ExifTags, Image

from fonds.errors import DomainError
from fonds.models import Document
from fonds.services.document_checks import check_pdf
from fonds.services.documents import document_upload
from workflows import demo


@pytest.fixture
def draft(world, people):
    return demo.draft(world, world["dia"], people["alice"], "Titel", [("Bank", "400", "476")])


@pytest.fixture
def alice(people):
    client = Client()
    client.force_login(people["alice"])
    return client


def url(application) -> str:
    return f"/antraege/{application.pk}/unterlagen/"


def post(client, application, filename, content, kind=Document.Kind.QUOTE, **extra):
    return client.post(url(application), {"kind": kind, "file": SimpleUploadedFile(filename, content), **extra})


def stored_files() -> set[Path]:
    root = Path(settings.MEDIA_ROOT)
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def pdf(text="Angebot", extra_objects=()) -> bytes:
    """A small valid PDF; `extra_objects` are appended before the cross-reference table."""
    body = bytearray(demo.pdf_bytes(text).split(b"xref\n")[0])
    for number, obj in enumerate(extra_objects, 6):
        body += b"%d 0 obj\n%s\nendobj\n" % (number, obj)
    return bytes(body) + b"xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Root 1 0 R >>\nstartxref\n9\n%%EOF\n"


def png(size=(4, 3), color="blue") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def jpeg_with_gps() -> bytes:
    """A 40×20 photo taken on the Dorsten market place, camera held upright (orientation 6: turn 90°)."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "Kamera AG"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (51.0, 39.0, 36.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (6.0, 57.0, 50.0)
    out = io.BytesIO()
    Image.new("RGB", (40, 20), "red").save(out, "JPEG", exif=exif, comment=b"Markt 1, Dorsten")
    data = out.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the test photo does carry GPS
    return data


def docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def refused(response, message_part: str, application):
    page = response.content.decode()
    assert response.status_code == 400
    field = re.search(r'<input[^>]*name="file"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in field  # the refusal is an error on the file field
    assert escape(message_part) in page, page
    assert not Document.objects.filter(application=application).exists()


# --- A-F1: only PDF, JPEG and PNG, name and content agreeing ----------------------------------------


ATTACKS = {
    "double extension": ("x.pdf.html", b"<html><script>alert(1)</script></html>", "Endungen .pdf, .jpg"),
    "encoded NUL": ("x.php%00.pdf", None, "Bitte benennen Sie die Datei einfach um"),
    "inner script extension": ("x.php.pdf", None, "mehr als eine Endung"),
    "HTML renamed .pdf": ("angebot.pdf", b"<!doctype html><script>alert(1)</script>",
                          "Bitte laden Sie nur PDF-, JPEG- oder PNG-Dateien hoch."),
    "SVG": ("bild.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "Endungen .pdf, .jpg"),
    "SVG renamed .png": ("bild.png", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
                         "Bitte laden Sie nur PDF-, JPEG- oder PNG-Dateien hoch."),
    "DOCX": ("angebot.docx", None, "Endungen .pdf, .jpg"),
    "DOCX renamed .pdf": ("angebot.pdf", None, "Bitte laden Sie nur PDF-, JPEG- oder PNG-Dateien hoch."),
    "empty": ("leer.pdf", b"", "Die Datei ist leer."),
    "PNG named .pdf": ("angebot.pdf", None, "ist in Wahrheit ein PNG-Bild"),
    "PDF named .png": ("foto.png", None, "ist in Wahrheit ein PDF-Dokument"),
    "PDF without end": ("angebot.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n", "Dateiende fehlt"),
    "PDF with JavaScript": ("angebot.pdf", None, "drucken Sie es in eine neue PDF-Datei"),
    "PDF with hidden Launch": ("angebot.pdf", None, "drucken Sie es in eine neue PDF-Datei"),
    "PDF with JavaScript in an object stream": ("angebot.pdf", None, "drucken Sie es in eine neue PDF-Datei"),
    "broken PNG": ("foto.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "Das Bild lässt sich nicht öffnen"),
}


def attack_content(case):
    filename, content, _ = ATTACKS[case]
    if content is not None:
        return content
    if "DOCX" in case:
        return docx()
    if case == "PNG named .pdf":
        return png()
    if case == "PDF with JavaScript":
        return pdf(extra_objects=[b"<< /Type /Action /S /JavaScript /JS (app.alert(1)) >>"])
    if case == "PDF with hidden Launch":
        return pdf(extra_objects=[b"<< /Type /Action /S /L#61unch /F (cmd.exe) >>"])
    if case == "PDF with JavaScript in an object stream":
        packed = zlib.compress(b"6 0 << /S /JavaScript /JS (app.alert(1)) >>")
        return pdf(extra_objects=[b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n%s\n"
                                  b"endstream" % (len(packed), packed)])
    return pdf()


@pytest.mark.parametrize("case", ATTACKS)
def test_it_refuses_anything_but_a_matching_pdf_jpeg_or_png_and_stores_nothing(case, alice, draft):
    filename, _, message = ATTACKS[case]
    before = stored_files()

    response = post(alice, draft, filename, attack_content(case))

    refused(response, message, draft)
    assert stored_files() == before
    assert not draft.audit_events.filter(action="document.uploaded").exists()


def test_it_refuses_a_file_one_byte_over_the_limit_and_takes_one_at_the_limit(alice, draft, settings):
    settings.FONDSFLOW_MAX_UPLOAD_BYTES = 2000
    head = pdf()
    at_limit = head[:-6] + b" " * (2000 - len(head)) + b"%%EOF\n"
    assert len(at_limit) == 2000
    before = stored_files()

    response = post(alice, draft, "gross.pdf", at_limit[:-6] + b" %%EOF\n")
    refused(response, "Die Datei ist größer als 1 kB.", draft)
    assert stored_files() == before

    assert post(alice, draft, "genau.pdf", at_limit).status_code == 302
    assert draft.documents.get().size == 2000


def test_the_service_refuses_names_with_nul_bytes_or_path_separators(draft, people):
    class Named:
        """An uploaded file as another caller might hand it over, its name not cleaned by Django."""

        def __init__(self, name):
            self.name, self.size, self._data = name, 10, io.BytesIO(pdf())

        def seek(self, n):
            self._data.seek(n)

        def read(self, n=-1):
            return self._data.read(n)

    for name in ("x.php\x00.pdf", "..\\..\\x.pdf", "a/b.pdf", "rechnung\u202efdp.exe.pdf", ".pdf"):
        with pytest.raises(DomainError) as refusal:
            document_upload(actor=people["alice"], application=draft, kind="quote", uploaded_file=Named(name))
        assert refusal.value.field == "file"
    assert not draft.documents.exists()


def test_ordinary_names_with_dots_and_capital_endings_are_accepted(alice, draft):
    for name in ("Rechnung 12.03.2025.PDF", "Angebot Nr. 2.pdf", "Foto Markt.JPEG"):
        content = jpeg_with_gps() if name.endswith("JPEG") else pdf()
        assert post(alice, draft, name, content).status_code == 302, name
    assert draft.documents.count() == 3


def test_the_pdf_check_sees_no_javascript_in_an_ordinary_pdf():
    check_pdf(pdf())  # does not raise


# --- A-F2: limits per application ---------------------------------------------------------------------


def test_the_thirty_first_file_is_refused(alice, draft, people):
    for n in range(30):
        document_upload(actor=people["alice"], application=draft, kind="quote",
                        uploaded_file=SimpleUploadedFile(f"Angebot {n}.pdf", pdf(f"Angebot {n}")))
    before = stored_files()

    response = post(alice, draft, "Angebot 31.pdf", pdf())

    assert response.status_code == 400
    assert "bereits 30 Dateien hochgeladen" in response.content.decode()
    assert draft.documents.count() == 30 and stored_files() == before
    assert "Zu diesem Antrag ist kein Platz mehr frei" in alice.get(url(draft)).content.decode()


def test_it_refuses_a_file_beyond_the_total_for_the_application(alice, draft, settings):
    settings.FONDSFLOW_MAX_APPLICATION_BYTES = len(pdf()) + 10
    assert post(alice, draft, "eins.pdf", pdf()).status_code == 302
    before = stored_files()

    response = post(alice, draft, "zwei.pdf", pdf())

    assert response.status_code == 400
    assert "frei sind noch 10 Byte" in response.content.decode()
    assert draft.documents.count() == 1 and stored_files() == before


def test_the_page_states_the_limits_before_the_upload_field(alice, draft, people):
    document_upload(actor=people["alice"], application=draft, kind="quote",
                    uploaded_file=SimpleUploadedFile("Angebot.pdf", pdf()))
    response = alice.get(url(draft))
    page = response.content.decode()

    assert response.status_code == 200
    assert "<h1>Unterlagen hochladen</h1>" in page and "Titel" in page
    limits = "Erlaubt: PDF, JPEG, PNG · höchstens 20 MB je Datei · noch 29 von 30 Dateien und 199 MB frei"
    assert limits in page
    assert page.index(limits) < page.index('type="file"')
    assert 'accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"' in page
    assert "höchstens 20 MB je Datei und 200 MB je Antrag" in page  # the field's help text


# --- A-F3: generated names ---------------------------------------------------------------------------


def multipart(filename: str, content: bytes, kind="quote") -> tuple[bytes, str]:
    """A body with the file name exactly as given: Django's test client would cut it to its last part."""
    boundary = "----fondsflow"
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\n{kind}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
            f"Content-Type: application/pdf\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def test_a_path_in_the_uploaded_name_ends_up_as_a_generated_name(alice, draft):
    body, content_type = multipart("../../etc/passwd.pdf", pdf())
    response = alice.generic("POST", url(draft), body, content_type=content_type)
    assert response.status_code == 302

    document = draft.documents.get()
    assert re.fullmatch(rf"documents/{draft.pk}/[0-9a-f]{{32}}\.pdf", document.file.name)
    assert document.original_name == "passwd.pdf"  # only kept as metadata, never a path
    assert Path(settings.MEDIA_ROOT, document.file.name).is_file()
    assert not Path(settings.MEDIA_ROOT).parent.joinpath("etc").exists()


# --- A-F4: downloads -------------------------------------------------------------------------------


@pytest.mark.parametrize(("original", "served"), [
    ("Übersicht Köln.pdf", "%C3%9Cbersicht%20K%C3%B6ln.pdf"),
    ("../../etc/passwd", "passwd.pdf"),
    ('angebot"; filename="evil.html\r\nSet-Cookie: a=b.pdf',
     "angebot%22%3B%20filename%3D%22evil.htmlSet-Cookie%3A%20a%3Db.pdf"),
])
def test_downloads_are_attachments_the_browser_will_not_run(alice, draft, original, served):
    assert post(alice, draft, "angebot.pdf", pdf()).status_code == 302
    document = draft.documents.get()
    Document.objects.filter(pk=document.pk).update(original_name=original)

    response = alice.get(f"/dokumente/{document.pk}/")

    assert response.status_code == 200
    assert response["Content-Disposition"] == f"attachment; filename*=UTF-8''{served}"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == pdf()


# --- A-F5: pictures ----------------------------------------------------------------------------------


def test_a_photo_is_stored_upright_and_without_exif(alice, draft):
    original = jpeg_with_gps()
    response = post(alice, draft, "markt.jpg", original, kind=Document.Kind.PHOTO)
    assert response.status_code == 302

    document = draft.documents.get()
    stored = Path(settings.MEDIA_ROOT, document.file.name).read_bytes()
    assert document.file.name.endswith(".jpg") and stored != original
    picture = Image.open(io.BytesIO(stored))
    assert picture.format == "JPEG" and picture.size == (20, 40)  # turned as the camera said
    assert not picture.getexif() and "exif" not in picture.info and "comment" not in picture.info
    assert b"Kamera AG" not in stored and b"Dorsten" not in stored
    assert document.size == len(stored)
    assert document.sha256 == hashlib.sha256(stored).hexdigest()


def test_a_png_is_drawn_anew(alice, draft):
    assert post(alice, draft, "plan.png", png((30, 10)), kind=Document.Kind.OTHER).status_code == 302
    document = draft.documents.get()
    picture = Image.open(document.file.open("rb"))
    assert picture.format == "PNG" and picture.size == (30, 10)
    assert document.content_type == "image/png" and document.file.name.endswith(".png")


def test_a_picture_over_the_pixel_limit_is_refused(alice, draft, settings):
    settings.FONDSFLOW_MAX_IMAGE_PIXELS = 100
    before = stored_files()

    response = post(alice, draft, "gross.png", png((20, 20)), kind=Document.Kind.PHOTO)

    refused(response, "Das Bild ist zu groß", draft)
    assert stored_files() == before
    assert post(alice, draft, "klein.png", png((10, 10)), kind=Document.Kind.PHOTO).status_code == 302


# --- the page -----------------------------------------------------------------------------------------


def test_after_an_upload_it_goes_back_to_a_safe_next_page_only(alice, draft):
    response = post(alice, draft, "a.pdf", pdf(), next=f"/antraege/{draft.pk}/bearbeiten/")
    assert response.status_code == 302 and response["Location"] == f"/antraege/{draft.pk}/bearbeiten/"

    response = post(alice, draft, "b.pdf", pdf(), next="https://evil.example/")
    assert response.status_code == 302 and response["Location"] == f"/antraege/{draft.pk}/"
    assert "„b.pdf“ wurde hochgeladen." in alice.get(response["Location"]).content.decode()

    page = alice.get(f"{url(draft)}?next=/antraege/").content.decode()
    assert '<input type="hidden" name="next" value="/antraege/">' in page


def test_another_applicant_gets_404_on_the_upload_page(draft, people):
    bob = Client()
    bob.force_login(people["bob"])
    assert bob.get(url(draft)).status_code == 404
    assert post(bob, draft, "b.pdf", pdf()).status_code == 404
    assert not draft.documents.exists()
