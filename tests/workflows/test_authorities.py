"""One installation, several cities: staff see and do only their own authority's work."""

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from viewflow.workflow.status import STATUS

from fonds import roles
from fonds.models import Authority, StaffMembership
from workflows.flows import GrantFlow

from .driver import Driver


@pytest.fixture
def gerda(world):
    """gerda – Citymanagerin of another city (Gladbeck), with exactly carla's role."""
    gladbeck = Authority.objects.create(name="Stadt Gladbeck", street="Willy-Brandt-Platz 2", postcode="45964",
                                        city="Gladbeck", court_name="Verwaltungsgericht Gelsenkirchen",
                                        court_address="Bahnhofsvorplatz 2, 45879 Gelsenkirchen")
    user = User.objects.create_user("gerda", "gerda@gladbeck.example", "x")
    user.groups.add(Group.objects.get(name=roles.CITYMANAGEMENT))
    StaffMembership.objects.create(user=user, authority=gladbeck)
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
