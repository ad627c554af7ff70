"""The staff's task lists: each person sees exactly the tasks of their role and authority, claims and hands
back their own, the team lead hands tasks out; every change is audited, every refusal changes nothing."""

from copy import copy
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from fonds import roles
from fonds.errors import DomainError
from fonds.models import Application, AuditEvent, Letter
from notifications.models import Notification
from notifications.signals import letter_stored
from tests.support.people import gladbeck, staff_user
from workflows import demo, queue_services, queues, services
from workflows.flows import GrantFlow
from workflows.models import GrantProcess

from .driver import Driver

MINE, TEAM, DONE = "/arbeit/aufgaben/", "/arbeit/aufgaben/team/", "/arbeit/aufgaben/erledigt/"
CLAIM, HAND_BACK, ASSIGN = "/arbeit/aufgaben/uebernehmen/", "/arbeit/aufgaben/zurueckgeben/", \
    "/arbeit/aufgaben/zuweisen/"
OVERDUE = '<strong class="badge">überfällig</strong>'  # in words, not only in colour


@pytest.fixture
def team(world, people):
    """lena – leads Dorsten's Citymanagement; chris – her second Citymanager;
    gerda – Citymanagerin of Gladbeck, who must see nothing of Dorsten's."""
    dorsten = world["round"].fund.authority
    return {**people,
            "lena": people["lena"],  # the demo's team lead
            "chris": staff_user("chris", roles.CITYMANAGEMENT, dorsten, "Chris", "Cramer"),
            "gerda": staff_user("gerda", roles.CITYMANAGEMENT, gladbeck(), "Gerda", "Gladbeck")}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def quick_application(world, title="Sitzbank am Markt", *, applicant="alice", organisation="dia"):
    """Submitted and waiting for the eligibility check, without rendering the receipt letter: the flow is
    told the letter is stored, as the rendering task would."""
    user = world["users"][applicant]
    application = demo.draft(world, world[organisation], user, title, [("Bank und Montage", "800", "952")])
    services.submit_and_start(actor=user, application=application)
    letter_stored.send(sender=Letter, letter=application.letters.get())
    application.refresh_from_db()
    return application


def clone_open_task(task, count):
    """`count` more applications each waiting in the same step, written in bulk."""
    application = Application.objects.get(pk=task.process.artifact_object_id)
    clones = []
    for n in range(count):
        clone = copy(application)
        clone.pk = clone.id = None
        clone._state.adding = True
        clone.file_number = f"{application.file_number}-K{n}"
        clones.append(clone)
    clones = Application.objects.bulk_create(clones)
    processes = GrantProcess.objects.bulk_create([
        GrantProcess(flow_class=GrantFlow, status=task.process.status, data=task.process.data,
                     artifact_content_type=task.process.artifact_content_type, artifact_object_id=clone.pk)
        for clone in clones])
    Task.objects.bulk_create([
        Task(process=process, flow_task=task.flow_task, flow_task_type=task.flow_task_type, status=task.status,
             owner=task.owner, owner_permission=task.owner_permission, data=task.data, token=task.token)
        for process in processes])


def open_task(application, node=GrantFlow.eligibility):
    return services.open_task(application, node)


def listed(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


# --- who sees what ---------------------------------------------------------------------------------


def test_each_person_sees_exactly_the_tasks_of_their_role_and_authority(
        world, team, django_capture_on_commit_callbacks):
    drive = Driver(team, django_capture_on_commit_callbacks)
    waiting = drive.apply(title="Wartet auf Prüfung")
    at_board = drive.apply(title="Liegt beim Beirat")
    drive.eligible(at_board)
    drive.recommend(at_board)
    approved = drive.apply(title="Bewilligt")
    drive.eligible(approved)
    drive.recommend(approved)
    drive.decide(approved)
    carla, dieter, frieda, gerda = (client_for(team[name]) for name in ("carla", "dieter", "frieda", "gerda"))

    html = listed(carla, TEAM)
    assert waiting.file_number in html and at_board.file_number not in html
    assert "Prüfung Zuwendungsfähigkeit" in html and "Dorstener Interessengemeinschaft" in html
    # The Beirat decides in its meetings (/beirat/): the staff's task lists are closed to it.
    for url in (MINE, TEAM, DONE):
        assert dieter.get(url).status_code == 403
    html = listed(frieda, TEAM)
    assert approved.file_number in html and "Bewilligungsbescheid entwerfen" in html
    assert at_board.file_number not in html and waiting.file_number not in html
    for url in (MINE, TEAM, DONE):
        assert "Keine Aufgaben." in listed(gerda, url)
    # carla did both Citymanagement steps of the board's application: her archive
    html = listed(carla, DONE)
    assert html.count(at_board.file_number) == 2 and waiting.file_number not in html
    assert approved.file_number not in listed(carla, TEAM)
    assert "Keine Aufgaben." in listed(carla, MINE)

    assert carla.post(CLAIM, {"single": open_task(waiting).pk}).status_code == 302
    assert waiting.file_number in listed(carla, MINE) and waiting.file_number not in listed(carla, TEAM)
    assert waiting.file_number not in listed(client_for(team["chris"]), TEAM)  # taken: no longer the team's

    alice = client_for(team["alice"])
    for url in (MINE, TEAM, DONE, "/arbeit/uebersicht/"):
        assert alice.get(url).status_code == 403
    assert alice.post(CLAIM, {"single": open_task(at_board, GrantFlow.board).pk}).status_code == 403


def test_the_lists_filter_search_and_sort(world, team):
    first = quick_application(world, "Blumenampeln Lippestraße")
    second = quick_application(world, "Sitzbank am Markt", applicant="bob", organisation="lions")
    carla = client_for(team["carla"])

    html = listed(carla, TEAM, q="blumen")
    assert first.file_number in html and second.file_number not in html
    html = listed(carla, TEAM, q=second.file_number)
    assert second.file_number in html and first.file_number not in html
    assert "Keine Aufgaben." in listed(carla, TEAM, step="recommendation")
    html = listed(carla, TEAM, fund="nonsense", q="blumen")  # an invalid field is named, the rest applies
    assert "Bitte eine gültige Auswahl treffen." in html and second.file_number not in html
    html = listed(carla, TEAM, applicant=world["lions"].pk)
    assert second.file_number in html and first.file_number not in html
    html = listed(carla, TEAM, fund=world["round"].fund.pk, round=world["round"].pk, sort="due")
    assert html.index(first.file_number) < html.index(second.file_number)  # the older one first


# --- claim, hand back, reassign ------------------------------------------------------------------------


def test_a_claim_of_a_task_the_person_may_not_do_is_refused_and_changes_nothing(world, team):
    mine, theirs = quick_application(world), quick_application(world)
    mine_task, their_task = open_task(mine), open_task(theirs)

    assert client_for(team["dieter"]).post(CLAIM, {"single": mine_task.pk}).status_code == 403  # the Beirat
    response = client_for(team["gerda"]).post(CLAIM, {"single": mine_task.pk}, follow=True)
    assert "können Sie nicht übernehmen" in response.content.decode()

    queue_services.tasks_claim(actor=team["chris"], task_ids=[their_task.pk])
    # a batch with one task already taken: nothing of it is claimed
    response = client_for(team["carla"]).post(CLAIM, {"task": [mine_task.pk, their_task.pk]}, follow=True)
    assert "Es wurde nichts geändert." in response.content.decode()
    mine_task.refresh_from_db()
    their_task.refresh_from_db()
    assert mine_task.status == STATUS.NEW and mine_task.owner is None
    assert their_task.owner == team["chris"]
    assert list(AuditEvent.objects.filter(action__startswith="task.").values_list("actor__username", flat=True)) \
        == ["chris"]


def test_a_batch_claim_takes_every_selected_task_with_an_audit_row_each(world, team):
    tasks = [open_task(quick_application(world)).pk for _ in range(3)]

    response = client_for(team["carla"]).post(CLAIM, {"task": tasks, "next": TEAM}, follow=True)
    assert "Sie haben 3 Aufgaben übernommen." in response.content.decode()
    assert response.redirect_chain[-1][0] == TEAM
    assert Task.objects.filter(pk__in=tasks, owner=team["carla"], status=STATUS.ASSIGNED).count() == 3
    events = AuditEvent.objects.filter(action="task.assigned")
    assert sorted(int(e.object_id) for e in events) == sorted(tasks)
    assert {(e.actor.username, e.after["owner"], e.after["step"]) for e in events} == {
        ("carla", "carla", "eligibility")}
    assert all(e.application_id for e in events)


def test_only_the_owner_hands_a_task_back(world, team):
    task = open_task(quick_application(world))
    carla = client_for(team["carla"])
    carla.post(CLAIM, {"single": task.pk})

    response = client_for(team["chris"]).post(HAND_BACK, {"single": task.pk}, follow=True)
    assert "nur Aufgaben zurückgeben, die Ihnen zugewiesen" in response.content.decode()
    task.refresh_from_db()
    assert task.owner == team["carla"]

    response = carla.post(HAND_BACK, {"single": task.pk}, follow=True)
    assert "wieder in der Liste des Teams" in response.content.decode()
    task.refresh_from_db()
    assert task.status == STATUS.NEW and task.owner is None
    event = AuditEvent.objects.get(action="task.unassigned")
    assert event.actor == team["carla"] and event.before["owner"] == "carla" and event.after["owner"] is None


def test_only_the_team_lead_reassigns_and_only_to_someone_who_may_do_the_task(world, team):
    task = open_task(quick_application(world))
    queue_services.tasks_claim(actor=team["carla"], task_ids=[task.pk])

    assert client_for(team["carla"]).post(ASSIGN, {"task": task.pk, "assignee": team["chris"].pk}).status_code \
        == 403
    lena = client_for(team["lena"])
    response = lena.post(ASSIGN, {"task": task.pk, "assignee": team["frieda"].pk}, follow=True)
    assert "darf diese Aufgaben nicht bearbeiten" in response.content.decode()
    response = lena.post(ASSIGN, {"task": task.pk, "assignee": team["gerda"].pk}, follow=True)
    assert "Bitte wählen Sie eine Kollegin oder einen Kollegen aus." in response.content.decode()
    with pytest.raises(DomainError):
        queue_services.tasks_assign(actor=team["lena"], task_ids=[task.pk], assignee=team["gerda"])
    with pytest.raises(DomainError):  # a lead of another city may not hand out Dorsten's tasks
        queue_services.tasks_assign(actor=team["gerda"], task_ids=[task.pk], assignee=team["chris"])
    task.refresh_from_db()
    assert task.owner == team["carla"]

    response = lena.post(ASSIGN, {"task": task.pk, "assignee": team["chris"].pk}, follow=True)
    assert "1 Aufgabe an Chris Cramer zugewiesen." in response.content.decode()
    task.refresh_from_db()
    assert task.owner == team["chris"] and task.status == STATUS.ASSIGNED
    event = AuditEvent.objects.get(action="task.reassigned")
    assert (event.actor, event.before["owner"], event.after["owner"]) == (team["lena"], "carla", "chris")


def test_the_lead_assigns_twenty_tasks_in_one_request_with_an_audit_row_each(world, team):
    clone_open_task(open_task(quick_application(world)), 19)
    tasks = list(queues.team_queue(user=team["lena"]).values_list("pk", flat=True))
    assert len(tasks) == 20

    response = client_for(team["lena"]).post(ASSIGN, {"task": tasks, "assignee": team["chris"].pk}, follow=True)
    assert "20 Aufgaben an Chris Cramer zugewiesen." in response.content.decode()
    assert Task.objects.filter(pk__in=tasks, owner=team["chris"], status=STATUS.ASSIGNED).count() == 20
    events = AuditEvent.objects.filter(action="task.assigned")
    assert events.count() == 20 and {e.actor for e in events} == {team["lena"]}
    assert {int(e.object_id) for e in events} == set(tasks) and {e.after["owner"] for e in events} == {"chris"}
    told = Notification.objects.filter(event="task_assigned")
    assert told.count() == 20 and {n.recipient for n in told} == {team["chris"]}


# --- due dates and the overview --------------------------------------------------------------------


def at(day: date):
    return time_machine.travel(timezone.make_aware(datetime.combine(day, datetime.min.time()) + timedelta(hours=9)),
                               tick=False)


def test_a_task_is_marked_overdue_only_after_its_due_date_across_the_new_year(world, team):
    with at(date(2026, 12, 17)):  # due ten working days later, on 4 January 2027 (holidays skipped)
        application = quick_application(world)
    with at(date(2027, 1, 4)):
        carla = client_for(team["carla"])
        html = listed(carla, TEAM)
        assert "04.01.2027" in html and OVERDUE not in html
        assert "Keine Aufgaben." in listed(carla, TEAM, overdue="on")
    with at(date(2027, 1, 5)):
        carla = client_for(team["carla"])
        html = listed(carla, TEAM)
        assert OVERDUE in html and ">19<" in html  # waiting since 17 December
        assert application.file_number in listed(carla, TEAM, overdue="on")
        assert queues.overview(user=team["lena"])["overdue"] == 1


def test_the_overview_counts_open_tasks_per_person_and_step_for_the_lead_only(world, team):
    with at(date(2026, 11, 2)):
        first = quick_application(world)
    with at(date(2026, 11, 10)):
        second = quick_application(world)
        quick_application(world)
    queue_services.tasks_claim(actor=team["carla"], task_ids=[open_task(first).pk, open_task(second).pk])

    assert client_for(team["carla"]).get("/arbeit/uebersicht/").status_code == 403
    with at(date(2026, 11, 20)):
        overview = queues.overview(user=team["lena"])
        html = listed(client_for(team["lena"]), "/arbeit/uebersicht/")
    people = {(p["owner"].username if p["owner"] else None): p["open"] for p in overview["people"]}
    assert people == {"carla": 2, None: 1}
    eligibility = next(s for s in overview["steps"] if s["node"] == GrantFlow.eligibility)
    assert (eligibility["open"], eligibility["unassigned"], eligibility["median_waiting"]) == (3, 1, 10)
    assert "Carla Citymanagerin" in html and "Offene Aufgaben je Schritt" in html
    assert queues.overview(user=team["gerda"])["open"] == 0


# --- cost ---------------------------------------------------------------------------------------------


def test_the_lists_cost_the_same_queries_for_one_task_as_for_a_hundred(world, team):
    task = open_task(quick_application(world))
    queue_services.tasks_claim(actor=team["carla"], task_ids=[task.pk])
    task.refresh_from_db()
    other = open_task(quick_application(world))

    def queries(url, user="carla"):
        client = client_for(team[user])
        client.get(url)  # warm up: session, content types
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context)

    before = {url: queries(url) for url in (MINE, TEAM)} | {"lead": queries(TEAM, "lena")}
    clone_open_task(task, 99)
    clone_open_task(other, 99)
    assert queues.inbox(user=team["carla"]).count() == 100 and queues.team_queue(user=team["carla"]).count() == 100
    assert {url: queries(url) for url in (MINE, TEAM)} | {"lead": queries(TEAM, "lena")} == before
