"""The inactivity timeout: activity keeps a session alive, without a database write on every page view; a
session left alone runs out; a cookie of a session that ran out never starts a new one."""

import time
from datetime import timedelta

from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fonds.middleware import RENEW_EVERY_SECONDS, RENEWED_KEY


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _row(client) -> Session:
    return Session.objects.get(session_key=client.cookies["sessionid"].value)


def test_a_page_view_renews_the_expiry_once_a_minute_and_not_on_every_request(world, people, settings):
    client = _logged_in(people["alice"])
    client.get("/antraege/")
    row = _row(client)
    data = row.get_decoded()
    assert abs(data[RENEWED_KEY] - time.time()) < 5
    # The last renewal lies two minutes back and the session runs out in ten minutes.
    data[RENEWED_KEY] = int(time.time()) - 2 * RENEW_EVERY_SECONDS
    Session.objects.filter(pk=row.pk).update(session_data=Session.objects.encode(data),
                                              expire_date=timezone.now() + timedelta(minutes=10))
    cache.clear()  # cached_db: the next request reads the changed row

    response = client.get("/antraege/")
    assert response.status_code == 200
    renewed = _row(client).expire_date
    assert renewed > timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 30)
    assert response.cookies["sessionid"]["max-age"] == settings.SESSION_COOKIE_AGE

    # Within the minute: no write, no new cookie.
    with CaptureQueriesContext(connection) as context:
        response = client.get("/antraege/")
    assert response.status_code == 200
    assert not [q for q in context.captured_queries if "django_session" in q["sql"]]
    assert "sessionid" not in response.cookies
    assert _row(client).expire_date == renewed


def test_a_session_left_alone_runs_out(world, people):
    client = _logged_in(people["alice"])
    assert client.get("/antraege/").status_code == 200
    Session.objects.filter(session_key=client.cookies["sessionid"].value).update(
        expire_date=timezone.now() - timedelta(seconds=1))
    cache.clear()
    response = client.get("/antraege/")
    assert response.status_code == 302 and response["Location"].startswith("/anmelden/")


def test_the_cookie_of_a_session_that_ran_out_starts_no_new_one(world):
    client = Client()
    client.cookies["sessionid"] = "x" * 32
    before = Session.objects.count()
    response = client.get("/")
    assert response.status_code == 200
    assert Session.objects.count() == before
    assert response.cookies["sessionid"].value == ""  # the stale cookie is deleted
