"""Task views of the staff: validate the form, call the step (one fonds service), execute the task, redirect."""

from datetime import timedelta

from django.db import transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import FormView
from viewflow.workflow.flow.views.mixins import TaskSuccessUrlMixin

from fonds.errors import DomainError
from fonds.selectors.applications import application_for_staff
from fonds.selectors.dossier import recommendation_weighted_total
from fonds.selectors.settlement import budget_against_actual
from fonds.services.applications import application_grant_preview
from fonds.services.checklist import checklist_for
from fonds.services.finality import approval_notice, payment_block_reason
from fonds.services.ledger import application_paid
from fonds.services.payments import payment_headroom, use_report_claimed_costs
from fonds.services.reviews import application_possible_grant
from notifications.letters import render_letter_html

from . import forms, steps


def to_portal(request, **kwargs):
    """Applicant steps are done in the portal; the staff frontend's link leads there."""
    return redirect("portal:application", pk=request.activation.process.artifact_object_id)


class TaskFormView(TaskSuccessUrlMixin, FormView):
    template_name = "workflows/task.html"
    step = None

    def dispatch(self, request, *args, **kwargs):
        self.process = request.activation.process
        # Staff see only the applications of their own authority.
        self.application = application_for_staff(user=request.user, pk=self.process.artifact_object_id)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(application=self.application, **kwargs)

    def form_valid(self, form):
        try:
            with transaction.atomic():
                type(self).step(user=self.request.user, process=self.process, application=self.application,
                                **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            return self.form_invalid(form)
        self.process.save()
        self.request.activation.execute()
        return redirect(self.get_success_url())


class EligibilityView(TaskFormView):
    form_class, step = forms.EligibilityForm, steps.check_eligibility

    def get_form_kwargs(self):
        # The items come from the rules the application was submitted under.
        return {**super().get_form_kwargs(),
                "checklist": checklist_for(self.application, self.application.rules)}

    def get_initial(self):
        return {"deadline": timezone.localdate() + timedelta(days=14)}


class RecommendationView(TaskFormView):
    form_class, step = forms.RecommendationForm, steps.recommend
    template_name = "workflows/recommendation.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "application": self.application}

    def get_initial(self):
        # What the rules the application was submitted under allow, capped by what was requested.
        return {"amount": application_possible_grant(self.application)}

    def get_context_data(self, **kwargs):
        returned = (self.application.audit_events.filter(action="recommendation.returned")
                    .order_by("-created_at", "-pk").first())
        return super().get_context_data(preview=application_grant_preview(self.application,
                                                                          self.application.rules),
                                        returned=returned, **kwargs)


class RecommendationConfirmView(TaskFormView):
    form_class, step = forms.RecommendationConfirmForm, steps.confirm_recommendation
    template_name = "workflows/recommendation_confirm.html"

    def get_context_data(self, **kwargs):
        recommendation = (self.application.recommendations.select_related("author")
                          .prefetch_related("scores__criterion").last())
        return super().get_context_data(recommendation=recommendation,
                                        total=recommendation_weighted_total(recommendation), **kwargs)


class BescheidDraftView(TaskFormView):
    form_class, step = forms.BescheidDraftForm, steps.draft_bescheid

    def get_initial(self):
        return steps.bescheid_defaults(self.application)


class BescheidIssueView(TaskFormView):
    form_class, step = forms.BescheidIssueForm, steps.issue_bescheid
    template_name = "workflows/bescheid_issue.html"

    def get_context_data(self, **kwargs):
        html = render_letter_html(steps.draft_letter(self.application))
        return super().get_context_data(letter_html=html, **kwargs)


class PaymentOrderView(TaskFormView):
    form_class, step = forms.PaymentOrderForm, steps.order_payment
    template_name = "workflows/payment_order.html"

    def payment_request(self):
        return None if self.application.final_grant is not None else self.application.payment_requests.last()

    def get_initial(self):
        request = self.payment_request()
        return {"amount": request.amount if request else payment_headroom(self.application)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(payment_request=self.payment_request(),
                                        paid=application_paid(self.application),
                                        headroom=payment_headroom(self.application), **_notice(self.application),
                                        **kwargs)


class PaymentReleaseView(TaskFormView):
    form_class, step = forms.PaymentReleaseForm, steps.release_payment
    template_name = "workflows/payment_release.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(payment=steps.ordered_payment(self.application), **_notice(self.application),
                                        **kwargs)


def _notice(application) -> dict:
    """The Bewilligungsbescheid's Bestandskraft and, while payments wait for it, why."""
    return {"notice_letter": approval_notice(application), "payment_block": payment_block_reason(application)}


class UseReportCheckView(TaskFormView):
    form_class, step = forms.UseReportCheckForm, steps.check_use_report
    template_name = "workflows/use_report_check.html"

    def get_initial(self):
        return {"accepted_costs": use_report_claimed_costs(self.application.use_reports.last())}

    def get_context_data(self, **kwargs):
        report = self.application.use_reports.prefetch_related("receipt_lines__cost_item").last()
        return super().get_context_data(report=report, claimed=use_report_claimed_costs(report),
                                        comparison=budget_against_actual(report), **kwargs)


class SettlementView(TaskFormView):
    form_class, step = forms.ConfirmForm, steps.settle
    template_name = "workflows/settlement.html"

    def get_context_data(self, **kwargs):
        report = (self.application.use_reports.filter(accepted_eligible_costs__isnull=False)
                  .prefetch_related("receipt_lines").last())
        return super().get_context_data(report=report, paid=application_paid(self.application),
                                        comparison=budget_against_actual(report), **kwargs)
