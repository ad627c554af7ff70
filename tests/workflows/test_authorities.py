"""One installation, several cities: staff see and do only their own authority's work."""

import pytest
from django.test import Client
from viewflow.workflow.status import STATUS

from fonds import roles
from tests.support.people import gladbeck, staff_user
from workflows.flows import GrantFlow

from .driver import Driver


@pytest.fixture
def gerda(world):
    """gerda – Citymanagerin of another city (Gladbeck), with exactly carla's role."""
    user = staff_user("gerda", roles.CITYMANAGEMENT, gladbeck())
    client = Client()
    client.force_login(user)
    return client


def test_staff_of_another_city_can_neither_see_nor_take_over_the_application(
        world, people, gerda, django_capture_on_commit_callbacks):
    drive = Driver(people, django_capture_on_commit_callbacks)
    application = drive.apply()
    task = drive.task(application, GrantFlow.eligibility)

    response = gerda.post(GrantFlow.eligibility.reverse("assign", args=[task.process_id, task.pk]))
    assert response.status_code == 403
    task.refresh_from_db()
    assert task.status == STATUS.NEW and task.owner is None

    assert gerda.get(f"/verwaltung/antraege/{application.pk}/").status_code == 404
    assert application.file_number not in gerda.get("/verwaltung/antraege/").content.decode()
    letter = application.letters.get()
    assert gerda.get(f"/briefe/{letter.pk}/").status_code == 404

    # carla, of the same role in Dorsten, takes the very same task.
    drive.eligible(application)
    assert application.stage == "recommendation"
