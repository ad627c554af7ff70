"""The staff dossier: the whole file of an application on one page, its timeline in sentences, internal notes
that applicants never see, the contact history, and inline previews of pictures and PDFs for the staff."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from fonds.models import AuditEvent, ConditionTemplate, Criterion, Document, EligibilityCheckItem, InternalNote
from fonds.selectors.dossier import audit_sentence
from notifications.models import Notification
from tests.workflows.driver import Driver
from workflows.demo import pdf_bytes

NOTE = "Eigentümer telefonisch erreicht, Zustimmung folgt – intern"


@pytest.fixture
def drive(people, django_capture_on_commit_callbacks):
    return Driver(people, django_capture_on_commit_callbacks)


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 20), "green").save(out, "PNG")
    return out.getvalue()


def upload(drive, application, name, content, kind="photo"):
    response = drive.post("alice", f"/antraege/{application.pk}/unterlagen/",
                          {"kind": kind, "file": SimpleUploadedFile(name, content)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return application.documents.get(original_name=name)


def dossier(drive, application, name="carla"):
    response = drive.get(name, f"/verwaltung/antraege/{application.pk}/")
    assert response.status_code == 200
    return response.content.decode().replace("\u00a0", " ")  # amounts are written with a no-break space


@pytest.fixture
def implementing(drive, world):
    """alice's application through check, scored recommendation, decision, Bescheid, one payment, proof of use."""
    fund, rnd = world["round"].fund, world["round"]
    template = ConditionTemplate.objects.create(fund=fund, text="Förderhinweis sichtbar anbringen.")
    criterion = Criterion.objects.create(round=rnd, name="Wirkung für die Altstadt", max_points=5,
                                         weight=Decimal("2"))
    a = drive.apply(net="8000", gross="9520")
    upload(drive, a, "Schaufenster.png", png_bytes())
    drive.eligible(a)
    check = a.eligibility_checks.get()
    if not check.items.exists():  # the checklist may or may not be filled by the eligibility step
        EligibilityCheckItem.objects.create(check_run=check, key="area", label="Im Fördergebiet", met=True)
    drive.recommend(a, condition_templates=[template.pk], **{f"score_{criterion.pk}": "4"})
    drive.decide(a, "approve")
    drive.bescheid(a)
    drive.pay(a, "2000")
    drive.use_report(a, net="8000", gross="9520")
    return a


def test_the_dossier_shows_every_part_of_the_file(drive, implementing):
    a = implementing
    html = dossier(drive, a)
    check = a.eligibility_checks.get()
    for part in (
        a.title, a.file_number, "Lippestraße 1",  # the summary
        "Version 1", "Fördersatz",  # the rules the application was submitted under
        "Alle Voraussetzungen erfüllt.", check.items.first().label,  # the check with its items
        "Förderhinweis sichtbar anbringen.", "Wirkung für die Altstadt", "4 / 5", "8 / 10",  # recommendation
        "Stärkt die Altstadt.", "Carla Citymanagerin",
        "bewilligt", "Dieter Drees",  # the board
        "Bewilligungsbescheid", "Eingangsbestätigung",  # letters
        "Mittelabruf über 2.000,00 €", "Felix Franke",  # payments
        "Alles wurde wie geplant umgesetzt.", "Schreinerei Hülsmann",  # proof of use with receipts
        "Schaufenster.png",
    ):
        assert part in html, part


def test_pictures_and_pdfs_preview_inline_for_staff_only(drive, world):
    a = drive.apply()
    picture = upload(drive, a, "Fassade.png", png_bytes())
    quote = a.documents.filter(content_type="application/pdf").first() or upload(
        drive, a, "Angebot.pdf", pdf_bytes("Angebot"), kind="quote")
    html = dossier(drive, a)
    assert f'<img src="/dokumente/{picture.pk}/?ansicht=1"' in html
    assert f'<iframe src="/dokumente/{quote.pk}/?ansicht=1"' in html

    for document in (picture, quote):
        staff = drive.get("carla", f"/dokumente/{document.pk}/?ansicht=1")
        assert staff["Content-Disposition"].startswith("inline;")
        assert staff["X-Content-Type-Options"] == "nosniff" and staff["Content-Security-Policy"] == "sandbox"
        assert drive.get("carla", f"/dokumente/{document.pk}/")["Content-Disposition"].startswith("attachment;")
        # the applicant always downloads, ?ansicht=1 or not
        own = drive.get("alice", f"/dokumente/{document.pk}/?ansicht=1")
        assert own.status_code == 200 and own["Content-Disposition"].startswith("attachment;")


def test_the_timeline_tells_every_event_in_order_with_the_names(drive, implementing):
    a = implementing
    AuditEvent.objects.create(actor_label="System", action="zauber.unbekannt", application=a,
                              object_type="fonds.Application", object_id=str(a.pk))
    html = dossier(drive, a)
    timeline = html[html.index('id="verlauf"'):]
    timeline = timeline[:timeline.index("</ol>")]
    sentences = [
        "Alice Albers hat den Antrag eingereicht.",
        "Der Brief „Eingangsbestätigung“ wurde als PDF abgelegt (System).",
        "Alice Albers hat eine Unterlage hochgeladen (Foto).",
        "Carla Citymanagerin hat die Zuwendungsfähigkeit geprüft: zuwendungsfähig.",
        "Carla Citymanagerin hat die fachliche Stellungnahme abgegeben: 4.760,00 € empfohlen.",
        "Dieter Drees hat den Beschluss des Beirats erfasst: bewilligt.",
        "Felix Franke hat den Brief „Bewilligungsbescheid“ erlassen.",
        "Alice Albers hat Mittel abgerufen: 2.000,00 €.",
        "Frieda Finke hat eine Auszahlung angeordnet: 2.000,00 €.",
        "Felix Franke hat die Auszahlung freigegeben.",
        "Alice Albers hat den Verwendungsnachweis eingereicht.",
        "zauber.unbekannt (System)",  # a code without a sentence is shown as it is
    ]
    positions = [timeline.find(s) for s in sentences]
    assert -1 not in positions, [s for s, p in zip(sentences, positions, strict=True) if p == -1]
    assert positions == sorted(positions)
    assert "Stand geändert auf „Beiratsentscheidung ausstehend“ (Carla Citymanagerin)." in timeline
    assert timeline.count("<li>") == a.audit_events.count()


def test_audit_codes_read_as_sentences():
    def event(action, **after):
        return AuditEvent(actor_label="Carla Citymanagerin", action=action, after=after)

    assert audit_sentence(event("documents.requested", deadline="2026-12-31")) == (
        "Carla Citymanagerin hat Unterlagen nachgefordert (Frist 31.12.2026).")
    assert audit_sentence(event("recommendation.returned", reason="Betrag begründen.")) == (
        "Carla Citymanagerin hat die fachliche Stellungnahme zurückgegeben: Betrag begründen.")
    assert audit_sentence(event("letter.rejection.drafted")) == (
        "Carla Citymanagerin hat den Brief „Ablehnungsbescheid“ entworfen.")
    assert audit_sentence(event("letter.nonsense.drafted")) == (
        "Carla Citymanagerin hat den Brief „nonsense“ entworfen.")
    assert audit_sentence(event("eligibility.item_overridden")) == "eligibility.item_overridden (Carla Citymanagerin)"
    assert audit_sentence(event("de_minimis.amended", amount="3000.00")) == (
        "Carla Citymanagerin hat die De-minimis-Beihilfe nach dem Änderungsbescheid auf 3.000,00\u00a0€ geändert; "
        "sie ist erneut an das Register zu melden.")


def test_staff_add_internal_notes_that_applicants_never_see(drive, implementing):
    a = implementing
    url = f"/verwaltung/antraege/{a.pk}/"
    empty = drive.post("carla", url, {"text": "  "})
    assert empty.status_code == 400 and "Bitte schreiben Sie die Notiz." in empty.content.decode()
    response = drive.post("carla", url, {"text": NOTE})
    assert response.status_code == 302 and response["Location"].endswith("#notizen")
    note = InternalNote.objects.get(application=a)
    assert note.author == drive.people["carla"] and note.text == NOTE
    html = dossier(drive, a, "frieda")  # the Kämmerei reads it too
    assert NOTE in html and "Carla Citymanagerin hat eine interne Notiz angelegt." in html
    assert drive.get("dieter", url).status_code == 403  # the Beirat reads no dossiers

    assert drive.post("alice", url, {"text": "von außen"}).status_code == 403
    assert drive.get("alice", url).status_code == 403
    for page in (f"/antraege/{a.pk}/", "/antraege/", f"/antraege/{a.pk}/unterlagen/", "/benachrichtigungen/"):
        response = drive.get("alice", page)
        assert response.status_code == 200, page
        assert NOTE not in response.content.decode() and "interne Notiz" not in response.content.decode(), page
    assert InternalNote.objects.count() == 1


def test_the_contact_history_lists_what_was_sent_and_what_came_back(drive, implementing):
    a = implementing
    html = dossier(drive, a)
    contact = html[html.index('id="kontakt"'):html.index('id="notizen"')]
    sent = Notification.objects.filter(application=a, recipient=drive.people["alice"])
    assert sent.exists()
    for notification in sent:
        assert notification.get_event_display() in contact
    assert "an den Antragsteller" in contact and "vom Antragsteller" in contact
    assert "Mittelabruf über 2.000,00 €" in contact and "Verwendungsnachweis eingereicht" in contact
    # messages to the staff are no contact with the applicant
    for notification in Notification.objects.filter(application=a).exclude(recipient=drive.people["alice"]):
        assert notification.recipient.get_full_name() not in contact


def test_the_dossier_needs_the_same_number_of_queries_for_1_and_100_entries(drive, world, people):
    a = drive.apply()
    a.internal_notes.create(author=people["carla"], text="eins")
    client = drive.client("carla")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/verwaltung/antraege/{a.pk}/").status_code == 200
        return len(queries)

    few = count()
    document = a.documents.first()
    InternalNote.objects.bulk_create(InternalNote(application=a, author=people["carla"], text=f"Notiz {n}")
                                     for n in range(99))
    AuditEvent.objects.bulk_create(
        AuditEvent(actor=people["carla"], actor_label="Carla Citymanagerin", action="document.uploaded",
                   application=a, object_type="fonds.Document", object_id="1", after={"kind": "photo"})
        for _ in range(99))
    Document.objects.bulk_create(
        Document(application=a, kind="photo", file=document.file.name, original_name=f"Foto {n}.png",
                 content_type="image/png", size=1, sha256="0" * 64, uploaded_by=people["alice"])
        for n in range(99))
    Notification.objects.bulk_create(
        Notification(recipient=people["alice"], event="board_agenda", key=f"test-{n}", application=a)
        for n in range(99))
    assert a.internal_notes.count() == 100 and a.documents.count() >= 100
    assert count() == few, few


def _without_tokens(html: str) -> str:
    import re

    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_a_database_without_array_subqueries_shows_the_same_pages(drive, implementing, monkeypatch):
    """The quick start's SQLite cannot read the lists inside the application's query (fonds.selectors.rows): it
    reads each list by itself and shows the same dossier and the same status page, at more queries."""
    from fonds.selectors import rows

    InternalNote.objects.create(application=implementing, author=drive.people["carla"], text=NOTE)
    pages = [("carla", f"/verwaltung/antraege/{implementing.pk}/"), ("alice", f"/antraege/{implementing.pk}/")]
    for name, url in pages:
        drive.get(name, url)  # shows (and so clears) the messages of the steps before
    along = [_without_tokens(drive.get(name, url).content.decode()) for name, url in pages]
    with CaptureQueriesContext(connection) as one_query_each:
        for name, url in pages:
            drive.get(name, url)
    monkeypatch.setattr(rows, "reads_along", lambda alias="default": False)
    with CaptureQueriesContext(connection) as list_by_list:
        apart = [_without_tokens(drive.get(name, url).content.decode()) for name, url in pages]
    for before, after in zip(along, apart, strict=True):
        import difflib

        assert after == before, "\n".join(difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm=""))
    assert NOTE in along[0] and "Schaufenster.png" in along[0]
    assert len(list_by_list) > len(one_query_each) + 10
