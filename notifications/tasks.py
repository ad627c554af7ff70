import logging
from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from fonds.models import Letter
from fonds.services.letters import letter_store_pdf
from notifications.letters import render_letter_pdf
from notifications.services import DeliveryError, notification_deliver, notification_give_up, notifications_requeue
from notifications.signals import letter_stored

logger = logging.getLogger(__name__)


@shared_task(bind=True, acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def render_letter(self, letter_pk: int) -> str:
    """Render and store a letter outside any lock, then tell the flow. Idempotent: a redelivered
    message finds the PDF stored and only repeats the (idempotent) notification."""
    letter = Letter.objects.select_related("application").get(pk=letter_pk)
    if letter.status == Letter.Status.QUEUED:
        letter = letter_store_pdf(letter=letter, pdf=render_letter_pdf(letter))
    letter_stored.send(sender=Letter, letter=letter)
    return letter.sha256


@shared_task
def requeue_unrendered_letters(older_than_minutes: int = 5) -> int:
    """Letters whose rendering message was lost (broker down at commit, worker died) are queued again."""
    cutoff = timezone.now() - timedelta(minutes=older_than_minutes)
    pks = list(Letter.objects.filter(status=Letter.Status.QUEUED, issued_at__lt=cutoff).values_list("pk", flat=True))
    for pk in pks:
        render_letter.delay(pk)
    if pks:
        logger.warning("Requeued %d letters still waiting for their PDF", len(pks))
    return len(pks)


@shared_task(bind=True, acks_late=True, max_retries=5)
def deliver_notification(self, notification_pk: int) -> str:
    """Send one outbox row. Retries with growing pauses; after the last attempt the row is marked failed
    and shows up for staff with a resend button."""
    try:
        return notification_deliver(notification_pk)
    except DeliveryError as exc:
        if self.request.retries >= self.max_retries:
            notification_give_up(notification_pk)
            return "failed"
        raise self.retry(exc=exc, countdown=min(30 * 2 ** self.request.retries, 3600)) from exc


@shared_task
def requeue_notifications() -> int:
    return notifications_requeue()


@shared_task
def send_reminders() -> int:
    """Daily: proof of use due in four weeks, in one week, overdue; earmarking period ending."""
    from notifications.reminders import send_reminders as run

    return run()


@shared_task(bind=True, acks_late=True, max_retries=5)
def deliver_event_invitation(self, invitation_pk: int) -> str:
    """Send one invitation to a network event; retried like a notification, then marked failed."""
    from notifications.invitations import invitation_deliver, invitation_give_up

    try:
        return invitation_deliver(invitation_pk)
    except DeliveryError as exc:
        if self.request.retries >= self.max_retries:
            invitation_give_up(invitation_pk)
            return "failed"
        raise self.retry(exc=exc, countdown=min(30 * 2 ** self.request.retries, 3600)) from exc


@shared_task(bind=True, acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def render_board_packs(self, meeting_pk: int, member_pk: int | None = None) -> int:
    """The board pack of one member, or of every member in term and the Citymanagement. Idempotent."""
    from fonds.models import BoardMember, Meeting
    from fonds.selectors.board import members_in_term
    from notifications.board_pdf import board_pack_store

    meeting = Meeting.objects.select_related("board__fund__authority").get(pk=meeting_pk)
    if meeting.status != Meeting.Status.PLANNED:
        return 0  # a pack is for preparing the meeting; the minutes are the record afterwards
    members = ([BoardMember.objects.get(pk=member_pk)] if member_pk else [None, *members_in_term(meeting)])
    for member in members:
        board_pack_store(meeting=meeting, member=member)
    return len(members)


@shared_task(bind=True, acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def render_minutes(self, meeting_pk: int) -> str:
    from fonds.models import Meeting
    from notifications.board_pdf import minutes_store

    return minutes_store(meeting=Meeting.objects.get(pk=meeting_pk)).minutes_sha256


@shared_task(bind=True, acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def render_letter_batch(self, batch_pk: int) -> str:
    """All Bescheide of a meeting into one ZIP, counting progress. Drafts are rendered with the draft mark;
    issued letters go in as stored, never rendered again. Idempotent: a finished batch is left as it is, an
    interrupted one is built again from the start (the same letters give the same ZIP)."""
    from fonds.models import LetterBatch
    from notifications.letter_batch import letter_batch_build

    batch = LetterBatch.objects.get(pk=batch_pk)
    if batch.status == LetterBatch.Status.DONE:
        return batch.sha256
    return letter_batch_build(batch, render_stored=render_letter).sha256
