"""The Beirat's rules as services: written procedures (Umlaufverfahren) with and without the silence rule,
the beat task that closes them, who may sign, and what the database holds on its own.

dieter – chair; bernd – member, on the board of the Lions Club; gisela – advisory, no vote; carla –
Citymanagement; alice applies for the DIA."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from fonds.errors import DomainError
from fonds.models import AgendaItem, Attendance, BoardMember, Meeting, Stage, Vote
from fonds.services import board as board_services
from fonds.services import meetings as meeting_services
from workflows import board as board_flow
from workflows import demo, services
from workflows.flows import GrantFlow
from workflows.services import open_task


@pytest.fixture
def board(world):
    return world["board"]


@pytest.fixture
def waiting(world, people, django_capture_on_commit_callbacks):
    """Two applications of the DIA waiting for the Beirat."""
    return [at_board(world, people, "dia", "alice", title, django_capture_on_commit_callbacks)
            for title in ("Sitzbank am Markt", "Blumenampeln")]


def at_board(world, people, org, applicant, title, capture):
    application = demo.draft(world, world[org], people[applicant], title, [("Material", "800", "952")])
    with capture(execute=True):  # the receipt letter is stored on commit; then the check is open
        services.submit_and_start(actor=people[applicant], application=application)
    with capture(execute=True):
        demo.to_board(people, application)
    return application


def member(board, username):
    return board.members.get(user__username=username)


def written(board, people, applications, *, days=3):
    now = timezone.now()
    meeting = board_services.meeting_create(actor=people["carla"], board=board, kind=Meeting.Kind.WRITTEN,
                                            starts_at=now - timedelta(days=days),
                                            response_deadline=now + timedelta(hours=1))
    board_services.agenda_add(actor=people["carla"], meeting=meeting, applications=applications)
    return meeting


def test_in_a_written_procedure_the_answers_by_the_deadline_decide(board, people, waiting,
                                                                  django_capture_on_commit_callbacks):
    meeting = written(board, people, waiting)
    first, second = meeting.items.order_by("position")
    meeting_services.written_vote_cast(actor=people["dieter"], item=first, choice="yes")
    meeting_services.written_vote_cast(actor=people["bernd"], item=first, choice="yes")
    meeting_services.written_vote_cast(actor=people["dieter"], item=second, choice="no")
    meeting_services.written_vote_cast(actor=people["bernd"], item=second, choice="abstain")
    with pytest.raises(DomainError, match="nicht stimmberechtigt"):
        meeting_services.written_vote_cast(actor=people["gisela"], item=first, choice="yes")
    with pytest.raises(DomainError, match="Antwortfrist läuft noch"):
        board_flow.meeting_close(actor=people["carla"], meeting=meeting)
    late = meeting.response_deadline + timedelta(minutes=1)
    with pytest.raises(DomainError, match="Antwortfrist ist abgelaufen"):
        meeting_services.written_vote_cast(actor=people["dieter"], item=first, choice="no", now=late)

    with django_capture_on_commit_callbacks(execute=True):
        assert board_flow.close_due_written_procedures(now=late) == 1  # the beat task
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SIGNED and meeting.minutes_pdf
    for application in waiting:
        application.refresh_from_db()
    assert waiting[0].stage == Stage.BESCHEID and waiting[1].stage == Stage.REJECTED
    assert open_task(waiting[0], GrantFlow.bescheid_draft) is not None


@pytest.mark.parametrize("silence_is_consent, stage", [(False, Stage.DEFERRED), (True, Stage.BESCHEID)])
def test_silence_follows_the_boards_rule(board, people, waiting, silence_is_consent, stage,
                                         django_capture_on_commit_callbacks):
    """Only dieter answers (yes). Without the rule, bernd's silence means he does not take part: 1 of 2 is not
    more than half, so the item cannot be decided and waits for the next meeting. With it, he agrees."""
    board.silence_is_consent = silence_is_consent
    board.save()
    meeting = written(board, people, waiting[:1])
    item = meeting.items.get()
    meeting_services.written_vote_cast(actor=people["dieter"], item=item, choice="yes")
    with django_capture_on_commit_callbacks(execute=True):
        board_flow.meeting_close(actor=people["carla"], meeting=meeting,
                                 now=meeting.response_deadline + timedelta(seconds=1))
    item.refresh_from_db()
    waiting[0].refresh_from_db()
    assert waiting[0].stage == stage
    if silence_is_consent:
        assert (item.yes, item.no, item.result) == (2, 0, AgendaItem.Result.ADOPTED)
    else:
        assert item.result == AgendaItem.Result.DEFERRED and "nicht beschlussfähig" in item.reasons
        assert open_task(waiting[0], GrantFlow.board) is not None


def test_a_conflicted_member_cannot_answer_in_a_written_procedure(board, people, world,
                                                                  django_capture_on_commit_callbacks):
    lions = at_board(world, people, "lions", "bob", "Brunnen", django_capture_on_commit_callbacks)
    meeting = written(board, people, [lions])
    with pytest.raises(DomainError, match="befangen"):
        meeting_services.written_vote_cast(actor=people["bernd"], item=meeting.items.get(), choice="yes")
    assert not Vote.objects.exists()


def test_only_the_chair_signs_and_only_a_held_meeting(board, people, waiting):
    meeting = board_services.meeting_create(actor=people["carla"], board=board, kind=Meeting.Kind.MEETING,
                                            starts_at=timezone.now() - timedelta(hours=1))
    [item] = board_services.agenda_add(actor=people["carla"], meeting=meeting, applications=waiting[:1])
    with pytest.raises(DomainError, match="Stand"):
        meeting_services.meeting_sign_off(actor=people["dieter"], meeting=meeting)
    meeting_services.attendance_record(actor=people["carla"], meeting=meeting,
                                       present_ids=[member(board, "dieter").pk, member(board, "bernd").pk])
    meeting_services.votes_record(actor=people["carla"], item=item,
                                  choices={member(board, "dieter").pk: "yes", member(board, "bernd").pk: "yes"})
    meeting_services.meeting_close(actor=people["carla"], meeting=meeting)
    for someone in ("carla", "bernd", "gisela"):
        with pytest.raises(DomainError, match="Vorsitzende"):
            meeting_services.meeting_sign_off(actor=people[someone], meeting=meeting)
    with pytest.raises(DomainError, match="Citymanagement"):
        board_services.agenda_add(actor=people["bernd"], meeting=meeting, applications=waiting[1:])


def test_the_database_holds_one_vote_and_one_attendance_per_member(board, people, waiting):
    meeting = board_services.meeting_create(actor=people["carla"], board=board, kind=Meeting.Kind.MEETING,
                                            starts_at=timezone.now())
    [item] = board_services.agenda_add(actor=people["carla"], meeting=meeting, applications=waiting[:1])
    dieter = member(board, "dieter")
    Vote.objects.create(item=item, member=dieter, choice="yes", recorded_by=people["carla"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(item=item, member=dieter, choice="no", recorded_by=people["carla"])
    Attendance.objects.create(meeting=meeting, member=dieter, present=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(meeting=meeting, member=dieter, present=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        BoardMember.objects.create(board=board, user=people["carla"], role=BoardMember.Role.CHAIR,
                                   term_from=timezone.localdate())  # one chair per board
