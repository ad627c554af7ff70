"""WCAG 2.1 AA on the fund's finance pages: axe-core finds no violation on the dashboard (figures, SVG charts,
measure report), the private contributions page (as it opens and after a failed pledge) and the year end."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from fonds.models import Application, CostItem, PrivateContribution
from fonds.services.contributions import contribution_pledge, contribution_receive
from fonds.services.ledger import commitment_book
from tests.browser.axe import check_page
from workflows import demo


@pytest.fixture
def fund(transactional_db):
    call_command("sync_roles", stdout=open("/dev/null", "w"))
    base = demo.create_base(timezone.localdate())
    frieda = base["users"]["frieda"]
    for n, measure in enumerate((base.get("measure"), None)):
        a = Application.objects.create(fund=base["round"].fund, round=base["round"], organisation=base["dia"],
                                       created_by=base["users"]["alice"], title=f"Vorhaben {n}", measure=measure)
        CostItem.objects.create(application=a, description="Material", net_amount=Decimal("2000"),
                                gross_amount=Decimal("2000"))
        commitment_book(actor=frieda, application=a, amount=Decimal("1000"))
    sponsor = contribution_pledge(actor=frieda, fund=base["round"].fund, year=base["round"].year,
                                  contributor="Sparkasse Vest", kind=PrivateContribution.Kind.SPONSOR,
                                  pledged=Decimal("3000"))
    contribution_receive(actor=frieda, contribution=sponsor, amount=Decimal("1000"),
                         received_on=timezone.localdate())
    return base["round"].fund


def fail_pledge(page):
    page.locator("button[name=zusage]").click()


@pytest.mark.browser
def test_the_finance_pages_have_no_accessibility_violations(visit, fund):
    frieda = visit("frieda")
    check_page(frieda, f"/verwaltung/fonds/{fund.pk}/finanzen/")
    page = check_page(frieda, f"/verwaltung/fonds/{fund.pk}/finanzen/?jahr=1999", statuses=(400,))  # no figures
    assert page.locator(".kern-error").count() >= 1
    check_page(frieda, f"/verwaltung/fonds/{fund.pk}/beitraege/")
    page = check_page(frieda, f"/verwaltung/fonds/{fund.pk}/beitraege/", fail_pledge)
    assert page.locator(".kern-error").count() >= 1
    check_page(frieda, f"/verwaltung/fonds/{fund.pk}/jahresabschluss/")
    check_page(visit("verwaltung"), f"/verwaltung/fonds/{fund.pk}/finanzen/")
