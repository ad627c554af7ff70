"""WCAG 2.1 AA on Finanzen's pages for Bekanntgabe/Bestandskraft and the letter batches: axe-core finds no
violation on the posting form (also after a refused date), the waiver form, the list of meetings, and a batch's
progress page while it waits (the bar is polled) and once the ZIP is there."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from fonds.models import LetterBatch
from fonds.services.letter_batches import letter_batch_start
from notifications.tasks import render_letter_batch
from tests.browser.axe import check_page
from tests.support.bescheide import approved, bescheid, signed_meeting
from workflows import demo


@pytest.fixture
def finance(transactional_db, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    call_command("sync_roles", stdout=open("/dev/null", "w"))
    world = demo.create_base(timezone.localdate())
    first, second = approved(world, title="Sitzbank am Markt"), approved(world, title="Blumenampeln")
    meeting = signed_meeting(world, [first, second])
    letters = [bescheid(world, first), bescheid(world, second)]
    done = letter_batch_start(actor=world["users"]["frieda"], meeting=meeting)
    render_letter_batch(done.pk)  # issued letters only: no rendering, the stored PDFs go in
    waiting = LetterBatch.objects.create(meeting=meeting, requested_by=world["users"]["felix"],
                                         letter_ids=[letters[0].pk], total=1)
    return {"world": world, "letters": letters, "done": done, "waiting": waiting}


def post_future_date(page):
    page.fill("#id_posted_on", "2999-01-01")
    page.locator("main form button[type=submit]").click()


@pytest.mark.browser
def test_the_finance_pages_for_bestandskraft_and_batches_have_no_accessibility_violations(visit, finance):
    frieda = visit("frieda")
    first, second = finance["letters"]
    page = check_page(frieda, f"/verwaltung/briefe/{first.pk}/bekanntgabe/", post_future_date, statuses=(200,))
    assert "nicht in der Zukunft" in page.content()

    # posting recorded: the waiver form
    page.fill("#id_posted_on", timezone.localdate().isoformat())
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#id_waiver_received_on").count() == 1
    check_page(frieda, f"/verwaltung/briefe/{first.pk}/bekanntgabe/")
    check_page(frieda, f"/verwaltung/antraege/{first.application_id}/")

    fund = finance["world"]["round"].fund
    check_page(frieda, f"/verwaltung/fonds/{fund.pk}/bescheide/")
    page = check_page(frieda, f"/verwaltung/bescheide/stapel/{finance['done'].pk}/")
    assert page.locator("#letter-batch-download").is_visible()
    page = check_page(frieda, f"/verwaltung/bescheide/stapel/{finance['waiting'].pk}/")
    assert page.locator("#letter-batch-text").inner_text().startswith("0 von 1")
    # the script polls: finish the waiting batch and the page shows it without a reload
    render_letter_batch(finance["waiting"].pk)
    page.wait_for_selector("#letter-batch-download:not([hidden])", timeout=15000)
    assert page.locator("#letter-batch-text").inner_text().startswith("1 von 1")
    assert page.locator("#letter-batch-bar").get_attribute("value") == "1"
