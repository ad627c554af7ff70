"""The whole grant lifecycle through the HTTP client, each role acting on its own pages."""

from decimal import Decimal

import pytest
from pypdf import PdfReader
from viewflow.workflow.status import PROCESS

from fonds.models import LedgerEntry, Letter, Payment, Stage
from fonds.services.ledger import application_committed, application_paid, fund_available
from workflows.flows import GrantFlow
from workflows.models import GrantProcess

from .driver import Driver

D = Decimal


@pytest.fixture
def drive(people, django_capture_on_commit_callbacks):
    return Driver(people, django_capture_on_commit_callbacks)


def pdf_text(letter) -> str:
    with letter.pdf.open("rb") as handle:
        return "\n".join(page.extract_text() for page in PdfReader(handle).pages).replace("\u00a0", " ")


def letters(application, kind):
    return list(application.letters.filter(kind=kind, status=Letter.Status.ISSUED))


def test_the_happy_path_runs_from_submission_to_closing_with_letters_and_ledger(drive, world):
    a = drive.apply(net="8000", gross="9520")  # requests 4.760,00 €
    assert a.file_number.startswith("AF-") and a.stage == Stage.ELIGIBILITY
    [receipt] = letters(a, Letter.Kind.RECEIPT)
    text = pdf_text(receipt)
    assert a.file_number in text and "4.760,00 €" in text and "9.520,00 €" in text and "maschinell erstellt" in text

    drive.eligible(a)
    drive.recommend(a)
    drive.decide(a, "approve")
    assert a.stage == Stage.BESCHEID and a.approved_grant == D("4760.00")
    drive.bescheid(a)
    assert a.stage == Stage.IMPLEMENTATION
    # The second person read the draft as an escaped, sandboxed preview before issuing it.
    [preview] = [html for node, html in drive.pages if node == "bescheid_issue"]
    assert 'sandbox srcdoc="&lt;!DOCTYPE html&gt;' in preview and "4.760,00" in preview
    [bescheid] = letters(a, Letter.Kind.BESCHEID)
    text = pdf_text(bescheid)
    assert a.file_number in text and "4.760,00 €" in text and "9.520,00 €" in text
    assert bescheid.drafted_by == drive.people["frieda"] and bescheid.issued_by == drive.people["felix"]
    assert "Felix Franke" in text  # signed by the second person, who issued it

    drive.pay(a, "2000")
    drive.pay(a, "1000")
    assert application_paid(a) == D("3000.00")
    drive.use_report(a, net="8000", gross="9520")
    drive.accept_use_report(a, "9520")
    drive.settle(a)
    [settlement] = letters(a, Letter.Kind.SETTLEMENT)
    text = pdf_text(settlement)
    assert a.file_number in text and "4.760,00 €" in text and "1.760,00 €" in text
    drive.order(a, "1760.00")
    drive.release(a)

    assert a.stage == Stage.CLOSED and a.final_grant == D("4760.00") and a.earmarked_until is not None
    process = GrantProcess.for_application(a)
    assert process.status == PROCESS.DONE
    assert not process.task_set.exclude(status__in=["DONE"]).exists()
    kinds = list(a.ledger_entries.values_list("kind", "amount"))
    assert kinds == [(LedgerEntry.Kind.COMMITMENT, D("4760.00")), (LedgerEntry.Kind.PAYMENT, D("2000.00")),
                     (LedgerEntry.Kind.PAYMENT, D("1000.00")), (LedgerEntry.Kind.PAYMENT, D("1760.00"))]
    assert [p.kind for p in a.payments.all()] == [Payment.Kind.INSTALMENT] * 2 + [Payment.Kind.FINAL]
    assert fund_available(fund=a.fund, year=a.round.year) == D("50000.00") - D("4760.00")
    assert a.audit_events.filter(action="settlement.recorded").exists()


def test_an_ineligible_application_gets_a_rejection_letter_and_ends(drive, world):
    a = drive.apply()
    drive.do("carla", a, GrantFlow.eligibility, {
        "outcome": "not_eligible", "reasons": "Werbung für ein einzelnes Geschäft ist nicht förderfähig.",
        **drive.answers(a, unmet={"purpose": "Werbung für ein einzelnes Geschäft dient nicht der Allgemeinheit."})})
    assert a.stage == Stage.REJECTED
    [rejection] = letters(a, Letter.Kind.REJECTION)
    text = pdf_text(rejection)
    assert a.file_number in text and "nicht förderfähig" in text
    assert GrantProcess.for_application(a).status == PROCESS.DONE


def test_two_rounds_of_missing_documents_then_eligible(drive, world):
    a = drive.apply()
    for round_ in (1, 2):
        drive.do("carla", a, GrantFlow.eligibility, {
            "outcome": "missing", "reasons": "Angebote fehlen.", "missing_items": f"Angebot Nr. {round_}",
            "deadline": "2099-01-31"})
        assert a.stage == Stage.DOCUMENTS_REQUESTED
        page = drive.get("alice", f"/antraege/{a.pk}/nachreichen/")
        assert f"Angebot Nr. {round_}" in page.content.decode()
        response = drive.post("alice", f"/antraege/{a.pk}/nachreichen/", {"answer": "Angebot liegt bei."})
        assert response.status_code == 302
        a.refresh_from_db()
        assert a.stage == Stage.ELIGIBILITY
    drive.eligible(a)
    assert a.stage == Stage.RECOMMENDATION
    assert a.document_requests.filter(answered_at__isnull=False).count() == 2


def test_a_reduced_board_decision_carries_the_reduced_amount_into_bescheid_and_commitment(drive, world):
    a = drive.apply(net="8000", gross="9520")
    drive.eligible(a)
    drive.recommend(a)
    drive.decide(a, "reduce", amount="3000", reasons="Nur die Hälfte der Ampeln.")
    assert a.approved_grant == D("3000.00")
    assert application_committed(a) == D("3000.00")
    drive.bescheid(a)
    [bescheid] = letters(a, Letter.Kind.BESCHEID)
    assert "3.000,00 €" in pdf_text(bescheid)


def test_a_deferred_application_is_decided_at_a_later_meeting(drive, world):
    a = drive.apply()
    drive.eligible(a)
    drive.recommend(a)
    drive.decide(a, "defer", reasons="Vertagt bis zur Klärung des Standorts.")
    assert a.stage == Stage.DEFERRED and not a.ledger_entries.exists()
    drive.decide(a, "approve")
    assert a.stage == Stage.BESCHEID and a.board_decisions.count() == 2


def test_lower_actual_costs_after_a_large_instalment_lead_to_a_recovery_with_interest(drive, world):
    a = drive.apply(net="8000", gross="9520")  # 4.760,00 € approved
    drive.eligible(a)
    drive.recommend(a)
    drive.decide(a, "approve")
    drive.bescheid(a)
    drive.pay(a, "4000")
    drive.use_report(a, net="5000", gross="5950")  # new grant: 2.975,00 €
    drive.accept_use_report(a, "5950")
    drive.settle(a)
    assert a.final_grant == D("2975.00") and a.stage == Stage.CLOSED
    recovery = a.recoveries.get()
    assert recovery.principal == D("1025.00")
    assert recovery.interest_rate == D("6.27")  # 1,27 % Basiszinssatz + 5 Prozentpunkte
    assert recovery.interest >= 0
    [letter] = letters(a, Letter.Kind.RECOVERY)
    text = pdf_text(letter)
    assert a.file_number in text and "1.025,00 €" in text and "2.975,00 €" in text
    assert letters(a, Letter.Kind.BESCHEID)[0].number in text
    assert application_paid(a) == D("2975.00")
    assert application_committed(a) == D("2975.00")


def test_withdrawal_works_before_the_bescheid_and_is_refused_after_it(drive, world):
    early = drive.apply(title="Früh zurückgezogen")
    drive.eligible(early)
    drive.recommend(early)
    drive.decide(early, "approve")
    assert application_committed(early) > 0
    response = drive.post("alice", f"/antraege/{early.pk}/zurueckziehen/")
    assert response.status_code == 302
    early.refresh_from_db()
    assert early.stage == Stage.WITHDRAWN and application_committed(early) == 0
    assert GrantProcess.for_application(early).status == PROCESS.CANCELED

    late = drive.apply(title="Zu spät")
    drive.eligible(late)
    drive.recommend(late)
    drive.decide(late, "approve")
    drive.bescheid(late)
    response = drive.post("alice", f"/antraege/{late.pk}/zurueckziehen/")
    late.refresh_from_db()
    assert late.stage == Stage.IMPLEMENTATION
    assert GrantProcess.for_application(late).status == PROCESS.NEW
    assert "nicht mehr zurückgezogen" in drive.get("alice", f"/antraege/{late.pk}/").content.decode()


def test_a_recovery_carries_interest_to_the_cent_for_the_days_since_the_payment(drive, world):
    from datetime import timedelta

    from django.utils import timezone

    from fonds.models import BaseRate

    today = timezone.localdate()
    BaseRate.objects.create(valid_from=today - timedelta(days=100), rate_percent=D("2.00"))  # + 5 points = 7 %
    a = drive.apply(net="8000", gross="9520")  # 4.760,00 € approved
    drive.eligible(a)
    drive.recommend(a)
    drive.decide(a, "approve")
    drive.bescheid(a)
    drive.pay(a, "4000")
    # The instalment left the fund 45 days ago.
    a.payments.update(released_at=timezone.now() - timedelta(days=45))
    drive.use_report(a, net="5000", gross="5950")  # final grant 2.975,00 €
    drive.accept_use_report(a, "5950")
    drive.settle(a)

    recovery = a.recoveries.get()
    assert (recovery.interest_from, recovery.interest_to) == (today - timedelta(days=45), today)
    assert recovery.principal == D("1025.00") and recovery.interest_rate == D("7.00")
    # 1.025,00 € × 7 % × 45 / 365 = 8,8458… → 8,85 €
    assert recovery.interest == D("8.85") and recovery.total == D("1033.85")
    text = " ".join(pdf_text(letters(a, Letter.Kind.RECOVERY)[0]).split())
    assert "Zinsen 7 % p. a." in text and "8,85 €" in text and "1.033,85 €" in text


def test_higher_actual_costs_are_capped_at_the_approved_grant(drive, world):
    a = drive.apply(net="8000", gross="9520")  # 4.760,00 € approved
    drive.eligible(a)
    drive.recommend(a)
    drive.decide(a, "approve")
    drive.bescheid(a)
    drive.pay(a, "2000")
    drive.use_report(a, net="10000", gross="11900")  # 50 % would be 5.950,00 €
    drive.accept_use_report(a, "11900")
    drive.settle(a)
    assert a.final_grant == D("4760.00") and not a.recoveries.exists()
    text = pdf_text(letters(a, Letter.Kind.SETTLEMENT)[0])
    assert "4.760,00 €" in text and "2.760,00 €" in text  # the rest still to be paid
    drive.order(a, "2760.00")
    drive.release(a)
    assert a.stage == Stage.CLOSED and application_paid(a) == D("4760.00")
