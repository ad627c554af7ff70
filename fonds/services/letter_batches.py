"""All Bescheide of a signed Beirat meeting in one ZIP. The batch is fixed when it is started (which letters);
a Celery task (notifications.tasks.render_letter_batch) fills it and reports its progress here."""

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from fonds.errors import DomainError
from fonds.models import Letter, LetterBatch, Meeting
from fonds.services.audit import audit_record

BATCH_KINDS = (Letter.Kind.BESCHEID, Letter.Kind.REJECTION)
OPEN = (LetterBatch.Status.QUEUED, LetterBatch.Status.RUNNING)


def meeting_letters(meeting: Meeting):
    """The Bewilligungs- and Ablehnungsbescheide (drafted or issued) of the applications the meeting decided."""
    return (Letter.objects.filter(application__agenda_items__meeting=meeting,
                                  application__agenda_items__decision__isnull=False, kind__in=BATCH_KINDS)
            .filter(Q(status__in=[Letter.Status.DRAFT, Letter.Status.QUEUED, Letter.Status.ISSUED]))
            .order_by("application__file_number", "number").distinct())


@transaction.atomic
def letter_batch_start(*, actor, meeting: Meeting) -> LetterBatch:
    """Start a batch, or return the one already under way for this meeting."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != Meeting.Status.SIGNED:
        raise DomainError(_("Bescheide werden erst erzeugt, wenn die Niederschrift der Sitzung unterzeichnet ist."))
    running = meeting.letter_batches.filter(status__in=OPEN).first()
    if running is not None:
        return running
    ids = list(meeting_letters(meeting).values_list("pk", flat=True))
    if not ids:
        raise DomainError(_("Zu dieser Sitzung gibt es noch keine Bescheide."))
    batch = LetterBatch.objects.create(meeting=meeting, requested_by=actor, letter_ids=ids, total=len(ids))
    audit_record(actor=actor, action="letter_batch.started", obj=batch,
                 after={"meeting": meeting.pk, "total": len(ids)})
    return batch


def letter_batch_running(batch: LetterBatch) -> None:
    """(Re)start: a redelivered task builds the whole ZIP again from the first letter."""
    LetterBatch.objects.filter(pk=batch.pk).exclude(status=LetterBatch.Status.DONE).update(
        status=LetterBatch.Status.RUNNING, done=0, error="")


def letter_batch_progress(batch: LetterBatch, done: int) -> None:
    """Written outside any transaction so that the progress page sees each step."""
    LetterBatch.objects.filter(pk=batch.pk, status=LetterBatch.Status.RUNNING).update(done=done)


@transaction.atomic
def letter_batch_finish(*, batch: LetterBatch, content: bytes) -> LetterBatch:
    batch = LetterBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status == LetterBatch.Status.DONE:
        return batch  # a redelivered task: the stored ZIP stays as it is
    name = batch.zip_file.field.generate_filename(batch, f"{batch.pk}.zip")
    storage = batch.zip_file.storage
    if storage.exists(name):  # left by an attempt that died before its commit
        storage.delete(name)
    batch.zip_file.save(f"{batch.pk}.zip", ContentFile(content), save=False)
    batch.sha256 = hashlib.sha256(content).hexdigest()
    batch.done, batch.status, batch.finished_at, batch.error = batch.total, LetterBatch.Status.DONE, timezone.now(), ""
    batch.save()
    audit_record(actor=None, action="letter_batch.done", obj=batch,
                 after={"sha256": batch.sha256, "total": batch.total})
    return batch


def letter_batch_fail(*, batch: LetterBatch, error: str) -> None:
    LetterBatch.objects.filter(pk=batch.pk).exclude(status=LetterBatch.Status.DONE).update(
        status=LetterBatch.Status.FAILED, error=error[:2000])


def letter_batch_entry_name(letter: Letter) -> str:
    """One PDF per letter, named by the letter's number (the file number and the letter's own suffix)."""
    draft = "-Entwurf" if letter.status == Letter.Status.DRAFT else ""
    return f"{letter.number.replace('/', '-')}{draft}.pdf"
