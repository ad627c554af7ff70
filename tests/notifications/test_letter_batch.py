"""All Bescheide of a signed Beirat meeting as one ZIP, rendered by a Celery task (eager in tests) that reports
its progress; a page with a progress bar polls a JSON endpoint.

frieda – finance: starts the batch and downloads the ZIP
felix  – finance: issued the Bescheide
carla  – Citymanagement: no access
alice  – applicant: no access
gerd   – finance of the Stadt Gladbeck: must see nothing of Dorsten's
"""

import hashlib
import io
import zipfile

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from fonds import roles
from fonds.errors import DomainError
from fonds.models import AuditEvent, Letter, LetterBatch, Meeting
from fonds.services.letter_batches import letter_batch_start
from notifications import letter_batch as builder
from notifications.tasks import render_letter_batch
from tests.support.bescheide import approved, bescheid, signed_meeting
from tests.support.people import gladbeck, staff_user


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}


@pytest.fixture
def u(world):
    return world["users"]


def client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def fund_url(world):
    return f"/verwaltung/fonds/{world['round'].fund.pk}/bescheide/"


def pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_a_batch_of_50_bescheide_reports_progress_and_zips_50_distinct_pdfs(
        world, u, monkeypatch, django_capture_on_commit_callbacks):
    # 50 decided applications: 42 Bewilligungsbescheide and 4 Ablehnungsbescheide issued and waiting for their
    # PDF, 4 Bewilligungsbescheide still in draft. The batch renders every one of them through WeasyPrint: the
    # issued ones through the letters pipeline (render, store, hash), the drafts with the draft mark.
    applications = [approved(world, title=f"Vorhaben {n}") for n in range(50)]
    rejected = applications[42:46]
    meeting = signed_meeting(world, applications, rejected=rejected)
    letters = [bescheid(world, a, kind=Letter.Kind.REJECTION if a in rejected else Letter.Kind.BESCHEID,
                        issued=n < 46, stored=False) for n, a in enumerate(applications)]
    assert sum(letter.status == Letter.Status.QUEUED for letter in letters) == 46

    seen = []  # the progress as the page would read it after each step

    def watch(batch, done):
        real(batch, done)
        seen.append(LetterBatch.objects.values_list("done", "total", "status").get(pk=batch.pk))

    real = builder.letter_batch_progress
    monkeypatch.setattr(builder, "letter_batch_progress", watch)

    frieda = client(u["frieda"])
    page = frieda.get(fund_url(world))
    assert page.status_code == 200 and "Alle Bescheide erzeugen" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = frieda.post(fund_url(world), {"meeting": meeting.pk})
    batch = LetterBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/verwaltung/bescheide/stapel/{batch.pk}/"

    assert [done for done, _, _ in seen] == list(range(1, 51))
    assert all(total == 50 and status == "running" for _, total, status in seen)
    assert batch.status == LetterBatch.Status.DONE and (batch.done, batch.total) == (50, 50)

    progress = frieda.get(f"/verwaltung/bescheide/stapel/{batch.pk}/stand.json").json()
    assert progress["text"] == "50 von 50" and progress["status"] == "done"
    assert progress["download"] == f"/verwaltung/bescheide/stapel/{batch.pk}/zip/"
    page = frieda.get(f"/verwaltung/bescheide/stapel/{batch.pk}/").content.decode()
    assert '<progress id="letter-batch-bar" max="50" value="50">' in page and 'aria-live="polite"' in page

    response = frieda.get(progress["download"])
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    data = b"".join(response.streaming_content)
    assert hashlib.sha256(data).hexdigest() == batch.sha256
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = {info.filename: archive.read(info) for info in archive.infolist()}
    assert len(entries) == 50
    assert len({hashlib.sha256(pdf).hexdigest() for pdf in entries.values()}) == 50
    for letter in letters:
        letter.refresh_from_db()
        file_number = letter.application.file_number
        draft = letter.status == Letter.Status.DRAFT
        name = f"{letter.number.replace('/', '-')}{'-Entwurf' if draft else ''}.pdf"
        assert name.startswith(file_number)
        pdf = entries[name]
        assert file_number in pdf_text(pdf)
        if draft:
            assert "ENTWURF" in pdf_text(pdf)
        else:  # issued letters were stored by the pipeline and go into the ZIP exactly as stored
            assert letter.status == Letter.Status.ISSUED and "ENTWURF" not in pdf_text(pdf)
            assert hashlib.sha256(pdf).hexdigest() == letter.sha256
            with letter.pdf.open("rb") as handle:
                assert handle.read() == pdf
    assert AuditEvent.objects.filter(action="letter_batch.done", object_id=str(batch.pk)).exists()


def test_a_redelivered_task_leaves_a_finished_zip_alone_and_rebuilds_an_interrupted_one_identically(world, u):
    first, second = approved(world, title="Bank"), approved(world, title="Ampel")
    meeting = signed_meeting(world, [first, second])
    bescheid(world, first)
    bescheid(world, second, issued=False)
    batch = letter_batch_start(actor=u["frieda"], meeting=meeting)
    sha = render_letter_batch(batch.pk)
    batch.refresh_from_db()
    name = batch.zip_file.name
    assert batch.status == LetterBatch.Status.DONE and batch.sha256 == sha

    assert render_letter_batch(batch.pk) == sha  # the message came again after the batch was done
    batch.refresh_from_db()
    assert batch.zip_file.name == name and batch.sha256 == sha

    # A worker died after the ZIP was written but before the batch was marked done: built again, same bytes.
    LetterBatch.objects.filter(pk=batch.pk).update(status=LetterBatch.Status.RUNNING, done=1)
    assert render_letter_batch(batch.pk) == sha
    batch.refresh_from_db()
    assert (batch.status, batch.done, batch.zip_file.name) == (LetterBatch.Status.DONE, 2, name)


def test_a_batch_is_refused_before_the_minutes_are_signed_or_without_bescheide(world, u):
    a = approved(world)
    held = signed_meeting(world, [a], status=Meeting.Status.HELD)
    bescheid(world, a)
    with pytest.raises(DomainError, match="unterzeichnet"):
        letter_batch_start(actor=u["frieda"], meeting=held)
    empty = signed_meeting(world, [approved(world, title="Ohne Bescheid")])
    response = client(u["frieda"]).post(fund_url(world), {"meeting": empty.pk})
    assert response.status_code == 400 and "noch keine Bescheide" in response.content.decode()
    assert not LetterBatch.objects.exists()


def test_a_second_start_while_one_is_under_way_shows_the_same_batch(world, u):
    a = approved(world)
    meeting = signed_meeting(world, [a])
    bescheid(world, a)
    batch = letter_batch_start(actor=u["frieda"], meeting=meeting)
    assert letter_batch_start(actor=u["felix"], meeting=meeting) == batch
    assert LetterBatch.objects.count() == 1
    progress = client(u["frieda"]).get(f"/verwaltung/bescheide/stapel/{batch.pk}/stand.json").json()
    assert progress == {"status": "queued", "status_label": "wartet", "done": 0, "total": 1, "text": "0 von 1",
                        "error": "", "download": None}
    page = client(u["frieda"]).get(f"/verwaltung/bescheide/stapel/{batch.pk}/").content.decode()
    assert '<meta http-equiv="refresh" content="5">' in page  # without JavaScript the page reloads
    assert client(u["frieda"]).get(f"/verwaltung/bescheide/stapel/{batch.pk}/zip/").status_code == 404


def test_only_finance_of_the_authority_reaches_the_batches(world, u):
    a = approved(world)
    meeting = signed_meeting(world, [a])
    bescheid(world, a)
    batch = letter_batch_start(actor=u["frieda"], meeting=meeting)
    render_letter_batch(batch.pk)
    urls = [fund_url(world), f"/verwaltung/bescheide/stapel/{batch.pk}/",
            f"/verwaltung/bescheide/stapel/{batch.pk}/stand.json", f"/verwaltung/bescheide/stapel/{batch.pk}/zip/"]
    for name in ("carla", "alice", "dieter"):
        for url in urls:
            assert client(u[name]).get(url).status_code == 403, (name, url)
        assert client(u[name]).post(fund_url(world), {"meeting": meeting.pk}).status_code == 403
    gerd = staff_user("gerd", roles.FINANCE, gladbeck())
    for url in urls:
        assert client(gerd).get(url).status_code == 404, url
    assert client(gerd).post(fund_url(world), {"meeting": meeting.pk}).status_code == 404
    assert LetterBatch.objects.count() == 1


def test_the_meetings_page_runs_a_constant_number_of_queries(world, u):
    def count():
        frieda = client(u["frieda"])
        frieda.get(fund_url(world))  # session and permissions warmed up
        with CaptureQueriesContext(connection) as queries:
            assert frieda.get(fund_url(world)).status_code == 200
        return len(queries)

    a = approved(world)
    meeting = signed_meeting(world, [a])
    bescheid(world, a)
    letter_batch_start(actor=u["frieda"], meeting=meeting)
    one = count()
    for n in range(3):
        others = [approved(world, title=f"Weitere {n}-{m}") for m in range(2)]
        signed_meeting(world, others)
        for other in others:
            bescheid(world, other, issued=False)
    assert count() == one
