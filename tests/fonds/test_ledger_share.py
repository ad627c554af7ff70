"""The fund's share rule: of what the fund spends (grants and the applicants' own shares) at most 50 % may be
public money; the rest of a commitment comes from pledged private money, and its payment waits until that money
has arrived. Concurrent commitments never overdraw the budget.

alice  – applicant (DIA)
carla  – Citymanagement (no access to the fund's finances)
frieda – finance: records pledges and receipts, orders payments
felix  – finance: the second person who releases payments
verwaltung – fund admin (reads the finance pages)
olga   – finance of another city (the fund does not exist for her)
"""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, User
from django.db import IntegrityError, transaction
from django.test import Client

from fonds import roles
from fonds.errors import DomainError
from fonds.models import (
    Application,
    AuditEvent,
    Authority,
    BudgetLine,
    CostItem,
    LedgerEntry,
    Payment,
    PrivateContribution,
    StaffMembership,
)
from fonds.services.contributions import contribution_pledge, contribution_receive
from fonds.services.ledger import commitment_book, commitment_release, fund_available, fund_money
from fonds.services.payments import payment_release
from tests.support.at_once import at_once

D = Decimal
EUR = "\u00a0€"
PCT = "\u00a0%"


def only_public_budget(world, amount):
    """Leave the fund a single public budget line (Stadt) of `amount` for the round's year."""
    fund = world["round"].fund
    BudgetLine.objects.filter(fund=fund).delete()
    BudgetLine.objects.create(fund=fund, year=world["round"].year, source=BudgetLine.Source.STADT, amount=D(amount))


def bare(world, gross, title="Vorhaben"):
    """A draft with one eligible cost line of `gross` € (the ledger needs no more)."""
    a = Application.objects.create(fund=world["round"].fund, round=world["round"], organisation=world["dia"],
                                   created_by=world["users"]["alice"], title=title)
    CostItem.objects.create(application=a, description="Material", net_amount=D(gross), gross_amount=D(gross))
    return a


def client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def olga_of_another_city():
    other = Authority.objects.create(name="Stadt Haltern", street="Markt 1", postcode="45721", city="Haltern am See",
                                     court_name="VG Gelsenkirchen", court_address="x")
    olga = User.objects.create_user("olga", "olga@haltern.example", "x")
    olga.groups.add(Group.objects.get(name=roles.FINANCE))
    StaffMembership.objects.create(user=olga, authority=other)
    return olga


def ordered(world, a, amount):
    Application.objects.filter(pk=a.pk).update(approved_grant=D(amount))
    return Payment.objects.create(application=a, kind=Payment.Kind.INSTALMENT, amount=D(amount),
                                  ordered_by=world["users"]["frieda"])


# --- concurrency ------------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_commitments_of_1000_against_10000_book_exactly_ten(world):
    only_public_budget(world, "10000")
    frieda = world["users"]["frieda"]
    applications = [bare(world, "2000.00", f"Vorhaben {n}") for n in range(20)]  # grant 1.000 + own share 1.000

    def commit(application):
        with transaction.atomic():
            commitment_book(actor=frieda, application=application, amount=D("1000.00"))
        return "booked"

    results = [o.message if isinstance(o, DomainError) else o for o in at_once(commit, applications)]
    assert len(results) == 20
    assert results.count("booked") == 10, results
    assert all("noch verfügbaren Mittel des Fonds" in r for r in results if r != "booked")
    fund, year = world["round"].fund, world["round"].year
    figures = fund_money(fund=fund, year=year)
    assert LedgerEntry.objects.filter(kind=LedgerEntry.Kind.COMMITMENT).count() == 10
    assert figures["budget"] - figures["committed"] == figures["available"] == D("0.00")
    assert figures["public_committed"] == D("10000.00") and figures["public_share"] == D(50)


# --- the share rule ---------------------------------------------------------------------------------------------


def test_dorstens_normal_case_half_grant_half_own_share_needs_no_pool_money(world):
    only_public_budget(world, "10000")
    entry = commitment_book(actor=world["users"]["frieda"], application=bare(world, "2000.00"), amount=D("1000.00"))
    assert (entry.public_amount, entry.own_share, entry.pool_amount) == (D("1000.00"), D("1000.00"), D("0.00"))
    assert fund_money(fund=entry.fund, year=entry.year)["public_share"] == D(50)


def test_a_commitment_pushing_the_public_share_above_half_is_refused_with_the_figures(world):
    only_public_budget(world, "10000")
    frieda = world["users"]["frieda"]
    commitment_book(actor=frieda, application=bare(world, "2000.00"), amount=D("1000.00"))
    full = bare(world, "1000.00", "Ganz gefördert")  # grant 1.000 on 1.000 costs: no own share at all
    entries, audits = LedgerEntry.objects.count(), AuditEvent.objects.count()

    with pytest.raises(DomainError) as refused:
        commitment_book(actor=frieda, application=full, amount=D("1000.00"))

    message = refused.value.message
    assert refused.value.field == "amount"
    for figure in (f"höchstens 50,00{PCT}", f"Bisher öffentlich gebunden: 1.000,00{EUR} von 2.000,00{EUR}",
                   f"Zuschuss 1.000,00{EUR}, Eigenanteil 0,00{EUR}", f"öffentliche Anteil bei 66,67{PCT}",
                   f"höchstens 500,00{EUR} möglich", f"wären 500,00{EUR} nötig, frei sind dort nur 0,00{EUR}"):
        assert figure in message, (figure, message)
    assert LedgerEntry.objects.count() == entries and AuditEvent.objects.count() == audits
    assert fund_available(fund=full.fund, year=full.round.year) == D("9000.00")


def test_pledged_pool_money_covers_what_the_rule_keeps_from_public_money(world):
    only_public_budget(world, "10000")
    frieda, fund, year = world["users"]["frieda"], world["round"].fund, world["round"].year
    commitment_book(actor=frieda, application=bare(world, "2000.00"), amount=D("1000.00"))
    contribution_pledge(actor=frieda, fund=fund, year=year, contributor="Sparkasse Vest",
                        kind=PrivateContribution.Kind.SPONSOR, pledged=D("500.00"))

    entry = commitment_book(actor=frieda, application=bare(world, "1000.00"), amount=D("1000.00"))

    assert (entry.public_amount, entry.pool_amount) == (D("500.00"), D("500.00"))
    figures = fund_money(fund=fund, year=year)
    assert figures["public_share"] == D(50) and figures["pool_available"] == D("0.00")
    assert figures["available"] == D("8500.00")  # 10.000 public + 500 pledged − 2.000 bound


def test_a_funds_own_rule_of_100_percent_needs_no_pool(world):
    """Sozialer Zusammenhalt: up to 100 % public money."""
    only_public_budget(world, "10000")
    fund = world["round"].fund
    fund.max_public_share_percent = D("100")
    fund.save()
    entry = commitment_book(actor=world["users"]["frieda"], application=bare(world, "1000.00"), amount=D("1000.00"))
    assert entry.public_amount == D("1000.00")


def test_the_database_refuses_a_public_part_above_the_amount_and_a_share_rule_above_100(world):
    only_public_budget(world, "10000")
    entry = commitment_book(actor=world["users"]["frieda"], application=bare(world, "2000.00"), amount=D("1000.00"))
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).update(public_amount=D("1000.01"))
    with pytest.raises(IntegrityError), transaction.atomic():
        type(entry.fund).objects.filter(pk=entry.fund_id).update(max_public_share_percent=D("100.01"))


def test_releases_and_payments_are_split_like_the_commitment(world):
    only_public_budget(world, "10000")
    frieda, fund, year = world["users"]["frieda"], world["round"].fund, world["round"].year
    commitment_book(actor=frieda, application=bare(world, "2000.00"), amount=D("1000.00"))
    contribution_pledge(actor=frieda, fund=fund, year=year, contributor="ISG Altstadt",
                        kind=PrivateContribution.Kind.ISG, pledged=D("500.00"))
    a = bare(world, "1000.00")
    commitment_book(actor=frieda, application=a, amount=D("1000.00"))  # 500 public + 500 pool

    partial = commitment_release(actor=frieda, application=a, amount=D("300.00"), note="Kürzung")
    rest = commitment_release(actor=frieda, application=a, amount=D("700.00"), note="Widerruf")

    assert (partial.public_amount, partial.pool_amount) == (D("150.00"), D("150.00"))
    assert (rest.public_amount, rest.pool_amount) == (D("350.00"), D("350.00"))
    figures = fund_money(fund=fund, year=year)
    assert figures["pool_available"] == D("500.00") and figures["public_committed"] == D("1000.00")


# --- release only against matched private money -----------------------------------------------------------------


def test_a_payment_is_released_only_once_the_sponsors_money_has_arrived(world):
    only_public_budget(world, "10000")
    u, fund, year = world["users"], world["round"].fund, world["round"].year
    # This fund pays before the Bescheid is final (the Bestandskraft block is tested in test_bestandskraft.py).
    type(fund).objects.filter(pk=fund.pk).update(payment_before_final=True)
    normal = bare(world, "2000.00", "Halb gefördert")
    commitment_book(actor=u["frieda"], application=normal, amount=D("1000.00"))
    sponsor = contribution_pledge(actor=u["frieda"], fund=fund, year=year, contributor="Sparkasse Vest",
                                  kind=PrivateContribution.Kind.SPONSOR, pledged=D("500.00"))
    pooled = bare(world, "1000.00", "Aus dem Pool")
    commitment_book(actor=u["frieda"], application=pooled, amount=D("1000.00"))

    # A purely public payment needs no private money.
    payment_release(actor=u["felix"], payment=ordered(world, normal, "1000.00"), arithmetically_correct=True)

    payment = ordered(world, pooled, "1000.00")
    with pytest.raises(DomainError) as refused:
        payment_release(actor=u["felix"], payment=payment, arithmetically_correct=True)
    message = refused.value.message
    for figure in (f"enthält 500,00{EUR} aus privaten Mitteln", f"bisher 0,00{EUR} aus dem Pool",
                   f"eingegangen sind erst 0,00{EUR}", f"zugesagt: 500,00{EUR}"):
        assert figure in message, (figure, message)
    payment.refresh_from_db()
    assert payment.status == Payment.Status.ORDERED
    assert not LedgerEntry.objects.filter(application=pooled, kind=LedgerEntry.Kind.PAYMENT).exists()

    today = sponsor.created_at.date()
    contribution_receive(actor=u["frieda"], contribution=sponsor, amount=D("300.00"), received_on=today)
    with pytest.raises(DomainError, match=f"eingegangen sind erst 300,00{EUR}"):
        payment_release(actor=u["felix"], payment=payment, arithmetically_correct=True)

    contribution_receive(actor=u["frieda"], contribution=sponsor, amount=D("200.00"), received_on=today)
    payment_release(actor=u["felix"], payment=payment, arithmetically_correct=True)
    entry = LedgerEntry.objects.get(application=pooled, kind=LedgerEntry.Kind.PAYMENT)
    assert (entry.amount, entry.public_amount, entry.pool_amount) == (D("1000.00"), D("500.00"), D("500.00"))
    assert fund_money(fund=fund, year=year)["pool_paid"] == D("500.00")


def test_a_receipt_above_the_pledge_is_refused_and_changes_nothing(world):
    u, fund, year = world["users"], world["round"].fund, world["round"].year
    sponsor = contribution_pledge(actor=u["frieda"], fund=fund, year=year, contributor="Sparkasse Vest",
                                  kind=PrivateContribution.Kind.SPONSOR, pledged=D("500.00"))
    today = sponsor.created_at.date()
    contribution_receive(actor=u["frieda"], contribution=sponsor, amount=D("400.00"), received_on=today)
    audits = AuditEvent.objects.count()

    with pytest.raises(DomainError) as refused:
        contribution_receive(actor=u["frieda"], contribution=sponsor, amount=D("100.01"), received_on=today)

    assert refused.value.message == (f"Der Zahlungseingang von 100,01{EUR} übersteigt die Zusage: zugesagt "
                                     f"500,00{EUR}, bereits eingegangen 400,00{EUR}, offen 100,00{EUR}.")
    sponsor.refresh_from_db()
    assert sponsor.received == D("400.00") and sponsor.receipts.count() == 1
    assert AuditEvent.objects.count() == audits
    with pytest.raises(IntegrityError), transaction.atomic():
        PrivateContribution.objects.filter(pk=sponsor.pk).update(received=D("500.01"))


# --- the contributions page ---------------------------------------------------------------------------------------


def test_finance_records_a_pledge_and_a_receipt_on_the_page(world):
    u, fund, year = world["users"], world["round"].fund, world["round"].year
    url = f"/verwaltung/fonds/{fund.pk}/beitraege/?jahr={year}"
    c = client(u["frieda"])

    response = c.post(url, {"zusage": "1", "contributor": "Werbegemeinschaft Altstadt", "kind": "business",
                            "pledged": "2.500,00", "note": "Zusage vom Vorstand"})
    assert response.status_code == 302
    contribution = PrivateContribution.objects.get()
    assert (contribution.pledged, contribution.received, contribution.year) == (D("2500.00"), D("0.00"), year)
    assert AuditEvent.objects.filter(action="contribution.pledged").count() == 1

    p = f"c{contribution.pk}"
    response = c.post(url, {"eingang": contribution.pk, f"{p}-amount": "3.000,00", f"{p}-received_on": "2020-01-02"})
    assert response.status_code == 400
    assert f"übersteigt die Zusage: zugesagt 2.500,00{EUR}" in response.content.decode()
    response = c.post(url, {"eingang": contribution.pk, f"{p}-amount": "1.000,00", f"{p}-received_on": "2020-01-02"})
    assert response.status_code == 302
    contribution.refresh_from_db()
    assert contribution.received == D("1000.00")
    html = c.get(url).content.decode()
    assert "Werbegemeinschaft Altstadt" in html and "02.01.2020" in html


def test_a_pledge_without_an_amount_is_refused_in_german_and_changes_nothing(world):
    fund, year = world["round"].fund, world["round"].year
    response = client(world["users"]["frieda"]).post(
        f"/verwaltung/fonds/{fund.pk}/beitraege/?jahr={year}",
        {"zusage": "1", "contributor": "Sparkasse", "kind": "sponsor", "pledged": ""})
    assert response.status_code == 400
    assert "Bitte geben Sie den zugesagten Betrag an." in response.content.decode()
    assert not PrivateContribution.objects.exists()


def test_only_finance_records_contributions_and_the_fund_admin_only_reads(world):
    u, fund = world["users"], world["round"].fund
    olga = olga_of_another_city()
    url = f"/verwaltung/fonds/{fund.pk}/beitraege/"
    pledge = {"zusage": "1", "contributor": "X", "kind": "sponsor", "pledged": "10"}
    expected_get = {"alice": 403, "bob": 403, "carla": 403, "dieter": 403, "olga": 404, "verwaltung": 200,
                    "frieda": 200}
    for name, status in expected_get.items():
        c = client(olga if name == "olga" else u[name])
        assert c.get(url).status_code == status, name
        if name != "frieda":
            assert c.post(url, pledge).status_code in (403, 404), name
    assert not PrivateContribution.objects.exists()
    assert "Neue Zusage erfassen" not in client(u["verwaltung"]).get(url).content.decode()
