"""WCAG 2.1 AA: axe-core finds no violation on the portal's and the staff's own pages, in every state
a person meets them (empty, and after a failed submit)."""

import pytest
from django.core.management import call_command

from fonds.models import Application, Stage
from tests.browser.axe import check_page, violations
from workflows import demo


@pytest.fixture
def demo_data(transactional_db):
    call_command("sync_roles", stdout=open("/dev/null", "w"))
    assert demo.load()
    return {stage: Application.objects.filter(stage=stage).order_by("pk").first() for stage in Stage.values}


def check(page, path, action=None):
    return check_page(page, path, action, exact_url=True)


def submit_empty(page):
    page.locator("main form button[type=submit]").last.click()


@pytest.mark.browser
def test_the_portal_pages_have_no_accessibility_violations(visit, demo_data):
    anonymous = visit()
    check(anonymous, "/")
    check(anonymous, "/anmelden/")
    check(anonymous, "/anmelden/", submit_empty)
    check(anonymous, "/registrieren/")
    check(anonymous, "/registrieren/", submit_empty)
    check(anonymous, "/passwort/vergessen/")

    alice = visit("alice")
    draft, implementation = demo_data[Stage.DRAFT], demo_data[Stage.IMPLEMENTATION]
    for path in ("/antraege/", f"/antraege/{draft.pk}/", f"/antraege/{implementation.pk}/",
                 f"/antraege/{implementation.pk}/umsetzung/", f"/antraege/{draft.pk}/zurueckziehen/",
                 "/benachrichtigungen/", "/benachrichtigungen/einstellungen/"):
        check(alice, path)
    check(alice, "/antraege/neu/")
    check(alice, "/antraege/neu/", submit_empty)
    check(alice, f"/antraege/{implementation.pk}/umsetzung/", submit_empty)

    bob = visit("bob")
    requested = demo_data[Stage.DOCUMENTS_REQUESTED]
    check(bob, f"/antraege/{requested.pk}/nachreichen/")


@pytest.mark.browser
def test_the_staff_pages_of_our_own_have_no_accessibility_violations(visit, demo_data):
    carla = visit("carla")
    closed = demo_data[Stage.CLOSED]
    for path in ("/verwaltung/antraege/", f"/verwaltung/antraege/{closed.pk}/",
                 f"/verwaltung/fonds/{closed.fund_id}/", "/verwaltung/betrieb/", "/verwaltung/benachrichtigungen/"):
        check(carla, path)


@pytest.mark.browser
def test_the_checker_itself_finds_a_violation(browser):
    page = browser.new_page()
    page.set_content('<html lang="de"><title>x</title><body><main><img src="a.png"><input type="text"></main></body>')
    found = violations(page)
    page.close()
    assert any(v.startswith("image-alt") for v in found) and any(v.startswith("label") for v in found)
