"""Finanzen: all Bescheide of a signed Beirat meeting as one ZIP, with a progress bar."""

from django.contrib.auth.decorators import permission_required
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from fonds.document_views import _attachment
from fonds.errors import DomainError
from fonds.models import LetterBatch
from fonds.selectors.letters import letter_batch_for_user, meeting_for_finance, signed_meetings_with_letters
from fonds.selectors.payments import fund_for_finance
from fonds.services.letter_batches import letter_batch_start

PERMISSION = "fonds.draft_bescheid"


@permission_required(PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def fund_letter_batches(request, pk):
    """The fund's signed meetings; a POST with `meeting` starts (or resumes showing) that meeting's batch."""
    fund = fund_for_finance(user=request.user, pk=pk)
    error, status = None, 200
    if request.method == "POST":
        meeting = meeting_for_finance(user=request.user, fund=fund, pk=request.POST.get("meeting", ""))
        try:
            batch = letter_batch_start(actor=request.user, meeting=meeting)
        except DomainError as refusal:
            error, status = refusal.message, 400
        else:
            from notifications.tasks import render_letter_batch

            batch_pk = batch.pk
            transaction.on_commit(lambda: render_letter_batch.delay(batch_pk), robust=True)
            return redirect("benachrichtigungen:letter_batch", pk=batch.pk)
    return render(request, "notifications/letter_batches.html", {
        "fund": fund, "meetings": list(signed_meetings_with_letters(fund)), "error": error}, status=status)


def _progress(batch: LetterBatch) -> dict:
    done = batch.status == LetterBatch.Status.DONE
    return {"status": batch.status, "status_label": str(batch.get_status_display()), "done": batch.done,
            "total": batch.total, "text": _("%(done)s von %(total)s") % {"done": batch.done, "total": batch.total},
            "error": batch.error,
            "download": reverse("benachrichtigungen:letter_batch_zip", args=[batch.pk]) if done else None}


@permission_required(PERMISSION, raise_exception=True)
@require_GET
def letter_batch(request, pk):
    batch = letter_batch_for_user(user=request.user, pk=pk)
    return render(request, "notifications/letter_batch.html", {
        "batch": batch, "fund": batch.meeting.board.fund, "progress": _progress(batch),
        "running": batch.status in (LetterBatch.Status.QUEUED, LetterBatch.Status.RUNNING)})


@permission_required(PERMISSION, raise_exception=True)
@require_GET
def letter_batch_progress(request, pk):
    return JsonResponse(_progress(letter_batch_for_user(user=request.user, pk=pk)),
                        headers={"Cache-Control": "no-store"})


@permission_required(PERMISSION, raise_exception=True)
@require_GET
def letter_batch_zip(request, pk):
    batch = letter_batch_for_user(user=request.user, pk=pk)
    if batch.status != LetterBatch.Status.DONE:
        raise Http404
    return _attachment(batch.zip_file, batch.download_name, "application/zip")
