"""Citymanagement and Beirat: eligibility check, Nachforderung, recommendation, board decision."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fonds.errors import DomainError
from fonds.formatting import euro
from fonds.models import Application, BoardDecision, DocumentRequest, EligibilityCheck, Recommendation, Stage
from fonds.services.applications import application_locked, application_set_stage
from fonds.services.audit import audit_record
from fonds.services.grants import eligible_costs_of, grant_amount
from fonds.services.ledger import commitment_book


def application_possible_grant(application: Application) -> Decimal:
    """What the rules the application was submitted under allow, capped by what was requested."""
    rules = application.rules
    costs = eligible_costs_of(items=application.cost_items.all(), vat_deductible=application.vat_deductible,
                              rules=rules)
    computed = grant_amount(rules=rules, eligible_costs=costs, enforce_minimum=False)
    return min(computed.amount, application.requested_grant)


@transaction.atomic
def eligibility_record(*, actor, application: Application, outcome: str, reasons: str,
                       missing_items: str = "", deadline: date | None = None) -> EligibilityCheck:
    application = application_locked(application)
    if application.stage != Stage.ELIGIBILITY:
        raise DomainError(_("Die Zuwendungsfähigkeit kann in diesem Stand nicht geprüft werden."))
    if not reasons.strip():
        raise DomainError(_("Bitte begründen Sie das Ergebnis der Prüfung."), field="reasons")
    if outcome == EligibilityCheck.Outcome.MISSING:
        if not missing_items.strip():
            raise DomainError(_("Bitte geben Sie an, welche Unterlagen fehlen."), field="missing_items")
        if deadline is None or deadline <= timezone.localdate():
            raise DomainError(_("Bitte setzen Sie eine Frist in der Zukunft."), field="deadline")
    check = EligibilityCheck.objects.create(application=application, outcome=outcome, reasons=reasons,
                                            checked_by=actor)
    audit_record(actor=actor, action="eligibility.checked", obj=check, application=application,
                 after={"outcome": outcome, "reasons": reasons})
    if outcome == EligibilityCheck.Outcome.MISSING:
        request = DocumentRequest.objects.create(application=application, items=missing_items, deadline=deadline,
                                                 requested_by=actor)
        audit_record(actor=actor, action="documents.requested", obj=request, application=application,
                     after={"items": missing_items, "deadline": deadline})
        application_set_stage(actor=actor, application=application, stage=Stage.DOCUMENTS_REQUESTED)
    elif outcome == EligibilityCheck.Outcome.ELIGIBLE:
        application_set_stage(actor=actor, application=application, stage=Stage.RECOMMENDATION)
    return check


@transaction.atomic
def documents_answer(*, actor, application: Application, answer: str) -> DocumentRequest:
    application = application_locked(application)
    request = application.document_requests.filter(answered_at__isnull=True).last()
    if application.stage != Stage.DOCUMENTS_REQUESTED or request is None:
        raise DomainError(_("Zu diesem Antrag sind keine Unterlagen nachzureichen."))
    if not answer.strip() and not application.documents.filter(uploaded_at__gte=request.requested_at).exists():
        raise DomainError(_("Bitte laden Sie die fehlenden Unterlagen hoch oder schreiben Sie eine Erläuterung."),
                          field="answer")
    request.answer = answer
    request.answered_by = actor
    request.answered_at = timezone.now()
    request.save()
    audit_record(actor=actor, action="documents.answered", obj=request, application=application,
                 after={"answer": answer})
    application_set_stage(actor=actor, application=application, stage=Stage.ELIGIBILITY)
    return request


@transaction.atomic
def recommendation_record(*, actor, application: Application, amount: Decimal, conditions: str,
                          reasoning: str) -> Recommendation:
    application = application_locked(application)
    if application.stage != Stage.RECOMMENDATION:
        raise DomainError(_("Eine Stellungnahme ist in diesem Stand nicht möglich."))
    possible = application_possible_grant(application)
    if amount <= 0:
        raise DomainError(_("Bitte empfehlen Sie einen Betrag größer als 0 €."), field="amount")
    if amount > possible:
        raise DomainError(_("Die Empfehlung von %(amount)s übersteigt den nach den Förderregeln und dem Antrag "
                            "möglichen Zuschuss von %(possible)s.")
                          % {"amount": euro(amount), "possible": euro(possible)}, field="amount")
    recommendation = Recommendation.objects.create(application=application, recommended_amount=amount,
                                                   conditions=conditions, reasoning=reasoning, author=actor)
    audit_record(actor=actor, action="recommendation.recorded", obj=recommendation, application=application,
                 after={"amount": amount, "conditions": conditions})
    application_set_stage(actor=actor, application=application, stage=Stage.BOARD)
    return recommendation


@transaction.atomic
def board_decision_record(*, actor, application: Application, outcome: str, amount: Decimal | None,
                          conditions: str, reasons: str, decided_on: date) -> BoardDecision:
    """Record the Beirat's decision. An approval binds the amount in the fund's ledger."""
    application = application_locked(application)
    if application.stage not in (Stage.BOARD, Stage.DEFERRED):
        raise DomainError(_("Für diesen Antrag steht keine Beiratsentscheidung an."))
    if decided_on > timezone.localdate():
        raise DomainError(_("Das Sitzungsdatum darf nicht in der Zukunft liegen."), field="decided_on")
    recommended = application.recommendations.last().recommended_amount
    approving = outcome in BoardDecision.APPROVING
    if approving:
        if outcome == BoardDecision.Outcome.REDUCE:
            if amount is None or amount <= 0 or amount >= recommended:
                raise DomainError(_("Bei einer Kürzung muss der Betrag über 0 € und unter der Empfehlung von "
                                    "%(recommended)s liegen.") % {"recommended": euro(recommended)}, field="amount")
        else:
            amount = amount or recommended
            if amount > application_possible_grant(application):
                raise DomainError(_("Der Betrag übersteigt den nach den Förderregeln möglichen Zuschuss."),
                                  field="amount")
        if outcome == BoardDecision.Outcome.CONDITIONS and not conditions.strip():
            raise DomainError(_("Bitte nennen Sie die Auflagen."), field="conditions")
    else:
        amount = None
        if outcome == BoardDecision.Outcome.REJECT and not reasons.strip():
            raise DomainError(_("Eine Ablehnung muss begründet werden."), field="reasons")
    decision = BoardDecision.objects.create(application=application, outcome=outcome, amount=amount,
                                            conditions=conditions, reasons=reasons, decided_on=decided_on,
                                            recorded_by=actor)
    audit_record(actor=actor, action="board.decided", obj=decision, application=application,
                 after={"outcome": outcome, "amount": amount, "decided_on": decided_on})
    if approving:
        commitment_book(actor=actor, application=application, amount=amount)
        application_set_stage(actor=actor, application=application, stage=Stage.BESCHEID, approved_grant=amount)
    elif outcome == BoardDecision.Outcome.DEFER:
        application_set_stage(actor=actor, application=application, stage=Stage.DEFERRED)
    return decision
