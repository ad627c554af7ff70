"""Measures of the Integriertes Innenstadtkonzept: the public sees the list and each measure with its status,
milestones, funding and photo exactly as stored; staff keep them in the admin, where a photo is checked like
every upload."""

from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from fonds.measure_forms import MeasureForm
from fonds.models import AuditEvent, Measure, MeasureFunding
from tests.test_access import png_bytes


def test_the_measures_list_and_page_show_progress_exactly_as_stored(world):
    measure = world["measures"][2]  # 1.2 Belebung des Marktplatzes
    measure.status = Measure.Status.PLANNING
    measure.responsible_body = "Stadt Dorsten, Stadtteilbüro"
    measure.budget = Decimal("180000.00")
    measure.save()
    measure.milestones.create(title="Bürgerwerkstatt", due=date(2026, 3, 1), done_on=date(2026, 3, 4))
    measure.milestones.create(title="Entwurf beschlossen", due=date(2026, 6, 30))
    measure.milestones.create(title="Bau", due=date(2027, 5, 1))
    MeasureFunding.objects.create(measure=measure, source=MeasureFunding.Source.BUND, amount=Decimal("60000"))

    listing = Client().get("/massnahmen/").content.decode()
    row = listing[listing.index(f'href="/massnahmen/{measure.pk}/"'):]
    row = row[:row.index("</tr>")]
    assert "In Planung" in row and "1 von 3 Meilensteinen erreicht" in row

    html = Client().get(f"/massnahmen/{measure.pk}/").content.decode()
    assert "<h1>1.2 Belebung des Marktplatzes</h1>" in html
    for text in ("In Planung", "1 von 3 Meilensteinen erreicht", "Stadt Dorsten, Stadtteilbüro", "180.000,00\xa0€",
                 "<th scope=\"row\">Bürgerwerkstatt</th><td>01.03.2026</td><td>04.03.2026</td>",
                 "<th scope=\"row\">Entwurf beschlossen</th><td>30.06.2026</td><td>noch offen</td>",
                 "Bund (Städtebauförderung)", "60.000,00\xa0€"):
        assert text in html, text


def test_a_measure_not_marked_public_is_not_shown(world):
    hidden = world["measures"][3]
    hidden.public = False
    hidden.save()
    assert hidden.title not in Client().get("/massnahmen/").content.decode()
    assert Client().get(f"/massnahmen/{hidden.pk}/").status_code == 404


def test_a_measure_with_a_place_has_a_map_and_its_photo_is_checked_and_served(world):
    measure = world["measure"]
    form = MeasureForm(data={"authority": measure.authority_id, "number": "3.1", "title": measure.title,
                             "field_of_action": measure.field_of_action, "status": "in_progress",
                             "latitude": "51.660700", "longitude": "6.965500", "photo_alt": "Der Markt",
                             "public": "on"},
                       files={"photo": SimpleUploadedFile("markt.png", b"%PDF-1.4 not a picture")},
                       instance=measure)
    assert not form.is_valid() and "Der Inhalt passt nicht zum Dateinamen" in str(form.errors["photo"])
    form = MeasureForm(data=form.data, files={"photo": SimpleUploadedFile("markt.png", png_bytes())},
                       instance=measure)
    assert form.is_valid(), form.errors
    form.save()
    html = Client().get(f"/massnahmen/{measure.pk}/").content.decode()
    assert f'src="/massnahmen/{measure.pk}/foto/" alt="Der Markt"' in html and 'data-points="massnahme-punkte"' in html
    response = Client().get(f"/massnahmen/{measure.pk}/foto/")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"


def measure_post(measure, **changes):
    data = {"status": measure.status, "description": measure.description, "responsible_body": "",
            "budget": "", "starts_on": "", "ends_on": "", "location": "", "latitude": "", "longitude": "",
            "photo_alt": "", "public": "on", "meilensteine-TOTAL_FORMS": "2", "meilensteine-INITIAL_FORMS": "0",
            "meilensteine-MIN_NUM_FORMS": "0", "meilensteine-MAX_NUM_FORMS": "1000"}
    data.update(changes)
    return data


def test_citymanagement_keeps_status_and_milestones_current_and_the_public_sees_it(world, people):
    carla = Client()  # carla: Citymanagement (Stadtteilbüro), not an admin user
    carla.force_login(people["carla"])
    measure = world["measures"][2]
    url = f"/verwaltung/massnahmen/{measure.pk}/"
    assert carla.get(url).status_code == 200

    response = carla.post(url, measure_post(measure, status="planning", latitude="51.66",
                                            **{"meilensteine-0-title": "Bürgerwerkstatt"}))
    assert response.status_code == 400 and "Breiten- und Längengrad" in response.content.decode()
    measure.refresh_from_db()
    assert measure.status == "in_progress" and not measure.milestones.exists()

    response = carla.post(url, measure_post(measure, status="planning", responsible_body="Stadtteilbüro", **{
        "budget": "180.000,00", "meilensteine-0-title": "Bürgerwerkstatt", "meilensteine-0-due": "2026-03-01",
        "meilensteine-0-done_on": "2026-03-04", "meilensteine-1-title": "Entwurf", "meilensteine-1-due": "2026-06-30"}))
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.status == "planning" and measure.milestones.count() == 2 and measure.budget == Decimal("180000")
    assert AuditEvent.objects.filter(action="measure.updated", object_id=str(measure.pk)).exists()
    html = Client().get(f"/massnahmen/{measure.pk}/").content.decode()
    assert "In Planung" in html and "1 von 2 Meilensteinen erreicht" in html and "Stadtteilbüro" in html


def test_applicants_may_not_edit_measures(world, people):
    alice = Client()
    alice.force_login(people["alice"])
    measure = world["measure"]
    assert alice.get(f"/verwaltung/massnahmen/{measure.pk}/").status_code == 403
    assert alice.post(f"/verwaltung/massnahmen/{measure.pk}/", measure_post(measure, status="done")).status_code == 403
    measure.refresh_from_db()
    assert measure.status == "in_progress"
