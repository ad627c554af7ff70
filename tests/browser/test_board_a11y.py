"""WCAG 2.1 AA on the Beirat's pages (axe-core in headless Chromium): carla's meeting list, meeting page with
the agenda builder, item page with proposal and votes, after a failed submit; the members' list, meeting page
with the conflict form, item page; the chair's signing page; a written procedure's voting page."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from fonds.models import Meeting
from fonds.services.board import agenda_add, meeting_create
from tests.browser.test_accessibility import check, submit_empty
from workflows import demo

pytestmark = pytest.mark.browser


@pytest.fixture
def beirat(transactional_db, django_user_model):
    call_command("sync_roles", stdout=open("/dev/null", "w"))
    assert demo.load()
    planned = Meeting.objects.get(status=Meeting.Status.PLANNED)
    signed = Meeting.objects.get(status=Meeting.Status.SIGNED)
    carla = django_user_model.objects.get(username="carla")
    written = meeting_create(actor=carla, board=planned.board, kind=Meeting.Kind.WRITTEN,
                             starts_at=timezone.now() - timedelta(hours=1),
                             response_deadline=timezone.now() + timedelta(days=5))
    return {"planned": planned, "item": planned.items.get(), "signed": signed, "signed_item": signed.items.first(),
            "written": written, "empty": meeting_create(actor=carla, board=planned.board, kind="meeting",
                                                       starts_at=timezone.now() + timedelta(days=40))}


def test_the_beirat_pages_have_no_accessibility_violations(visit, beirat):
    planned, item, signed = beirat["planned"], beirat["item"], beirat["signed"]
    carla = visit("carla")
    for path in ("/beirat/sitzungen/", "/beirat/sitzungen/neu/", f"/beirat/sitzungen/{planned.pk}/",
                 f"/beirat/sitzungen/{planned.pk}/bearbeiten/", f"/beirat/sitzungen/{planned.pk}/top/{item.pk}/",
                 f"/beirat/sitzungen/{signed.pk}/", f"/beirat/sitzungen/{signed.pk}/top/{beirat['signed_item'].pk}/",
                 f"/beirat/sitzungen/{beirat['empty'].pk}/"):
        check(carla, path)
    check(carla, "/beirat/sitzungen/neu/", submit_empty)
    # a reduction without an amount: the page again with the error summary
    def reduce_without_amount(page):
        page.locator("input[name=proposal][value=reduce]").check()
        page.fill("input[name=amount]", "")
        page.locator("form[action$='vorschlag/'] button").click()
        page.wait_for_load_state()
        assert "Bei einer Kürzung" in page.content()

    check(carla, f"/beirat/sitzungen/{planned.pk}/top/{item.pk}/", reduce_without_amount)

    dieter = visit("dieter")
    for path in ("/beirat/meine-sitzungen/", f"/beirat/sitzungen/{planned.pk}/",
                 f"/beirat/sitzungen/{planned.pk}/top/{item.pk}/", f"/beirat/sitzungen/{signed.pk}/"):
        check(dieter, path)

    bernd = visit("bernd")  # conflicted on the Lions' item of the signed meeting
    check(bernd, f"/beirat/sitzungen/{signed.pk}/")
    check(bernd, f"/beirat/sitzungen/{planned.pk}/")


def test_the_written_procedure_and_signing_pages_have_no_accessibility_violations(visit, beirat, django_user_model):
    from fonds.models import Application, Stage

    waiting = Application.objects.filter(stage=Stage.BOARD).exclude(agenda_items__isnull=False)
    carla = django_user_model.objects.get(username="carla")
    written = beirat["written"]
    if waiting.exists():
        agenda_add(actor=carla, meeting=written, applications=list(waiting))
    else:  # every waiting application is on the planned meeting: take it from there
        item = beirat["item"]
        item.delete()
        agenda_add(actor=carla, meeting=written, applications=[item.application])
    witem = written.items.first()
    dieter = visit("dieter")
    check(dieter, f"/beirat/sitzungen/{written.pk}/top/{witem.pk}/")
    check(dieter, f"/beirat/sitzungen/{written.pk}/top/{witem.pk}/", submit_empty)
