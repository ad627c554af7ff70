"""The entry points of the notifications app: `notify()` for every event, letter rendering, delivery."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from fonds.models import Letter

from .events import get_event
from .models import Notification, NotificationSettings

logger = logging.getLogger(__name__)


def letter_render_async(*, letter: Letter) -> None:
    """Queue the PDF rendering once the current transaction commits (never before: the worker
    must see the letter row)."""
    from notifications.tasks import render_letter

    letter_pk = letter.pk
    transaction.on_commit(lambda: render_letter.delay(letter_pk), robust=True)


def certificates_render_async(*, application) -> None:
    """The De-minimis-Bescheinigungen issued with a Bescheid or an Änderungsbescheid and not yet rendered: no
    step of the flow waits for them."""
    for certificate in application.letters.filter(kind=Letter.Kind.DE_MINIMIS, status=Letter.Status.QUEUED):
        letter_render_async(letter=certificate)


def _settings_for(user) -> NotificationSettings:
    try:
        return user.notification_settings
    except NotificationSettings.DoesNotExist:
        return NotificationSettings(user=user)


def notify(event: str, *, recipients, key: str, context: dict, application=None, fund=None,
           link: str = "/") -> list[Notification]:
    """Tell `recipients` about `event`. Call it inside the transaction of the change: the rows commit or
    roll back with it, and delivery is queued only after the commit. `key` identifies the occasion
    (e.g. the application and step); the same event, key and recipient never notify twice."""
    spec = get_event(event)
    fund = fund or (application.fund if application is not None else None)
    given = set(context) | ({"file_number", "title", "organisation"} if application is not None else set())
    missing = [name for name in spec.placeholders if name not in given]
    if missing:
        # A bug in the caller, found by the tests: better than an e-mail that can never be rendered.
        raise ValueError(f"notify({event!r}) without {', '.join(missing)}")
    created = []
    for user in recipients:
        preferences = _settings_for(user)
        wants_email = spec.legal or event not in preferences.muted_events
        full_context = {
            # A value given per language ({"de": ..., "en": ...}) is told in the recipient's language.
            **{name: (value.get(preferences.language) or value["de"]) if isinstance(value, dict) else value
               for name, value in context.items()},
            "recipient_name": user.get_full_name() or user.get_username(),
            "fund": fund.name if fund is not None else "Fondsflow",
            "link": absolute_url(link),
            "site_name": "Fondsflow",
        }
        for name in LINKS:
            if full_context.get(name):
                full_context[name] = absolute_url(full_context[name])
        if application is not None:
            full_context.setdefault("file_number", application.file_number or "")
            full_context.setdefault("title", application.title)
            full_context.setdefault("organisation", application.organisation.name)
        notification, is_new = Notification.objects.get_or_create(
            key=f"{event}:{key}:{user.pk}",
            defaults={
                "recipient": user, "event": event, "application": application, "fund": fund,
                "context": full_context, "language": preferences.language,
                "email_status": Notification.EmailStatus.PENDING if (wants_email and user.email)
                else Notification.EmailStatus.SKIPPED,
            })
        if is_new:
            created.append(notification)
            if notification.email_status == Notification.EmailStatus.PENDING:
                _queue_after_commit(notification.pk)
    return created


# Context values that are paths into the portal; e-mails need them absolute.
LINKS = ("letter_link", "pack_link")


def absolute_url(path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return settings.FONDSFLOW_BASE_URL.rstrip("/") + path


def _queue_after_commit(pk: int) -> None:
    from notifications.tasks import deliver_notification

    # robust: a broker that is down must not break the request; the outbox row waits for the requeue.
    transaction.on_commit(lambda: deliver_notification.delay(pk), robust=True)


class DeliveryError(Exception):
    """Sending failed; the row keeps the error and stays pending for the next attempt."""


def send_recorded(row, rendered, *, to: str, headers: dict, sent) -> "DeliveryError | None":
    """Send one rendered e-mail for an outbox row (a notification, an invitation) and record the attempt on
    the row: sent, or the error. The error is returned, not raised: the caller raises it once its transaction
    has committed the record, so the task retries."""
    message = EmailMultiAlternatives(subject=rendered.subject, body=rendered.text,
                                     from_email=settings.DEFAULT_FROM_EMAIL, to=[to], headers=headers)
    message.attach_alternative(rendered.html, "text/html")
    row.attempts += 1
    try:
        message.send()
    except Exception as exc:  # any transport failure: keep the row, record why, let the task retry
        row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        row.save(update_fields=["attempts", "last_error"])
        error = DeliveryError(row.last_error)
        error.__cause__ = exc
        return error
    row.email_status, row.sent_at, row.last_error = sent, timezone.now(), ""
    row.save(update_fields=["attempts", "last_error", "email_status", "sent_at"])
    return None


def notification_deliver(pk: int) -> str:
    """Send the e-mail of one outbox row, at most once per successful run: the row is locked while it is
    sent and marked sent in the same transaction. A crash between sending and the commit is the one window
    in which a second delivery can happen — with the same Message-ID."""
    from .emails import render_email

    with transaction.atomic():
        notification = (Notification.objects.select_for_update(skip_locked=True, of=("self",))
                        .select_related("recipient", "fund")
                        .filter(pk=pk, email_status=Notification.EmailStatus.PENDING).first())
        if notification is None:
            return "nothing to do"
        rendered = render_email(event=notification.event, language=notification.language,
                                context=notification.context, fund=notification.fund)
        error = send_recorded(notification, rendered, to=notification.recipient.email,
                              headers={"Message-ID": notification.message_id}, sent=Notification.EmailStatus.SENT)
    if error is not None:
        raise error
    return "sent"


def notification_give_up(pk: int) -> None:
    Notification.objects.filter(pk=pk, email_status=Notification.EmailStatus.PENDING).update(
        email_status=Notification.EmailStatus.FAILED)


def notification_resend(*, actor, notification: Notification) -> Notification:
    """Staff send a failed notification again."""
    with transaction.atomic():
        notification = Notification.objects.select_for_update().get(pk=notification.pk)
        if notification.email_status != Notification.EmailStatus.FAILED:
            return notification
        notification.email_status = Notification.EmailStatus.PENDING
        notification.attempts = 0
        notification.queued_at = timezone.now()
        notification.save(update_fields=["email_status", "attempts", "queued_at"])
        logger.info("%s resends notification %s", actor, notification.pk)
        _queue_after_commit(notification.pk)
    return notification


def notifications_requeue(*, older_than: timedelta = timedelta(minutes=2),
                          again_after: timedelta = timedelta(minutes=5)) -> int:
    """Queue again what is still pending, e.g. because the broker was down when the change committed."""
    from notifications.tasks import deliver_notification

    now = timezone.now()
    pending = (Notification.objects.filter(email_status=Notification.EmailStatus.PENDING,
                                           created_at__lt=now - older_than)
               .exclude(queued_at__gte=now - again_after))
    pks = list(pending.values_list("pk", flat=True)[:500])
    Notification.objects.filter(pk__in=pks).update(queued_at=now)
    for pk in pks:
        deliver_notification.delay(pk)
    return len(pks)


def notification_mark_read(*, user, pks=None) -> int:
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if pks is not None:
        unread = unread.filter(pk__in=pks)
    return unread.update(read_at=timezone.now())
