"""The outbox: written with the change, delivered after the commit, once, with a stable Message-ID."""

from datetime import timedelta
from unittest import mock

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.db import transaction
from django.test import Client
from django.utils import timezone

from notifications.models import Notification, NotificationSettings
from notifications.services import notification_deliver, notifications_requeue, notify
from notifications.tasks import deliver_notification
from workflows.flows import GrantFlow

from ..workflows.driver import Driver

APP = {"file_number": "AF-2026-0001", "title": "Bänke", "organisation": "DIA"}


@pytest.fixture
def drive(people, django_capture_on_commit_callbacks):
    return Driver(people, django_capture_on_commit_callbacks)


def events_of(user):
    return list(Notification.objects.filter(recipient=user).order_by("pk").values_list("event", flat=True))


def test_the_applicant_hears_of_every_step_and_gets_each_mail_once_with_a_link(drive, people):
    a = drive.apply(net="8000", gross="9520")
    drive.eligible(a)
    drive.recommend(a)
    drive.decide(a, "approve")
    drive.bescheid(a)
    drive.pay(a, "1000")
    assert events_of(people["alice"]) == ["application_submitted", "check_finished", "board_agenda", "decision",
                                          "bescheid_issued", "payment_released"]
    assert events_of(people["bob"]) == []
    sent = [m for m in mail.outbox if m.to == [people["alice"].email]]
    assert len(sent) == 6
    ids = {m.extra_headers["Message-ID"] for m in sent}
    assert len(ids) == 6 and ids == set(Notification.objects.filter(recipient=people["alice"])
                                        .values_list("message_id", flat=True))
    bescheid_mail = sent[4]
    assert a.file_number in bescheid_mail.subject + bescheid_mail.body
    assert f"/antraege/{a.pk}/" in bescheid_mail.body
    assert not bescheid_mail.attachments  # letters are linked, never attached
    letter = a.letters.get(kind="bescheid")
    assert f"/briefe/{letter.pk}/" in bescheid_mail.body
    assert all(n.email_status == "sent" for n in Notification.objects.filter(recipient=people["alice"]))


def test_staff_hear_when_missing_documents_arrive(drive, people):
    a = drive.apply()
    drive.do("carla", a, GrantFlow.eligibility, {"outcome": "missing", "reasons": "Angebot fehlt",
                                                  "missing_items": "Zweites Angebot", "deadline": "2099-01-31"})
    assert events_of(people["alice"])[-1] == "documents_requested"
    assert "Zweites Angebot" in Notification.objects.filter(event="documents_requested").get().context["items"]
    drive.post("alice", f"/antraege/{a.pk}/nachreichen/", {"answer": "Liegt bei."})
    assert events_of(people["carla"]) == ["documents_received"]
    assert events_of(people["frieda"]) == []  # finance has no part in the eligibility check


def test_a_rolled_back_change_sends_nothing(world, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                notify("check_finished", recipients=[people["alice"]], key="rollback", context=APP)
                raise RuntimeError("the change fails")
    assert not Notification.objects.exists()
    assert callbacks == [] and mail.outbox == []


def test_the_same_occasion_never_notifies_twice_and_a_second_delivery_sends_nothing(world, people):
    with transaction.atomic():
        first = notify("check_finished", recipients=[people["alice"]], key="once", context=APP)
        again = notify("check_finished", recipients=[people["alice"]], key="once", context=APP)
    assert len(first) == 1 and again == []
    pk = first[0].pk
    assert notification_deliver(pk) == "sent"
    assert notification_deliver(pk) == "nothing to do"  # a redelivered message
    assert len(mail.outbox) == 1
    assert mail.outbox[0].extra_headers["Message-ID"] == first[0].message_id


def test_a_muted_event_stays_in_the_app_but_legal_notices_still_come_by_mail(world, people):
    NotificationSettings.objects.create(user=people["alice"], muted_events=["check_finished", "decision"])
    with transaction.atomic():
        [muted] = notify("check_finished", recipients=[people["alice"]], key="m1", context=APP)
        [legal] = notify("decision", recipients=[people["alice"]], key="m2",
                         context={**APP, "outcome": "bewilligt", "amount": "1.000,00 €"})
    assert muted.email_status == Notification.EmailStatus.SKIPPED
    assert legal.email_status == Notification.EmailStatus.PENDING
    assert notification_deliver(legal.pk) == "sent" and notification_deliver(muted.pk) == "nothing to do"
    assert len(mail.outbox) == 1


def test_the_recipients_language_is_used(world, people):
    NotificationSettings.objects.create(user=people["alice"], language="en")
    with transaction.atomic():
        [n] = notify("check_finished", recipients=[people["alice"]], key="lang", context={"file_number": "AF-1",
                     "title": "Bänke", "organisation": "DIA"})
    notification_deliver(n.pk)
    german = _render_de(n)
    assert mail.outbox[0].subject != german


def _render_de(notification):
    from notifications.emails import render_email

    return render_email(event=notification.event, language="de", context=notification.context).subject


def test_a_failing_mail_server_is_retried_then_shown_to_staff_who_resend_it(world, people):
    with transaction.atomic():
        [n] = notify("check_finished", recipients=[people["alice"]], key="fail",
                     context={"file_number": "AF-2026-0001", "title": "Bänke", "organisation": "DIA"})
    with mock.patch("django.core.mail.backends.locmem.EmailBackend.send_messages",
                    side_effect=ConnectionRefusedError("SMTP down")):
        # The first try and four retries ask Celery to try again later; the fifth retry gives up.
        for retries in range(5):
            with pytest.raises(Retry):
                deliver_notification.apply(args=[n.pk], retries=retries)
        assert deliver_notification.apply(args=[n.pk], retries=5).get() == "failed"
    n.refresh_from_db()
    assert (n.email_status, n.attempts) == (Notification.EmailStatus.FAILED, 6) and "SMTP down" in n.last_error
    assert mail.outbox == []

    carla = Client()
    carla.force_login(people["carla"])
    # a notification of no application of carla's authority is not hers to resend; one of hers is
    from fonds.models import Application

    n.application = Application.objects.create(
        fund=world["round"].fund, round=world["round"], organisation=world["dia"], created_by=people["alice"],
        title="Bänke", description="x", location="Markt", planned_start=timezone.localdate(),
        planned_end=timezone.localdate(), file_number="AF-2026-0099", stage="eligibility",
        privacy_acknowledged_at=timezone.now(), truth_declared_at=timezone.now())
    n.save()
    page = carla.get("/verwaltung/benachrichtigungen/")
    assert page.status_code == 200 and "SMTP down" in page.content.decode()
    alice = Client()
    alice.force_login(people["alice"])
    assert alice.get("/verwaltung/benachrichtigungen/").status_code == 403
    assert alice.post(f"/verwaltung/benachrichtigungen/{n.pk}/erneut-senden/").status_code == 403
    with transaction.atomic():
        response = carla.post(f"/verwaltung/benachrichtigungen/{n.pk}/erneut-senden/")
    assert response.status_code == 302
    n.refresh_from_db()
    assert n.email_status == Notification.EmailStatus.PENDING
    assert notification_deliver(n.pk) == "sent" and len(mail.outbox) == 1


def test_the_periodic_task_requeues_only_what_waits_too_long(world, people):
    with transaction.atomic():  # the on-commit delivery never runs here: as if the broker had been down
        [n] = notify("check_finished", recipients=[people["alice"]], key="late",
                     context={"file_number": "AF-2026-0001", "title": "Bänke", "organisation": "DIA"})
    assert notifications_requeue() == 0  # too young: its own message may still come
    Notification.objects.filter(pk=n.pk).update(created_at=timezone.now() - timedelta(minutes=3))
    assert notifications_requeue() == 1  # eager in tests: delivered right away
    n.refresh_from_db()
    assert n.email_status == Notification.EmailStatus.SENT and len(mail.outbox) == 1
    assert notifications_requeue() == 0


def test_notify_refuses_a_context_without_the_events_placeholders(world, people):
    with pytest.raises(ValueError, match="items"):
        notify("documents_requested", recipients=[people["alice"]], key="bug", context={**APP, "deadline": "1.1."})


def test_a_rejection_is_told_with_an_absolute_link_to_its_bescheid_in_the_readers_language(drive, people):
    NotificationSettings.objects.create(user=people["alice"], language="en")
    a = drive.apply()
    drive.eligible(a)
    drive.recommend(a)
    drive.decide(a, "defer", reasons="Standort klären")
    deferred = Notification.objects.get(event="decision")
    assert deferred.context["outcome"] == "deferred to a later meeting"
    drive.decide(a, "reject", reasons="Nicht im Fördergebiet.")
    told = Notification.objects.filter(recipient=people["alice"]).order_by("pk").last()
    letter = a.letters.get(kind="rejection")
    assert told.event == "bescheid_issued"
    assert told.context["letter_link"] == f"http://127.0.0.1:8000/briefe/{letter.pk}/"
    assert told.context["letter_link"] in mail.outbox[-1].body and "notice" in mail.outbox[-1].body


def test_a_failed_digest_without_an_application_is_listed_for_the_authoritys_staff(world, people):
    with transaction.atomic():
        [n] = notify("weekly_digest", recipients=[people["carla"]], key="digest-fail",
                     context={"waiting": [], "waiting_count": 0})
    Notification.objects.filter(pk=n.pk).update(email_status=Notification.EmailStatus.FAILED, last_error="SMTP down")
    carla = Client()
    carla.force_login(people["carla"])
    assert "SMTP down" in carla.get("/verwaltung/benachrichtigungen/").content.decode()
    assert carla.post(f"/verwaltung/benachrichtigungen/{n.pk}/erneut-senden/").status_code == 302
    n.refresh_from_db()
    assert n.email_status == Notification.EmailStatus.PENDING
