"""The deadline rush: applications submitted at the same moment each get their own file number, none twice and
none skipped; the counter is drawn in one statement (fonds.services.applications.next_file_number)."""

import pytest
from django.utils import timezone

from fonds.models import Application, FileNumberSequence, Stage
from tests.support.at_once import at_once
from workflows import demo
from workflows.services import submit_and_start

RUSH = 12


@pytest.mark.django_db(transaction=True)
def test_simultaneous_submissions_draw_consecutive_file_numbers_none_twice(world):
    alice = world["users"]["alice"]
    drafts = [demo.draft(world, world["dia"], alice, f"Eilantrag {n}", [("Material", "800", "952")])
              for n in range(RUSH)]
    before = Application.objects.exclude(file_number=None).filter(fund=world["round"].fund).count()
    outcomes = at_once(lambda draft: submit_and_start(actor=alice, application=draft), drafts, timeout=120)

    assert [o for o in outcomes if isinstance(o, Exception)] == [] and len(outcomes) == RUSH
    submitted = Application.objects.filter(pk__in=[d.pk for d in drafts])
    assert set(submitted.values_list("stage", flat=True)) == {Stage.ELIGIBILITY}
    year = timezone.localdate().year
    numbers = sorted(int(n.rsplit("-", 1)[1]) for n in submitted.values_list("file_number", flat=True))
    assert numbers == list(range(before + 1, before + RUSH + 1))
    assert FileNumberSequence.objects.get(fund=world["round"].fund, year=year).last_number == before + RUSH


def test_the_first_submission_of_a_year_starts_the_count_at_one(world):
    FileNumberSequence.objects.filter(fund=world["round"].fund).delete()
    alice = world["users"]["alice"]
    draft = demo.draft(world, world["dia"], alice, "Erster des Jahres", [("Material", "800", "952")])
    submit_and_start(actor=alice, application=draft)
    draft.refresh_from_db()
    assert draft.file_number.endswith(f"-{timezone.localdate().year}-0001")
