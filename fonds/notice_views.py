"""Finanzen records when a Bescheid went to the post and when a waiver of appeal came in (Bekanntgabe and
Bestandskraft, docs/finance.md)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from fonds.errors import DomainError
from fonds.forms import PostingForm, WaiverForm
from fonds.models import Document, Letter
from fonds.services.documents import document_upload
from fonds.services.finality import letter_record_posting, letter_record_waiver

PERMISSION = "fonds.record_dispatch"


def _letter(user, pk) -> Letter:
    """An issued Bescheid of the user's authority; any other letter does not exist for them."""
    letters = Letter.objects.filter(application__fund__authority__staff_memberships__user=user,
                                    kind__in=Letter.NOTICE_KINDS).exclude(status=Letter.Status.DRAFT)
    return get_object_or_404(letters.select_related("application__organisation", "waiver_document"), pk=pk)


@permission_required(PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def letter_notice(request, pk):
    letter = _letter(request.user, pk)
    today = timezone.localdate()
    posting_form = PostingForm(initial={"posted_on": timezone.localtime(letter.issued_at).date()})
    waiver_form, status = WaiverForm(initial={"waiver_received_on": today}), 200
    if request.method == "POST":
        status = 400
        if request.POST.get("action") == "posting":
            posting_form = PostingForm(request.POST)
            if posting_form.is_valid():
                try:
                    letter_record_posting(actor=request.user, letter=letter, **posting_form.cleaned_data)
                except DomainError as error:
                    posting_form.add_error(error.field if error.field in posting_form.fields else None, error.message)
                else:
                    messages.success(request, _("Die Aufgabe zur Post ist erfasst."))
                    return redirect("portal:letter_notice", pk=letter.pk)
        elif request.POST.get("action") == "waiver":
            waiver_form = WaiverForm(request.POST, request.FILES)
            if waiver_form.is_valid():
                data = waiver_form.cleaned_data
                try:
                    with transaction.atomic():  # the signed form is kept only with the recorded waiver
                        document = (document_upload(actor=request.user, application=letter.application,
                                                    kind=Document.Kind.WAIVER, uploaded_file=data["waiver_file"])
                                    if data["waiver_file"] else None)
                        letter_record_waiver(actor=request.user, letter=letter,
                                             received_on=data["waiver_received_on"], document=document)
                except DomainError as error:
                    field = {"file": "waiver_file"}.get(error.field, error.field)
                    waiver_form.add_error(field if field in waiver_form.fields else None, error.message)
                else:
                    messages.success(request, _("Der Rechtsbehelfsverzicht ist erfasst."))
                    return redirect("portal:letter_notice", pk=letter.pk)
        else:
            status = 400
    letter.refresh_from_db()
    return render(request, "fonds/letter_notice.html", {
        "letter": letter, "application": letter.application, "notice": letter.notice,
        "posting_form": posting_form, "waiver_form": waiver_form,
        "notice_days": settings.FONDSFLOW_NOTICE_DAYS_AFTER_POSTING,
    }, status=status)
