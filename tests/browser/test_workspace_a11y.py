"""WCAG 2.1 AA on the Citymanagement workspace: axe-core finds no violation on the task lists, the team lead's
overview, the dossier, the eligibility check, the recommendation and its four-eyes confirmation — each as it
first opens and after a failed submit."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from fonds.models import Application, Fund, Stage
from tests.browser.axe import check_page
from workflows import demo, queue_services, services, steps
from workflows.flows import GrantFlow
from workflows.models import GrantProcess


def open_task(application, node):
    process = GrantProcess.for_application(application)
    return process.task_set.filter(flow_task=node, status__in=["NEW", "ASSIGNED"]).get()


def execute_url(application, node, user):
    task = open_task(application, node)
    if task.owner_id is None:
        queue_services.tasks_claim(actor=user, task_ids=[task.pk])
    return node.reverse("execute", args=[task.process_id, task.pk])


@pytest.fixture
def workspace(transactional_db):
    call_command("sync_roles", stdout=open("/dev/null", "w"))
    assert demo.load()
    people = {u.username: u for u in User.objects.all()}
    fresh = Application.objects.get(title="Blumenampeln Lippestraße")
    # One application at the recommendation, in a fund with the four-eyes rule, for the confirmation page.
    to_recommend = Application.objects.get(title="Sitzbänke am Kirchplatz")
    demo.staff(people["clemens"], to_recommend, GrantFlow.eligibility, steps.check_eligibility, outcome="eligible",
               reasons="Alle Voraussetzungen liegen vor.")
    Fund.objects.update(recommendation_four_eyes=True)
    to_confirm = Application.objects.get(title="Beleuchtung Altes Rathaus")
    services.submit_and_start(actor=people["alice"], application=to_confirm)
    demo.staff(people["carla"], to_confirm, GrantFlow.eligibility, steps.check_eligibility, outcome="eligible",
               reasons="Alle Voraussetzungen liegen vor.")
    to_confirm.refresh_from_db()
    scores = {c: c.max_points for c in to_confirm.round.criteria.all()}
    demo.staff(people["carla"], to_confirm, GrantFlow.recommendation, steps.recommend,
               amount=to_confirm.requested_grant, conditions="", reasoning="Gut für die Altstadt.", scores=scores)
    return {"people": people, "fresh": fresh, "to_recommend": to_recommend, "to_confirm": to_confirm,
            "closed": Application.objects.filter(stage=Stage.CLOSED).get()}


def check(page, path, action=None):
    return check_page(page, path, action)


def submit_empty(page):
    for field in page.locator("main form textarea").all():
        field.fill("")
    # viewflow's frontend sends forms with Turbo: no navigation, the 422 answer replaces the page.
    with page.expect_response(lambda response: response.request.method == "POST") as answer:
        page.locator("main form button[type=submit]").last.click()
    assert answer.value.status == 422
    page.wait_for_load_state("networkidle")


@pytest.mark.browser
def test_the_workspace_pages_have_no_accessibility_violations(visit, workspace):
    people = workspace["people"]
    carla = visit("carla")
    for path in ("/arbeit/aufgaben/", "/arbeit/aufgaben/team/", "/arbeit/aufgaben/erledigt/",
                 "/arbeit/aufgaben/team/?overdue=on&q=Markt&sort=due",
                 f"/verwaltung/antraege/{workspace['closed'].pk}/",
                 f"/verwaltung/antraege/{workspace['to_confirm'].pk}/"):
        check(carla, path)

    eligibility = execute_url(workspace["fresh"], GrantFlow.eligibility, people["carla"])
    check(carla, eligibility)
    page = check(carla, eligibility, submit_empty)
    assert page.locator(".kern-error").count() >= 3  # the failed submit shows its errors at the fields

    clemens = visit("clemens")
    recommendation = execute_url(workspace["to_recommend"], GrantFlow.recommendation, people["clemens"])
    check(clemens, recommendation)
    assert check(clemens, recommendation, submit_empty).locator(".kern-error").count() >= 1
    confirm = execute_url(workspace["to_confirm"], GrantFlow.recommendation_confirm, people["clemens"])
    check(clemens, confirm)

    lena = visit("lena")
    check(lena, "/arbeit/uebersicht/")
    check(lena, "/arbeit/aufgaben/team/")
