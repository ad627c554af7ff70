"""The Stadtteilbüro's network pages: only Citymanagement and the fund admin of the own authority may see them;
applicants and visitors are refused. The actor page gathers applications, measures, events and cooperations;
the import runs through preview and confirmation; a contact's data is exported and erased on request, unless a
retention duty applies — then the refusal and its reason are recorded.

alice      – applicant (DIA), must see nothing of the network
carla      – Citymanagement (Stadtteilbüro)
verwaltung – fund admin
dieter     – Beirat, no business with contacts
"""

import csv
import io
import json
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from fonds.models import (
    Actor,
    AuditEvent,
    Authority,
    Consent,
    Contact,
    Cooperation,
    ErasureRequest,
    EventInvitation,
    NetworkEvent,
    Stage,
    Topic,
)
from fonds.services.actors import consent_give
from tests.fonds.public_helpers import funded


@pytest.fixture
def network(world, people):
    authority = world["round"].fund.authority
    dia = Actor.objects.create(authority=authority, name="DIA Altstadt", kind=Actor.Kind.INITIATIVE,
                               street="Markt 1", postcode="46282", city="Dorsten", organisation=world["dia"])
    cafe = Actor.objects.create(authority=authority, name="Café am Markt", kind=Actor.Kind.GASTRONOMY)
    dia.measures.add(world["measure"])
    Cooperation.objects.create(first=dia, second=cafe, description="Gemeinsamer Adventsmarkt")
    alma = Contact.objects.create(actor=dia, name="Alma Albers", email="alma@dia.example", phone="02362 1")
    carl = Contact.objects.create(actor=cafe, name="Carl Café", email="carl@cafe.example")
    consent_give(actor=people["carla"], contact=alma, purpose=Consent.Purpose.INVITATIONS, source="Formular")
    event = NetworkEvent.objects.create(authority=authority, title="Netzwerktreffen Altstadt",
                                        starts_at=timezone.now() - timedelta(hours=1), place="Altes Rathaus")
    EventInvitation.objects.create(event=event, contact=alma, email_status="sent", sent_at=timezone.now())
    return {"dia": dia, "cafe": cafe, "alma": alma, "carl": carl, "event": event}


def client_for(people, name):
    client = Client()
    if name:
        client.force_login(people[name])
    return client


def staff_paths(network):
    n = network
    return [("get", "/verwaltung/akteure/"), ("get", f"/verwaltung/akteure/{n['dia'].pk}/"),
            ("get", "/verwaltung/akteure/import/"), ("get", f"/verwaltung/kontakte/{n['alma'].pk}/"),
            ("post", "/verwaltung/akteure/neu/"), ("post", f"/verwaltung/akteure/{n['cafe'].pk}/bearbeiten/"),
            ("post", f"/verwaltung/akteure/{n['cafe'].pk}/kontakt/neu/"),
            ("get", f"/verwaltung/kontakte/{n['alma'].pk}/auskunft.json"),
            ("get", f"/verwaltung/kontakte/{n['alma'].pk}/auskunft.csv"),
            ("post", f"/verwaltung/kontakte/{n['carl'].pk}/loeschen/"),
            ("get", "/verwaltung/treffen/"), ("get", f"/verwaltung/treffen/{n['event'].pk}/"),
            ("post", f"/verwaltung/treffen/{n['event'].pk}/einladen/")]


def test_applicants_board_members_and_visitors_are_refused_and_change_nothing(network, people):
    for name in (None, "alice", "bob", "dieter"):
        client = client_for(people, name)
        for method, path in staff_paths(network):
            response = getattr(client, method)(path)
            if name is None:
                assert response.status_code == 302 and response["Location"].startswith("/anmelden/"), path
            else:
                assert response.status_code == 403, (name, path)
    assert Contact.objects.get(pk=network["carl"].pk).name == "Carl Café"
    assert not ErasureRequest.objects.exists() and EventInvitation.objects.count() == 1


def test_staff_of_another_authority_get_404(network, people, django_user_model):
    other = Authority.objects.create(name="Stadt Haltern", street="Markt 1", postcode="45721", city="Haltern")
    stranger = django_user_model.objects.create_user("hugo", "hugo@haltern.example", "x")
    stranger.groups.add(*people["carla"].groups.all())
    other.staff_memberships.create(user=stranger)
    client = Client()
    client.force_login(stranger)
    for method, path in staff_paths(network):
        if not any(char.isdigit() for char in path):
            continue  # the lists: open, but empty of other authorities' network
        assert getattr(client, method)(path).status_code == 404, path
    assert "DIA Altstadt" not in client.get("/verwaltung/akteure/").content.decode()
    assert "Netzwerktreffen Altstadt" not in client.get("/verwaltung/treffen/").content.decode()


def test_citymanagement_records_an_actor_and_its_contact_and_bad_input_changes_nothing(network, people):
    carla = client_for(people, "carla")
    topic = Topic.objects.create(name="Einzelhandel")
    response = carla.post("/verwaltung/akteure/neu/", {"name": "", "kind": "retail"})
    assert response.status_code == 400 and "Bitte geben Sie den Namen an." in response.content.decode()
    assert Actor.objects.count() == 2

    response = carla.post("/verwaltung/akteure/neu/", {"name": "Buchhandlung Lippe", "kind": "retail",
                                                       "street": "Lippestraße 3", "postcode": "46282",
                                                       "city": "Dorsten", "topics": [topic.pk]})
    shop = Actor.objects.get(name="Buchhandlung Lippe")
    assert response.status_code == 302 and response["Location"] == f"/verwaltung/akteure/{shop.pk}/"
    assert shop.authority == network["dia"].authority and list(shop.topics.all()) == [topic]
    assert AuditEvent.objects.filter(action="actor.created", object_id=str(shop.pk)).exists()

    carla.post(f"/verwaltung/akteure/{shop.pk}/bearbeiten/", {"name": "Buchhandlung an der Lippe", "kind": "retail"})
    shop.refresh_from_db()
    assert shop.name == "Buchhandlung an der Lippe" and not shop.topics.exists()
    assert AuditEvent.objects.get(action="actor.changed").before["name"] == "Buchhandlung Lippe"

    contact_url = f"/verwaltung/akteure/{shop.pk}/kontakt/neu/"
    response = carla.post(contact_url, {"name": "Lisa Lippe", "email": "kein-at-zeichen", "language": "de"})
    assert response.status_code == 400 and "gültige E-Mail-Adresse" in response.content.decode()
    response = carla.post(contact_url, {"name": "Lisa Lippe", "email": "lisa@buch.example", "language": "de"})
    lisa = Contact.objects.get(name="Lisa Lippe")
    assert response.status_code == 302 and lisa.actor == shop and not lisa.consents.exists()  # no consent yet
    response = carla.post(contact_url, {"name": "Lisa L.", "email": "LISA@buch.example", "language": "de"})
    assert response.status_code == 400 and "schon erfasst" in response.content.decode()
    assert shop.contacts.count() == 1


def test_the_actor_page_shows_applications_measures_events_and_cooperations(network, people, world):
    application = funded(world, "Blumenampeln Lippestraße", stage=Stage.IMPLEMENTATION)
    html = client_for(people, "carla").get(f"/verwaltung/akteure/{network['dia'].pk}/").content.decode()
    for text in ("Alma Albers", application.file_number, "Blumenampeln Lippestraße", world["measure"].title,
                 "Netzwerktreffen Altstadt", "Café am Markt", "Gemeinsamer Adventsmarkt"):
        assert text in html, text
    html = client_for(people, "verwaltung").get(f"/verwaltung/akteure/{network['cafe'].pk}/").content.decode()
    assert "DIA Altstadt" in html and "Gemeinsamer Adventsmarkt" in html


def test_the_import_page_previews_then_imports(network, people):
    carla = client_for(people, "carla")
    data = ("Akteur;Art;Straße;PLZ;Ort;Ansprechperson;E-Mail\n"
            "Buchhandlung Lesezeichen;Einzelhandel;Lippestraße 8;46282;Dorsten;Lea Lesezeichen;lea@buch.example\n"
            "Kiosk;Kiosk;Markt 5;46282;Dorsten;Kai;kai@kiosk.example\n").encode()
    response = carla.post("/verwaltung/akteure/import/", {"file": SimpleUploadedFile("liste.csv", data)})
    html = response.content.decode()
    assert response.status_code == 200 and "1 Zeile kann übernommen werden. 1 Zeile hat Fehler" in html
    assert "Die Art „Kiosk“ ist unbekannt" in html
    assert not Contact.objects.filter(email="lea@buch.example").exists()
    response = carla.post("/verwaltung/akteure/import/", {"confirm": "1"})
    assert response.status_code == 302
    assert Contact.objects.get(email="lea@buch.example").actor.name == "Buchhandlung Lesezeichen"
    assert carla.post("/verwaltung/akteure/import/", {"confirm": "1"}).status_code == 302  # preview used up
    assert Contact.objects.filter(email="lea@buch.example").count() == 1
    response = carla.post("/verwaltung/akteure/import/", {"file": SimpleUploadedFile("liste.pdf", b"%PDF-1.4")})
    assert response.status_code == 400 and "CSV-Datei oder eine Excel-Datei" in response.content.decode()


def test_staff_record_consent_and_its_withdrawal(network, people):
    carla = client_for(people, "carla")
    carl = network["carl"]
    response = carla.post(f"/verwaltung/kontakte/{carl.pk}/", {"purpose": "invitations", "source": ""})
    assert response.status_code == 400 and "wie die Einwilligung erteilt wurde" in response.content.decode()
    assert not carl.consents.exists()
    carla.post(f"/verwaltung/kontakte/{carl.pk}/", {"purpose": "invitations", "source": "Händlerfrühstück"})
    assert carl.consents.get().recorded_by == people["carla"]
    carla.post(f"/verwaltung/kontakte/{carl.pk}/", {"withdraw": "invitations"})
    assert carl.consents.get().withdrawn_at is not None


def test_the_art_15_export_holds_all_data_of_the_person_and_nothing_of_others(network, people):
    carla = client_for(people, "carla")
    alma = network["alma"]
    data = json.loads(carla.get(f"/verwaltung/kontakte/{alma.pk}/auskunft.json").content)
    assert data["kontakt"]["name"] == "Alma Albers" and data["kontakt"]["e_mail"] == "alma@dia.example"
    assert data["kontakt"]["telefon"] == "02362 1"
    assert [c["wie"] for c in data["einwilligungen"]] == ["Formular"]
    assert data["einladungen"][0]["treffen"] == "Netzwerktreffen Altstadt"
    assert "carl" not in json.dumps(data).lower()
    rows = list(csv.reader(io.StringIO(carla.get(f"/verwaltung/kontakte/{alma.pk}/auskunft.csv").content.decode())))
    assert ["kontakt", "e_mail", "alma@dia.example"] in rows


def test_erasure_anonymises_a_contact_without_retention_duty(network, people):
    carla = client_for(people, "carla")
    carl = network["carl"]
    consent_give(actor=people["carla"], contact=carl, purpose=Consent.Purpose.INVITATIONS, source="Formular")
    carla.post(f"/verwaltung/kontakte/{carl.pk}/loeschen/")
    carl.refresh_from_db()
    assert carl.anonymised_at is not None and carl.email == "" and carl.name == "Anonymisiert"
    assert not carl.consents.filter(withdrawn_at__isnull=True).exists()
    assert carl.erasure_requests.get().outcome == "anonymised"


def test_erasure_is_refused_with_a_reason_while_the_actors_grant_files_must_be_kept(network, people, world):
    funded(world, "Historische Marktstände", stage=Stage.IMPLEMENTATION)  # DIA is linked to the applicant
    carla = client_for(people, "carla")
    alma = network["alma"]
    response = carla.post(f"/verwaltung/kontakte/{alma.pk}/loeschen/", follow=True)
    alma.refresh_from_db()
    assert alma.anonymised_at is None and alma.email == "alma@dia.example"
    refusal = alma.erasure_requests.get()
    assert refusal.outcome == "refused" and "Art. 17 Abs. 3 lit. b DSGVO" in refusal.reason
    assert "Löschung abgelehnt" in response.content.decode()


@pytest.mark.parametrize("path", ["/verwaltung/akteure/", "/verwaltung/treffen/"])
def test_the_staff_lists_cost_the_same_number_of_queries_for_few_and_many(network, people, path,
                                                                          django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    carla = client_for(people, "carla")
    with CaptureQueriesContext(connection) as few:
        carla.get(path)
    authority = network["dia"].authority
    for n in range(30):
        actor = Actor.objects.create(authority=authority, name=f"Laden {n}", kind=Actor.Kind.RETAIL)
        Contact.objects.create(actor=actor, name=f"Person {n}")
        NetworkEvent.objects.create(authority=authority, title=f"Treffen {n}", starts_at=timezone.now(), place="x")
    with django_assert_num_queries(len(few)):
        carla.get(path)


def test_a_closed_case_keeps_the_files_ten_years_after_the_earmarking_period(network, people, world):
    from fonds.models import Application
    from fonds.services.contact_privacy import contact_erase

    application = funded(world, "Brunnen", stage=Stage.CLOSED)
    today = timezone.localdate()
    six_years_ago = timezone.now() - timedelta(days=6 * 366)
    Application.objects.filter(pk=application.pk).update(earmarked_until=date(today.year - 5, 6, 30),
                                                          updated_at=six_years_ago)
    refused = contact_erase(actor=people["carla"], contact=network["alma"])
    until = f"30.06.{today.year + 5}"
    assert refused.outcome == "refused" and f"bis zum {until} aufbewahrt" in refused.reason

    Application.objects.filter(pk=application.pk).update(earmarked_until=date(today.year - 11, 6, 30))
    assert contact_erase(actor=people["carla"], contact=network["alma"]).outcome == "anonymised"
