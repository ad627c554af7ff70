"""Money rules: never more paid than granted, never more bound than the fund has, two people for every
Bescheid and every payment, and an audit log nobody can rewrite.

alice  – applicant (Dorstener Interessengemeinschaft Altstadt e. V.)
carla  – Citymanagement
dieter – Beirat
frieda – finance: drafts the Bescheid, orders the payment
felix  – finance: the second person who issues and releases
"""

import time
from decimal import Decimal

import pytest
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from viewflow.workflow.status import STATUS

from fonds.errors import DomainError
from fonds.models import AuditEvent, BoardDecision, BudgetLine, LedgerEntry, Letter, Payment, PaymentRequest, Stage
from fonds.services.ledger import commitment_book, fund_available
from fonds.services.letters import letter_issue
from fonds.services.payments import payment_release
from tests.support.at_once import at_once
from tests.workflows.driver import Driver
from workflows import demo, queues
from workflows.flows import GrantFlow

D = Decimal
NBSP_EURO = "\u00a0€"


@pytest.fixture
def drive(people, django_capture_on_commit_callbacks):
    return Driver(people, django_capture_on_commit_callbacks)


def approved(drive, **kwargs):
    a = drive.apply(**kwargs)
    drive.eligible(a)
    drive.recommend(a)
    drive.decide(a, "approve")
    return a


def implementing(drive):
    """An application with an issued Bescheid over 4.760,00 €."""
    a = approved(drive, net="8000", gross="9520")
    drive.bescheid(a)
    assert a.stage == Stage.IMPLEMENTATION and a.approved_grant == D("4760.00")
    return a


def set_budget(world, amount):
    """Leave the fund a single budget line of `amount` for the round's year."""
    fund = world["round"].fund
    BudgetLine.objects.filter(fund=fund).delete()
    BudgetLine.objects.create(fund=fund, year=world["round"].year, source=BudgetLine.Source.STADT, amount=D(amount))


# --- never more than the grant ---------------------------------------------------------------------


def test_it_refuses_a_payment_request_beyond_the_grant(drive, world):
    a = implementing(drive)
    response = drive.request_payment(a, "4760.01")
    assert response.status_code == 400
    assert f"Es können höchstens noch 4.760,00{NBSP_EURO} abgerufen werden." in response.content.decode()
    assert not PaymentRequest.objects.filter(application=a).exists()
    assert drive.task(a, GrantFlow.implementation)
    assert a.audit_events.filter(action="payment.requested").count() == 0


def test_it_refuses_a_second_payment_request_beyond_what_is_left_of_the_grant(drive, world):
    a = implementing(drive)
    drive.pay(a, "4000")
    response = drive.request_payment(a, "1000")
    assert response.status_code == 400
    assert f"Es können höchstens noch 760,00{NBSP_EURO} abgerufen werden." in response.content.decode()
    assert PaymentRequest.objects.filter(application=a).count() == 1
    assert drive.task(a, GrantFlow.implementation)


def test_finance_cannot_order_more_than_is_left_of_the_grant(drive, world):
    a = implementing(drive)
    assert drive.request_payment(a, "2000").status_code == 302
    ledger_before = LedgerEntry.objects.count()

    response = drive.order(a, "5000", expect=200)
    assert "übersteigt den noch nicht ausgezahlten Teil des Zuschusses" in response.content.decode()
    assert f"(4.760,00{NBSP_EURO})" in response.content.decode()
    assert not Payment.objects.filter(application=a).exists()
    assert LedgerEntry.objects.count() == ledger_before
    task = drive.task(a, GrantFlow.payment_order)
    assert task.owner == drive.people["frieda"]  # still hers to finish, with a correct amount


# --- never more than the fund has ------------------------------------------------------------------


def test_the_board_cannot_bind_more_than_the_fund_has_left(drive, world):
    a = drive.apply(net="8000", gross="9520")  # requests 4.760,00 €
    drive.eligible(a)
    drive.recommend(a)
    set_budget(world, "1000")

    response = drive.decide(a, "approve", expect=200)
    assert (f"Der Betrag von 4.760,00{NBSP_EURO} übersteigt die im Haushaltsjahr {a.round.year} "
            f"noch verfügbaren Mittel des Fonds (1.000,00{NBSP_EURO}).") in response.content.decode()
    assert not BoardDecision.objects.filter(application=a).exists()
    assert not LedgerEntry.objects.exists()
    a.refresh_from_db()
    assert a.stage == Stage.BOARD and a.approved_grant is None
    assert drive.task(a, GrantFlow.board)
    assert fund_available(fund=a.fund, year=a.round.year) == D("1000.00")


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_commitments_cannot_both_spend_the_last_budget(world):
    """Each booking reads the available budget and then writes. Only the row lock on the fund makes the
    second wait for the first; without it both would read 5.000,00 € and both would succeed."""
    set_budget(world, "5000")
    dieter = world["users"]["dieter"]
    applications = [demo.draft(world, world["dia"], world["users"]["alice"], f"Vorhaben {n}",
                               [("Material", "6722.69", "8000.00")]) for n in (1, 2)]

    def commit(application):
        with transaction.atomic():
            commitment_book(actor=dieter, application=application, amount=D("4000.00"))
            time.sleep(0.3)  # hold the transaction open while the other one reads
        return "booked"

    results = [o.message if isinstance(o, DomainError) else o for o in at_once(commit, applications, timeout=10)]
    assert results.count("booked") == 1, results
    [refusal] = [r for r in results if r != "booked"]
    assert f"(1.000,00{NBSP_EURO})" in refusal
    assert LedgerEntry.objects.filter(kind=LedgerEntry.Kind.COMMITMENT).count() == 1
    assert fund_available(fund=world["round"].fund, year=world["round"].year) == D("1000.00")


# --- four eyes --------------------------------------------------------------------------------------


def assign(drive, name, application, node):
    task = drive.task(application, node)
    return drive.post(name, node.reverse("assign", args=[task.process_id, task.pk]))


def execute(drive, name, application, node, data=None):
    task = drive.task(application, node)
    return drive.post(name, node.reverse("execute", args=[task.process_id, task.pk]), data)


def test_whoever_drafts_a_bescheid_cannot_issue_it(drive, world):
    frieda, felix = drive.people["frieda"], drive.people["felix"]
    a = approved(drive)
    drive.do("frieda", a, GrantFlow.bescheid_draft, {
        "period_end": a.planned_end.isoformat(), "conditions": "Förderhinweis anbringen.",
        "reasons": "Der Beirat hat die Förderung beschlossen.", "payment_terms": "Auf Anforderung."})
    draft = a.letters.get(kind=Letter.Kind.BESCHEID)
    assert draft.drafted_by == frieda

    # the team list offers the task to everyone of the role but her
    task = drive.task(a, GrantFlow.bescheid_issue)
    assert task not in queues.team_queue(user=frieda) and task in queues.team_queue(user=felix)

    # through the staff frontend
    assert assign(drive, "frieda", a, GrantFlow.bescheid_issue).status_code == 403
    assert execute(drive, "frieda", a, GrantFlow.bescheid_issue, {"decision": "issue"}).status_code == 403
    task = drive.task(a, GrantFlow.bescheid_issue)
    assert task.status == STATUS.NEW and task.owner is None

    # in the service
    with pytest.raises(DomainError, match="Vier-Augen-Prinzip"):
        letter_issue(actor=frieda, letter=draft)

    # in the database
    with pytest.raises(IntegrityError, match="letter_four_eyes"), transaction.atomic():
        Letter.objects.filter(pk=draft.pk).update(issued_by=F("drafted_by"))

    draft.refresh_from_db()
    assert draft.status == Letter.Status.DRAFT and draft.issued_by is None

    # the second person may
    assert assign(drive, "felix", a, GrantFlow.bescheid_issue).status_code == 302
    assert drive.task(a, GrantFlow.bescheid_issue).owner == felix
    drive.do("felix", a, GrantFlow.bescheid_issue, {"decision": "issue"})
    bescheid = a.letters.get(kind=Letter.Kind.BESCHEID)
    assert bescheid.status == Letter.Status.ISSUED and bescheid.issued_by == felix
    assert a.stage == Stage.IMPLEMENTATION


def test_whoever_orders_a_payment_cannot_release_it(drive, world):
    frieda, felix = drive.people["frieda"], drive.people["felix"]
    a = implementing(drive)
    assert drive.request_payment(a, "1000").status_code == 302
    drive.order(a, "1000")
    payment = a.payments.get()
    assert payment.ordered_by == frieda and payment.status == Payment.Status.ORDERED

    task = drive.task(a, GrantFlow.payment_release)
    assert task not in queues.team_queue(user=frieda) and task in queues.team_queue(user=felix)
    assert assign(drive, "frieda", a, GrantFlow.payment_release).status_code == 403
    assert execute(drive, "frieda", a, GrantFlow.payment_release, {"arithmetically_correct": "on"}).status_code == 403
    task = drive.task(a, GrantFlow.payment_release)
    assert task.status == STATUS.NEW and task.owner is None

    with pytest.raises(DomainError, match="Vier-Augen-Prinzip"):
        payment_release(actor=frieda, payment=payment)

    with pytest.raises(IntegrityError, match="payment_four_eyes"), transaction.atomic():
        Payment.objects.filter(pk=payment.pk).update(
            released_by=F("ordered_by"), status=Payment.Status.RELEASED, released_at=timezone.now())

    payment.refresh_from_db()
    assert payment.status == Payment.Status.ORDERED and payment.released_by is None
    assert not a.ledger_entries.filter(kind=LedgerEntry.Kind.PAYMENT).exists()

    drive.release(a)
    payment.refresh_from_db()
    assert payment.status == Payment.Status.RELEASED and payment.released_by == felix
    assert a.ledger_entries.filter(kind=LedgerEntry.Kind.PAYMENT, amount=D("1000.00")).exists()

    # The next payment ordered by felix: now frieda is the second person (only the newest order counts).
    assert drive.request_payment(a, "500").status_code == 302
    drive.order(a, "500", name="felix")
    task = drive.task(a, GrantFlow.payment_release)
    assert task in queues.team_queue(user=frieda) and task not in queues.team_queue(user=felix)


# --- the audit log ----------------------------------------------------------------------------------


def test_the_database_refuses_to_change_or_delete_an_audit_row(drive, world):
    a = drive.apply()
    event = a.audit_events.get(action="application.submitted")

    with pytest.raises(DatabaseError, match="unveraenderlich"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="application.forged")
    with pytest.raises(DatabaseError, match="unveraenderlich"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()

    assert AuditEvent.objects.get(pk=event.pk).action == "application.submitted"


def test_the_model_refuses_to_change_or_delete_an_audit_row(drive, world):
    a = drive.apply()
    event = a.audit_events.get(action="application.submitted")

    event.action = "application.forged"
    with pytest.raises(ValueError, match="unveränderlich"):
        event.save()
    with pytest.raises(ValueError, match="unveränderlich"):
        event.delete()

    assert AuditEvent.objects.get(pk=event.pk).action == "application.submitted"


def test_every_step_of_a_lifecycle_leaves_an_audit_row_with_actor_and_before_and_after(drive, world):
    people = drive.people
    a = implementing(drive)
    drive.pay(a, "1000")

    def event(action):
        return a.audit_events.get(action=action)

    assert event("application.submitted").actor == people["alice"]
    assert event("eligibility.checked").actor == people["carla"]
    assert event("recommendation.recorded").actor == people["carla"]
    decided = event("board.decided")
    assert decided.actor == people["dieter"] and decided.after["outcome"] == "approve"
    assert event("ledger.commitment").after["amount"] == "4760.00"
    assert event("letter.bescheid.drafted").actor == people["frieda"]
    issued = event("letter.bescheid.issued")
    assert issued.actor == people["felix"]
    assert issued.before == {"status": "draft"} and issued.after == {"status": "queued"}
    assert event("payment.requested").actor == people["alice"]
    assert event("payment.ordered").actor == people["frieda"]
    released = event("payment.released")
    assert released.actor == people["felix"] and released.actor_label == "Felix Franke"
    assert released.before == {"status": "ordered"}
    assert released.after == {"status": "released", "arithmetically_correct": True}

    # Every change of stage is a row, and the rows join up: each starts where the previous one ended.
    stage_events = [e for e in a.audit_events.all()
                    if e.action == "application.submitted" or e.action.startswith("application.stage.")]
    path = [(e.before["stage"], e.after["stage"]) for e in stage_events]
    assert path[0] == ("draft", "eligibility")
    assert all(prev[1] == nxt[0] for prev, nxt in zip(path, path[1:], strict=False))
    assert {after for _, after in path} >= {"eligibility", "recommendation", "board", "bescheid",
                                             "implementation"}
    assert path[-1][1] == a.stage
    assert all(e.actor_label for e in a.audit_events.all())
