"""What each staff step does once its form is valid: one fonds service call plus the flow flags.
The task views and the demo loader both call these, so the web and the commands act alike."""

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from fonds.dates import add_months
from fonds.errors import DomainError
from fonds.models import BoardDecision, EligibilityCheck, Letter, Payment, Stage
from fonds.selectors.settlement import budget_against_actual
from fonds.services.applications import application_set_stage
from fonds.services.checklist import checklist_for
from fonds.services.de_minimis import de_minimis_ensure_within_ceiling, de_minimis_grant
from fonds.services.grants import eligible_costs_of
from fonds.services.letter_templates import letter_template_text_for
from fonds.services.letters import letter_draft, letter_issue
from fonds.services.notices import documents_request_letter, payment_notice_letter
from fonds.services.payments import (
    payment_order,
    payment_release,
    payment_request_create,
    recovery_due_date,
    settlement_record,
    use_report_check,
    use_report_submit,
)
from fonds.services.reviews import (
    documents_answer,
    eligibility_record,
    recommendation_confirm,
    recommendation_record,
    recommendation_return,
)
from notifications.services import letter_render_async

from . import notify


def check_eligibility(*, user, process, application, outcome, reasons, missing_items="", deadline=None,
                      items=None):
    """`items`: the advisor's answers ({"key", "met", "reason"}). The task page sends one for every item;
    for commands and the demo, an item left out takes the system's result, and where the system cannot
    decide it counts as met on the strength of the general `reasons`."""
    given = {answer["key"]: answer for answer in items or ()}
    answers = [given.get(item.key) or {"key": item.key, "met": True if item.automatic is None else item.automatic,
                                       "reason": reasons if item.automatic is None else ""}
               for item in checklist_for(application, application.rules)]
    answers += [answer for key, answer in given.items() if key not in {a["key"] for a in answers}]
    check = eligibility_record(actor=user, application=application, outcome=outcome, reasons=reasons,
                               items=answers, missing_items=missing_items, deadline=deadline)
    process.eligibility = outcome
    if outcome == EligibilityCheck.Outcome.MISSING:
        request = application.document_requests.last()
        letter_render_async(letter=documents_request_letter(request=request))
        notify.documents_requested(application, request)
    elif outcome == EligibilityCheck.Outcome.ELIGIBLE:
        notify.check_finished(application, check)


def recommend(*, user, process, application, amount, conditions, reasoning, condition_templates=(), scores=None):
    recommendation = recommendation_record(actor=user, application=application, amount=amount,
                                           conditions=conditions, reasoning=reasoning,
                                           condition_templates=condition_templates, scores=scores)
    process.recommendation_returned = False
    if application.fund.recommendation_four_eyes:
        notify.recommendation_to_confirm(application, recommendation)
    else:
        notify.on_board_agenda(application, recommendation)


def confirm_recommendation(*, user, process, application, decision, reason=""):
    """Vier-Augen-Prinzip for the Stellungnahme (funds with recommendation_four_eyes)."""
    process.recommendation_returned = decision == "return"
    if process.recommendation_returned:
        recommendation_return(actor=user, application=application, reason=reason)
        return
    notify.on_board_agenda(application, recommendation_confirm(actor=user, application=application))


def approving_decision(application) -> BoardDecision:
    return application.board_decisions.filter(outcome__in=BoardDecision.APPROVING).last()


def bescheid_defaults(application) -> dict:
    # Wording of the Bescheid itself, which is a German administrative act: not translated.
    decision = approving_decision(application)
    return {
        "period_end": application.planned_end,
        "conditions": decision.conditions,
        "reasons": (f"Der Beirat des {application.fund.name} hat in seiner Sitzung vom "
                    f"{decision.decided_on:%d.%m.%Y} beschlossen, das Vorhaben zu fördern. {decision.reasons}").strip(),
        # The fund's own wording (its letter template), else the standard one.
        "payment_terms": letter_template_text_for(application=application, kind=Letter.Kind.BESCHEID,
                                                  key="payment_terms", content={"amount": application.approved_grant}),
    }


def draft_bescheid(*, user, process, application, period_end, conditions, reasons, payment_terms):
    rules, today = application.rules, timezone.localdate()
    if period_end < today:
        raise DomainError(_("Der Bewilligungszeitraum darf nicht in der Vergangenheit enden."), field="period_end")
    if rules.de_minimis_applicable:
        de_minimis_ensure_within_ceiling(application=application, amount=application.approved_grant)
    items = list(application.cost_items.all())
    total = sum((i.gross_amount for i in items), Decimal("0"))
    letter_draft(actor=user, application=application, kind=Letter.Kind.BESCHEID, content={
        "amount": application.approved_grant, "rate_percent": str(rules.rate_percent.normalize()),
        "eligible_costs": eligible_costs_of(items=items, vat_deductible=application.vat_deductible, rules=rules),
        "own_share": total - application.approved_grant,
        "period_start": today.isoformat(), "period_end": period_end.isoformat(),
        "conditions": conditions, "reasons": reasons, "payment_terms": payment_terms,
        "board_decided_on": approving_decision(application).decided_on.isoformat(),
        "use_report_due": add_months(period_end, rules.proof_of_use_months).isoformat(),
        "earmarking_years": rules.earmarking_years, "de_minimis": rules.de_minimis_applicable,
    })
    process.bescheid_returned = False


def draft_letter(application) -> Letter:
    return application.letters.filter(kind=Letter.Kind.BESCHEID, status=Letter.Status.DRAFT).get()


def issue_bescheid(*, user, process, application, decision, note=""):
    letter = draft_letter(application)
    if decision == "return":
        if not note.strip():
            raise DomainError(_("Bitte vermerken Sie, was am Entwurf zu ändern ist."), field="note")
        # A draft that was never issued is discarded; the next draft gets the number again.
        application_set_stage(actor=user, application=application, stage=Stage.BESCHEID)
        letter.delete()
        process.bescheid_returned = True
        return
    letter = letter_issue(actor=user, letter=letter)
    if application.rules.de_minimis_applicable:
        # Checks the ceiling again (other grants may have come since the draft); a refusal undoes the issue.
        de_minimis_grant(actor=user, application=application, bescheid=letter)
    content = letter.data["content"]
    application_set_stage(actor=user, application=application, stage=Stage.IMPLEMENTATION,
                          approval_period_end=content["period_end"], use_report_due=content["use_report_due"])


def order_payment(*, user, process, application, decision, amount=None, note="", factually_correct=False):
    settling = application.final_grant is not None
    process.payment_declined = decision == "decline"
    if process.payment_declined:
        if settling:
            raise DomainError(_("Die Schlusszahlung kann nicht zurückgewiesen werden."), field="decision")
        return
    if amount is None:
        raise DomainError(_("Bitte geben Sie den Betrag an."), field="amount")
    kind = Payment.Kind.FINAL if settling else Payment.Kind.INSTALMENT
    request = None if settling else application.payment_requests.last()
    payment_order(actor=user, application=application, amount=amount, kind=kind, request=request,
                  factually_correct=factually_correct)
    process.final_payment = kind == Payment.Kind.FINAL


def ordered_payment(application) -> Payment:
    return application.payments.filter(status=Payment.Status.ORDERED).get()


def release_payment(*, user, process, application, arithmetically_correct=False):
    payment = payment_release(actor=user, payment=ordered_payment(application),
                              arithmetically_correct=arithmetically_correct)
    letter_render_async(letter=payment_notice_letter(payment=payment))
    notify.payment_released(application, payment)


def check_use_report(*, user, process, application, decision, accepted_costs, note):
    accepted = decision == "accept"
    report = use_report_check(actor=user, report=application.use_reports.last(), accepted=accepted,
                              accepted_costs=accepted_costs, note=note)
    process.use_report_accepted = accepted
    notify.use_report_checked(application, report)


def settle(*, user, process, application, confirm=True):
    result = settlement_record(actor=user, application=application)
    recovery = result.pop("recovery")
    content, kind = dict(result), Letter.Kind.SETTLEMENT
    bescheid = application.letters.filter(kind=Letter.Kind.BESCHEID, status=Letter.Status.ISSUED).last()
    content.update(bescheid_number=bescheid.number,
                   bescheid_issued_on=timezone.localtime(bescheid.issued_at).date().isoformat())
    report = (application.use_reports.filter(accepted_eligible_costs__isnull=False)
              .prefetch_related("receipt_lines").last())
    comparison = budget_against_actual(report)
    content.update(cost_basis=comparison.basis, cost_planned_total=str(comparison.planned_total),
                   cost_actual_total=str(comparison.actual_total), cost_difference=str(comparison.difference),
                   cost_comparison=[{"label": row.label, "planned": str(row.planned), "actual": str(row.actual),
                                     "difference": str(row.difference)} for row in comparison.rows])
    if recovery is not None:
        kind = Letter.Kind.RECOVERY
        content.update(principal=recovery.principal, interest_rate=str(recovery.interest_rate),
                       interest_from=recovery.interest_from.isoformat(), interest_to=recovery.interest_to.isoformat(),
                       interest=recovery.interest, total=recovery.total, due_date=recovery_due_date().isoformat())
    letter_draft(actor=user, application=application, kind=kind, content=content)
    process.final_payment = result["final_payment"] > 0


# Applicant steps (the portal's task pages and the demo loader call these)


def answer_documents(*, user, process, application, answer):
    request = documents_answer(actor=user, application=application, answer=answer)
    notify.documents_received(application, request)


def request_payment(*, user, process, application, amount, note):
    payment_request_create(actor=user, application=application, amount=amount, note=note)
    process.payment_requested = True
    process.payment_declined = False


def submit_use_report(*, user, process, application, narrative, lines, funding_sign_in_place):
    use_report_submit(actor=user, application=application, narrative=narrative, lines=lines,
                      funding_sign_in_place=funding_sign_in_place)
    process.payment_requested = False
