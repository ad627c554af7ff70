"""The map of the eligible area on the application form (step „Vorhaben“): drawn from the self-hosted Leaflet
without tiles, a click sets the two labelled fields, the keyboard passes through it, and axe finds nothing.

alice – applicant with a draft whose point lies on the Markt"""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from fonds.services.applications import application_create_draft
from workflows import demo

from .axe import screenshot_dir, tab_through, violations

pytestmark = pytest.mark.browser

ALTSTADT = {"type": "Polygon", "coordinates": [[
    [6.9600, 51.6605], [6.9615, 51.6630], [6.9650, 51.6640], [6.9690, 51.6635], [6.9720, 51.6610],
    [6.9710, 51.6582], [6.9670, 51.6570], [6.9625, 51.6575], [6.9600, 51.6605]]]}


@pytest.fixture
def drafts(transactional_db, live_server):
    call_command("sync_roles", stdout=io.StringIO())
    base = demo.create_base(timezone.localdate())
    fund = base["round"].fund
    fund.area_geojson = ALTSTADT
    fund.save()
    alice = base["users"]["alice"]

    def draft(**data):
        return application_create_draft(actor=alice, organisation=base["dia"], round=base["round"], data=data,
                                        cost_items=[])
    return {"placed": draft(title="Bänke am Markt", latitude=Decimal("51.660700"), longitude=Decimal("6.965500")),
            "empty": draft()}


def test_the_map_shows_the_area_and_the_point_and_has_no_wcag_violations(visit, drafts):
    alice = visit("alice")
    alice.goto(alice.base + f"/antraege/{drafts['placed'].pk}/schritt/vorhaben/")
    alice.locator(".leaflet-container").wait_for()
    assert alice.get_by_text("Der Ort auf der Karte liegt im Fördergebiet.").is_visible()
    assert alice.locator(".leaflet-overlay-pane path").count() == 1  # the area, drawn without tiles
    assert alice.locator(".leaflet-marker-icon").count() == 1
    assert alice.locator("[role=region][aria-label^='Karte des Fördergebiets']").count() == 1
    assert violations(alice) == []


def test_a_click_on_the_map_fills_in_both_fields(visit, drafts):
    alice = visit("alice")
    alice.goto(alice.base + f"/antraege/{drafts['empty'].pk}/schritt/vorhaben/")
    canvas = alice.locator(".leaflet-container")
    canvas.wait_for()
    # The section can be closed and opened again; the map is still drawn at its full size then.
    summary = alice.get_by_text("Ort auf der Karte festlegen (freiwillig)")
    summary.click()
    assert alice.locator("#id_latitude").is_hidden()
    summary.click()
    assert canvas.bounding_box()["height"] > 200
    assert violations(alice) == []
    box = canvas.bounding_box()
    canvas.click(position={"x": box["width"] / 2, "y": box["height"] / 2})
    latitude, longitude = alice.input_value("#id_latitude"), alice.input_value("#id_longitude")
    assert latitude.startswith("51,66") and longitude.startswith("6,96"), (latitude, longitude)
    assert alice.locator(".leaflet-marker-icon").count() == 1
    assert "Ort gesetzt" in alice.locator("[data-area-map-status]").inner_text()


def test_the_keyboard_passes_the_map_to_the_fields_with_a_visible_focus(visit, drafts):
    alice = visit("alice")
    alice.goto(alice.base + f"/antraege/{drafts['placed'].pk}/schritt/vorhaben/")
    alice.locator(".leaflet-container").wait_for()
    order = tab_through(alice)
    ids = [f["id"] for f in order]
    assert "id_latitude" in ids and "id_longitude" in ids, ids
    assert ids.index("id_latitude") > ids.index(alice.locator(".leaflet-container").get_attribute("id"))
    assert [f for f in order if not f["indicator"]] == []
    # typing the numbers moves the marker: the keyboard way to set the point
    marker = alice.locator(".leaflet-marker-icon")
    before = marker.bounding_box()
    alice.fill("#id_latitude", "51,6630")
    alice.locator("#id_latitude").press("Tab")
    after = marker.bounding_box()
    assert after["y"] < before["y"]  # further north, higher up on the map
    alice.screenshot(path=str(screenshot_dir("area_map") / "vorhaben.png"), full_page=True)


def test_the_map_fits_a_320_pixel_wide_screen(visit, drafts):
    alice = visit("alice")
    alice.set_viewport_size({"width": 320, "height": 800})
    alice.goto(alice.base + f"/antraege/{drafts['placed'].pk}/schritt/vorhaben/")
    alice.locator(".leaflet-container").wait_for()
    assert alice.evaluate("() => document.documentElement.scrollWidth") <= 321


def test_with_tiles_the_map_names_openstreetmap_and_stays_accessible(visit, drafts, settings, live_server):
    settings.FONDSFLOW_MAP_TILES = live_server.url + "/static/kacheln/{z}/{x}/{y}.png"  # none there: blank tiles
    alice = visit("alice")
    alice.goto(alice.base + f"/antraege/{drafts['placed'].pk}/schritt/vorhaben/")
    alice.locator(".leaflet-tile-pane img").first.wait_for(state="attached")
    assert "© OpenStreetMap-Mitwirkende" in alice.locator(".leaflet-control-attribution").inner_text()
    assert violations(alice) == []


def test_the_dossier_map_shows_the_point_after_the_text(visit, drafts, live_server):
    from django.template.loader import render_to_string

    # The include on its own page, served from the live server's origin so that the static files load.
    with translation.override("de"):
        include = render_to_string("fonds/includes/area_map.html", {"application": drafts["placed"]})
    html = (f'<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>Akte</title></head>'
            f"<body><main><h1>Akte</h1>{include}</main></body></html>")
    carla = visit("carla")
    carla.route(live_server.url + "/akte-karte/", lambda route: route.fulfill(body=html, content_type="text/html"))
    carla.goto(live_server.url + "/akte-karte/")
    carla.locator(".leaflet-container").wait_for()
    assert carla.locator(".leaflet-overlay-pane path").count() == 1
    assert carla.locator(".leaflet-marker-icon").count() == 1
    assert carla.locator(".leaflet-marker-draggable").count() == 0  # the dossier only shows the point
    assert "liegt im Fördergebiet" in carla.locator("section.ff-area-map p").first.inner_text()
    assert violations(carla) == []
