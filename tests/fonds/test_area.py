"""The fund's eligible area: a GeoJSON polygon uploaded in the admin, the point an applicant may set on the map,
whether it lies inside (the border counts as inside), and the area as GeoJSON for staff of the fund's authority.

alice  – applicant (Dorstener Interessengemeinschaft Altstadt)
carla  – Citymanagement of the Stadt Dorsten
otto   – Citymanagement of another town: must not see Dorsten's area"""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone, translation

from fonds import roles
from fonds.errors import DomainError
from fonds.models import Application, Authority, StaffMembership
from fonds.services.area import area_facts, area_geometry, point_in_area

D = Decimal

# Dorsten's Altstadt inside the Wallring, roughly (WGS84: longitude, latitude).
ALTSTADT = {"type": "Polygon", "coordinates": [[
    [6.9600, 51.6605], [6.9615, 51.6630], [6.9650, 51.6640], [6.9690, 51.6635], [6.9720, 51.6610],
    [6.9710, 51.6582], [6.9670, 51.6570], [6.9625, 51.6575], [6.9600, 51.6605]]]}
MARKT = (D("51.660700"), D("6.965500"))
OUTSIDE = (D("51.670000"), D("6.965500"))  # some 700 m north of the Markt, beyond the Wallring

SQUARE = {"type": "Polygon", "coordinates": [[[6.96, 51.66], [6.97, 51.66], [6.97, 51.67], [6.96, 51.67],
                                              [6.96, 51.66]]]}


def square(west, south, size):
    return [[west, south], [west + size, south], [west + size, south + size], [west, south + size], [west, south]]


# --- the geometry -------------------------------------------------------------------------------------------

def test_a_point_in_the_altstadt_is_inside():
    assert point_in_area(ALTSTADT, *MARKT) is True


def test_a_point_north_of_the_wallring_is_outside():
    assert point_in_area(ALTSTADT, *OUTSIDE) is False


def test_a_point_exactly_on_an_edge_counts_as_inside():
    assert point_in_area(SQUARE, D("51.660000"), D("6.965000")) is True


def test_a_point_exactly_on_a_corner_counts_as_inside():
    assert point_in_area(SQUARE, D("51.660000"), D("6.960000")) is True


def test_a_multipolygon_counts_each_of_its_parts():
    two = {"type": "MultiPolygon", "coordinates": [[square(6.96, 51.66, 0.01)], [square(6.99, 51.66, 0.01)]]}
    assert point_in_area(two, D("51.665"), D("6.995")) is True
    assert point_in_area(two, D("51.665"), D("6.980")) is False  # between the two parts


def test_a_point_in_a_hole_of_the_polygon_is_outside():
    with_hole = {"type": "Polygon", "coordinates": [square(6.96, 51.66, 0.01), square(6.964, 51.664, 0.002)]}
    assert point_in_area(with_hole, D("51.665"), D("6.965")) is False
    assert point_in_area(with_hole, D("51.661"), D("6.961")) is True


def test_a_feature_collection_of_one_feature_is_read():
    feature = {"type": "Feature", "properties": {}, "geometry": ALTSTADT}
    collection = {"type": "FeatureCollection", "features": [feature]}
    assert point_in_area(collection, *MARKT) is True


def test_without_an_area_or_a_point_nothing_is_known():
    assert point_in_area(None, *MARKT) is None
    assert point_in_area(ALTSTADT, None, None) is None


@pytest.mark.parametrize("geojson, message", [
    ({"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}, "Das Polygon ist ungültig"),
    ({"type": "Point", "coordinates": [6.9655, 51.6607]}, "Polygon oder MultiPolygon"),
    # latitude first by mistake, in a place where the "latitude" 120.5 cannot be one
    ({"type": "Polygon", "coordinates": [[[51.66, 120.5], [51.67, 120.5], [51.67, 120.6], [51.66, 120.5]]]},
     "Längen- und Breitengrade (WGS84)"),
    ({"type": "FeatureCollection", "features": []}, "genau ein Gebiet"),
    ("nicht einmal ein Objekt", "GeoJSON-Objekt"),
])
def test_invalid_geojson_is_refused_with_a_german_message(geojson, message):
    with pytest.raises(DomainError) as refused:
        area_geometry(geojson)
    assert message in refused.value.message


def test_the_facts_give_bounds_and_a_plausible_size():
    facts = area_facts(SQUARE)
    assert (facts["south"], facts["west"], facts["north"], facts["east"]) == (51.66, 6.96, 51.67, 6.97)
    # 0.01° x 0.01° at 51.66° N: about 1113 m x 691 m
    assert D("75") < facts["hectares"] < D("79")


# --- the admin ----------------------------------------------------------------------------------------------

@pytest.fixture
def admin_client(world):
    superuser = User.objects.create_superuser("root", "root@dorsten.example", "x")
    client = Client()
    client.force_login(superuser)
    return client


def fund_form(fund, **extra):
    return {"authority": fund.authority_id, "name": fund.name, "code": fund.code, "description": fund.description,
            "programme": fund.programme, "purpose": fund.purpose, "area_geojson": "", "_save": "Sichern", **extra}


def test_an_uploaded_geojson_file_is_stored_as_the_area(world, admin_client):
    fund = world["round"].fund
    upload = SimpleUploadedFile("altstadt.geojson", json.dumps(
        {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": ALTSTADT}]}
    ).encode(), content_type="application/geo+json")
    response = admin_client.post(f"/admin/fonds/fund/{fund.pk}/change/", fund_form(fund, area_file=upload))
    assert response.status_code == 302, response.content.decode()[-3000:]
    fund.refresh_from_db()
    assert point_in_area(fund.area_geojson, *MARKT) is True
    page = admin_client.get(f"/admin/fonds/fund/{fund.pk}/change/").content.decode()
    assert "Fläche etwa" in page and "51.657000" in page


def test_pasted_geojson_is_stored_too(world, admin_client):
    fund = world["round"].fund
    response = admin_client.post(f"/admin/fonds/fund/{fund.pk}/change/",
                                 fund_form(fund, area_geojson=json.dumps(ALTSTADT)))
    assert response.status_code == 302
    fund.refresh_from_db()
    assert fund.area_geojson == ALTSTADT


def test_a_bowtie_upload_is_refused_and_nothing_is_stored(world, admin_client):
    fund = world["round"].fund
    bowtie = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
    upload = SimpleUploadedFile("gebiet.json", json.dumps(bowtie).encode(), content_type="application/json")
    response = admin_client.post(f"/admin/fonds/fund/{fund.pk}/change/", fund_form(fund, area_file=upload))
    assert response.status_code == 200
    assert "Das Polygon ist ungültig" in response.content.decode()
    fund.refresh_from_db()
    assert fund.area_geojson is None


def test_a_file_that_is_no_json_is_refused(world, admin_client):
    fund = world["round"].fund
    upload = SimpleUploadedFile("gebiet.geojson", b"<kml>", content_type="application/geo+json")
    response = admin_client.post(f"/admin/fonds/fund/{fund.pk}/change/", fund_form(fund, area_file=upload))
    assert response.status_code == 200
    assert "kein gültiges GeoJSON" in response.content.decode()


# --- the applicant's point ----------------------------------------------------------------------------------

@pytest.fixture
def alice(people):
    client = Client()
    client.force_login(people["alice"])
    return client


@pytest.fixture
def draft(world, alice):
    fund = world["round"].fund
    fund.area_geojson = ALTSTADT
    fund.save()
    alice.post("/antraege/neu/", {"organisation": world["dia"].pk, "round": world["round"].pk})
    return Application.objects.latest("pk")


def project(**overrides):
    today = timezone.localdate()
    return {"title": "Bänke am Markt", "description": "Drei Bänke, dauerhaft und öffentlich.",
            "location": "Markt 3, 46282 Dorsten", "planned_start": (today + timedelta(days=40)).isoformat(),
            "planned_end": (today + timedelta(days=100)).isoformat(), "already_started": "False",
            "is_tenant": "False", **overrides}


def test_the_step_saves_the_point_typed_the_german_way_and_says_it_is_inside(draft, alice):
    url = f"/antraege/{draft.pk}/schritt/vorhaben/"
    assert alice.post(url, project(latitude="51,6607", longitude="6,9655")).status_code == 302
    draft.refresh_from_db()
    assert (draft.latitude, draft.longitude) == MARKT
    page = alice.get(url).content.decode()
    assert "Ort auf der Karte festlegen (freiwillig)" in page
    assert "liegt im Fördergebiet" in page
    assert 'id="gebiet-antrag"' in page  # the area for the map


def test_a_point_outside_is_named_in_the_summary(draft, alice):
    url = f"/antraege/{draft.pk}/schritt/"
    alice.post(url + "vorhaben/", project(latitude="51.67", longitude="6.9655"))
    assert "liegt außerhalb des Fördergebiets" in alice.get(url + "vorhaben/").content.decode()
    assert "außerhalb des Fördergebiets" in alice.get(url + "pruefen/").content.decode()


def test_the_point_is_optional_and_no_point_is_no_problem(draft, alice):
    url = f"/antraege/{draft.pk}/schritt/"
    assert alice.post(url + "vorhaben/", project()).status_code == 302
    draft.refresh_from_db()
    assert draft.latitude is None
    assert "außerhalb" not in alice.get(url + "pruefen/").content.decode()


@pytest.mark.parametrize("latitude, longitude, message", [
    ("51,6607", "", "auch den Längengrad"),
    ("", "6,9655", "auch den Breitengrad"),
    ("151,5", "6,9655", "zwischen -90 und 90"),
    ("51,6607", "196,5", "zwischen -180 und 180"),
    ("Markt", "6,9655", "Bitte geben Sie eine Zahl ein"),
])
def test_a_half_or_impossible_point_is_refused_in_german(draft, alice, latitude, longitude, message):
    response = alice.post(f"/antraege/{draft.pk}/schritt/vorhaben/", project(latitude=latitude, longitude=longitude))
    assert response.status_code == 400
    assert message in response.content.decode()
    draft.refresh_from_db()
    assert draft.latitude is None and draft.longitude is None


def test_the_autosave_keeps_no_half_point(draft, alice):
    url = f"/antraege/{draft.pk}/schritt/vorhaben/"
    response = alice.post(url, project(latitude="51,6607", longitude="", title="Bänke"), HTTP_X_AUTOSAVE="1")
    assert response.status_code == 200 and "longitude" in response.json()["errors"]
    draft.refresh_from_db()
    assert draft.title == "Bänke"  # the rest is saved
    assert draft.latitude is None and draft.longitude is None


def test_the_dossier_include_says_outside_as_text(draft, alice):
    from django.template.loader import render_to_string

    alice.post(f"/antraege/{draft.pk}/schritt/vorhaben/", project(latitude="51.67", longitude="6.9655"))
    draft.refresh_from_db()
    with translation.override("de"):
        html = render_to_string("fonds/includes/area_map.html", {"application": draft})
    assert "liegt außerhalb des Fördergebiets" in html
    assert html.index("außerhalb") < html.index("data-area-map")  # text first, map second


def test_the_dossier_include_links_staff_to_the_geojson(draft, people):
    from django.contrib.auth.context_processors import PermWrapper
    from django.template.loader import render_to_string

    with translation.override("de"):
        html = render_to_string("fonds/includes/area_map.html", {"application": draft,
                                                                 "perms": PermWrapper(people["carla"])})
    assert f"/verwaltung/fonds/{draft.fund_id}/gebiet.geojson" in html
    assert "Kein Ort auf der Karte festgelegt." in html


# --- the GeoJSON for staff ----------------------------------------------------------------------------------

@pytest.fixture
def otto(world):
    other = Authority.objects.create(name="Stadt Haltern am See", street="Dr.-Conrads-Straße 1", postcode="45721",
                                     city="Haltern am See", court_name="VG Gelsenkirchen",
                                     court_address="Bahnhofsvorplatz 2, 45879 Gelsenkirchen")
    user = User.objects.create_user("otto", "otto@haltern.example", "x")
    user.groups.add(Group.objects.get(name=roles.CITYMANAGEMENT))
    StaffMembership.objects.create(user=user, authority=other)
    return user


def test_staff_get_the_area_as_geojson(world, people):
    fund = world["round"].fund
    fund.area_geojson = {"type": "Feature", "properties": {"name": "Wallring"}, "geometry": ALTSTADT}
    fund.save()
    carla = Client()
    carla.force_login(people["carla"])
    response = carla.get(f"/verwaltung/fonds/{fund.pk}/gebiet.geojson")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection" and len(data["features"]) == 1
    geometry = data["features"][0]["geometry"]
    assert geometry["type"] == "Polygon"
    ring = geometry["coordinates"][0]
    assert ring[0] == ring[-1] and all(len(position) == 2 for position in ring)
    assert point_in_area(data, *MARKT) is True  # and it reads back as a valid area


def test_without_an_area_the_geojson_is_an_empty_collection(world, people):
    carla = Client()
    carla.force_login(people["carla"])
    response = carla.get(f"/verwaltung/fonds/{world['round'].fund.pk}/gebiet.geojson")
    assert json.loads(response.content) == {"type": "FeatureCollection", "features": []}


def test_the_area_is_hidden_from_applicants_other_towns_and_strangers(world, people, otto):
    url = f"/verwaltung/fonds/{world['round'].fund.pk}/gebiet.geojson"
    clients = {name: Client() for name in ("alice", "otto", "anonymous")}
    clients["alice"].force_login(people["alice"])
    clients["otto"].force_login(otto)
    assert clients["alice"].get(url).status_code == 403
    assert clients["otto"].get(url).status_code == 404
    response = clients["anonymous"].get(url)
    assert response.status_code == 302 and response["Location"].startswith("/anmelden/")


def test_the_map_texts_speak_english_when_asked(draft, alice):
    url = f"/antraege/{draft.pk}/schritt/vorhaben/"
    alice.post(url, project(latitude="51,67", longitude="6,9655"))
    page = alice.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Mark the location on the map (optional)" in page
    assert "The location on the map lies outside the funding area." in page
    assert "Latitude" in page and "Longitude" in page
