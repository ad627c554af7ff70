"""De-minimis aid: the applicant's declaration, the cumulative check, the certificate and Finanzen's register list.

alice  – applicant (Dorstener Interessengemeinschaft Altstadt e. V., the undertaking)
bob    – another applicant (Lions Club), a different undertaking
carla  – Citymanagement: no access to the register list
frieda – finance: keeps the register list
felix  – finance: the second person
olga   – finance of another city: the fund does not exist for her
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from fonds.dates import add_working_days, add_years
from fonds.errors import DomainError
from fonds.models import (
    Application,
    AuditEvent,
    DeMinimisAid,
    DeMinimisGrant,
    Letter,
    RuleSet,
    Stage,
)
from fonds.services.checklist import checklist_for
from fonds.services.de_minimis import (
    de_minimis_check,
    de_minimis_declare,
    de_minimis_ensure_within_ceiling,
    window_start,
)
from notifications.letters import render_letter_pdf
from tests.notifications.test_letters import text_of
from workflows import demo

D = Decimal
_numbers = iter(range(1, 10_000))


@pytest.fixture
def rules(world):
    rules = world["round"].current_rules
    RuleSet.objects.filter(pk=rules.pk).update(de_minimis_applicable=True, de_minimis_ceiling=D("300000"))
    rules.refresh_from_db()
    return rules


def drafted(world, org, user, title="Marktstände"):
    """A complete draft under de-minimis rules (the demo's draft declares nothing)."""
    return demo.draft(world, org, user, title, [("Material", "500.00", "595.00")])


def approved(world, rules, org, user, grant, *, title="Marktstände", declared=None):
    """An application of `org` at the Bescheid stage with `grant` approved; `declared` is its declared sum."""
    a = drafted(world, org, user, title)
    Application.objects.filter(pk=a.pk).update(
        stage=Stage.BESCHEID, file_number=f"AF-DM-{next(_numbers):04d}", rules=rules, approved_grant=D(grant),
        de_minimis_amount=declared)
    a.refresh_from_db()
    return a


def granted(world, rules, org, user, amount, *, days_ago=0):
    """A de-minimis grant this installation gave `org` `days_ago` days ago, with its certificate."""
    a = approved(world, rules, org, user, amount, title=f"Früheres Vorhaben {next(_numbers)}", declared=D("0"))
    Application.objects.filter(pk=a.pk).update(stage=Stage.IMPLEMENTATION)
    letter = Letter.objects.create(application=a, kind=Letter.Kind.DE_MINIMIS, number=f"{a.file_number}/DM1",
                                   status=Letter.Status.ISSUED, pdf="x.pdf", sha256="0" * 64,
                                   issued_at=timezone.now())
    day = timezone.localdate() - timedelta(days=days_ago)
    return DeMinimisGrant.objects.create(application=a, organisation=org, fund=a.fund, certificate=letter,
                                         amount=D(amount), gross_grant_equivalent=D(amount), granted_on=day,
                                         report_due=add_working_days(day, 20))


def aid(a, amount, *, days_ago=30, grantor="NRW.BANK"):
    return DeMinimisAid.objects.create(application=a, grantor=grantor, amount=D(amount),
                                       granted_on=timezone.localdate() - timedelta(days=days_ago))


def client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


# --- the cumulative check ---------------------------------------------------------------------------------------


def test_declared_aid_earlier_grants_and_this_grant_are_added_up(world, rules, people):
    a = approved(world, rules, world["dia"], people["alice"], "5000.00", declared=D("150000.00"))
    aid(a, "100000.00")
    aid(a, "50000.00", days_ago=400)
    granted(world, rules, world["dia"], people["alice"], "20000.00", days_ago=100)
    check = de_minimis_check(application=a, amount=a.approved_grant)
    assert (check.declared, check.earlier, check.grant) == (D("150000.00"), D("20000.00"), D("5000.00"))
    assert check.total == D("175000.00") and check.allowed


def test_the_ceiling_exceeded_refuses_approval_with_the_figures(world, rules, people):
    a = approved(world, rules, world["dia"], people["alice"], "5000.00", declared=D("290000.00"))
    aid(a, "290000.00")
    granted(world, rules, world["dia"], people["alice"], "6000.00")
    with pytest.raises(DomainError) as refused:
        de_minimis_ensure_within_ceiling(application=a, amount=a.approved_grant)
    message = refused.value.message.replace("\xa0", " ")
    assert "um 1.000,00 € überschritten" in message
    for figure in ("290.000,00 €", "6.000,00 €", "5.000,00 €", "301.000,00 €", "300.000,00 €",
                   "Verordnung (EU) 2023/2831"):
        assert figure in message, figure


def test_exactly_at_the_ceiling_is_allowed_and_one_cent_more_is_not(world, rules, people):
    a = approved(world, rules, world["dia"], people["alice"], "5000.00", declared=D("275000.00"))
    aid(a, "275000.00")
    granted(world, rules, world["dia"], people["alice"], "20000.00")
    assert de_minimis_ensure_within_ceiling(application=a, amount=D("5000.00")).total == D("300000.00")
    with pytest.raises(DomainError):
        de_minimis_ensure_within_ceiling(application=a, amount=D("5000.01"))


def test_aid_older_than_three_years_is_not_counted(world, rules, people):
    today = timezone.localdate()
    a = approved(world, rules, world["dia"], people["alice"], "5000.00", declared=D("400000.00"))
    DeMinimisAid.objects.create(application=a, grantor="Land NRW", amount=D("300000.00"),
                                granted_on=add_years(today, -3))  # three years ago today: out of the window
    DeMinimisAid.objects.create(application=a, grantor="Land NRW", amount=D("100000.00"),
                                granted_on=add_years(today, -3) + timedelta(days=1))  # the window's first day
    assert window_start(today) == add_years(today, -3) + timedelta(days=1)
    check = de_minimis_check(application=a, amount=a.approved_grant)
    assert check.declared == D("100000.00") and check.allowed


def test_an_earlier_grant_of_this_fund_to_the_same_organisation_is_counted(world, rules, people):
    a = approved(world, rules, world["dia"], people["alice"], "5000.00", declared=D("0"))
    granted(world, rules, world["dia"], people["alice"], "250000.00", days_ago=700)
    granted(world, rules, world["lions"], people["bob"], "200000.00")  # another undertaking: not counted
    old = granted(world, rules, world["dia"], people["alice"], "200000.00")
    DeMinimisGrant.objects.filter(pk=old.pk).update(granted_on=add_years(timezone.localdate(), -3))  # too old
    check = de_minimis_check(application=a, amount=a.approved_grant)
    assert check.earlier == D("250000.00") and check.total == D("255000.00") and check.allowed
    granted(world, rules, world["dia"], people["alice"], "45000.01", days_ago=10)
    with pytest.raises(DomainError, match="300.000,01"):
        de_minimis_ensure_within_ceiling(application=a, amount=a.approved_grant)


def test_a_declared_sum_without_dates_counts_in_full_and_no_declaration_is_refused(world, rules, people):
    a = approved(world, rules, world["dia"], people["alice"], "5000.00", declared=D("296000.00"))
    assert de_minimis_check(application=a, amount=a.approved_grant).total == D("301000.00")
    a.de_minimis_amount = None
    with pytest.raises(DomainError, match="keine Erklärung"):
        de_minimis_ensure_within_ceiling(application=a, amount=a.approved_grant)


def test_the_checklist_item_shows_the_figures_of_the_same_check(world, rules, people):
    a = approved(world, rules, world["dia"], people["alice"], "5000.00", declared=D("10000.00"))
    aid(a, "10000.00")
    granted(world, rules, world["dia"], people["alice"], "290000.00")
    item = next(i for i in checklist_for(a, rules) if i.key == "de_minimis")
    assert item.automatic is False
    reason = item.reason.replace("\xa0", " ")
    assert "10.000,00 €" in reason and "290.000,00 €" in reason and "300.000,00 €" in reason


# --- the declaration --------------------------------------------------------------------------------------------


def test_the_declaration_keeps_each_aid_and_the_sum(world, rules, people):
    a = drafted(world, world["dia"], people["alice"])
    today = timezone.localdate()
    a = de_minimis_declare(actor=people["alice"], application=a, none=False, aids=[
        {"grantor": "NRW.BANK", "granted_on": today - timedelta(days=10), "amount": D("1200.50"), "purpose": "IT"},
        {"grantor": "Stadt Dorsten", "granted_on": today, "amount": D("800.00")}])
    assert a.de_minimis_amount == D("2000.50") and a.de_minimis_aids.count() == 2
    a = de_minimis_declare(actor=people["alice"], application=a, none=True, aids=[])
    assert a.de_minimis_amount == D("0") and a.de_minimis_aids.count() == 0
    assert AuditEvent.objects.filter(action="application.de_minimis_declared").count() == 2


@pytest.mark.parametrize("none, aids, expected", [
    (True, [{"grantor": "NRW.BANK", "days_ago": 5, "amount": "10.00"}], "zugleich Beihilfen eingetragen"),
    (False, [], "kreuzen Sie „keine De-minimis-Beihilfen erhalten“ an"),
    (False, [{"grantor": "NRW.BANK", "days_ago": -1, "amount": "10.00"}], "nicht in der Zukunft"),
    (False, [{"grantor": "NRW.BANK", "days_ago": 1200, "amount": "10.00"}], "zählen nicht mehr mit"),
    (False, [{"grantor": "NRW.BANK", "days_ago": 5, "amount": "0.00"}], "größer als 0 €"),
    (False, [{"grantor": " ", "days_ago": 5, "amount": "10.00"}], "wer die Beihilfe gewährt hat"),
])
def test_a_bad_declaration_is_refused_in_german_and_changes_nothing(world, rules, people, none, aids, expected):
    a = drafted(world, world["dia"], people["alice"])
    a = de_minimis_declare(actor=people["alice"], application=a, none=False, aids=[
        {"grantor": "Land NRW", "granted_on": timezone.localdate(), "amount": D("99.00")}])
    rows = [{"grantor": x["grantor"], "granted_on": timezone.localdate() - timedelta(days=x["days_ago"]),
             "amount": D(x["amount"])} for x in aids]
    with pytest.raises(DomainError, match=expected):
        de_minimis_declare(actor=people["alice"], application=a, none=none, aids=rows)
    a.refresh_from_db()
    assert a.de_minimis_amount == D("99.00") and list(a.de_minimis_aids.values_list("grantor", flat=True)) == [
        "Land NRW"]


def test_bob_cannot_declare_for_alices_application_and_nothing_after_submission(world, rules, people):
    a = drafted(world, world["dia"], people["alice"])
    with pytest.raises(DomainError):
        de_minimis_declare(actor=people["bob"], application=a, none=True, aids=[])
    Application.objects.filter(pk=a.pk).update(stage=Stage.ELIGIBILITY, file_number="AF-DM-SUB")
    with pytest.raises(DomainError, match="eingereichter Antrag"):
        de_minimis_declare(actor=people["alice"], application=a, none=True, aids=[])
    a.refresh_from_db()
    assert a.de_minimis_aids.count() == 0


STEP = "/antraege/{pk}/schritt/erklaerungen/"


def rows_post(*rows, none=False):
    data = {"privacy": "on", "truth": "on", "beihilfen-TOTAL_FORMS": str(max(2, len(rows))),
            "beihilfen-INITIAL_FORMS": "0"}
    if none:
        data["de_minimis_none"] = "on"
    for n, (grantor, day, amount, purpose) in enumerate(rows):
        data.update({f"beihilfen-{n}-grantor": grantor, f"beihilfen-{n}-granted_on": day,
                     f"beihilfen-{n}-amount": amount, f"beihilfen-{n}-purpose": purpose})
    return data


def test_the_declarations_step_saves_each_aid_typed_the_german_way(world, rules, people):
    a = drafted(world, world["dia"], people["alice"])
    alice = client(people["alice"])
    page = alice.get(STEP.format(pk=a.pk)).content.decode()
    since = window_start(timezone.localdate())
    assert "De-minimis-Beihilfe 1" in page and f"{since:%d.%m.%Y}" in page and "Ältere Beihilfen" in page
    day = (timezone.localdate() - timedelta(days=100)).isoformat()
    response = alice.post(STEP.format(pk=a.pk), rows_post(("NRW.BANK", day, "12.000,50", "Digitalisierung")))
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.de_minimis_amount == D("12000.50")
    assert list(a.de_minimis_aids.values_list("grantor", "amount")) == [("NRW.BANK", D("12000.50"))]
    assert "12.000,50" in alice.get(STEP.format(pk=a.pk)).content.decode()  # shown again as typed
    assert alice.post(STEP.format(pk=a.pk), rows_post(none=True)).status_code == 302
    a.refresh_from_db()
    assert a.de_minimis_amount == D("0") and not a.de_minimis_aids.exists()


def test_the_declarations_step_refuses_bad_rows_in_german_and_keeps_the_old_declaration(world, rules, people):
    a = drafted(world, world["dia"], people["alice"])
    a = de_minimis_declare(actor=people["alice"], application=a, none=True, aids=[])
    alice = client(people["alice"])
    today = timezone.localdate()
    response = alice.post(STEP.format(pk=a.pk), rows_post(
        ("NRW.BANK", (today + timedelta(days=1)).isoformat(), "100,00", ""),
        ("", (today - timedelta(days=5000)).isoformat(), "0", ""),
        ("Land NRW", today.isoformat(), "viel", "")))
    assert response.status_code == 400
    html = response.content.decode()
    for message in ("Der Tag der Bewilligung darf nicht in der Zukunft liegen.",
                    "Bitte geben Sie an, wer die Beihilfe gewährt hat.", "zählen nicht mehr mit",
                    "Der Betrag muss größer als 0 € sein.", "Bitte geben Sie einen Betrag in Euro ein"):
        assert message in html, message
    response = alice.post(STEP.format(pk=a.pk), {**rows_post(), "de_minimis_none": ""})
    assert response.status_code == 400 and "„keine De-minimis-Beihilfen erhalten“" in response.content.decode()
    response = alice.post(STEP.format(pk=a.pk), rows_post(("NRW.BANK", today.isoformat(), "5,00", ""), none=True))
    assert response.status_code == 400 and "zugleich Beihilfen eingetragen" in response.content.decode()
    a.refresh_from_db()
    assert a.de_minimis_amount == D("0") and not a.de_minimis_aids.exists()


def test_without_de_minimis_rules_the_step_asks_nothing_about_it(world, people):
    a = drafted(world, world["dia"], people["alice"])
    page = client(people["alice"]).get(STEP.format(pk=a.pk)).content.decode()
    assert "De-minimis" not in page


def test_the_database_refuses_an_aid_of_zero_and_a_report_before_granting(world, rules, people):
    a = drafted(world, world["dia"], people["alice"])
    with pytest.raises(IntegrityError), transaction.atomic():
        aid(a, "0.00")
    grant = granted(world, rules, world["dia"], people["alice"], "100.00")
    with pytest.raises(IntegrityError), transaction.atomic():
        DeMinimisGrant.objects.filter(pk=grant.pk).update(reported_on=grant.granted_on - timedelta(days=1),
                                                          reported_by=people["frieda"])


# --- the certificate --------------------------------------------------------------------------------------------


def test_the_certificate_states_undertaking_gge_regulation_and_duties(world, rules, people):
    from fonds.services.de_minimis import certificate_content
    from fonds.services.letters import letter_draft, letter_issue

    a = approved(world, rules, world["dia"], people["alice"], "12345.67", declared=D("0"))
    bescheid = Letter(number=f"{a.file_number}/B1")
    letter = letter_draft(actor=None, application=a, kind=Letter.Kind.DE_MINIMIS,
                          content=certificate_content(application=a, bescheid=bescheid))
    letter = letter_issue(actor=people["felix"], letter=letter)
    text = text_of(render_letter_pdf(letter))
    for part in ("De-minimis-Bescheinigung", "Dorstener Interessengemeinschaft Altstadt e. V.",
                 "Bruttosubventionsäquivalent (Beihilfewert) 12.345,67 €", "Verordnung (EU) 2023/2831",
                 "ABl. L, 2023/2831, 15.12.2023", "drei Jahren 300.000,00 €", "zehn Jahre",
                 f"Tag der Gewährung {timezone.localdate():%d.%m.%Y}", f"{a.file_number}/B1",
                 "in Ihrer De-minimis-Erklärung an", "Stadt Dorsten"):
        assert part in text, part
    assert letter.number == f"{a.file_number}/DM1"
