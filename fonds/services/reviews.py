"""Citymanagement and Beirat: eligibility check, Nachforderung, recommendation, board decision."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fonds.errors import DomainError
from fonds.formatting import euro
from fonds.models import (
    Application,
    AuditEvent,
    BoardDecision,
    ConditionTemplate,
    Criterion,
    CriterionScore,
    DocumentRequest,
    EligibilityCheck,
    EligibilityCheckItem,
    Recommendation,
    Stage,
)
from fonds.services.applications import application_locked, application_set_stage
from fonds.services.audit import audit_record
from fonds.services.checklist import answer_problems, checklist_for
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
def eligibility_record(*, actor, application: Application, outcome: str, reasons: str, items: list[dict],
                       missing_items: str = "", deadline: date | None = None) -> EligibilityCheck:
    """Record the check: one answer ({"key", "met", "reason"}) for every item of the checklist generated
    from the application's rules. Answers against the system's result (or where it cannot decide) need a
    reason; "eligible" needs every item met, "not eligible" at least one not met."""
    application = application_locked(application)
    if application.stage != Stage.ELIGIBILITY:
        raise DomainError(_("Die Zuwendungsfähigkeit kann in diesem Stand nicht geprüft werden."))
    if not reasons.strip():
        raise DomainError(_("Bitte begründen Sie das Ergebnis der Prüfung."), field="reasons")
    checklist = checklist_for(application, application.rules)
    answers = {answer["key"]: answer for answer in items}
    unknown = set(answers) - {item.key for item in checklist}
    if unknown:
        raise DomainError(_("Unbekannter Prüfpunkt: %(keys)s.") % {"keys": ", ".join(sorted(unknown))})
    problems = answer_problems(checklist, answers)
    if problems:
        key, message = next(iter(problems.items()))
        raise DomainError(message, field=key)
    unmet = [item.label for item in checklist if not answers[item.key]["met"]]
    if outcome == EligibilityCheck.Outcome.ELIGIBLE and unmet:
        raise DomainError(_("„Zuwendungsfähig“ setzt voraus, dass alle Prüfpunkte erfüllt sind. Nicht erfüllt: "
                            "%(items)s.") % {"items": ", ".join(f"„{label}“" for label in unmet)}, field="outcome")
    if outcome == EligibilityCheck.Outcome.NOT_ELIGIBLE and not unmet:
        raise DomainError(_("„Nicht zuwendungsfähig“ setzt voraus, dass mindestens ein Prüfpunkt nicht erfüllt "
                            "ist. Bitte kreuzen Sie an, woran es scheitert."), field="outcome")
    if outcome == EligibilityCheck.Outcome.MISSING:
        if not missing_items.strip():
            raise DomainError(_("Bitte geben Sie an, welche Unterlagen fehlen."), field="missing_items")
        if deadline is None or deadline <= timezone.localdate():
            raise DomainError(_("Bitte setzen Sie eine Frist in der Zukunft."), field="deadline")
    check = EligibilityCheck.objects.create(application=application, outcome=outcome, reasons=reasons,
                                            checked_by=actor)
    rows = EligibilityCheckItem.objects.bulk_create([
        EligibilityCheckItem(check_run=check, key=item.key, label=item.label, automatic=item.automatic,
                             automatic_reason=item.reason, met=answers[item.key]["met"],
                             reason=(answers[item.key].get("reason") or "").strip())
        for item in checklist])
    overrides = [{"key": row.key, "label": row.label, "automatic": row.automatic, "met": row.met,
                  "reason": row.reason} for row in rows if row.overridden]
    audit_record(actor=actor, action="eligibility.checked", obj=check, application=application,
                 after={"outcome": outcome, "reasons": reasons,
                        "items": {row.key: row.met for row in rows}})
    if overrides:
        audit_record(actor=actor, action="eligibility.overridden", obj=check, application=application,
                     after={"overrides": overrides})
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
def recommendation_record(*, actor, application: Application, amount: Decimal, conditions: str, reasoning: str,
                          condition_templates=(), scores: dict[int, int] | None = None) -> Recommendation:
    """Record the Fachliche Stellungnahme. The chosen standard conditions (the fund's active templates) and the
    free text are stored together, one condition a line. `scores` maps each criterion of the round to its
    points. With the fund's four-eyes rule the application stays here until a second person confirms it."""
    application = application_locked(application)
    if application.stage != Stage.RECOMMENDATION:
        raise DomainError(_("Eine Stellungnahme ist in diesem Stand nicht möglich."))
    if _awaiting_confirmation(application):
        raise DomainError(_("Die Stellungnahme wartet bereits auf die Bestätigung durch eine zweite Person."))
    possible = application_possible_grant(application)
    if amount <= 0:
        raise DomainError(_("Bitte empfehlen Sie einen Betrag größer als 0 €."), field="amount")
    if amount > possible:
        raise DomainError(_("Die Empfehlung von %(amount)s übersteigt den nach den Förderregeln und dem Antrag "
                            "möglichen Zuschuss von %(possible)s.")
                          % {"amount": euro(amount), "possible": euro(possible)}, field="amount")
    if not reasoning.strip():
        raise DomainError(_("Bitte begründen Sie die Empfehlung."), field="reasoning")
    chosen = _chosen_conditions(application, condition_templates)
    points = _checked_scores(application, scores or {})
    lines = [*chosen, *(line.strip() for line in conditions.splitlines() if line.strip())]
    recommendation = Recommendation.objects.create(application=application, recommended_amount=amount,
                                                   conditions="\n".join(lines), reasoning=reasoning, author=actor)
    CriterionScore.objects.bulk_create(CriterionScore(recommendation=recommendation, criterion=criterion,
                                                      points=value) for criterion, value in points)
    audit_record(actor=actor, action="recommendation.recorded", obj=recommendation, application=application,
                 after={"amount": amount, "conditions": recommendation.conditions,
                        "scores": {c.name: v for c, v in points}})
    if not application.fund.recommendation_four_eyes:
        application_set_stage(actor=actor, application=application, stage=Stage.BOARD)
    return recommendation


def _awaiting_confirmation(application: Application) -> list[int]:
    """Recommendations of a four-eyes fund neither confirmed nor sent back."""
    if not application.fund.recommendation_four_eyes:
        return []
    returned = set(AuditEvent.objects.filter(application=application, action="recommendation.returned",
                                             object_type=Recommendation._meta.label)
                   .values_list("object_id", flat=True))
    return [r.pk for r in application.recommendations.filter(confirmed_at__isnull=True)
            if str(r.pk) not in returned]


def _chosen_conditions(application: Application, condition_templates) -> list[str]:
    ids = {getattr(t, "pk", t) for t in condition_templates}
    templates = list(ConditionTemplate.objects.filter(fund=application.fund_id, active=True, pk__in=ids))
    if len(templates) != len(ids):
        raise DomainError(_("Bitte wählen Sie nur Auflagen aus der Liste dieses Fonds."), field="condition_templates")
    return [t.text.strip() for t in templates]


def _checked_scores(application: Application, scores: dict) -> list[tuple[Criterion, int]]:
    criteria = list(application.round.criteria.all())
    scores = {int(getattr(key, "pk", key)): value for key, value in scores.items()}
    if set(scores) - {c.pk for c in criteria}:
        raise DomainError(_("Bitte bewerten Sie nur die Kriterien dieser Förderrunde."))
    checked = []
    for criterion in criteria:
        value = scores.get(criterion.pk)
        if value is None or not 0 <= value <= criterion.max_points:
            raise DomainError(_("Bitte vergeben Sie für „%(name)s“ 0 bis %(max)s Punkte.")
                              % {"name": criterion.name, "max": criterion.max_points}, field=f"score_{criterion.pk}")
        checked.append((criterion, value))
    return checked


def _pending_recommendation(application: Application, actor) -> Recommendation:
    if application.stage != Stage.RECOMMENDATION or not application.fund.recommendation_four_eyes:
        raise DomainError(_("Für diesen Antrag ist keine Stellungnahme zu bestätigen."))
    pending = _awaiting_confirmation(application)
    if not pending:
        raise DomainError(_("Für diesen Antrag ist keine Stellungnahme zu bestätigen."))
    recommendation = application.recommendations.get(pk=pending[-1])
    if recommendation.author_id == actor.pk:
        raise DomainError(_("Die Stellungnahme muss eine zweite Person bestätigen, nicht ihr Verfasser."))
    return recommendation


@transaction.atomic
def recommendation_confirm(*, actor, application: Application) -> Recommendation:
    """Vier-Augen-Prinzip: a second person of the Citymanagement confirms; then it goes to the Beirat."""
    application = application_locked(application)
    recommendation = _pending_recommendation(application, actor)
    recommendation.confirmed_by = actor
    recommendation.confirmed_at = timezone.now()
    recommendation.save(update_fields=["confirmed_by", "confirmed_at"])
    audit_record(actor=actor, action="recommendation.confirmed", obj=recommendation, application=application)
    application_set_stage(actor=actor, application=application, stage=Stage.BOARD)
    return recommendation


@transaction.atomic
def recommendation_return(*, actor, application: Application, reason: str) -> Recommendation:
    """The second person sends the recommendation back to be written again; it stays on file, unconfirmed."""
    application = application_locked(application)
    recommendation = _pending_recommendation(application, actor)
    if not reason.strip():
        raise DomainError(_("Bitte vermerken Sie, was an der Stellungnahme zu ändern ist."), field="reason")
    audit_record(actor=actor, action="recommendation.returned", obj=recommendation, application=application,
                 after={"reason": reason})
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
