"""WCAG 2.1 AA on the letter pages: the fund admin's letter templates (list, edit form as it opens and after a
refused save), the Anhörung form, the Änderungsbescheid form, the list of drafts awaiting the second person and
its confirmation page."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from fonds.models import Application, Fund
from fonds.services.notices import amendment_draft
from tests.browser.axe import check_page
from workflows import demo


@pytest.fixture
def letters_world(transactional_db):
    call_command("sync_roles", stdout=open("/dev/null", "w"))
    assert demo.load()
    people = {u.username: u for u in User.objects.all()}
    implemented = Application.objects.get(title="Historische Marktstände")
    draft = amendment_draft(actor=people["frieda"], application=implemented,
                            new_amount=implemented.approved_grant - Decimal("100"),
                            new_period_end=implemented.approval_period_end, conditions="",
                            reasons="Ein Marktstand entfällt.")
    return {"people": people, "fund": Fund.objects.get(code="AF"), "implemented": implemented,
            "fresh": Application.objects.get(title="Blumenampeln Lippestraße"), "draft": draft}


def refused_save(page):
    page.locator("main form textarea").first.fill("Text mit {unbekannt}")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state("networkidle")
    assert page.locator(".kern-error").count() >= 1


def submit_empty(page):
    for field in page.locator("main form textarea").all():
        field.fill("")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state("networkidle")
    assert page.locator(".kern-error").count() >= 1


@pytest.mark.browser
def test_the_letter_pages_have_no_accessibility_violations(visit, letters_world):
    fund = letters_world["fund"]
    vera = visit("verwaltung")
    check_page(vera, "/verwaltung/briefvorlagen/")
    edit = f"/verwaltung/fonds/{fund.pk}/briefvorlagen/bescheid/"
    check_page(vera, edit)
    check_page(vera, edit, refused_save)

    carla = visit("carla")
    hearing = f"/verwaltung/antraege/{letters_world['fresh'].pk}/anhoerung/"
    check_page(carla, hearing)
    check_page(carla, hearing, submit_empty)

    frieda = visit("frieda")
    check_page(frieda, f"/verwaltung/antraege/{letters_world['implemented'].pk}/aenderungsbescheid/")

    felix = visit("felix")
    check_page(felix, "/verwaltung/aenderungsbescheide/")
    check_page(felix, f"/verwaltung/aenderungsbescheide/{letters_world['draft'].pk}/")
