"""The public face: funded projects appear on the list, the map and in the open data only with the recipient's
consent and only with the fields consented to; the GeoJSON is valid; the lists cost the same number of queries
however many projects there are; the applicant gives and withdraws the consent on the status page.

alice – applicant (Dorstener Interessengemeinschaft Altstadt e. V.), recipient of the funded projects
bob   – another applicant (Lions Club) who may not decide about alice's projects
"""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.test import Client
from shapely.geometry import Point, shape

from fonds.models import FundingRound, PublicationConsent, Stage
from fonds.services.ledger import commitment_book
from tests.fonds.public_helpers import consent, funded, photo
from tests.test_access import png_bytes

ALL_FIELDS = ("organisation", "location", "grant", "photo", "description")


def public(path):
    response = Client().get(path)
    assert response.status_code == 200, path
    return response


def open_data():
    rows = list(csv.DictReader(io.StringIO(public("/projekte/projekte.csv").content.decode())))
    geojson = json.loads(public("/projekte/projekte.geojson").content)
    return rows, geojson


def test_a_project_whose_recipient_did_not_consent_is_nowhere_public(world):
    hidden = funded(world, "Geheimer Brunnen")
    html = public("/projekte/").content.decode()
    rows, geojson = open_data()
    assert "Geheimer Brunnen" not in html and "0 Projekte gefunden" in html
    assert rows == [] and geojson["features"] == []
    assert "Geheimer Brunnen" not in public(f"/massnahmen/{hidden.measure_id}/").content.decode()
    assert Client().get(f"/projekte/{hidden.pk}/foto/").status_code == 404


def test_a_withdrawn_consent_takes_the_project_off_at_once(world):
    application = funded(world, "Blumenampeln Lippestraße")
    given = consent(application, *ALL_FIELDS)
    assert "Blumenampeln Lippestraße" in public("/projekte/").content.decode()
    PublicationConsent.objects.filter(pk=given.pk).update(withdrawn_at=given.given_at, withdrawn_by=given.given_by)
    rows, geojson = open_data()
    assert "Blumenampeln Lippestraße" not in public("/projekte/").content.decode()
    assert rows == [] and geojson["features"] == []


def test_a_project_appears_with_exactly_the_consented_fields(world):
    application = funded(world, "Tastmodell der Altstadt", grant=Decimal("7140.00"))
    photo(application, png_bytes())
    consent(application, "grant")  # title and grant only: no organisation, place, photo or description

    html = public("/projekte/").content.decode()
    assert "Tastmodell der Altstadt" in html and "7.140,00\xa0€" in html
    assert "Dorstener Interessengemeinschaft" not in html and "Markt 3" not in html
    assert "dauerhaft und öffentlich" not in html and "/foto/" not in html
    rows, geojson = open_data()
    assert len(rows) == 1
    row = rows[0]
    assert row["title"] == "Tastmodell der Altstadt" and row["grant_eur"] == "7140.00"
    assert row["organisation"] == row["location"] == row["latitude"] == row["longitude"] == ""
    assert row["description"] == row["photo_url"] == ""
    assert geojson["features"] == []  # no consented place: nothing to put on the map
    assert Client().get(f"/projekte/{application.pk}/foto/").status_code == 404


def test_with_every_field_consented_the_project_is_on_the_map_with_its_photo(world):
    application = funded(world, "Brunnen am Essener Tor")
    photo(application, png_bytes())
    consent(application, *ALL_FIELDS)

    html = public("/projekte/").content.decode()
    for text in ("Brunnen am Essener Tor", "Dorstener Interessengemeinschaft Altstadt e. V.", "Markt 3, 46282 Dorsten",
                 "2.380,00\xa0€", "dauerhaft und öffentlich", f'src="/projekte/{application.pk}/foto/"',
                 'data-points="projekte-punkte"'):
        assert text in html, text
    rows, geojson = open_data()
    assert rows[0]["organisation"] == "Dorstener Interessengemeinschaft Altstadt e. V."
    assert rows[0]["photo_url"] == f"http://testserver/projekte/{application.pk}/foto/"
    [feature] = geojson["features"]
    assert feature["properties"]["title"] == "Brunnen am Essener Tor"
    response = Client().get(f"/projekte/{application.pk}/foto/")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"


def test_the_map_outlines_the_funds_area_around_the_points(world):
    from tests.fonds.test_area import ALTSTADT

    application = funded(world, "Brunnen am Essener Tor")
    consent(application, *ALL_FIELDS)
    fund = application.fund
    fund.area_geojson = ALTSTADT
    fund.save()
    html = public("/projekte/").content.decode()
    tag = '<script id="projekte" type="application/json">'
    start = html.index(tag) + len(tag)
    area = json.loads(html[start:html.index("</script>", start)])
    [outline] = area["features"]
    assert shape(outline["geometry"]).equals(shape(ALTSTADT))


def test_the_geojson_is_a_feature_collection_of_points_in_longitude_latitude_order(world):
    for n in range(3):
        consent(funded(world, f"Projekt {n}", latitude=Decimal("51.66") + n, longitude=Decimal("6.96")), "location")
    consent(funded(world, "Ohne Punkt", latitude=None, longitude=None), "location")
    response = public("/projekte/projekte.geojson")
    assert response["Content-Type"] == "application/geo+json"
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection" and "dl-de/by-2-0" in data["license"]
    assert len(data["features"]) == 3
    for feature in data["features"]:
        assert feature["type"] == "Feature" and isinstance(feature["properties"], dict)
        geometry = shape(feature["geometry"])
        assert isinstance(geometry, Point) and geometry.is_valid
        assert geometry.x == pytest.approx(6.96) and 51 < geometry.y < 54  # [lng, lat]
        assert {"title", "year", "fund", "organisation", "grant_eur"} <= set(feature["properties"])


def test_the_list_filters_by_year_and_measure(world):
    this_year = world["round"]
    last_year = FundingRound.objects.create(fund=this_year.fund, name="Förderrunde alt", year=this_year.year - 1,
                                            opens_on=this_year.opens_on.replace(year=this_year.year - 1),
                                            closes_on=this_year.closes_on.replace(year=this_year.year - 1))
    last_year.rule_sets.create(version=1, rate_percent=Decimal("50"), max_grant=Decimal("15000"))
    market, facades = world["measures"][2], world["measures"][1]
    consent(funded(world, "Marktbänke", measure=market), "location")
    consent(funded(world, "Schaufenster alt", measure=facades, round_=last_year), "location")

    html = public(f"/projekte/?jahr={this_year.year - 1}").content.decode()
    assert "Schaufenster alt" in html and "Marktbänke" not in html
    html = public(f"/projekte/?massnahme={market.pk}").content.decode()
    assert "Marktbänke" in html and "Schaufenster alt" not in html
    rows = list(csv.DictReader(io.StringIO(public(f"/projekte/projekte.csv?massnahme={market.pk}").content.decode())))
    assert [r["title"] for r in rows] == ["Marktbänke"]

    response = Client().get("/projekte/?jahr=1999")
    html = response.content.decode()
    assert response.status_code == 400 and "Für dieses Jahr gibt es keine Projekte" in html
    assert "Marktbänke" in html and "Schaufenster alt" in html  # a bad filter filters nothing
    for path in ("/projekte/projekte.csv?massnahme=999999", "/projekte/projekte.geojson?jahr=abc"):
        response = Client().get(path)
        assert response.status_code == 400 and "Bitte wählen Sie" in response.content.decode(), path


@pytest.mark.parametrize("path", ["/projekte/", "/projekte/projekte.csv", "/projekte/projekte.geojson",
                                  "/massnahmen/"])
def test_the_public_lists_cost_the_same_number_of_queries_for_1_and_30_projects(
        world, path, django_assert_num_queries):
    def queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            public(path)
        return len(captured)

    consent(funded(world, "Projekt 0"), *ALL_FIELDS)
    measure = world["measure"]
    measure.milestones.create(title="Beirat gegründet")
    one = queries()
    for n in range(1, 30):
        application = funded(world, f"Projekt {n}", measure=world["measures"][n % 4])
        photo(application, png_bytes()) if n % 3 == 0 else None
        consent(application, *ALL_FIELDS)
        world["measures"][n % 4].milestones.create(title=f"Meilenstein {n}")
    assert len(public("/projekte/projekte.csv").content.decode().splitlines()) == 31
    with django_assert_num_queries(one):
        public(path)


def test_alice_agrees_on_her_status_page_and_bob_may_not(world, people):
    application = funded(world, "Historische Marktstände", stage=Stage.IMPLEMENTATION)
    alice, bob = Client(), Client()
    alice.force_login(people["alice"])
    bob.force_login(people["bob"])

    page = alice.get(f"/antraege/{application.pk}/").content.decode()
    assert f'href="/antraege/{application.pk}/veroeffentlichung/"' in page
    assert bob.get(f"/antraege/{application.pk}/veroeffentlichung/").status_code == 404
    assert bob.post(f"/antraege/{application.pk}/veroeffentlichung/", {"fields_": ["grant"]}).status_code == 404
    assert not PublicationConsent.objects.exists()

    response = alice.post(f"/antraege/{application.pk}/veroeffentlichung/", {"fields_": ["grant", "location"]})
    assert response.status_code == 302
    given = PublicationConsent.objects.get()
    assert given.fields == ["title", "location", "grant"] and given.given_by == people["alice"]
    assert "Historische Marktstände" in public("/projekte/").content.decode()
    assert given.application.audit_events.filter(action="publication.consent_given").exists()

    response = alice.post(f"/antraege/{application.pk}/veroeffentlichung/", {"fields_": ["grant", "bogus"]})
    assert response.status_code == 400 and "gültige Auswahl" in response.content.decode()
    assert PublicationConsent.objects.count() == 1 and PublicationConsent.objects.get().fields == given.fields

    alice.post(f"/antraege/{application.pk}/veroeffentlichung/", {"withdraw": "1"})
    given.refresh_from_db()
    assert given.withdrawn_at is not None and given.withdrawn_by == people["alice"]
    assert "Historische Marktstände" not in public("/projekte/").content.decode()


def test_before_approval_there_is_nothing_to_publish(world, people):
    application = funded(world, "Noch in Prüfung", stage=Stage.ELIGIBILITY)
    alice = Client()
    alice.force_login(people["alice"])
    assert "veroeffentlichung" not in alice.get(f"/antraege/{application.pk}/").content.decode()
    alice.post(f"/antraege/{application.pk}/veroeffentlichung/", {"fields_": ["grant"]})
    assert not PublicationConsent.objects.exists()
    consent(application, *ALL_FIELDS)  # even a stray consent row does not publish an unapproved project
    assert "Noch in Prüfung" not in public("/projekte/").content.decode()


def test_the_fund_page_shows_what_is_left_of_this_years_budget_and_the_funding_line(world, people):
    fund = world["round"].fund
    fund.funding_note = ("Gefördert im Städtebauförderungsprogramm „Lebendige Zentren“ durch Bund, Land NRW und "
                         "Stadt Dorsten")
    fund.save()
    html = public(f"/fonds/{fund.pk}/").content.decode()
    assert "Noch verfügbar" in html and "50.000,00\xa0€" in html
    commitment_book(actor=people["frieda"], application=funded(world, "Bindung"), amount=Decimal("1234.56"))
    html = public(f"/fonds/{fund.pk}/").content.decode()
    assert "48.765,44\xa0€" in html and "von 50.000,00\xa0€" in html
    for path in (f"/fonds/{fund.pk}/", "/projekte/", "/massnahmen/", f"/massnahmen/{world['measure'].pk}/"):
        assert "durch Bund, Land NRW und Stadt Dorsten" in public(path).content.decode(), path


def test_the_list_is_paged_and_the_map_shows_the_projects_of_its_page(world):
    for n in range(55):
        consent(funded(world, f"Projekt {n:02d}"), *ALL_FIELDS)
    first = public("/projekte/")
    html = first.content.decode()
    assert first.status_code == 200
    assert "55 Projekte gefunden. Seite 1 von 2: Projekte 1 bis 50." in html
    assert html.count('<li id="projekt-') == 50 and 'href="?seite=2" rel="next"' in html
    assert "Die Karte zeigt die Projekte dieser Seite." in html
    assert len(first.context["map"]["points"]["features"]) == 50

    second = public("/projekte/?seite=2")
    html = second.content.decode()
    assert html.count('<li id="projekt-') == 5 and "Seite 2 von 2: Projekte 51 bis 55." in html
    assert 'href="?seite=1" rel="prev"' in html and 'rel="next"' not in html
    shown = {p["id"] for p in first.context["projects"]} | {p["id"] for p in second.context["projects"]}
    assert len(shown) == 55  # every project on exactly one page
    # A page beyond the end shows the last one; the open data still holds the whole selection.
    assert public("/projekte/?seite=9").context["page"].number == 2
    assert len(public("/projekte/projekte.csv").content.decode().splitlines()) == 56
    filtered = public(f"/projekte/?jahr={world['round'].year}&seite=2").content.decode()
    assert f'href="?jahr={world["round"].year}&amp;seite=1" rel="prev"' in filtered
