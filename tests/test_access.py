"""Who may see and do what: applicants see only their own organisation's applications, every staff task
refuses every role but its own, lists cost the same number of queries however long they are, and an
upload is judged by its content, not its name.

alice      – applicant (Dorstener Interessengemeinschaft Altstadt e. V.)
bob        – another applicant (Lions Club) who must see nothing of alice's
carla      – Citymanagement
dieter     – Beirat
frieda     – finance: drafts Bescheide, orders payments
felix      – finance: issues Bescheide, releases payments
verwaltung – fund admin: maintains the fund, does no task
"""

import struct
import zlib
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from viewflow.workflow import flow
from viewflow.workflow.status import STATUS

from fonds.models import Application, Document, Letter, Stage
from fonds.services.ledger import commitment_book
from tests.workflows.driver import Driver
from workflows import demo
from workflows.flows import GrantFlow
from workflows.models import GrantProcess
from workflows.nodes import ApplicantView

PERSONAS = ("alice", "bob", "carla", "dieter", "frieda", "felix", "verwaltung")
FINANCE = {"frieda", "felix"}
REFUSED = (403, 404)


@pytest.fixture
def drive(people, django_capture_on_commit_callbacks):
    return Driver(people, django_capture_on_commit_callbacks)


def png_bytes() -> bytes:
    """A real 1×1 PNG."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff"))
            + chunk(b"IEND", b""))


def upload(drive, name, application, filename, content, kind=Document.Kind.PHOTO):
    return drive.post(name, f"/antraege/{application.pk}/unterlagen/",
                      {"kind": kind, "file": SimpleUploadedFile(filename, content)})


def media_files() -> set[Path]:
    root = Path(settings.MEDIA_ROOT)
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


# --- applicants see only their own -------------------------------------------------------------------


def state(application):
    """Everything bob might have changed."""
    a = Application.objects.get(pk=application.pk)
    process = GrantProcess.for_application(a)
    tasks = list(process.task_set.order_by("pk").values_list("flow_task", "status", "owner")) if process else []
    return (a.stage, a.title, a.updated_at, a.documents.count(), a.letters.count(), a.payment_requests.count(),
            a.use_reports.count(), a.document_requests.filter(answered_at__isnull=False).count(),
            a.audit_events.count(), tasks)


def bob_gets_404_everywhere(drive, application, requests):
    before = state(application)
    for method, url, data in requests:
        client = drive.client("bob")
        response = client.get(url) if method == "GET" else drive.post("bob", url, data)
        assert response.status_code == 404, (method, url, response.status_code)
    assert state(application) == before


def test_another_applicant_gets_404_on_every_page_of_an_application(drive, world):
    a = drive.create_draft("alice")
    assert upload(drive, "alice", a, "ampel.png", png_bytes()).status_code == 302
    document = a.documents.get(original_name="ampel.png")
    pk = a.pk
    edit = {"title": "Gekapert", "description": "x", "location": "x", "planned_start": "2099-01-01",
            "planned_end": "2099-02-01", "already_started": "False", "is_tenant": "False"}

    # a draft
    bob_gets_404_everywhere(drive, a, [
        ("GET", f"/antraege/{pk}/", None),
        ("GET", f"/antraege/{pk}/schritt/vorhaben/", None),
        ("POST", f"/antraege/{pk}/schritt/vorhaben/", edit),
        ("POST", f"/antraege/{pk}/schritt/erklaerungen/", {"privacy": "on", "truth": "on"}),
        ("GET", f"/antraege/{pk}/weiter/", None),
        ("POST", f"/antraege/{pk}/unterlagen/", {"kind": "photo", "file": SimpleUploadedFile("b.png", png_bytes())}),
        ("POST", f"/antraege/{pk}/einreichen/", {}),
        ("GET", f"/antraege/{pk}/zurueckziehen/", None),
        ("POST", f"/antraege/{pk}/zurueckziehen/", {}),
        ("GET", f"/dokumente/{document.pk}/", None),
    ])
    assert drive.get("alice", f"/antraege/{pk}/schritt/vorhaben/").status_code == 200

    # submitted, with a receipt, and documents requested
    drive.submit("alice", a)
    receipt = a.letters.get(kind=Letter.Kind.RECEIPT, status=Letter.Status.ISSUED)
    drive.do("carla", a, GrantFlow.eligibility, {
        "outcome": "missing", "reasons": "Angebote fehlen.", "missing_items": "Zweites Angebot",
        "deadline": "2099-01-31"})
    assert a.stage == Stage.DOCUMENTS_REQUESTED
    bob_gets_404_everywhere(drive, a, [
        ("GET", f"/antraege/{pk}/", None),
        ("GET", f"/antraege/{pk}/nachreichen/", None),
        ("POST", f"/antraege/{pk}/nachreichen/", {"answer": "Liegt bei."}),
        ("POST", f"/antraege/{pk}/zurueckziehen/", {}),
        ("POST", f"/antraege/{pk}/unterlagen/", {"kind": "quote", "file": SimpleUploadedFile("b.png", png_bytes())}),
        ("GET", f"/dokumente/{document.pk}/", None),
        ("GET", f"/briefe/{receipt.pk}/", None),
    ])
    assert drive.get("alice", f"/antraege/{pk}/nachreichen/").status_code == 200

    # in implementation, with a Bescheid
    assert drive.post("alice", f"/antraege/{pk}/nachreichen/", {"answer": "Liegt bei."}).status_code == 302
    drive.eligible(a)
    drive.recommend(a)
    drive.decide(a)
    drive.bescheid(a)
    bescheid = a.letters.get(kind=Letter.Kind.BESCHEID)
    bob_gets_404_everywhere(drive, a, [
        ("GET", f"/antraege/{pk}/umsetzung/", None),
        ("POST", f"/antraege/{pk}/umsetzung/", {"action": "payment", "abruf-amount": "100", "abruf-note": "x"}),
        ("GET", f"/briefe/{bescheid.pk}/", None),
        ("GET", f"/antraege/{pk}/", None),
    ])
    assert drive.get("alice", f"/antraege/{pk}/umsetzung/").status_code == 200


def test_the_applicant_downloads_her_document_and_letter_as_attachments(drive, world):
    a = drive.create_draft("alice")
    response = upload(drive, "alice", a, "ampel.png", png_bytes())
    assert response.status_code == 302
    document = a.documents.get(original_name="ampel.png")
    assert document.content_type == "image/png" and document.original_name == "ampel.png"
    assert document.file.name.endswith(".png") and "ampel" not in document.file.name  # a generated name
    drive.submit("alice", a)
    receipt = a.letters.get(kind=Letter.Kind.RECEIPT, status=Letter.Status.ISSUED)

    for url, head in ((f"/dokumente/{document.pk}/", b"\x89PNG"), (f"/briefe/{receipt.pk}/", b"%PDF-")):
        response = drive.get("alice", url)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content).startswith(head)


# --- every staff task refuses every other role -------------------------------------------------------


STAFF_NODES = {node for node in GrantFlow.instance.nodes()
               if isinstance(node, flow.View) and not isinstance(node, ApplicantView)}


def test_every_staff_task_refuses_every_role_but_its_own(drive, world):
    a = drive.apply(net="8000", gross="9520")
    checked = set()

    def only(node, *holders):
        task = drive.task(a, node)
        assert task.status == STATUS.NEW and task.owner is None
        stage = a.stage
        for name in set(PERSONAS) - set(holders):
            assign = drive.post(name, node.reverse("assign", args=[task.process_id, task.pk]))
            assert assign.status_code in REFUSED, (node.name, name, "assign", assign.status_code)
            execute = drive.post(name, node.reverse("execute", args=[task.process_id, task.pk]), {})
            assert execute.status_code in REFUSED, (node.name, name, "execute", execute.status_code)
        task.refresh_from_db()
        a.refresh_from_db()
        assert task.status == STATUS.NEW and task.owner is None, node.name
        assert a.stage == stage
        checked.add(node)

    only(GrantFlow.eligibility, "carla")
    drive.eligible(a)
    only(GrantFlow.recommendation, "carla")
    # With the fund's four-eyes rule a second Citymanager confirms: carla wrote it, so no persona here may.
    a.fund.recommendation_four_eyes = True
    a.fund.save()
    drive.recommend(a)
    only(GrantFlow.recommendation_confirm)
    drive.confirm_recommendation(a, drive.second_citymanager())
    # The Beirat's step is no task page: it waits for the signed minutes (tests/workflows/test_meetings.py).
    drive.decide(a)
    only(GrantFlow.bescheid_draft, *FINANCE)
    drive.do("frieda", a, GrantFlow.bescheid_draft, {
        "period_end": a.planned_end.isoformat(), "conditions": "Förderhinweis anbringen.",
        "reasons": "Der Beirat hat die Förderung beschlossen.", "payment_terms": "Auf Anforderung."})
    only(GrantFlow.bescheid_issue, "felix")  # frieda drafted it
    drive.do("felix", a, GrantFlow.bescheid_issue, {"decision": "issue"})
    drive.waive(a)  # posted and waiver of appeal received: the Bescheid is final, payments may go
    assert drive.request_payment(a, "1000").status_code == 302
    only(GrantFlow.payment_order, *FINANCE)
    drive.order(a, "1000")
    only(GrantFlow.payment_release, "felix")  # frieda ordered it
    drive.release(a)
    drive.use_report(a, net="8000", gross="9520")
    only(GrantFlow.use_report_check, "carla")
    drive.accept_use_report(a, "9520")
    only(GrantFlow.settlement, *FINANCE)
    drive.settle(a)
    assert a.stage == Stage.SETTLEMENT and a.final_grant == Decimal("4760.00")

    assert checked == STAFF_NODES


def test_applicants_get_403_on_the_staff_pages(drive, world):
    a = drive.apply()
    process = GrantProcess.for_application(a)
    assert drive.client("alice").get("/arbeit/", follow=True).status_code == 403
    for url in ("/arbeit/grant/", "/arbeit/grant/inbox/", "/arbeit/grant/queue/", "/arbeit/grant/archive/",
                f"/arbeit/grant/{process.pk}/", "/verwaltung/antraege/", f"/verwaltung/antraege/{a.pk}/",
                f"/verwaltung/fonds/{a.fund_id}/"):
        assert drive.get("alice", url).status_code == 403, url
    assert drive.get("carla", "/arbeit/grant/").status_code == 200

    # not even her own step: applicant steps are taken in the portal
    drive.do("carla", a, GrantFlow.eligibility, {
        "outcome": "missing", "reasons": "Angebote fehlen.", "missing_items": "Angebot", "deadline": "2099-01-31"})
    own = drive.task(a, GrantFlow.answer_documents)
    assert own.owner == drive.people["alice"]
    url = GrantFlow.answer_documents.reverse("execute", args=[own.process_id, own.pk])
    assert drive.get("alice", url).status_code == 403
    assert drive.post("alice", url, {"answer": "Liegt bei."}).status_code == 403
    a.refresh_from_db()
    assert a.stage == Stage.DOCUMENTS_REQUESTED


@pytest.mark.parametrize("url", ["/antraege/", "/antraege/neu/", "/arbeit/", "/arbeit/grant/inbox/",
                                 "/verwaltung/antraege/"])
def test_anonymous_visitors_are_sent_to_the_login_page(world, url):
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/anmelden/?next={url}"


def test_the_home_page_is_public(world):
    response = Client().get("/")
    assert response.status_code == 200
    assert "Altstadtfonds Dorsten" in response.content.decode()


# --- lists cost a constant number of queries ---------------------------------------------------------


def queries(drive, name, url) -> int:
    client = drive.client(name)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_the_lists_run_a_constant_number_of_queries(drive, world):
    people = drive.people
    first = drive.apply(title="Erster Antrag")  # with a receipt letter
    commitment_book(actor=people["dieter"], application=first, amount=Decimal("1000.00"))
    pages = [("alice", "/antraege/"), ("carla", "/verwaltung/antraege/"),
             ("carla", f"/verwaltung/fonds/{first.fund_id}/")]
    small = [queries(drive, name, url) for name, url in pages]

    for n, booker in enumerate(("dieter", "carla", "verwaltung", "frieda")):
        a = drive.apply(title=f"Antrag {n}")
        commitment_book(actor=people[booker], application=a, amount=Decimal("500.00"))
    for n in range(45):
        demo.draft(world, world["dia"], people["alice"], f"Entwurf {n}", [("Material", "400", "476")])
    assert Application.objects.filter(organisation=world["dia"]).count() == 50
    assert Letter.objects.filter(status=Letter.Status.ISSUED).count() == 5
    large = [queries(drive, name, url) for name, url in pages]

    assert large == small
    # session, user, permissions, notifications badge, the page's own few queries
    assert max(large) <= 18, dict(zip([url for _, url in pages], large, strict=True))


# --- uploads are judged by their content -------------------------------------------------------------


def test_an_html_file_named_like_a_pdf_is_refused_and_nothing_is_stored(drive, world):
    a = drive.create_draft("alice")  # with the quotes the draft needs
    files_before, documents_before = media_files(), a.documents.count()
    uploads_before = a.audit_events.filter(action="document.uploaded").count()

    response = upload(drive, "alice", a, "angebot.pdf", b"<!doctype html><script>alert(1)</script>",
                      kind=Document.Kind.QUOTE)
    assert response.status_code == 400  # the upload page again, with the refusal on the file field
    assert "Bitte laden Sie nur PDF-, JPEG- oder PNG-Dateien hoch." in response.content.decode()
    assert a.documents.count() == documents_before
    assert media_files() == files_before
    assert a.audit_events.filter(action="document.uploaded").count() == uploads_before
