"""Finanzen's de-minimis register list (page, CSV, marking an entry reported) and two Bescheide for one
undertaking issued at the same moment.

alice  – applicant (Dorstener Interessengemeinschaft Altstadt e. V.)
bob    – another applicant (Lions Club)
carla  – Citymanagement, dieter – Beirat: no access to the register list
frieda – finance: keeps the register list
felix  – finance: the second person
olga   – finance of another city: the fund does not exist for her
"""

import csv
import io
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fonds import roles
from fonds.errors import DomainError
from fonds.models import AuditEvent, Authority, DeMinimisGrant, Fund, Letter, RuleSet, StaffMembership
from fonds.services import de_minimis as service
from fonds.services.de_minimis import de_minimis_mark_reported
from tests.fonds.test_de_minimis import approved, client, granted
from tests.support.at_once import at_once

D = Decimal


@pytest.fixture
def rules(world):
    RuleSet.objects.filter(pk=world["round"].current_rules.pk).update(de_minimis_applicable=True)
    return RuleSet.objects.get(pk=world["round"].current_rules.pk)


# --- the register list ------------------------------------------------------------------------------------------


def register(fund):
    return f"/verwaltung/fonds/{fund.pk}/de-minimis/"


def test_only_finance_of_the_funds_authority_reaches_the_register_list(world, rules, people):
    grant = granted(world, rules, world["dia"], people["alice"], "1000.00")
    fund = grant.fund
    other_city = Authority.objects.create(name="Stadt Haltern", street="Markt 1", postcode="45721",
                                          city="Haltern am See", court_name="VG Gelsenkirchen", court_address="x")
    olga = User.objects.create_user("olga", "olga@haltern.example", "x")  # finance, but of another city
    olga.groups.add(Group.objects.get(name=roles.FINANCE))
    StaffMembership.objects.create(user=olga, authority=other_city)
    expected = {"alice": 403, "bob": 403, "carla": 403, "dieter": 403, "olga": 404, "frieda": 200, "felix": 200}
    today = timezone.localdate().isoformat()
    for name, status in expected.items():
        c = client(olga if name == "olga" else people[name])
        assert c.get(register(fund)).status_code == status, name
        assert c.get(f"/verwaltung/fonds/{fund.pk}/de-minimis.csv").status_code == status, name
        if status != 200:
            response = c.post(register(fund), {"gemeldet": grant.pk, f"g{grant.pk}-reported_on": today})
            assert response.status_code == status, name
    grant.refresh_from_db()
    assert grant.reported_on is None
    frieda = client(people["frieda"])
    for pk in (999999, "abc", ""):
        assert frieda.post(register(fund), {"gemeldet": pk}).status_code == 404, pk
    # a grant of another fund of the same authority is not on this fund's list
    other_fund = Fund.objects.create(authority=fund.authority, name="Hof- und Fassadenprogramm", code="HF")
    assert frieda.post(register(other_fund), {"gemeldet": grant.pk,
                                              f"g{grant.pk}-reported_on": today}).status_code == 404
    grant.refresh_from_db()
    assert grant.reported_on is None


def test_finance_marks_a_grant_reported_and_refusals_change_nothing(world, rules, people):
    grant = granted(world, rules, world["dia"], people["alice"], "1000.00", days_ago=3)
    frieda, url, field = client(people["frieda"]), register(grant.fund), f"g{grant.pk}-reported_on"
    today = timezone.localdate()
    refusals = {
        (today + timedelta(days=1)).isoformat(): "Der Tag der Meldung darf nicht in der Zukunft liegen.",
        (today - timedelta(days=4)).isoformat(): "Der Tag der Meldung darf nicht vor der Gewährung am",
        "gestern": "Bitte geben Sie ein Datum an",
        "": "Bitte geben Sie an, wann die Gewährung an das Register gemeldet wurde.",
    }
    for value, message in refusals.items():
        response = frieda.post(url, {"gemeldet": grant.pk, field: value})
        assert response.status_code == 400 and message in response.content.decode(), value
        grant.refresh_from_db()
        assert grant.reported_on is None
    response = frieda.post(url, {"gemeldet": grant.pk, field: (today - timedelta(days=1)).isoformat()})
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.reported_on == today - timedelta(days=1) and grant.reported_by == people["frieda"]
    assert AuditEvent.objects.filter(action="de_minimis.reported").count() == 1
    # once reported, the grant has no form any more and the service refuses a second report
    assert frieda.post(url, {"gemeldet": grant.pk, field: today.isoformat()}).status_code == 400
    with pytest.raises(DomainError, match="bereits als gemeldet"):
        de_minimis_mark_reported(actor=people["felix"], grant=grant, reported_on=today)
    grant.refresh_from_db()
    assert grant.reported_by == people["frieda"]
    assert "von Frieda" in frieda.get(url).content.decode()


def test_the_register_csv_lists_each_grant_for_the_register(world, rules, people):
    grant = granted(world, rules, world["dia"], people["alice"], "12345.67", days_ago=2)
    de_minimis_mark_reported(actor=people["frieda"], grant=grant, reported_on=timezone.localdate())
    granted(world, rules, world["lions"], people["bob"], "500.00")
    response = client(people["frieda"]).get(f"/verwaltung/fonds/{grant.fund.pk}/de-minimis.csv")
    assert response["Content-Disposition"].startswith('attachment; filename="de-minimis-AF-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:7] == ["Unternehmen", "Rechtsform", "Anschrift", "Aktenzeichen", "Tag der Gewährung",
                           "Zuwendung", "Bruttosubventionsäquivalent"]
    assert len(rows) == 3
    lions, dia = rows[1], rows[2]  # unreported first
    assert lions[0] == world["lions"].name and lions[11] == ""
    assert dia[0] == world["dia"].name and dia[5] == dia[6] == "12345,67"
    assert dia[4] == f"{grant.granted_on:%d.%m.%Y}" and dia[10] == f"{grant.report_due:%d.%m.%Y}"
    assert dia[8] == "Verordnung (EU) 2023/2831" and dia[7] == "Stadt Dorsten"
    assert dia[11] == f"{timezone.localdate():%d.%m.%Y}" and dia[12].startswith("Frieda")


def test_the_register_list_runs_a_constant_number_of_queries(world, rules, people, django_assert_num_queries):
    granted(world, rules, world["dia"], people["alice"], "100.00")
    fund = world["round"].fund
    c = client(people["frieda"])
    c.get(register(fund))  # warm the session and permission caches alike for both measurements
    with CaptureQueriesContext(connection) as one:
        assert c.get(register(fund)).status_code == 200
    for n in range(29):
        org, user = (world["lions"], people["bob"]) if n % 2 else (world["dia"], people["alice"])
        grant = granted(world, rules, org, user, "100.00")
        if n % 3 == 0:
            de_minimis_mark_reported(actor=people["felix"], grant=grant, reported_on=timezone.localdate())
    with django_assert_num_queries(len(one)):
        response = c.get(register(fund))
    assert len(response.context["grants"]) == 30
    assert response.content.decode().count("als gemeldet erfassen") == 20


# --- two Bescheide for one undertaking at once ------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_bescheide_for_one_undertaking_issued_at_once_never_pass_the_ceiling_together(world, rules, monkeypatch):
    u = world["users"]
    first, second = (approved(world, rules, world["dia"], u["alice"], "160000.00", title=f"Vorhaben {n}",
                              declared=D("0")) for n in range(2))
    draft = service.letter_draft

    def slow_draft(**kwargs):
        time.sleep(0.3)  # hold the transaction open while the other issue arrives
        return draft(**kwargs)

    monkeypatch.setattr(service, "letter_draft", slow_draft)

    def issue(application):
        with transaction.atomic():
            return service.de_minimis_grant(actor=u["felix"], application=application,
                                            bescheid=Letter(number=f"{application.file_number}/B1")).pk

    results = [o.message if isinstance(o, DomainError) else o for o in at_once(issue, [first, second], timeout=20)]
    assert len([r for r in results if isinstance(r, int)]) == 1, results
    [refusal] = [r for r in results if isinstance(r, str)]
    assert "überschritten" in refusal and "160.000,00" in refusal
    assert DeMinimisGrant.objects.count() == 1
    assert Letter.objects.filter(kind=Letter.Kind.DE_MINIMIS).count() == 1
