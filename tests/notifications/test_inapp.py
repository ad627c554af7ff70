"""The bell, the list, mark as read, preferences, and the operations page."""

from django.db import transaction
from django.test import Client

from notifications.models import Notification, NotificationSettings
from notifications.services import notify

APP = {"file_number": "AF-2026-0001", "title": "Bänke", "organisation": "DIA"}


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_bell_counts_unread_notifications_and_the_list_marks_them_read(world, people):
    alice = people["alice"]
    with transaction.atomic():
        for i in range(3):
            notify("check_finished", recipients=[alice], key=f"k{i}", context=APP, link="/antraege/")
    client = client_for(alice)
    page = client.get("/antraege/").content.decode()
    assert "Benachrichtigungen" in page and '<span class="badge">3' in page
    inbox = client.get("/benachrichtigungen/")
    assert inbox.status_code == 200 and inbox.content.decode().count("Prüfung abgeschlossen") == 3
    first = Notification.objects.filter(recipient=alice).first()
    client.post(f"/benachrichtigungen/{first.pk}/gelesen/")
    assert '<span class="badge">2' in client.get("/antraege/").content.decode()
    client.post("/benachrichtigungen/gelesen/")
    assert 'class="badge"' not in client.get("/antraege/").content.decode()


def test_nobody_marks_or_sees_another_persons_notifications(world, people):
    with transaction.atomic():
        [n] = notify("check_finished", recipients=[people["alice"]], key="x", context=APP)
    bob = client_for(people["bob"])
    assert bob.post(f"/benachrichtigungen/{n.pk}/gelesen/").status_code == 404
    assert "Prüfung abgeschlossen" not in bob.get("/benachrichtigungen/").content.decode()
    n.refresh_from_db()
    assert n.read_at is None


def test_the_notification_list_runs_a_constant_number_of_queries(world, people, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    alice = client_for(people["alice"])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert alice.get("/benachrichtigungen/").status_code == 200
        return len(ctx)

    with transaction.atomic():
        notify("check_finished", recipients=[people["alice"]], key="q0", context=APP)
    one = count()
    with transaction.atomic():
        for i in range(1, 20):
            notify("check_finished", recipients=[people["alice"]], key=f"q{i}", context=APP)
    assert count() == one <= 12


def test_preferences_keep_legal_notices_by_mail_and_store_the_language(world, people):
    client = client_for(people["alice"])
    page = client.get("/benachrichtigungen/einstellungen/").content.decode()
    assert "Prüfung abgeschlossen" in page and "Bescheid erlassen" not in page  # legal: not offered to mute
    response = client.post("/benachrichtigungen/einstellungen/", {"language": "en", "email_events": ["board_agenda"]})
    assert response.status_code == 302
    settings_row = NotificationSettings.objects.get(user=people["alice"])
    assert settings_row.language == "en"
    assert "check_finished" in settings_row.muted_events and "board_agenda" not in settings_row.muted_events
    assert "decision" not in settings_row.muted_events


def test_the_operations_page_shows_broker_backlog_and_oldest_row_to_staff_only(world, people, settings):
    with transaction.atomic():
        notify("check_finished", recipients=[people["alice"]], key="backlog", context=APP)
    carla = client_for(people["carla"])
    page = carla.get("/verwaltung/betrieb/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "erreichbar" in text and "Wartende Benachrichtigungen" in text
    assert client_for(people["alice"]).get("/verwaltung/betrieb/").status_code == 403
