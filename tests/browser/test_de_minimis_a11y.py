"""WCAG 2.1 AA on the de-minimis pages: the declarations step of the application form and Finanzen's register
list, each as it opens and after a failed submit."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from fonds.dates import add_working_days
from fonds.models import Application, DeMinimisGrant, Letter, RuleSet, Stage
from tests.browser.axe import check_page
from workflows import demo

D = Decimal


@pytest.fixture
def de_minimis(transactional_db):
    """alice's complete draft under de-minimis rules, and two de-minimis grants of the fund (one reported)."""
    call_command("sync_roles", stdout=open("/dev/null", "w"))
    base = demo.create_base(timezone.localdate())
    RuleSet.objects.update(de_minimis_applicable=True)
    u = base["users"]
    draft = demo.draft(base, base["dia"], u["alice"], "Marktstände", [("Material", "500.00", "595.00")])
    today = timezone.localdate()
    for n, (org, user) in enumerate(((base["dia"], u["alice"]), (base["lions"], u["bob"]))):
        a = demo.draft(base, org, user, f"Früheres Vorhaben {n}", [("Material", "500.00", "595.00")])
        Application.objects.filter(pk=a.pk).update(stage=Stage.IMPLEMENTATION, file_number=f"AF-DM-{n}",
                                                   approved_grant=D("297.50"))
        letter = Letter.objects.create(application=a, kind=Letter.Kind.DE_MINIMIS, number=f"AF-DM-{n}/DM1",
                                       status=Letter.Status.ISSUED, pdf="x.pdf", sha256="0" * 64,
                                       issued_at=timezone.now())
        day = today - timedelta(days=30 * n)
        DeMinimisGrant.objects.create(
            application=a, organisation=org, fund=a.fund, certificate=letter, amount=D("297.50"),
            gross_grant_equivalent=D("297.50"), granted_on=day, report_due=add_working_days(day, 20),
            reported_on=today if n else None, reported_by=u["frieda"] if n else None)
    return {"draft": draft, "fund": base["round"].fund}


def failed_declaration(page):
    page.fill("#id_beihilfen-0-grantor", "NRW.BANK")
    page.fill("#id_beihilfen-0-granted_on", (timezone.localdate() + timedelta(days=3)).isoformat())
    page.fill("#id_beihilfen-0-amount", "keine Ahnung")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()


def failed_report(page):
    page.locator("main form input[type=date]").first.fill((timezone.localdate() + timedelta(days=1)).isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="als gemeldet erfassen").first.click()


@pytest.mark.browser
def test_the_de_minimis_pages_have_no_accessibility_violations(visit, de_minimis):
    alice = visit("alice")
    step = f"/antraege/{de_minimis['draft'].pk}/schritt/erklaerungen/"
    check_page(alice, step)
    page = check_page(alice, step, failed_declaration)
    text = page.content()
    assert "Der Tag der Bewilligung darf nicht in der Zukunft liegen." in text
    assert "Bitte geben Sie einen Betrag in Euro ein" in text

    frieda = visit("frieda")
    register = f"/verwaltung/fonds/{de_minimis['fund'].pk}/de-minimis/"
    check_page(frieda, register)
    page = check_page(frieda, register, failed_report)
    assert "Der Tag der Meldung darf nicht in der Zukunft liegen." in page.content()
