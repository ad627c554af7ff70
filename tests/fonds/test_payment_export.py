"""Handing released payments to the Stadtkasse (SEPA pain.001.001.03 or CSV) and recording them as paid.

alice  – applicant (Dorstener Interessengemeinschaft Altstadt e. V.)
bob    – another applicant (Lions Club)
carla  – Citymanagement: sees the fund ledger, hands nothing to the cash office
frieda – finance: orders payments, exports them for the Stadtkasse
felix  – finance: the second person who releases
"""

import csv
import hashlib
import io
import time
import xml.etree.ElementTree as ET
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, User
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from sepaxml.validation import ValidationError, try_valid_xml

from fonds import roles
from fonds.errors import DomainError
from fonds.models import (
    Application,
    AuditEvent,
    Authority,
    Fund,
    Organisation,
    Payment,
    PaymentExport,
    StaffMembership,
    Stage,
)
from fonds.services import payment_export as service
from fonds.services.payment_export import cents, payment_mark_paid, payments_export
from tests.support.at_once import at_once
from tests.workflows.driver import Driver
from workflows import demo

D = Decimal
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}
CITY_IBAN = "DE89370400440532013000"  # the demo's Sparkasse IBAN has no valid check digits
DIA_IBAN = "DE02120300000000202051"
LIONS_IBAN = "DE02500105170137075030"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}


@pytest.fixture
def fund(world):
    fund = world["round"].fund
    fund.budget_account = "5.1.1.01 / 531800"
    fund.save()
    Authority.objects.filter(pk=fund.authority_id).update(iban=CITY_IBAN, bic="COBADEFFXXX")
    world["dia"].iban = DIA_IBAN
    world["dia"].save()
    return Fund.objects.get(pk=fund.pk)


_numbers = iter(range(1, 10_000))


def application(world, org, user, title="Blumenampeln"):
    a = demo.draft(world, org, user, title, [("Material", "500.00", "595.00")])
    Application.objects.filter(pk=a.pk).update(stage=Stage.IMPLEMENTATION, file_number=f"AF-T-{next(_numbers):04d}")
    a.refresh_from_db()
    return a


def released(world, a, amount, *, days_ago=0):
    u = world["users"]
    at = timezone.now() - timedelta(days=days_ago)
    return Payment.objects.create(application=a, kind=Payment.Kind.INSTALMENT, amount=D(amount),
                                  ordered_by=u["frieda"], status=Payment.Status.RELEASED, released_by=u["felix"],
                                  released_at=at, factual_by=u["frieda"], factual_at=at, arithmetic_by=u["felix"],
                                  arithmetic_at=at)


def client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def sepa_tree(export):
    with export.file.open("rb") as f:
        content = f.read()
    try_valid_xml(content, "pain.001.001.03")  # sepaxml's bundled XSD (offline); raises on any deviation
    return ET.fromstring(content), content


# --- SEPA -----------------------------------------------------------------------------------------------------


def test_the_sepa_file_holds_exactly_the_released_payments_not_yet_handed_over(world, fund):
    u = world["users"]
    a = application(world, world["dia"], u["alice"])
    lions = Organisation.objects.get(name__startswith="Lions")
    lions.iban = LIONS_IBAN
    lions.save()
    b = application(world, lions, u["bob"], "Bank am Markt")
    first, second = released(world, a, "1000.10"), released(world, b, "0.05")
    Payment.objects.create(application=a, kind=Payment.Kind.FINAL, amount=D("99.00"), ordered_by=u["frieda"])
    paid = released(world, a, "10.00", days_ago=2)
    payment_mark_paid(actor=u["frieda"], payment=paid, paid_on=timezone.localdate())

    export = payments_export(actor=u["frieda"], fund=fund, kind=PaymentExport.Kind.SEPA)

    root, content = sepa_tree(export)
    header = root.find("p:CstmrCdtTrfInitn/p:GrpHdr", NS)
    assert header.find("p:NbOfTxs", NS).text == "2" and header.find("p:CtrlSum", NS).text == "1000.15"
    debtor = root.find("p:CstmrCdtTrfInitn/p:PmtInf", NS)
    assert debtor.find("p:Dbtr/p:Nm", NS).text == "Stadt Dorsten"
    assert debtor.find("p:DbtrAcct/p:Id/p:IBAN", NS).text == CITY_IBAN
    assert debtor.find("p:DbtrAgt/p:FinInstnId/p:BIC", NS).text == "COBADEFFXXX"
    transactions = {tx.find("p:PmtId/p:EndToEndId", NS).text: tx for tx in debtor.findall("p:CdtTrfTxInf", NS)}
    assert set(transactions) == {str(first.pk), str(second.pk)}
    tx = transactions[str(first.pk)]
    assert tx.find("p:Amt/p:InstdAmt", NS).text == "1000.10"
    assert tx.find("p:Amt/p:InstdAmt", NS).get("Ccy") == "EUR"
    assert tx.find("p:CdtrAcct/p:Id/p:IBAN", NS).text == DIA_IBAN
    assert tx.find("p:Cdtr/p:Nm", NS).text == "Dorstener Interessengemeinschaft Altstadt e. V."
    assert tx.find("p:RmtInf/p:Ustrd", NS).text == f"{a.file_number} AF 5.1.1.01 / 531800"
    assert transactions[str(second.pk)].find("p:CdtrAcct/p:Id/p:IBAN", NS).text == LIONS_IBAN
    assert transactions[str(second.pk)].find("p:Amt/p:InstdAmt", NS).text == "0.05"

    with pytest.raises(ValidationError):  # the schema check is live: a broken count is caught
        try_valid_xml(content.replace(b"<NbOfTxs>2<", b"<NbOfTxs>zwei<"), "pain.001.001.03")
    assert export.sha256 == hashlib.sha256(content).hexdigest()
    assert export.file.name.startswith("kasse/AF/") and export.payment_count == 2 and export.total == D("1000.15")
    assert set(export.payments.values_list("pk", flat=True)) == {first.pk, second.pk}
    assert AuditEvent.objects.filter(action="payment.exported").count() == 2
    assert AuditEvent.objects.filter(action="payment_export.created", object_id=str(export.pk)).exists()

    # A second export finds nothing: each payment goes to the cash office once.
    with pytest.raises(DomainError, match="keine freigegebenen Auszahlungen"):
        payments_export(actor=u["frieda"], fund=fund, kind=PaymentExport.Kind.SEPA)
    later = released(world, a, "20.00")
    again = payments_export(actor=u["frieda"], fund=fund, kind=PaymentExport.Kind.SEPA)
    root, _ = sepa_tree(again)
    assert [e.text for e in root.iterfind(".//p:EndToEndId", NS)] == [str(later.pk)]


def test_amounts_become_exact_cents():
    assert cents(D("1234.56")) == 123456 and cents(D("0.01")) == 1 and cents(D("4760")) == 476000
    with pytest.raises(ValueError):
        cents(D("0.005"))


def test_an_invalid_iban_refuses_the_whole_export_and_names_the_files(world, fund):
    u = world["users"]
    a = application(world, world["dia"], u["alice"])
    lions = Organisation.objects.get(name__startswith="Lions")
    lions.iban = ""  # no IBAN at all
    lions.save()
    b = application(world, lions, u["bob"], "Bank am Markt")
    ok, missing = released(world, a, "100.00"), released(world, b, "50.00")
    world["dia"].iban = "DE02 1203 0000 0000 2020 52"  # one digit off
    world["dia"].save()

    for kind in PaymentExport.Kind.values:
        with pytest.raises(DomainError) as refusal:
            payments_export(actor=u["frieda"], fund=fund, kind=kind)
        assert a.file_number in refusal.value.message and b.file_number in refusal.value.message
        assert "nichts übergeben" in refusal.value.message

    assert not PaymentExport.objects.exists()
    for payment in (ok, missing):
        payment.refresh_from_db()
        assert payment.export_batch is None and payment.exported_at is None
    assert not AuditEvent.objects.filter(action="payment.exported").exists()


def test_an_invalid_iban_of_the_city_refuses_the_sepa_file(world, fund):
    Authority.objects.filter(pk=fund.authority_id).update(iban="DE00 4265 0150 0000 0000 00")
    payment = released(world, application(world, world["dia"], world["users"]["alice"]), "100.00")
    with pytest.raises(DomainError, match="IBAN der Bewilligungsbehörde"):
        payments_export(actor=world["users"]["frieda"], fund=Fund.objects.get(pk=fund.pk),
                        kind=PaymentExport.Kind.SEPA)
    payment.refresh_from_db()
    assert payment.export_batch is None


# --- CSV ------------------------------------------------------------------------------------------------------


def test_the_csv_has_the_cash_offices_columns_and_german_amounts(world, fund):
    u = world["users"]
    a = application(world, world["dia"], u["alice"])
    world["dia"].name = "=HYPERLINK(\"http://evil\")"  # a name that a spreadsheet would run
    world["dia"].save()
    payment = released(world, a, "1234.5")

    export = payments_export(actor=u["frieda"], fund=fund, kind=PaymentExport.Kind.CSV)

    with export.file.open("rb") as f:
        raw = f.read()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Aktenzeichen", "Empfänger", "IBAN", "BIC", "Betrag", "Verwendungszweck", "Haushaltsstelle",
                       "Freigegeben am", "Freigegeben von", "Sachlich richtig", "Rechnerisch richtig"]
    day = f"{timezone.localtime(payment.released_at):%d.%m.%Y}"
    assert rows[1] == [a.file_number, "'=HYPERLINK(\"http://evil\")", DIA_IBAN, "BYLADEM1001", "1234,50",
                       f"{a.file_number} AF 5.1.1.01 / 531800", "5.1.1.01 / 531800", day, "Felix Franke",
                       f"Frieda Finke, {day}", f"Felix Franke, {day}"]
    assert len(rows) == 2
    payment.refresh_from_db()
    assert payment.export_batch == export


# --- paid -----------------------------------------------------------------------------------------------------


def test_a_payment_is_marked_paid_only_after_its_release_and_never_in_the_future(world, fund):
    u = world["users"]
    a = application(world, world["dia"], u["alice"])
    ordered = Payment.objects.create(application=a, kind=Payment.Kind.INSTALMENT, amount=D("10.00"),
                                     ordered_by=u["frieda"])
    with pytest.raises(DomainError, match="Nur freigegebene"):
        payment_mark_paid(actor=u["frieda"], payment=ordered, paid_on=timezone.localdate())

    payment = released(world, a, "10.00", days_ago=3)
    today = timezone.localdate()
    with pytest.raises(DomainError, match="Zukunft"):
        payment_mark_paid(actor=u["frieda"], payment=payment, paid_on=today + timedelta(days=1))
    with pytest.raises(DomainError, match="vor der Freigabe"):
        payment_mark_paid(actor=u["frieda"], payment=payment, paid_on=today - timedelta(days=4))

    payment_mark_paid(actor=u["frieda"], payment=payment, paid_on=today - timedelta(days=1))
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PAID and payment.paid_on == today - timedelta(days=1)
    assert AuditEvent.objects.filter(action="payment.paid", object_id=str(payment.pk)).exists()
    with pytest.raises(DomainError, match="bereits als bezahlt"):
        payment_mark_paid(actor=u["frieda"], payment=payment, paid_on=today)


def test_the_database_refuses_a_paid_payment_without_release_or_date(world, fund):
    u = world["users"]
    a = application(world, world["dia"], u["alice"])
    ordered = Payment.objects.create(application=a, kind=Payment.Kind.INSTALMENT, amount=D("10.00"),
                                     ordered_by=u["frieda"])
    with pytest.raises(IntegrityError, match="payment_release_consistent"), transaction.atomic():
        Payment.objects.filter(pk=ordered.pk).update(status=Payment.Status.PAID, paid_on=timezone.localdate())
    payment = released(world, a, "10.00")
    with pytest.raises(IntegrityError, match="payment_paid_consistent"), transaction.atomic():
        Payment.objects.filter(pk=payment.pk).update(status=Payment.Status.PAID)
    with pytest.raises(IntegrityError, match="payment_paid_consistent"), transaction.atomic():
        Payment.objects.filter(pk=payment.pk).update(paid_on=timezone.localdate())


# --- the page -------------------------------------------------------------------------------------------------


def test_finance_exports_and_marks_paid_through_the_page_after_the_real_flow(world, fund, people,
                                                                               django_capture_on_commit_callbacks):
    drive = Driver(people, django_capture_on_commit_callbacks)
    a = drive.apply("alice")
    drive.eligible(a)
    drive.recommend(a)
    drive.decide(a, "approve")
    drive.bescheid(a)
    drive.upload(a, "receipt", "Rechnung.pdf")
    drive.pay(a, "1000")
    payment = a.payments.get()
    assert payment.status == Payment.Status.RELEASED

    frieda = client(people["frieda"])
    url = f"/verwaltung/fonds/{fund.pk}/auszahlungen/"
    page = frieda.get(url)
    assert page.status_code == 200 and a.file_number in page.content.decode()
    assert "SEPA-Datei erstellen" in page.content.decode()

    response = frieda.post(url, {"kind": "sepa"})
    assert response.status_code == 302
    export = PaymentExport.objects.get()
    payment.refresh_from_db()
    assert payment.export_batch == export

    download = frieda.get(f"/verwaltung/stadtkasse/{export.pk}/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert hashlib.sha256(b"".join(download.streaming_content)).hexdigest() == export.sha256

    nothing = frieda.post(url, {"kind": "csv"})
    assert nothing.status_code == 400 and "keine freigegebenen Auszahlungen" in nothing.content.decode()

    tomorrow = timezone.localdate() + timedelta(days=1)
    refused = frieda.post(url, {"bezahlt": payment.pk, f"p{payment.pk}-paid_on": tomorrow.isoformat()})
    assert refused.status_code == 400 and "Zukunft" in refused.content.decode()
    done = frieda.post(url, {"bezahlt": payment.pk, f"p{payment.pk}-paid_on": timezone.localdate().isoformat()})
    assert done.status_code == 302
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PAID
    # the applicant's timeline still counts it as paid out
    assert "1.000,00" in drive.get("alice", f"/antraege/{a.pk}/").content.decode()


def test_only_finance_of_the_funds_authority_reaches_the_page_and_the_files(world, fund, people):
    u = people
    released(world, application(world, world["dia"], u["alice"]), "100.00")
    export = payments_export(actor=u["frieda"], fund=fund, kind=PaymentExport.Kind.CSV)
    other_city = Authority.objects.create(name="Stadt Haltern", street="Markt 1", postcode="45721",
                                          city="Haltern am See", court_name="VG Gelsenkirchen", court_address="x")
    olga = User.objects.create_user("olga", "olga@haltern.example", "x")  # finance, but of another city
    olga.groups.add(Group.objects.get(name=roles.FINANCE))
    StaffMembership.objects.create(user=olga, authority=other_city)

    page, download = f"/verwaltung/fonds/{fund.pk}/auszahlungen/", f"/verwaltung/stadtkasse/{export.pk}/"
    expected = {"alice": 403, "bob": 403, "carla": 403, "olga": 404, "frieda": 200, "felix": 200}
    for name, status in expected.items():
        c = client(olga if name == "olga" else u[name])
        assert c.get(page).status_code == status, name
        assert c.get(download).status_code == status, name
        if status != 200:
            assert c.post(page, {"kind": "sepa"}).status_code == status, name
    assert PaymentExport.objects.count() == 1


def test_the_page_runs_a_constant_number_of_queries(world, fund, people, django_assert_num_queries):
    url = f"/verwaltung/fonds/{fund.pk}/auszahlungen/"
    a = application(world, world["dia"], people["alice"])
    released(world, a, "1.00")
    payments_export(actor=people["frieda"], fund=fund, kind=PaymentExport.Kind.CSV)
    released(world, a, "1.00")
    c = client(people["frieda"])
    c.get(url)  # warm the session and permission caches alike for both measurements

    with CaptureQueriesContext(connection) as one:
        assert c.get(url).status_code == 200
    for n in range(19):
        released(world, application(world, world["dia"], people["alice"], f"Vorhaben {n}"), "1.00")
    payments_export(actor=people["frieda"], fund=fund, kind=PaymentExport.Kind.SEPA)
    for n in range(19):
        released(world, application(world, world["dia"], people["alice"], f"Weiteres {n}"), "1.00")
    with django_assert_num_queries(len(one)):
        response = c.get(url)
    html = response.content.decode()
    assert html.count("als bezahlt markieren") == 21 and html.count("Weiteres") == 0  # titles are not shown
    assert len(response.context["waiting"]) == 19 and len(response.context["exports"]) == 2


# --- two clicks at once ---------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_exports_hand_each_payment_over_once(world, fund, monkeypatch):
    u = world["users"]
    payments = [released(world, application(world, world["dia"], u["alice"], f"Vorhaben {n}"), "10.00")
                for n in range(3)]
    build = service.csv_file

    def slow_csv(**kwargs):
        time.sleep(0.3)  # hold the transaction open while the other click arrives
        return build(**kwargs)

    monkeypatch.setattr(service, "csv_file", slow_csv)

    def click(_n):
        return payments_export(actor=u["frieda"], fund=fund, kind=PaymentExport.Kind.CSV).pk

    results = [o.message if isinstance(o, DomainError) else o for o in at_once(click, [1, 2], timeout=10)]
    exports = [r for r in results if isinstance(r, int)]
    assert len(exports) == 1, results
    assert PaymentExport.objects.get().payment_count == 3
    assert Payment.objects.filter(pk__in=[p.pk for p in payments], export_batch_id=exports[0]).count() == 3
    assert AuditEvent.objects.filter(action="payment.exported").count() == 3
