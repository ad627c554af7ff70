"""WCAG 2.1 AA on the public face (funded projects with their map, measures, the fund page, the invitation links)
and on the Stadtteilbüro's network pages, with the demo data: axe-core finds no violation, also after a bad
filter or an empty upload. The project map really draws the demo's published fountain."""

import pytest
from django.core.management import call_command

from fonds.models import Application, Contact, EventInvitation, Measure, NetworkEvent, Stage
from fonds.services.actors import invitation_token
from tests.browser.axe import check_page
from workflows import demo


@pytest.fixture
def demo_data(transactional_db):
    call_command("sync_roles", stdout=open("/dev/null", "w"))
    assert demo.load()
    return {
        "closed": Application.objects.get(stage=Stage.CLOSED),
        "implementation": Application.objects.get(stage=Stage.IMPLEMENTATION),
        "market": Measure.objects.get(number="1.2"),
        "event": NetworkEvent.objects.get(),
        "invitation": EventInvitation.objects.order_by("pk").first(),
        "contact": Contact.objects.get(name="Hanna Hülsmann"),
    }


def check(page, path, action=None):
    return check_page(page, path, action, statuses=(200, 400))


def submit_empty(page):
    page.locator("main form button[type=submit]").first.click()


@pytest.mark.browser
def test_the_public_pages_have_no_accessibility_violations(visit, demo_data):
    anonymous = visit()
    for path in ("/projekte/", "/projekte/?jahr=1999", f"/projekte/?massnahme={demo_data['closed'].measure_id}",
                 "/massnahmen/", f"/massnahmen/{demo_data['market'].pk}/", f"/fonds/{demo_data['closed'].fund_id}/",
                 f"/treffen/anmeldung/{invitation_token(demo_data['invitation'])}/",
                 f"/treffen/einwilligung/{invitation_token(demo_data['invitation'])}/"):
        check(anonymous, path)
    # the demo's fountain is on the map, as a marker named by its title
    anonymous.goto(anonymous.base + "/projekte/")
    anonymous.wait_for_selector(".leaflet-marker-icon")
    assert anonymous.locator(".leaflet-marker-icon").get_attribute("alt") == "Brunnen am Essener Tor"

    alice = visit("alice")
    check(alice, f"/antraege/{demo_data['implementation'].pk}/")
    check(alice, f"/antraege/{demo_data['implementation'].pk}/veroeffentlichung/")


@pytest.mark.browser
def test_the_network_pages_have_no_accessibility_violations(visit, demo_data):
    carla = visit("carla")
    actor = demo_data["contact"].actor
    for path in ("/verwaltung/akteure/", f"/verwaltung/akteure/{actor.pk}/",
                 f"/verwaltung/kontakte/{demo_data['contact'].pk}/", "/verwaltung/treffen/",
                 f"/verwaltung/treffen/{demo_data['event'].pk}/"):
        check(carla, path)
    check(carla, "/verwaltung/massnahmen/")
    check(carla, f"/verwaltung/massnahmen/{demo_data['market'].pk}/")
    check(carla, f"/verwaltung/massnahmen/{demo_data['market'].pk}/", lambda page: (
        page.fill("#id_latitude", "91"), page.locator("main form button[type=submit]").last.click()))
    check(carla, "/verwaltung/akteure/import/")
    check(carla, "/verwaltung/akteure/import/", submit_empty)
    for path in ("/verwaltung/akteure/neu/", f"/verwaltung/akteure/{actor.pk}/kontakt/neu/"):
        check(carla, path)
        page = check(carla, path, submit_empty)
        assert page.locator(".kern-error").count() >= 1, path  # the failed submit shows its errors
    check(carla, f"/verwaltung/akteure/{actor.pk}/bearbeiten/")
