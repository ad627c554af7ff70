"""The letters beside the flow's main line, each driven through the pages as the roles would:
Nachforderung (issued when documents are requested), Anhörung (§ 28 VwVfG NRW, at least two weeks),
Änderungsbescheid (four-eyes, ledger follows, bounded by the Beirat's amount and by what was paid) and
Auszahlungsmitteilung (issued when a payment is released).

alice – applicant; bob – another applicant; carla – Citymanagement; frieda – finance (drafts); felix –
finance (second person); gerda – Citymanagerin of Gladbeck, who must see nothing of Dorsten's."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fonds import roles
from fonds.formatting import date_de
from fonds.models import AuditEvent, BudgetLine, LedgerEntry, Letter, Stage
from fonds.services.ledger import application_committed, fund_available
from tests.notifications.test_letters import text_of
from tests.support.people import gladbeck, staff_user
from workflows.flows import GrantFlow

D = Decimal
AMENDMENTS = "/verwaltung/aenderungsbescheide/"


def pdf(letter) -> str:
    letter.refresh_from_db()
    assert letter.status == Letter.Status.ISSUED, letter.status
    with letter.pdf.open("rb") as handle:
        return text_of(handle.read())


def page_text(response) -> str:
    return response.content.decode().replace("\u00a0", " ")


def issued(application, kind):
    return list(application.letters.filter(kind=kind, status=Letter.Status.ISSUED))


@pytest.fixture
def approved(drive, world):
    """alice's application (9.520,00 € gross, 4.760,00 € approved by the Beirat) with its Bescheid issued."""
    a = drive.apply(net="8000", gross="9520")
    drive.eligible(a)
    drive.recommend(a)
    drive.decide(a, "approve")
    drive.bescheid(a)
    assert a.stage == Stage.IMPLEMENTATION and a.approved_grant == D("4760.00")
    return a


# --- Nachforderung ---------------------------------------------------------------------------------------


def test_requesting_documents_issues_a_nachforderung_listing_them_with_the_deadline(drive, world):
    a = drive.apply()
    deadline = timezone.localdate() + timedelta(days=21)
    drive.do("carla", a, GrantFlow.eligibility, {
        "outcome": "missing", "reasons": "Angebote fehlen.",
        "missing_items": "Zweites Vergleichsangebot\nEinverständnis der Eigentümerin",
        "deadline": deadline.isoformat()})
    [letter] = issued(a, Letter.Kind.DOCUMENTS_REQUEST)
    assert letter.number == f"{a.file_number}/N1" and letter.drafted_by is None
    text = pdf(letter)
    assert "Nachforderung von Unterlagen" in text and a.file_number in text
    assert "Zweites Vergleichsangebot" in text and "Einverständnis der Eigentümerin" in text
    assert f"Frist: {date_de(deadline)}" in text
    assert "Carla Citymanagerin" in text  # signed in the name of the advisor who asked
    page = drive.get("alice", f"/antraege/{a.pk}/").content.decode()
    assert letter.number in page and f"Ihre Frist: {date_de(deadline)}" in page


# --- Anhörung --------------------------------------------------------------------------------------------


def hearing_url(application):
    return f"/verwaltung/antraege/{application.pk}/anhoerung/"


def test_a_hearing_before_a_rejection_names_section_28_and_the_deadline_on_the_status_page(drive, world):
    a = drive.apply()
    deadline = timezone.localdate() + timedelta(days=14)
    assert drive.get("carla", hearing_url(a)).status_code == 200
    response = drive.post("carla", hearing_url(a), {
        "measure": "rejection", "facts": "Das Vorhaben liegt außerhalb des Fördergebiets.",
        "deadline": deadline.isoformat()})
    assert response.status_code == 302
    [letter] = issued(a, Letter.Kind.HEARING)
    text = pdf(letter)
    assert "Anhörung nach § 28 VwVfG NRW" in text and "§ 28 Abs. 1 VwVfG NRW" in text
    assert a.file_number in text and "außerhalb des Fördergebiets" in text
    assert f"Frist für Ihre Stellungnahme: {date_de(deadline)}" in text
    assert "abzulehnen" in text and "Carla Citymanagerin" in text
    page = drive.get("alice", f"/antraege/{a.pk}/").content.decode()
    assert "Anhörung" in page and f"Ihre Frist: {date_de(deadline)}" in page
    assert drive.get("bob", f"/antraege/{a.pk}/").status_code == 404
    # The applicant is told by e-mail too (a legal notice: whatever her preferences), with the deadline.
    [message] = hearing_mails()
    assert drive.people["alice"].email in message.to
    assert "beabsichtigen wir eine Ablehnung Ihres Antrags" in message.body
    assert f"bis zum {date_de(deadline)} Stellung" in message.body
    assert reverse("portal:letter", args=[letter.pk]) in message.body and "§ 28 VwVfG NRW" in message.body


def hearing_mails():
    return [m for m in mail.outbox if m.subject.startswith(("Anhörung zu Ihrem Antrag", "Hearing on your"))]


def test_a_hearing_with_less_than_two_weeks_is_refused_and_nothing_is_sent(drive, world):
    a = drive.apply()
    too_short = timezone.localdate() + timedelta(days=13)
    response = drive.post("carla", hearing_url(a), {"measure": "rejection", "facts": "Gründe.",
                                                    "deadline": too_short.isoformat()})
    assert response.status_code == 400
    assert "mindestens zwei Wochen" in response.content.decode()
    assert not a.letters.filter(kind=Letter.Kind.HEARING).exists()
    # No facts, no hearing either; a recovery hearing needs an issued Bescheid.
    later = (timezone.localdate() + timedelta(days=20)).isoformat()
    assert drive.post("carla", hearing_url(a), {"measure": "rejection", "facts": "",
                                                "deadline": later}).status_code == 400
    assert drive.post("carla", hearing_url(a), {"measure": "recovery", "facts": "Gründe.",
                                                "deadline": later}).status_code == 400
    assert not a.letters.filter(kind=Letter.Kind.HEARING).exists()
    assert hearing_mails() == []


def test_only_staff_of_the_authority_may_send_a_hearing(drive, world):
    a = drive.apply()
    later = (timezone.localdate() + timedelta(days=20)).isoformat()
    data = {"measure": "rejection", "facts": "Gründe.", "deadline": later}
    gerda = Client()
    gerda.force_login(staff_user("gerda", roles.CITYMANAGEMENT, gladbeck()))
    assert gerda.get(hearing_url(a)).status_code == 404
    assert gerda.post(hearing_url(a), data).status_code == 404
    for name in ("alice", "bob", "dieter", "verwaltung"):
        assert drive.post(name, hearing_url(a), data).status_code == 403, name
    assert not a.letters.filter(kind=Letter.Kind.HEARING).exists()


def test_a_hearing_before_a_recovery_is_possible_after_the_bescheid(drive, approved):
    later = timezone.localdate() + timedelta(days=28)
    response = drive.post("frieda", hearing_url(approved), {
        "measure": "recovery", "facts": "Der Förderhinweis wurde nicht angebracht.", "deadline": later.isoformat()})
    assert response.status_code == 302
    [letter] = issued(approved, Letter.Kind.HEARING)
    text = pdf(letter)
    assert "zurückzufordern" in text and "§ 28 Abs. 1 VwVfG NRW" in text and date_de(later) in text
    [message] = hearing_mails()
    assert "beabsichtigen wir eine Rückforderung des Zuschusses" in message.body and date_de(later) in message.body


# --- Änderungsbescheid -----------------------------------------------------------------------------------


def amendment_url(application):
    return f"/verwaltung/antraege/{application.pk}/aenderungsbescheid/"


def draft_amendment(drive, application, amount, name="frieda", reasons="Ein Teil der Ampeln entfällt.",
                    expect=302, **extra):
    data = {"new_amount": str(amount), "new_period_end": application.approval_period_end.isoformat(),
            "conditions": "", "reasons": reasons, **extra}
    response = drive.post(name, amendment_url(application), data)
    assert response.status_code == expect, response.content.decode()[:3000]
    return response


def test_a_reduction_is_drafted_by_one_issued_by_another_and_releases_the_ledger(drive, approved):
    a = approved
    drive.pay(a, "1000")
    [notice] = issued(a, Letter.Kind.PAYMENT_NOTICE)  # the Auszahlungsmitteilung of that payment
    available = fund_available(fund=a.fund, year=a.round.year)
    draft_amendment(drive, a, "3000")
    letter = a.letters.get(kind=Letter.Kind.AMENDMENT)
    assert letter.status == Letter.Status.DRAFT and letter.drafted_by == drive.people["frieda"]
    a.refresh_from_db()
    assert a.approved_grant == D("4760.00")  # nothing changes before the second person issues

    # frieda may not issue her own draft.
    assert "Ihr Entwurf" in drive.get("frieda", AMENDMENTS).content.decode()
    response = drive.post("frieda", f"{AMENDMENTS}{letter.pk}/", {"decision": "issue"})
    assert response.status_code == 400 and "Vier-Augen-Prinzip" in response.content.decode()
    letter.refresh_from_db()
    assert letter.status == Letter.Status.DRAFT and letter.issued_by is None
    assert not a.ledger_entries.filter(kind=LedgerEntry.Kind.RELEASE).exists()

    page = drive.get("felix", f"{AMENDMENTS}{letter.pk}/").content.decode()
    assert 'sandbox srcdoc="&lt;!DOCTYPE html&gt;' in page and "3.000,00" in page
    assert drive.post("felix", f"{AMENDMENTS}{letter.pk}/", {"decision": "issue"}).status_code == 302
    a.refresh_from_db()
    assert a.approved_grant == D("3000.00")
    release = a.ledger_entries.get(kind=LedgerEntry.Kind.RELEASE)
    assert release.amount == D("1760.00") and letter.number in release.note
    assert application_committed(a) == D("3000.00")
    assert fund_available(fund=a.fund, year=a.round.year) == available + D("1760.00")
    text = pdf(letter)
    assert "Änderungsbescheid" in text and a.file_number in text
    assert "4.760,00 €" in text and "3.000,00 €" in text and "1.000,00 €" in text and "2.000,00 €" in text
    assert "Rechtsbehelfsbelehrung" in text and "Verwaltungsgericht Gelsenkirchen" in text
    assert "§ 49 Abs. 2 Satz 1 Nr. 1 VwVfG NRW" in text and "Felix Franke" in text
    assert AuditEvent.objects.filter(action="letter.amendment.issued", object_id=str(letter.pk)).exists()
    assert letter.number in drive.get("alice", f"/antraege/{a.pk}/").content.decode()
    assert notice.number != letter.number


def test_a_reduction_below_what_was_paid_is_refused(drive, approved):
    drive.pay(approved, "2000")
    response = draft_amendment(drive, approved, "1999.99", expect=400)
    assert "bereits ausgezahlt oder angeordnet ist (2.000,00 €)" in page_text(response)
    assert not approved.letters.filter(kind=Letter.Kind.AMENDMENT).exists()


def test_an_increase_beyond_the_beirats_amount_is_refused_with_the_figures(drive, approved):
    response = draft_amendment(drive, approved, "4760.01", expect=400)
    page = page_text(response)
    assert "4.760,01" in page and "vom Beirat bewilligten Betrag von 4.760,00" in page
    assert not approved.letters.filter(kind=Letter.Kind.AMENDMENT).exists()


def test_an_increase_up_to_the_beirats_amount_books_a_commitment_unless_the_budget_is_short(drive, approved):
    a = approved
    draft_amendment(drive, a, "4000")
    first = a.letters.get(kind=Letter.Kind.AMENDMENT)
    assert drive.post("felix", f"{AMENDMENTS}{first.pk}/", {"decision": "issue"}).status_code == 302
    # Back up to the Beirat's amount, but the fund has nothing left this year.
    draft_amendment(drive, a, "4760", reasons="Die Ampeln werden doch alle angeschafft.")
    second = a.letters.get(kind=Letter.Kind.AMENDMENT, status=Letter.Status.DRAFT)
    BudgetLine.objects.filter(fund=a.fund, year=a.round.year).update(amount=D("0"))
    BudgetLine.objects.filter(fund=a.fund, year=a.round.year, source=BudgetLine.Source.BUND).update(
        amount=application_committed(a))
    response = drive.post("felix", f"{AMENDMENTS}{second.pk}/", {"decision": "issue"})
    assert response.status_code == 400
    assert "Der Betrag von 760,00 € übersteigt" in page_text(response) and "(0,00 €)" in page_text(response)
    second.refresh_from_db()
    a.refresh_from_db()
    assert second.status == Letter.Status.DRAFT and a.approved_grant == D("4000.00")
    BudgetLine.objects.filter(fund=a.fund, year=a.round.year, source=BudgetLine.Source.BUND).update(
        amount=D("10000"))
    assert drive.post("felix", f"{AMENDMENTS}{second.pk}/", {"decision": "issue"}).status_code == 302
    a.refresh_from_db()
    assert a.approved_grant == D("4760.00") and application_committed(a) == D("4760.00")
    assert "erhöht" in pdf(second)


def test_the_second_person_can_send_a_draft_back_and_only_finance_may_draft(drive, approved):
    a = approved
    for name in ("carla", "alice", "verwaltung"):
        assert drive.post(name, amendment_url(a), {"new_amount": "3000"}).status_code == 403, name
    draft_amendment(drive, a, "3000")
    letter = a.letters.get(kind=Letter.Kind.AMENDMENT)
    # gustav – finance of Gladbeck: Dorsten's drafts do not exist for him; applicants and advisors get 403.
    gustav = Client()
    gustav.force_login(staff_user("gustav", roles.FINANCE, gladbeck()))
    assert letter.number not in gustav.get(AMENDMENTS).content.decode()
    assert gustav.post(f"{AMENDMENTS}{letter.pk}/", {"decision": "issue"}).status_code == 404
    assert gustav.post(amendment_url(a), {"new_amount": "3000"}).status_code == 404
    for name in ("alice", "carla"):
        assert drive.get(name, AMENDMENTS).status_code == 403, name
        assert drive.post(name, f"{AMENDMENTS}{letter.pk}/", {"decision": "issue"}).status_code == 403, name
    letter.refresh_from_db()
    assert letter.status == Letter.Status.DRAFT
    assert drive.post("felix", f"{AMENDMENTS}{letter.pk}/", {"decision": "return"}).status_code == 400
    assert drive.post("felix", f"{AMENDMENTS}{letter.pk}/", {"decision": "return",
                                                             "note": "Begründung ergänzen."}).status_code == 302
    assert not a.letters.filter(kind=Letter.Kind.AMENDMENT).exists()
    assert AuditEvent.objects.filter(action="letter.amendment.returned").exists()
    a.refresh_from_db()
    assert a.approved_grant == D("4760.00")


# --- Auszahlungsmitteilung -------------------------------------------------------------------------------


def test_a_released_payment_sends_an_auszahlungsmitteilung_with_masked_iban_and_the_rest(drive, approved):
    drive.pay(approved, "1500")
    [letter] = issued(approved, Letter.Kind.PAYMENT_NOTICE)
    text = pdf(letter)
    assert "Auszahlungsmitteilung" in text and approved.file_number in text
    assert "1.500,00 €" in text and "Teilzahlung" in text
    assert "4.760,00 €" in text and "3.260,00 €" in text  # approved and what remains
    assert "20 51" in text and "DE02" not in text and "1203" not in text  # IBAN: only the last four digits
    assert "Felix Franke" in text


def test_the_list_of_amendments_awaiting_issue_runs_a_constant_number_of_queries(drive, approved):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from fonds.services.letters import letter_draft

    draft_amendment(drive, approved, "3000")
    felix = drive.client("felix")
    felix.get(AMENDMENTS)
    with CaptureQueriesContext(connection) as one:
        assert felix.get(AMENDMENTS).status_code == 200
    for title in ("Zweiter Antrag", "Dritter Antrag"):
        other = drive.apply(title=title)
        letter_draft(actor=drive.people["frieda"], application=other, kind=Letter.Kind.AMENDMENT,
                     content={"old_amount": D("1000"), "new_amount": D("900")})
    with CaptureQueriesContext(connection) as many:
        page = felix.get(AMENDMENTS).content.decode()
    assert page.count("prüfen</a>") == 3
    assert len(many) == len(one)
