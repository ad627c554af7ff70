"""Bekanntgabe and Bestandskraft of Bescheide, the payment block until the Bewilligungsbescheid is final, and the
Feststellung der sachlichen und rechnerischen Richtigkeit by two different people.

alice  – applicant (DIA); sees the dates on her status page
carla  – Citymanagement: may not record postings
frieda – finance: records posting and waiver, orders payments (sachlich richtig)
felix  – finance: issues Bescheide, releases payments (rechnerisch richtig)
gerd   – finance of the Stadt Gladbeck: must see nothing of Dorsten's
"""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.test import Client
from django.utils import timezone

from fonds import roles
from fonds.errors import DomainError
from fonds.formatting import date_de
from fonds.models import AuditEvent, Document, LedgerEntry, Letter, Payment
from fonds.services.finality import letter_record_posting, letter_record_waiver, payment_block_reason
from fonds.services.payments import payment_order, payment_release
from tests.support.bescheide import approved, bescheid
from tests.support.people import gladbeck, staff_user
from tests.workflows.driver import Driver
from workflows import demo
from workflows.flows import GrantFlow


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}


def client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def url(letter):
    return f"/verwaltung/briefe/{letter.pk}/bekanntgabe/"


@pytest.fixture
def drive(people, django_capture_on_commit_callbacks):
    return Driver(people, django_capture_on_commit_callbacks)


@pytest.fixture
def u(world):
    return world["users"]


@pytest.fixture
def issued(world):
    """An issued Bewilligungsbescheid of the DIA, issued today."""
    return bescheid(world, approved(world))


def snapshot(letter):
    letter.refresh_from_db()
    return letter.posted_on, letter.posted_recorded_by_id, letter.waiver_received_on, letter.waiver_document_id


# --- recording posting and waiver -------------------------------------------------------------------


def test_finance_records_posting_and_waiver_and_both_dates_show_to_staff_and_applicant(world, u, issued):
    today = timezone.localdate()
    frieda = client(u["frieda"])
    page = frieda.get(url(issued))
    assert page.status_code == 200 and "Aufgabe zur Post erfassen" in page.content.decode()

    assert frieda.post(url(issued), {"action": "posting", "posted_on": today.isoformat()}).status_code == 302
    issued.refresh_from_db()
    assert issued.posted_on == today and issued.posted_recorded_by == u["frieda"]
    notice = issued.notice
    assert notice.notice_on == today + timedelta(days=3) and not notice.by_waiver
    assert AuditEvent.objects.filter(action="letter.posted", object_id=str(issued.pk), actor=u["frieda"]).exists()

    dossier = client(u["carla"]).get(f"/verwaltung/antraege/{issued.application_id}/").content.decode()
    assert f"bekannt gegeben am {date_de(notice.notice_on)}" in dossier
    assert f"bestandskräftig ab {date_de(notice.final_on)}" in dossier
    status = client(u["alice"]).get(f"/antraege/{issued.application_id}/").content.decode()
    assert f"Klagefrist bis {date_de(notice.appeal_period_ends)}" in status
    assert f"bestandskräftig ab {date_de(notice.final_on)}" in status

    signed = SimpleUploadedFile("Verzicht.pdf", demo.pdf_bytes("Rechtsbehelfsverzicht"))
    response = frieda.post(url(issued), {"action": "waiver", "waiver_received_on": today.isoformat(),
                                         "waiver_file": signed})
    assert response.status_code == 302, response.content.decode()[:2000]
    issued.refresh_from_db()
    assert issued.waiver_received_on == today and issued.notice.final_on == today and issued.notice.by_waiver
    assert issued.waiver_document.kind == Document.Kind.WAIVER
    status = client(u["alice"]).get(f"/antraege/{issued.application_id}/").content.decode()
    assert f"bestandskräftig seit {date_de(today)} (Rechtsbehelfsverzicht)" in status


def test_a_posting_in_the_future_or_before_the_issue_is_refused_and_changes_nothing(world, u, issued):
    today = timezone.localdate()
    frieda = client(u["frieda"])
    before = snapshot(issued)
    for day, message in ((today + timedelta(days=1), "nicht in der Zukunft"),
                         (today - timedelta(days=1), "nicht vor seinem Erlass")):
        response = frieda.post(url(issued), {"action": "posting", "posted_on": day.isoformat()})
        assert response.status_code == 400 and message in response.content.decode()
        assert snapshot(issued) == before
    response = frieda.post(url(issued), {"action": "posting", "posted_on": "31.02.2026"})
    assert response.status_code == 400 and snapshot(issued) == before
    assert not AuditEvent.objects.filter(action="letter.posted").exists()


def test_posting_and_waiver_are_recorded_once_and_the_waiver_only_after_posting(world, u, issued):
    today = timezone.localdate()
    with pytest.raises(DomainError, match="zuerst"):
        letter_record_waiver(actor=u["frieda"], letter=issued, received_on=today)
    assert snapshot(issued) == (None, None, None, None)

    letter_record_posting(actor=u["frieda"], letter=issued, posted_on=today)
    with pytest.raises(DomainError, match="bereits erfasst"):
        letter_record_posting(actor=u["felix"], letter=issued, posted_on=today)
    with pytest.raises(DomainError, match="Zukunft"):
        letter_record_waiver(actor=u["frieda"], letter=issued, received_on=today + timedelta(days=1))
    assert snapshot(issued) == (today, u["frieda"].pk, None, None)

    letter_record_waiver(actor=u["frieda"], letter=issued, received_on=today)
    with pytest.raises(DomainError, match="bereits erfasst"):
        letter_record_waiver(actor=u["frieda"], letter=issued, received_on=today)


def test_a_waiver_before_the_posting_is_refused(world, u):
    letter = bescheid(world, approved(world))
    Letter.objects.filter(pk=letter.pk).update(issued_at=timezone.now() - timedelta(days=10))
    letter_record_posting(actor=u["frieda"], letter=letter, posted_on=timezone.localdate() - timedelta(days=5))
    with pytest.raises(DomainError, match="vor der Aufgabe zur Post"):
        letter_record_waiver(actor=u["frieda"], letter=letter, received_on=timezone.localdate() - timedelta(days=6))
    letter.refresh_from_db()
    assert letter.waiver_received_on is None


def test_the_database_keeps_posting_after_issue_and_waiver_after_posting(world, u, issued):
    draft = bescheid(world, approved(world, title="Zweites Vorhaben"), issued=False)
    with pytest.raises(IntegrityError, match="letter_posted_after_issue"), transaction.atomic():
        Letter.objects.filter(pk=draft.pk).update(posted_on=timezone.localdate(), posted_recorded_by=u["frieda"])
    with pytest.raises(IntegrityError, match="letter_posted_after_issue"), transaction.atomic():
        Letter.objects.filter(pk=issued.pk).update(posted_on=timezone.localdate() - timedelta(days=3),
                                                   posted_recorded_by=u["frieda"])
    letter_record_posting(actor=u["frieda"], letter=issued, posted_on=timezone.localdate())
    with pytest.raises(IntegrityError, match="letter_waiver_after_posting"), transaction.atomic():
        Letter.objects.filter(pk=issued.pk).update(waiver_received_on=F("posted_on") - timedelta(days=1),
                                                   waiver_recorded_by=u["frieda"])


def test_only_finance_of_the_authority_reaches_the_page(world, u, issued):
    assert client(u["carla"]).get(url(issued)).status_code == 403  # Citymanagement
    assert client(u["alice"]).get(url(issued)).status_code == 403  # the applicant herself
    assert client(u["alice"]).post(url(issued), {"action": "posting",
                                                 "posted_on": timezone.localdate().isoformat()}).status_code == 403
    gerd = staff_user("gerd", roles.FINANCE, gladbeck())
    assert client(gerd).get(url(issued)).status_code == 404
    assert client(gerd).post(url(issued), {"action": "posting",
                                           "posted_on": timezone.localdate().isoformat()}).status_code == 404
    draft = bescheid(world, approved(world, title="Entwurf"), issued=False)
    assert client(u["frieda"]).get(url(draft)).status_code == 404  # a draft is not posted
    assert snapshot(issued) == (None, None, None, None)


# --- payments wait for the Bestandskraft -------------------------------------------------------------


def test_no_payment_is_ordered_before_the_bescheid_is_final_unless_the_fund_allows_it(world, u, issued):
    a = issued.application
    today = timezone.localdate()
    with pytest.raises(DomainError, match="zur Post gegeben"):
        payment_order(actor=u["frieda"], application=a, amount=D("100"), kind=Payment.Kind.INSTALMENT,
                      factually_correct=True)
    final_on = letter_record_posting(actor=u["frieda"], letter=issued, posted_on=today).notice.final_on
    with pytest.raises(DomainError) as refusal:
        payment_order(actor=u["frieda"], application=a, amount=D("100"), kind=Payment.Kind.INSTALMENT,
                      factually_correct=True)
    assert f"bestandskräftig ist: am {date_de(final_on)}" in refusal.value.message
    assert "Rechtsbehelfsverzicht" in refusal.value.message
    assert not a.payments.exists()
    # On the day it becomes final the block lifts by itself.
    assert payment_block_reason(a, today=final_on - timedelta(days=1)) is not None
    assert payment_block_reason(a, today=final_on) is None

    fund = a.fund
    fund.payment_before_final = True
    fund.save()
    a.refresh_from_db()
    assert payment_order(actor=u["frieda"], application=a, amount=D("100"), kind=Payment.Kind.INSTALMENT,
                         factually_correct=True).status == Payment.Status.ORDERED


def test_a_waiver_lifts_the_block_at_once(world, u, issued):
    a = issued.application
    letter_record_posting(actor=u["frieda"], letter=issued, posted_on=timezone.localdate())
    letter_record_waiver(actor=u["frieda"], letter=issued, received_on=timezone.localdate())
    payment = payment_order(actor=u["frieda"], application=a, amount=D("100"), kind=Payment.Kind.INSTALMENT,
                            factually_correct=True)
    payment = payment_release(actor=u["felix"], payment=payment, arithmetically_correct=True)
    assert payment.status == Payment.Status.RELEASED


def test_the_release_is_refused_too_while_the_bescheid_is_not_final(world, u, issued):
    a = issued.application
    fund = a.fund
    fund.payment_before_final = True  # ordered while the fund allowed it; then the fund changed its rule
    fund.save()
    payment = payment_order(actor=u["frieda"], application=a, amount=D("100"), kind=Payment.Kind.INSTALMENT,
                            factually_correct=True)
    fund.payment_before_final = False
    fund.save()
    with pytest.raises(DomainError, match="bestandskräftig"):
        payment_release(actor=u["felix"], payment=Payment.objects.get(pk=payment.pk), arithmetically_correct=True)
    payment.refresh_from_db()
    assert payment.status == Payment.Status.ORDERED and payment.released_by is None and payment.arithmetic_by is None
    assert not LedgerEntry.objects.filter(application=a, kind=LedgerEntry.Kind.PAYMENT).exists()


# --- sachliche und rechnerische Richtigkeit -------------------------------------------------------------


@pytest.fixture
def final(world, u, issued):
    letter_record_posting(actor=u["frieda"], letter=issued, posted_on=timezone.localdate())
    letter_record_waiver(actor=u["frieda"], letter=issued, received_on=timezone.localdate())
    return issued.application


def test_an_order_without_the_factual_attestation_is_refused_and_creates_nothing(world, u, final):
    with pytest.raises(DomainError, match="sachliche Richtigkeit") as refusal:
        payment_order(actor=u["frieda"], application=final, amount=D("100"), kind=Payment.Kind.INSTALMENT)
    assert refusal.value.field == "factually_correct"
    assert not final.payments.exists()
    assert not AuditEvent.objects.filter(action="payment.ordered").exists()


def test_the_two_attestations_are_made_by_two_people_with_their_times(world, u, final):
    payment = payment_order(actor=u["frieda"], application=final, amount=D("100"), kind=Payment.Kind.INSTALMENT,
                            factually_correct=True)
    assert payment.factual_by == u["frieda"] and payment.factual_at is not None and payment.arithmetic_by is None

    # without the box: nothing changes
    with pytest.raises(DomainError, match="rechnerische Richtigkeit"):
        payment_release(actor=u["felix"], payment=payment)
    payment.refresh_from_db()
    assert payment.status == Payment.Status.ORDERED and payment.arithmetic_by is None
    # the orderer, who attested the factual side, may not attest the arithmetic one
    with pytest.raises(DomainError, match="Vier-Augen-Prinzip"):
        payment_release(actor=u["frieda"], payment=payment, arithmetically_correct=True)

    payment = payment_release(actor=u["felix"], payment=payment, arithmetically_correct=True)
    assert (payment.factual_by, payment.arithmetic_by) == (u["frieda"], u["felix"])
    assert payment.arithmetic_at == payment.released_at
    dossier = client(u["frieda"]).get(f"/verwaltung/antraege/{final.pk}/").content.decode()
    assert "Sachlich richtig" in dossier and "Rechnerisch richtig" in dossier
    assert f"Felix Franke, {date_de(timezone.localdate())}" in dossier


def test_whoever_attested_the_factual_side_never_attests_the_arithmetic_one(world, u, final):
    payment = payment_order(actor=u["frieda"], application=final, amount=D("100"), kind=Payment.Kind.INSTALMENT,
                            factually_correct=True)
    # An order recorded by one person for another's factual attestation: felix attested, so felix may not release.
    Payment.objects.filter(pk=payment.pk).update(factual_by=u["felix"])
    with pytest.raises(DomainError, match="zwei verschiedene Personen"):
        payment_release(actor=u["felix"], payment=Payment.objects.get(pk=payment.pk), arithmetically_correct=True)
    with pytest.raises(IntegrityError, match="payment_attesters_differ"), transaction.atomic():
        Payment.objects.filter(pk=payment.pk).update(arithmetic_by=F("factual_by"), arithmetic_at=timezone.now())
    with pytest.raises(IntegrityError, match="payment_factual_complete"), transaction.atomic():
        Payment.objects.filter(pk=payment.pk).update(factual_at=None)
    payment.refresh_from_db()
    assert payment.status == Payment.Status.ORDERED and payment.arithmetic_by is None


def test_through_the_task_pages_the_block_and_both_boxes_hold(drive, world):
    """The whole way: Bescheid issued and not yet final, the order page refuses and says until when; after the
    waiver the order needs the factual box, the release the arithmetic one."""
    a = drive.apply(net="800", gross="952")
    drive.eligible(a)
    drive.recommend(a)
    drive.decide(a, "approve")
    drive.bescheid(a, final=False)
    assert drive.request_payment(a, "200").status_code == 302

    response = drive.order(a, "200", expect=200)
    assert "bitte erfassen Sie zuerst, wann er zur Post gegeben wurde" in response.content.decode()
    assert not a.payments.exists()

    letter = drive.waive(a)
    response = drive.do("frieda", a, GrantFlow.payment_order, {"decision": "order", "amount": "200"}, expect=200)
    assert "Bitte stellen Sie die sachliche Richtigkeit fest" in response.content.decode()
    assert not a.payments.exists()
    drive.order(a, "200")

    response = drive.do("felix", a, GrantFlow.payment_release, {}, expect=200)
    node, page = drive.pages[-1]
    assert node == "payment_release" and "Rechnerisch richtig: Ich stelle fest" in page
    assert "Sachlich richtig festgestellt von Frieda Finke" in page
    assert "Bitte stellen Sie die rechnerische Richtigkeit fest" in response.content.decode()
    assert a.payments.get().status == Payment.Status.ORDERED
    drive.release(a)
    payment = a.payments.get()
    assert payment.status == Payment.Status.RELEASED
    assert (payment.factual_by, payment.arithmetic_by) == (drive.people["frieda"], drive.people["felix"])
    letter.refresh_from_db()
    assert letter.notice.by_waiver
