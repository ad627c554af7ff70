"""Applicant pages bound to a step of the flow: submit, withdraw, answer a Nachforderung, implement."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fonds.document_views import handle_upload
from fonds.errors import DomainError
from fonds.forms import DocumentForm
from fonds.selectors.applications import application_for_applicant, applications_for_applicant
from fonds.services.documents import upload_limits
from fonds.services.ledger import application_paid
from fonds.services.payments import payment_headroom, use_report_missing_documents

from . import services, steps
from .applicant_forms import AnswerForm, PaymentRequestForm, ReceiptLineFormSet, UseReportForm
from .flows import GrantFlow


@require_POST
def submit(request, pk):
    # The applicant's own applications only (404 otherwise); the service locks and reads it again.
    application = get_object_or_404(applications_for_applicant(user=request.user).prefetch_related(None), pk=pk)
    try:
        services.submit_and_start(actor=request.user, application=application)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Ihr Antrag ist eingereicht. Die Eingangsbestätigung finden Sie unten."))
    return redirect("portal:application", pk=pk)


def withdraw(request, pk):
    application = application_for_applicant(user=request.user, pk=pk)
    if request.method == "POST":
        try:
            services.withdraw(actor=request.user, application=application)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Ihr Antrag wurde zurückgezogen."))
        return redirect("portal:application", pk=pk)
    return render(request, "workflows/withdraw.html", {"application": application})


def _open_or_404(application, node):
    if services.open_task(application, node) is None:
        raise Http404
    return application


def answer_documents(request, pk):
    application = _open_or_404(application_for_applicant(user=request.user, pk=pk), GrantFlow.answer_documents)
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.applicant_task_execute(
                user=request.user, application=application, node=GrantFlow.answer_documents,
                perform=lambda process: steps.answer_documents(user=request.user, process=process,
                                                               application=application,
                                                               answer=form.cleaned_data["answer"]))
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Danke! Das Citymanagement prüft Ihren Antrag weiter."))
            return redirect("portal:application", pk=pk)
    return render(request, "workflows/answer_documents.html", {
        "application": application, "form": form,
        "document_request": application.document_requests.filter(answered_at__isnull=True).last(),
        "documents": application.documents.all()})


IMPLEMENTATION_KINDS = ("receipt", "finished_photo", "funding_sign", "photo", "permit", "other")


def implementation(request, pk):
    """Umsetzung: upload invoices and photos, call funds, hand in the proof of use."""
    application = _open_or_404(application_for_applicant(user=request.user, pk=pk), GrantFlow.implementation)
    action = request.POST.get("action") if request.method == "POST" else None
    payment_form = PaymentRequestForm(request.POST if action == "payment" else None, prefix="abruf")
    report_form = UseReportForm(request.POST if action == "use_report" else None, prefix="vn")
    receipts = ReceiptLineFormSet(request.POST if action == "use_report" else None, prefix="belege",
                                  application=application)
    upload_form = None

    def run(perform, form):
        try:
            services.applicant_task_execute(user=request.user, application=application,
                                            node=GrantFlow.implementation, perform=perform)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            return False
        return True

    if action == "upload":
        upload_form, document = handle_upload(request, application)
        if document is not None:
            messages.success(request, _("„%(name)s“ ist hochgeladen.") % {"name": document.original_name})
            return redirect("antrag:implementation", pk=pk)
    if action == "payment" and payment_form.is_valid():
        def perform(process):
            steps.request_payment(user=request.user, process=process, application=application,
                                  **payment_form.cleaned_data)

        if run(perform, payment_form):
            messages.success(request, _("Ihr Mittelabruf ist eingegangen."))
            return redirect("portal:application", pk=pk)
    if action == "use_report" and report_form.is_valid() and receipts.is_valid():
        lines = [f.cleaned_data for f in receipts.forms if f.cleaned_data]

        def perform(process):
            steps.submit_use_report(user=request.user, process=process, application=application,
                                    narrative=report_form.cleaned_data["narrative"], lines=lines,
                                    funding_sign_in_place=report_form.cleaned_data["funding_sign_in_place"])

        if run(perform, report_form):
            messages.success(request, _("Ihr Verwendungsnachweis ist eingegangen."))
            return redirect("portal:application", pk=pk)
    if upload_form is None:
        upload_form = DocumentForm(prefix=None)
    upload_form.fields["kind"].choices = [c for c in upload_form.fields["kind"].choices
                                          if c[0] in IMPLEMENTATION_KINDS]
    failed = action is not None
    return render(request, "workflows/implementation.html", {
        "application": application, "payment_form": payment_form, "report_form": report_form,
        "receipts": receipts, "upload_form": upload_form, "limits": upload_limits(application),
        "documents": application.documents.filter(kind__in=IMPLEMENTATION_KINDS),
        "missing": use_report_missing_documents(application),
        "paid": application_paid(application), "headroom": payment_headroom(application),
        "session_seconds": settings.SESSION_COOKIE_AGE}, status=400 if failed else 200)
