"""The grant lifecycle of a Verfügungsfonds as one flow. Nodes stand in the order of the diagram
(docs/workflow.md). Task views only validate, call a fonds service and execute the task."""

from datetime import datetime, time, timedelta

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import act, flow, lock

from fonds.dates import add_years
from fonds.models import Application, BoardDecision, EligibilityCheck, Letter, Payment, Stage
from fonds.services.applications import application_set_stage
from fonds.services.letters import letter_draft, letter_issue
from notifications.services import certificates_render_async, letter_render_async

from . import notify, views
from .models import GrantProcess
from .nodes import ApplicantView, SecondPersonView, StaffView


def _recommendation_four_eyes(activation):
    return activation.process.artifact.fund.recommendation_four_eyes


def _latest_person_is(user, related, field, **filters):
    """Applications whose newest `related` row (e.g. recommendation) names `user` in `field`. Starts from the
    user's own rows (an indexed foreign key) and keeps those that are the newest of their application, so the
    task lists never check every application (bench/: the planner costed that at a full scan per request)."""
    model = Application._meta.get_field(related).related_model
    newest = model.objects.filter(application=OuterRef("application"), **filters).order_by("-pk").values("pk")[:1]
    return model.objects.filter(**{field: user}, **filters).filter(pk=Subquery(newest)).values("application")


def _recommendation_author(process):
    recommendation = process.artifact.recommendations.order_by("-pk").first()
    return recommendation.author_id if recommendation else None


def _bescheid_drafter(process):
    letter = process.artifact.letters.filter(kind=Letter.Kind.BESCHEID).order_by("-pk").first()
    return letter.drafted_by_id if letter else None


def _payment_orderer(process):
    payment = process.artifact.payments.filter(status=Payment.Status.ORDERED).order_by("-pk").first()
    return payment.ordered_by_id if payment else None


class GrantFlow(flow.Flow):
    """Förderantrag"""

    process_class = GrantProcess
    lock_impl = lock.select_for_update_lock
    process_title = _("Förderantrag")
    process_description = _("Vom eingereichten Antrag bis zum Abschluss der Zweckbindung")

    # Antragsteller: submission starts the process
    start = flow.StartHandle(this.start_process).Annotation(title=_("Antrag eingereicht")).Next(this.receipt)
    receipt = flow.Function(this.send_receipt).Annotation(title=_("Eingangsbestätigung")).Next(this.receipt_stored)
    receipt_stored = flow.Handle(this.letter_stored).Annotation(title=_("Eingangsbestätigung abgelegt")).Next(
        this.eligibility)

    # Citymanagement
    eligibility = (
        StaffView(views.EligibilityView.as_view())
        .Annotation(title=_("Prüfung Zuwendungsfähigkeit"))
        .Permission("fonds.check_eligibility")
        .Next(this.eligibility_outcome)
    )
    eligibility_outcome = (
        flow.Switch()
        .Case(this.answer_documents, lambda a: a.process.eligibility == EligibilityCheck.Outcome.MISSING)
        .Case(this.recommendation, lambda a: a.process.eligibility == EligibilityCheck.Outcome.ELIGIBLE)
        .Default(this.rejection)
    )

    # Antragsteller
    answer_documents = (
        ApplicantView(views.to_portal)
        .Annotation(title=_("Unterlagen nachreichen"))
        .Assign(this.submitter)
        .OnTimeout(this.documents_deadline, this.documents_overdue, title=_("Frist abgelaufen"))
        .Next(this.eligibility)
    )
    # Citymanagement decides again once the deadline has passed without an answer (fired by our beat task)
    documents_overdue = flow.Function(this.return_overdue_request).Next(this.eligibility)

    # Citymanagement
    recommendation = (
        StaffView(views.RecommendationView.as_view())
        .Annotation(title=_("Fachliche Stellungnahme"))
        .Permission("fonds.recommend")
        .Next(this.recommendation_review)
    )
    # Funds with the four-eyes rule for recommendations: a second person confirms or sends it back
    recommendation_review = (
        flow.If(_recommendation_four_eyes).Then(this.recommendation_confirm).Else(this.board)
    )
    recommendation_confirm = (
        SecondPersonView(views.RecommendationConfirmView.as_view(), first_person=_recommendation_author,
                         first_person_of=lambda user: _latest_person_is(user, "recommendations", "author"))
        .Annotation(title=_("Stellungnahme bestätigen (Vier-Augen-Prinzip)"))
        .Permission("fonds.recommend")
        .Next(this.recommendation_confirmed)
    )
    recommendation_confirmed = (
        flow.If(act.process.recommendation_returned).Then(this.recommendation).Else(this.board)
    )

    # Beirat: the application waits for a meeting; signing its minutes (or closing a written procedure)
    # runs this node with the BoardDecision (workflows/board.py)
    board = flow.Handle(this.board_decided).Annotation(title=_("Beiratsentscheidung")).Next(this.board_outcome)
    board_outcome = (
        flow.Switch()
        .Case(this.board, lambda a: a.process.board_outcome == BoardDecision.Outcome.DEFER)
        .Case(this.rejection, lambda a: a.process.board_outcome == BoardDecision.Outcome.REJECT)
        .Default(this.bescheid_draft)
    )

    # Kämmerei: Bescheid, drafted by one and issued by another
    bescheid_draft = (
        StaffView(views.BescheidDraftView.as_view())
        .Annotation(title=_("Bewilligungsbescheid entwerfen"))
        .Permission("fonds.draft_bescheid")
        .Next(this.bescheid_issue)
    )
    bescheid_issue = (
        SecondPersonView(views.BescheidIssueView.as_view(), first_person=_bescheid_drafter,
                         first_person_of=lambda user: _latest_person_is(user, "letters", "drafted_by",
                                                                        kind=Letter.Kind.BESCHEID))
        .Annotation(title=_("Bewilligungsbescheid prüfen und erlassen"))
        .Permission("fonds.issue_bescheid")
        .Next(this.bescheid_checked)
    )
    bescheid_checked = flow.If(act.process.bescheid_returned).Then(this.bescheid_draft).Else(this.bescheid_render)
    bescheid_render = flow.Function(this.render_bescheid).Next(this.bescheid_stored)
    bescheid_stored = flow.Handle(this.letter_stored).Annotation(title=_("Bescheid abgelegt")).Next(
        this.implementation)

    # Antragsteller: implementation, payment requests, proof of use
    implementation = (
        ApplicantView(views.to_portal)
        .Annotation(title=_("Umsetzung: Mittel abrufen oder Verwendungsnachweis einreichen"))
        .Assign(this.submitter)
        .Next(this.implementation_choice)
    )
    implementation_choice = (
        flow.If(act.process.payment_requested).Then(this.payment_order).Else(this.use_report_check)
    )

    # Kämmerei: payment ordered by one, released by another
    payment_order = (
        StaffView(views.PaymentOrderView.as_view())
        .Annotation(title=_("Auszahlung anordnen"))
        .Permission("fonds.order_payment")
        .Next(this.payment_ordered)
    )
    payment_ordered = flow.If(act.process.payment_declined).Then(this.implementation).Else(this.payment_release)
    payment_release = (
        SecondPersonView(views.PaymentReleaseView.as_view(), first_person=_payment_orderer,
                         first_person_of=lambda user: _latest_person_is(user, "payments", "ordered_by",
                                                                        status=Payment.Status.ORDERED))
        .Annotation(title=_("Auszahlung freigeben"))
        .Permission("fonds.release_payment")
        .Next(this.payment_released)
    )
    payment_released = flow.If(act.process.final_payment).Then(this.close).Else(this.implementation)

    # Citymanagement
    use_report_check = (
        StaffView(views.UseReportCheckView.as_view())
        .Annotation(title=_("Verwendungsnachweis prüfen"))
        .Permission("fonds.check_use_report")
        .Next(this.use_report_outcome)
    )
    use_report_outcome = flow.If(act.process.use_report_accepted).Then(this.settlement).Else(this.implementation)

    # Kämmerei
    settlement = (
        StaffView(views.SettlementView.as_view())
        .Annotation(title=_("Schlussabrechnung"))
        .Permission("fonds.settle")
        .Next(this.settlement_render)
    )
    settlement_render = flow.Function(this.render_settlement).Next(this.settlement_stored)
    settlement_stored = flow.Handle(this.letter_stored).Annotation(title=_("Schlussabrechnung abgelegt")).Next(
        this.settlement_outcome)
    settlement_outcome = flow.If(act.process.final_payment).Then(this.payment_order).Else(this.close)

    close = flow.Function(this.close_application).Annotation(title=_("Abschluss")).Next(this.end)
    end = flow.End()

    # Ablehnung (nicht zuwendungsfähig oder vom Beirat abgelehnt)
    rejection = flow.Function(this.send_rejection).Annotation(title=_("Ablehnungsbescheid")).Next(
        this.rejection_stored)
    rejection_stored = flow.Handle(this.letter_stored).Annotation(title=_("Ablehnungsbescheid abgelegt")).Next(
        this.rejected)
    rejected = flow.End()

    # --- callbacks --------------------------------------------------------------------------------

    def start_process(self, activation, application):
        activation.process.artifact = application
        activation.process.save()
        return activation.process

    def submitter(self, activation):
        return activation.process.artifact.created_by

    def documents_deadline(self, activation):
        """The end of the deadline day of the open Nachforderung."""
        request = activation.process.artifact.document_requests.filter(answered_at__isnull=True).last()
        end_of_day = datetime.combine(request.deadline + timedelta(days=1), time.min)
        return timezone.make_aware(end_of_day)

    def return_overdue_request(self, activation):
        application = activation.process.artifact
        application_set_stage(actor=None, application=application, stage=Stage.ELIGIBILITY)
        notify.documents_overdue(application, application.document_requests.last())

    def send_receipt(self, activation):
        letter = letter_draft(actor=None, application=activation.process.artifact, kind=Letter.Kind.RECEIPT,
                              content={})
        letter_render_async(letter=letter_issue(actor=None, letter=letter))

    def send_rejection(self, activation):
        application = activation.process.artifact
        decision = application.board_decisions.filter(outcome=BoardDecision.Outcome.REJECT).last()
        if decision is not None:
            content = {"reasons": decision.reasons, "decided_by": "beirat", "decided_on": decision.decided_on}
        else:
            check = application.eligibility_checks.last()
            content = {"reasons": check.reasons, "decided_by": "citymanagement",
                       "decided_on": timezone.localtime(check.checked_at).date()}
        content["decided_on"] = content["decided_on"].isoformat()
        letter = letter_draft(actor=None, application=application, kind=Letter.Kind.REJECTION, content=content)
        letter_render_async(letter=letter_issue(actor=None, letter=letter))
        application_set_stage(actor=None, application=application, stage=Stage.REJECTED)

    def render_bescheid(self, activation):
        letter = activation.process.artifact.letters.filter(kind=Letter.Kind.BESCHEID,
                                                            status=Letter.Status.QUEUED).get()
        letter_render_async(letter=letter)
        certificates_render_async(application=activation.process.artifact)  # funds that apply de-minimis

    def render_settlement(self, activation):
        letter = activation.process.artifact.letters.filter(
            kind__in=[Letter.Kind.SETTLEMENT, Letter.Kind.RECOVERY], status=Letter.Status.DRAFT).get()
        letter_render_async(letter=letter_issue(actor=None, letter=letter))

    def board_decided(self, activation, decision):
        activation.process.board_outcome = decision.outcome
        activation.process.save()

    def letter_stored(self, activation, letter):
        """Completed by notifications.tasks.render_letter once the PDF is stored: now the letter can be
        linked in the notification."""
        notify.letter_stored(letter)

    def close_application(self, activation):
        application = activation.process.artifact
        today = timezone.localdate()
        application_set_stage(actor=None, application=application, stage=Stage.CLOSED,
                              earmarked_until=add_years(today, application.rules.earmarking_years))


LETTER_HANDLES = {
    Letter.Kind.RECEIPT: GrantFlow.receipt_stored,
    Letter.Kind.REJECTION: GrantFlow.rejection_stored,
    Letter.Kind.BESCHEID: GrantFlow.bescheid_stored,
    Letter.Kind.SETTLEMENT: GrantFlow.settlement_stored,
    Letter.Kind.RECOVERY: GrantFlow.settlement_stored,
}
