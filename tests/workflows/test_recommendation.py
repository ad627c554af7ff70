"""The Fachliche Stellungnahme: amount from the rules, standard conditions plus free text, scores per criterion,
and for funds that want it a second person of the Citymanagement who confirms or sends it back.

clemens – Citymanagement, the second person next to carla."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from viewflow.workflow.status import STATUS

from fonds.errors import DomainError
from fonds.models import ConditionTemplate, Criterion, FundingRound, Stage
from fonds.services.reviews import application_possible_grant, recommendation_confirm, recommendation_record
from notifications.models import Notification
from workflows.flows import GrantFlow
from workflows.models import GrantProcess

from .driver import Driver


@pytest.fixture
def drive(people, django_capture_on_commit_callbacks):
    drive = Driver(people, django_capture_on_commit_callbacks)
    drive.second_citymanager()
    return drive


@pytest.fixture
def fund(world):
    return world["round"].fund


@pytest.fixture
def templates(fund):
    return [ConditionTemplate.objects.create(fund=fund, position=1, text="Förderhinweis sichtbar anbringen."),
            ConditionTemplate.objects.create(fund=fund, position=2, text="Gestaltungssatzung einhalten."),
            ConditionTemplate.objects.create(fund=fund, position=3, text="Alte Auflage.", active=False)]


@pytest.fixture
def criteria(world):
    rnd = world["round"]
    return [Criterion.objects.create(round=rnd, position=1, name="Wirkung für die Altstadt", max_points=5,
                                     weight=Decimal("2")),
            Criterion.objects.create(round=rnd, position=2, name="Nachhaltigkeit", max_points=3)]


@pytest.fixture
def four_eyes(fund):
    fund.recommendation_four_eyes = True
    fund.save()
    return fund


def open_tasks(application, node):
    process = GrantProcess.for_application(application)
    return process.task_set.filter(flow_task=node, status__in=[STATUS.NEW, STATUS.ASSIGNED])


def at_recommendation(drive):
    a = drive.apply()
    drive.eligible(a)
    assert a.stage == Stage.RECOMMENDATION
    return a


def test_the_page_offers_the_rules_amount_active_templates_and_the_criteria(drive, templates, criteria):
    a = at_recommendation(drive)
    task = drive.task(a, GrantFlow.recommendation)
    drive.post("carla", GrantFlow.recommendation.reverse("assign", args=[task.process_id, task.pk]))
    page = drive.get("carla", GrantFlow.recommendation.reverse("execute", args=[task.process_id, task.pk]))
    html = page.content.decode()
    possible = application_possible_grant(a)
    assert f'value="{possible}"' in html
    assert "Förderhinweis sichtbar anbringen." in html and "Gestaltungssatzung einhalten." in html
    assert "Alte Auflage." not in html  # inactive templates are not offered
    assert "Wirkung für die Altstadt (0–5 Punkte, Gewicht 2)" in html and "Nachhaltigkeit" in html
    assert "Gewichtete Punktzahl" in html


def test_it_stores_the_chosen_templates_with_the_free_text_as_lines_and_the_scores(drive, templates, criteria):
    a = at_recommendation(drive)
    drive.recommend(a, "4000", condition_templates=[templates[0].pk, templates[1].pk],
                    conditions="Abnahme vor Ort.\n\nFotos nachreichen.",
                    **{f"score_{criteria[0].pk}": "4", f"score_{criteria[1].pk}": "3"})
    recommendation = a.recommendations.get()
    assert recommendation.recommended_amount == Decimal("4000.00")
    assert recommendation.conditions.splitlines() == [
        "Förderhinweis sichtbar anbringen.", "Gestaltungssatzung einhalten.", "Abnahme vor Ort.", "Fotos nachreichen."]
    assert {s.criterion.name: s.points for s in recommendation.scores.select_related("criterion")} == {
        "Wirkung für die Altstadt": 4, "Nachhaltigkeit": 3}
    assert a.stage == Stage.BOARD and open_tasks(a, GrantFlow.board).count() == 1
    # The Beirat's proposal starts from the recommendation once the application is on an agenda.
    from django.utils import timezone

    from fonds.models import Board
    from fonds.services.board import agenda_add, meeting_create

    meeting = meeting_create(actor=drive.people["carla"], board=Board.objects.get(fund=a.fund), kind="meeting",
                             starts_at=timezone.now())
    [item] = agenda_add(actor=drive.people["carla"], meeting=meeting, applications=[a])
    assert item.proposal == "conditions" and item.amount == Decimal("4000.00")
    page = drive.get("carla", f"/beirat/sitzungen/{meeting.pk}/top/{item.pk}/")
    assert "Gestaltungssatzung einhalten." in page.content.decode()


def test_it_asks_in_german_for_missing_and_too_high_scores(drive, criteria):
    a = at_recommendation(drive)
    response = drive.recommend(a, expect=200, **{f"score_{criteria[0].pk}": "6"})
    html = response.content.decode()
    assert "Höchstens 5 Punkte." in html and "Bitte vergeben Sie Punkte." in html
    assert not a.recommendations.exists() and a.stage == Stage.RECOMMENDATION


def test_the_service_refuses_inactive_or_foreign_templates_and_incomplete_scores(drive, people, templates, criteria):
    a = at_recommendation(drive)
    scores = {criteria[0].pk: 5, criteria[1].pk: 0}
    with pytest.raises(DomainError, match="nur Auflagen aus der Liste"):
        recommendation_record(actor=people["carla"], application=a, amount=Decimal("100"), conditions="",
                              reasoning="Gut.", condition_templates=[templates[2]], scores=scores)
    with pytest.raises(DomainError, match="0 bis 3 Punkte"):
        recommendation_record(actor=people["carla"], application=a, amount=Decimal("100"), conditions="",
                              reasoning="Gut.", scores={criteria[0].pk: 5})
    assert not a.recommendations.exists()


def test_it_refuses_more_than_the_rules_allow(drive):
    a = at_recommendation(drive)
    too_much = application_possible_grant(a) + Decimal("0.01")
    response = drive.recommend(a, str(too_much), expect=200)
    assert "übersteigt den nach den Förderregeln" in response.content.decode()


def test_without_four_eyes_the_flow_goes_straight_to_the_board(drive):
    a = at_recommendation(drive)
    drive.recommend(a)
    process = GrantProcess.for_application(a)
    assert a.stage == Stage.BOARD and open_tasks(a, GrantFlow.board).count() == 1
    assert not process.task_set.filter(flow_task=GrantFlow.recommendation_confirm).exists()
    assert a.recommendations.get().confirmed_by is None
    assert Notification.objects.filter(application=a, event="board_agenda").exists()


def test_with_four_eyes_a_second_person_confirms_before_the_board(drive, four_eyes):
    a = at_recommendation(drive)
    drive.recommend(a)
    assert a.stage == Stage.RECOMMENDATION  # the applicant still reads "In Prüfung"
    assert not open_tasks(a, GrantFlow.board).exists()
    assert not Notification.objects.filter(application=a, event="board_agenda").exists()

    drive.confirm_recommendation(a, "clemens")

    recommendation = a.recommendations.get()
    assert recommendation.confirmed_by == drive.people["clemens"] and recommendation.confirmed_at is not None
    assert a.stage == Stage.BOARD and open_tasks(a, GrantFlow.board).count() == 1
    assert Notification.objects.filter(application=a, event="board_agenda").count() == 1
    drive.decide(a, "approve")
    assert a.stage == Stage.BESCHEID


def test_the_author_cannot_confirm_her_own_recommendation(drive, four_eyes):
    a = at_recommendation(drive)
    drive.recommend(a)
    carla = drive.people["carla"]
    task = drive.task(a, GrantFlow.recommendation_confirm)

    # node: she may neither take nor do the task
    assert not GrantFlow.recommendation_confirm.can_assign(carla, task)
    assert drive.confirm_recommendation(a, "carla").status_code == 403
    task.refresh_from_db()
    assert task.status == STATUS.NEW and task.owner is None
    # service
    with pytest.raises(DomainError, match="zweite Person"):
        recommendation_confirm(actor=carla, application=a)
    # database
    with pytest.raises(IntegrityError), transaction.atomic():
        a.recommendations.update(confirmed_by=carla, confirmed_at=timezone.now())
    assert a.recommendations.get().confirmed_by is None and a.stage == Stage.RECOMMENDATION


def test_the_confirmation_waits_in_the_team_list_of_everyone_but_the_author_who_are_told(drive, four_eyes):
    from workflows import queues

    a = at_recommendation(drive)
    drive.recommend(a)
    task = drive.task(a, GrantFlow.recommendation_confirm)
    carla, clemens = drive.people["carla"], drive.people["clemens"]
    assert task not in queues.team_queue(user=carla)
    assert task in queues.team_queue(user=clemens)
    told = Notification.objects.filter(application=a, event="task_assigned")
    assert {n.recipient.username for n in told} == {"clemens", "lena"}  # every other advisor, not carla
    assert {n.context["task"] for n in told} == {"Stellungnahme bestätigen"}


def test_a_returned_recommendation_is_written_again_and_confirmed_then(drive, four_eyes):
    a = at_recommendation(drive)
    drive.recommend(a, "3000")
    response = drive.confirm_recommendation(a, "clemens", decision="return", expect=200)
    assert "Bitte vermerken Sie, was an der Stellungnahme zu ändern ist." in response.content.decode()

    drive.confirm_recommendation(a, "clemens", decision="return", reason="Betrag bitte begründen.")
    assert a.stage == Stage.RECOMMENDATION and open_tasks(a, GrantFlow.recommendation).count() == 1
    drive.recommend(a, "2500")
    [page] = [html for node, html in drive.pages if node == "recommendation"][-1:]
    assert "Betrag bitte begründen." in page and "Zurückgegeben von Clemens Kampmann" in page

    drive.confirm_recommendation(a, "clemens")
    first, second = a.recommendations.all()
    assert first.confirmed_by is None and second.confirmed_by == drive.people["clemens"]
    assert a.stage == Stage.BOARD
    drive.decide(a, "approve")
    assert a.approved_grant == Decimal("2500.00")
    actions = list(a.audit_events.filter(action__startswith="recommendation.").values_list("action", flat=True))
    assert actions == ["recommendation.recorded", "recommendation.returned", "recommendation.recorded",
                       "recommendation.confirmed"]


def test_rounds_without_criteria_ask_for_no_scores(drive):
    assert not FundingRound.objects.get().criteria.exists()
    a = at_recommendation(drive)
    drive.recommend(a)
    assert not a.recommendations.get().scores.exists()
