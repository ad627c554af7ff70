"""Beirat meetings through the pages, as each person acts: carla (Citymanagement) prepares and minutes,
dieter (chair) signs, bernd (member, on the board of the Lions Club) is excluded from the Lions' items,
gisela (advisory, no vote) reads along, otto sits on another city's board and sees nothing of Dorsten's.

alice applies for the DIA, bob for the Lions Club."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, User
from django.db import IntegrityError, transaction
from django.utils import timezone
from pypdf import PdfReader

from fonds import roles
from fonds.models import (
    AgendaItem,
    Board,
    BoardMember,
    Fund,
    Letter,
    Meeting,
    Stage,
    Vote,
)
from fonds.services.board import agenda_add, meeting_create
from notifications.models import Notification
from tests.support.people import gladbeck
from workflows.flows import GrantFlow
from workflows.models import GrantProcess
from workflows.steps import bescheid_defaults

D = Decimal


@pytest.fixture
def otto(world):
    """otto – Beirat member of Gladbeck's fund: must see nothing of Dorsten's board."""
    fund = Fund.objects.create(authority=gladbeck(), name="Verfügungsfonds Gladbeck", code="VG")
    user = User.objects.create_user("otto", "otto@gladbeck.example", "x", first_name="Otto", last_name="Ott")
    user.groups.add(Group.objects.get(name=roles.BOARD))
    BoardMember.objects.create(board=Board.objects.create(fund=fund), user=user, role=BoardMember.Role.CHAIR,
                               term_from=timezone.localdate() - timedelta(days=30))
    return user


def at_board(drive, name="alice", **kwargs):
    a = drive.apply(name, **kwargs)
    drive.eligible(a)
    drive.recommend(a)
    assert a.stage == Stage.BOARD
    return a


def new_meeting(drive, board, *, hours=-1, kind="meeting", **extra):
    starts = timezone.localtime() + timedelta(hours=hours)
    response = drive.post("carla", "/beirat/sitzungen/neu/", {
        "board": board.pk, "kind": kind, "starts_at": starts.strftime("%Y-%m-%dT%H:%M"), "place": "Altes Rathaus",
        **extra})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Meeting.objects.latest("pk")


def url(meeting, rest=""):
    return f"/beirat/sitzungen/{meeting.pk}/{rest}"


def members(board):
    return {m.user.username: m for m in board.members.select_related("user")}


def pdf_text(field) -> str:
    with field.open("rb") as handle:
        return "\n".join(page.extract_text() for page in PdfReader(handle).pages).replace("\u00a0", " ")


# --- agenda ------------------------------------------------------------------------------------------


def test_citymanagement_builds_the_agenda_from_waiting_applications_and_orders_it(drive, board):
    first, second, third = (at_board(drive, title=title) for title in ("Erster", "Zweiter", "Dritter"))
    meeting = new_meeting(drive, board, hours=72)
    page = drive.get("carla", url(meeting)).content.decode()
    assert all(a.file_number in page for a in (first, second, third))

    drive.post("carla", url(meeting, "tagesordnung/"), {"applications": [third.pk, first.pk]})
    assert [i.application for i in meeting.items.order_by("position")] == [third, first]
    drive.post("carla", url(meeting, "tagesordnung/"), {"all": "1"})  # the rest, oldest first
    assert [i.application for i in meeting.items.order_by("position")] == [third, first, second]

    item = meeting.items.get(application=first)
    assert drive.post("carla", url(meeting, f"top/{item.pk}/hoch/")).status_code == 302
    assert [i.application for i in meeting.items.order_by("position")] == [first, third, second]
    response = drive.post("carla", url(meeting, f"top/{item.pk}/hoch/"))
    assert response.status_code == 200 and "schon am Rand der Tagesordnung" in response.content.decode()
    drive.post("carla", url(meeting, f"top/{item.pk}/oeffentlich/"), {"public": "1"})
    item.refresh_from_db()
    assert item.public and item.proposal == "conditions" and item.amount == first.requested_grant

    # an application on an open agenda is no candidate for another meeting
    other = new_meeting(drive, board, hours=96)
    response = drive.post("carla", url(other, "tagesordnung/"), {"applications": [first.pk]})
    assert "steht schon auf einer Tagesordnung" in response.content.decode()
    assert not other.items.exists()


def test_the_applicant_sees_the_date_of_the_meeting_on_whose_agenda_the_application_is(drive, board):
    a = at_board(drive)
    page = drive.get("alice", f"/antraege/{a.pk}/").content.decode()
    assert "Der Beirat entscheidet in seiner nächsten Sitzung." in page
    meeting = new_meeting(drive, board, hours=24 * 10)
    drive.post("carla", url(meeting, "tagesordnung/"), {"applications": [a.pk]})
    page = drive.get("alice", f"/antraege/{a.pk}/").content.decode()
    day = f"{timezone.localtime(meeting.starts_at):%d.%m.%Y}"
    assert f"Beirat am {day}" in page and "Ihr Antrag steht auf der Tagesordnung dieser Sitzung." in page


def test_after_the_agenda_deadline_no_application_is_added(drive, board):
    a = at_board(drive)
    deadline = timezone.localdate() - timedelta(days=1)
    meeting = new_meeting(drive, board, hours=72, agenda_deadline=deadline.isoformat())
    page = drive.get("carla", url(meeting)).content.decode()
    assert f"Der Anmeldeschluss war am {deadline:%d.%m.%Y}" in page and "Ausgewählte auf die Tagesordnung" not in page
    response = drive.post("carla", url(meeting, "tagesordnung/"), {"applications": [a.pk]})
    assert f"Der Anmeldeschluss für diese Tagesordnung war am {deadline:%d.%m.%Y}" in response.content.decode()
    assert not meeting.items.exists()


# --- conflicts of interest ---------------------------------------------------------------------------


def test_a_member_with_a_standing_interest_is_excluded_from_the_item_everywhere(drive, board, people):
    lions = at_board(drive, "bob", title="Tastmodell")
    dia = at_board(drive, "alice", title="Blumenampeln")
    meeting = new_meeting(drive, board)
    drive.post("carla", url(meeting, "tagesordnung/"), {"applications": [lions.pk, dia.pk]})
    lions_item, dia_item = meeting.items.get(application=lions), meeting.items.get(application=dia)
    bernd = members(board)["bernd"]
    document = lions.documents.first()
    bernd_client = drive.client("bernd")

    # 404 on the item, its documents and through the general download too
    for page in (url(meeting, f"top/{lions_item.pk}/"), url(meeting, f"top/{lions_item.pk}/unterlagen/{document.pk}/"),
                 f"/dokumente/{document.pk}/"):
        assert bernd_client.get(page).status_code == 404, page
    # no Beirat member reads dossiers (bank data, de-minimis): the Beirat pages hold what the board needs
    for application in (lions, dia):
        assert bernd_client.get(f"/verwaltung/antraege/{application.pk}/").status_code == 403
    assert bernd_client.get(url(meeting, f"top/{dia_item.pk}/")).status_code == 200
    meeting_page = bernd_client.get(url(meeting)).content.decode()
    assert "Sie sind befangen und bei diesem Punkt ausgeschlossen." in meeting_page

    # the automatic conflict cannot be declared away
    response = drive.post("bernd", url(meeting, "befangenheit/"), {
        f"item_{lions_item.pk}": "no", f"item_{dia_item.pk}": "no", f"note_{dia_item.pk}": ""})
    assert response.status_code == 302
    assert lions_item.conflicts.get(member=bernd).conflicted
    assert bernd_client.get(url(meeting, f"top/{lions_item.pk}/")).status_code == 404

    # the quorum is computed without him: dieter alone is all the non-conflicted voting members
    drive.post("carla", url(meeting, "anwesenheit/"), {"present": [members(board)["dieter"].pk, bernd.pk]})
    page = drive.get("carla", url(meeting, f"top/{lions_item.pk}/")).content.decode()
    assert "1 von 1 nicht befangenen stimmberechtigten Mitgliedern sind anwesend." in page
    # his vote is refused, and nothing is recorded
    response = drive.post("carla", url(meeting, f"top/{lions_item.pk}/abstimmung/"), {
        f"vote_{members(board)['dieter'].pk}": "yes", f"vote_{bernd.pk}": "yes"})
    assert response.status_code == 200 and "befangenes Mitglied darf" in response.content.decode()
    assert not Vote.objects.filter(item=lions_item).exists()
    # without him the item is decided
    response = drive.post("carla", url(meeting, f"top/{lions_item.pk}/abstimmung/"),
                          {f"vote_{members(board)['dieter'].pk}": "yes"})
    assert response.status_code == 302
    lions_item.refresh_from_db()
    assert lions_item.result == AgendaItem.Result.ADOPTED and (lions_item.yes, lions_item.no) == (1, 0)


def test_a_declared_conflict_excludes_the_member_from_the_item_page(drive, board):
    a = at_board(drive)
    meeting = new_meeting(drive, board, hours=48)
    drive.post("carla", url(meeting, "tagesordnung/"), {"applications": [a.pk]})
    item = meeting.items.get()
    assert drive.get("dieter", url(meeting, f"top/{item.pk}/")).status_code == 200
    response = drive.post("dieter", url(meeting, "befangenheit/"), {
        f"item_{item.pk}": "yes", f"note_{item.pk}": "Mein Schwager ist Vorsitzender der DIA."})
    assert response.status_code == 302
    assert drive.get("dieter", url(meeting, f"top/{item.pk}/")).status_code == 404
    assert drive.get("dieter", f"/verwaltung/antraege/{a.pk}/").status_code == 403  # dossiers: never the Beirat


# --- quorum and majority ------------------------------------------------------------------------------


def test_attendance_votes_and_deferral_wait_for_the_day_of_the_meeting(drive, board):
    a = at_board(drive)
    meeting = new_meeting(drive, board, hours=72)
    drive.post("carla", url(meeting, "tagesordnung/"), {"applications": [a.pk]})
    item = meeting.items.get()
    dieter, bernd = members(board)["dieter"], members(board)["bernd"]
    day = f"{timezone.localtime(meeting.starts_at):%d.%m.%Y}"
    page = drive.get("carla", url(meeting, f"top/{item.pk}/")).content.decode()
    assert "Abstimmung protokollieren" not in page and f"am Tag der Sitzung ({day}) protokolliert" in page
    refused = f"erst am Tag der Sitzung ({day}) protokolliert"
    for path, data in (("anwesenheit/", {"present": [dieter.pk, bernd.pk]}),
                       (f"top/{item.pk}/abstimmung/", {f"vote_{dieter.pk}": "yes", f"vote_{bernd.pk}": "yes"}),
                       (f"top/{item.pk}/vertagen/", {"reasons": "zu früh"})):
        assert refused in drive.post("carla", url(meeting, path), data).content.decode(), path
    item.refresh_from_db()
    assert not meeting.attendance.exists() and item.result == AgendaItem.Result.OPEN and not item.votes.exists()


def test_without_quorum_an_item_cannot_be_decided_only_deferred(drive, board):
    a = at_board(drive)
    meeting = new_meeting(drive, board)
    drive.post("carla", url(meeting, "tagesordnung/"), {"applications": [a.pk]})
    item = meeting.items.get()
    dieter = members(board)["dieter"]
    drive.post("carla", url(meeting, "anwesenheit/"), {"present": [dieter.pk]})  # 1 of 2: not more than half
    response = drive.post("carla", url(meeting, f"top/{item.pk}/abstimmung/"), {f"vote_{dieter.pk}": "yes"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Der Beirat ist für TOP 1 nicht beschlussfähig: 1 von 2 nicht befangenen stimmberechtigten" in html
    item.refresh_from_db()
    assert item.result == AgendaItem.Result.OPEN and not item.votes.exists()
    response = drive.post("carla", url(meeting, "schliessen/"))
    assert "Für TOP 1 fehlt noch das Ergebnis" in response.content.decode()
    assert drive.post("carla", url(meeting, f"top/{item.pk}/vertagen/"), {"reasons": "Nicht beschlussfähig."}
                      ).status_code == 302


@pytest.mark.parametrize("votes, result, outcome", [
    ({"dieter": "yes", "bernd": "no"}, "rejected", "reject"),  # a tie rejects
    ({"dieter": "yes", "bernd": "abstain"}, "adopted", "approve"),  # abstentions do not count
    ({"dieter": "no", "bernd": "abstain"}, "rejected", "reject"),
])
def test_the_majority_rule_decides_and_a_tie_rejects(drive, board, votes, result, outcome):
    a = at_board(drive)
    meeting = new_meeting(drive, board)
    drive.post("carla", url(meeting, "tagesordnung/"), {"applications": [a.pk]})
    item = meeting.items.get()
    drive.post("carla", url(meeting, f"top/{item.pk}/vorschlag/"), {"proposal": "approve", "amount": "",
                                                                   "conditions": "", "reasons": ""})
    people = members(board)
    drive.post("carla", url(meeting, "anwesenheit/"), {"present": [people["dieter"].pk, people["bernd"].pk,
                                                                    people["gisela"].pk]})
    # gisela is advisory: she has no vote to record
    response = drive.post("carla", url(meeting, f"top/{item.pk}/abstimmung/"),
                          {f"vote_{people[name].pk}": choice for name, choice in {**votes, "gisela": "yes"}.items()})
    assert "Nur anwesende, stimmberechtigte Mitglieder" in response.content.decode()
    response = drive.post("carla", url(meeting, f"top/{item.pk}/abstimmung/"),
                          {f"vote_{people[name].pk}": choice for name, choice in votes.items()})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.result, item.outcome) == (result, outcome)


# --- the flow moves on the chair's signature ---------------------------------------------------------


def test_approve_reduce_and_reject_move_each_flow_after_the_chair_signs(drive, board, people):
    approve, reduce, reject = (at_board(drive, title=t, net="8000", gross="9520") for t in ("A", "B", "C"))
    meeting = new_meeting(drive, board)
    drive.post("carla", url(meeting, "tagesordnung/"), {"all": "1"})
    proposals = {approve: {"proposal": "conditions", "amount": "", "conditions": "Förderhinweis am Objekt.",
                           "reasons": ""},
                 reduce: {"proposal": "reduce", "amount": "3000", "conditions": "", "reasons": "Nur die Hälfte."},
                 reject: {"proposal": "reject", "amount": "", "conditions": "", "reasons": "Kein Mehrwert."}}
    dieter, bernd = members(board)["dieter"], members(board)["bernd"]
    drive.post("carla", url(meeting, "anwesenheit/"), {"present": [dieter.pk, bernd.pk]})
    for application, data in proposals.items():
        item = meeting.items.get(application=application)
        assert drive.post("carla", url(meeting, f"top/{item.pk}/vorschlag/"), data).status_code == 302
        assert drive.post("carla", url(meeting, f"top/{item.pk}/abstimmung/"),
                          {f"vote_{dieter.pk}": "yes", f"vote_{bernd.pk}": "yes"}).status_code == 302
    assert drive.post("carla", url(meeting, "schliessen/")).status_code == 302
    # nothing moves before the signature, and only the chair signs
    approve.refresh_from_db()
    assert approve.stage == Stage.BOARD
    assert drive.post("bernd", url(meeting, "unterzeichnen/")).status_code == 403
    assert drive.post("carla", url(meeting, "unterzeichnen/")).status_code == 403
    assert drive.post("dieter", url(meeting, "unterzeichnen/")).status_code == 302

    for application in (approve, reduce, reject):
        application.refresh_from_db()
    assert approve.stage == Stage.BESCHEID and approve.approved_grant == D("4760.00")
    assert reduce.stage == Stage.BESCHEID and reduce.approved_grant == D("3000.00")
    assert reject.stage == Stage.REJECTED
    decision = approve.board_decisions.get()
    assert decision.agenda_item.meeting == meeting and decision.conditions == "Förderhinweis am Objekt."
    assert drive.task(approve, GrantFlow.bescheid_draft) and drive.task(reduce, GrantFlow.bescheid_draft)
    # the Bescheid's draft starts from the decided conditions
    assert bescheid_defaults(approve)["conditions"] == "Förderhinweis am Objekt."
    drive.bescheid(reduce)
    assert "3.000,00 €" in pdf_text(reduce.letters.get(kind=Letter.Kind.BESCHEID).pdf)
    [rejection] = reject.letters.filter(kind=Letter.Kind.REJECTION)
    assert "Kein Mehrwert." in pdf_text(rejection.pdf)
    assert GrantProcess.for_application(reject).status == "DONE"
    assert Notification.objects.filter(application=approve, event="decision").exists()


def test_a_deferred_item_moves_onto_the_next_planned_meeting(drive, board):
    a = at_board(drive)
    meeting = new_meeting(drive, board)
    following = new_meeting(drive, board, hours=24 * 21)
    drive.post("carla", url(meeting, "tagesordnung/"), {"applications": [a.pk]})
    item = meeting.items.get()
    drive.post("carla", url(meeting, f"top/{item.pk}/vertagen/"), {"reasons": "Standort klären."})
    drive.post("carla", url(meeting, "schliessen/"))
    assert drive.post("dieter", url(meeting, "unterzeichnen/")).status_code == 302
    a.refresh_from_db()
    assert a.stage == Stage.DEFERRED and a.board_decisions.get().outcome == "defer"
    carried = following.items.get()
    assert carried.application == a and carried.carried_from == item
    assert drive.task(a, GrantFlow.board)  # the flow waits for the next meeting again
    # decided there, three weeks later
    Meeting.objects.filter(pk=following.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
    drive.post("carla", url(following, "anwesenheit/"), {"present": [m.pk for m in board.members.all()]})
    votes = {f"vote_{m.pk}": "yes" for m in board.members.filter(role__in=BoardMember.VOTING)}
    assert drive.post("carla", url(following, f"top/{carried.pk}/abstimmung/"), votes).status_code == 302
    drive.post("carla", url(following, "schliessen/"))
    assert drive.post("dieter", url(following, "unterzeichnen/")).status_code == 302
    a.refresh_from_db()
    assert a.stage == Stage.BESCHEID and a.board_decisions.count() == 2


def test_without_a_next_meeting_a_deferred_item_is_a_candidate_again(drive, board):
    a = at_board(drive)
    drive.decide(a, "defer", reasons="Später.")
    later = new_meeting(drive, board, hours=48)
    assert a.file_number in drive.get("carla", url(later)).content.decode()


# --- after the signature nothing changes --------------------------------------------------------------


def test_after_the_signature_votes_attendance_and_conflicts_are_refused(drive, board):
    a = at_board(drive)
    drive.decide(a, "approve")
    meeting = Meeting.objects.get()
    item = meeting.items.get()
    dieter = members(board)["dieter"]
    before = list(Vote.objects.values_list("member", "choice"))
    for who, path, data in [
        ("carla", f"top/{item.pk}/abstimmung/", {f"vote_{dieter.pk}": "no"}),
        ("carla", "anwesenheit/", {"present": []}),
        ("carla", f"top/{item.pk}/vertagen/", {}),
        ("carla", f"top/{item.pk}/vorschlag/", {"proposal": "reject", "reasons": "x"}),
        ("dieter", "befangenheit/", {f"item_{item.pk}": "yes"}),
        ("dieter", "unterzeichnen/", {}),
        ("carla", "schliessen/", {}),
    ]:
        response = drive.post(who, url(meeting, path), data)
        assert response.status_code == 200, path
        assert "Niederschrift ist unterzeichnet" in response.content.decode(), path
    assert list(Vote.objects.values_list("member", "choice")) == before
    # and the database refuses it as well
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.filter(item=item).update(choice="no")
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.HELD)


# --- access -----------------------------------------------------------------------------------------


def test_access_matrix_of_the_beirat_pages(drive, board, otto):
    lions = at_board(drive, "bob", title="Tastmodell")
    meeting = new_meeting(drive, board, hours=72)
    drive.post("carla", url(meeting, "tagesordnung/"), {"applications": [lions.pk]})
    drive.post("carla", url(meeting, "einladen/"))
    item = meeting.items.get()
    document = lions.documents.first()
    drive.people = {**drive.people, "otto": otto}
    gets = [url(meeting), url(meeting, f"top/{item.pk}/"), url(meeting, f"top/{item.pk}/unterlagen/{document.pk}/"),
            url(meeting, "einladung.ics"), url(meeting, "sitzungsunterlagen.pdf")]
    posts = [url(meeting, p) for p in ("tagesordnung/", "anwesenheit/", "einladen/", "schliessen/", "unterzeichnen/",
                                       "befangenheit/", f"top/{item.pk}/abstimmung/", f"top/{item.pk}/vorschlag/",
                                       f"top/{item.pk}/vertagen/", f"top/{item.pk}/stimme/", f"top/{item.pk}/hoch/")]
    from django.test import Client

    anonymous = Client()
    for page in gets + posts + ["/beirat/sitzungen/", "/beirat/meine-sitzungen/", "/beirat/sitzungen/neu/"]:
        response = anonymous.get(page) if page in gets else anonymous.post(page)
        assert response.status_code == 302 and response["Location"].startswith("/anmelden/"), page
    for name in ("alice", "bob", "otto"):  # applicants and another city's board: nothing exists
        for page in gets:
            assert drive.get(name, page).status_code == 404, (name, page)
        for page in posts:
            assert drive.post(name, page, {}).status_code == 404, (name, page)
    for name in ("alice", "bob"):
        for page in ("/beirat/sitzungen/", "/beirat/meine-sitzungen/", "/beirat/sitzungen/neu/"):
            assert drive.get(name, page).status_code == 403, (name, page)
    # bernd (conflicted) gets 404 on the item and its document, not on the meeting
    assert drive.get("bernd", url(meeting)).status_code == 200
    for page in gets[1:3]:
        assert drive.get("bernd", page).status_code == 404, page
    assert drive.post("bernd", url(meeting, f"top/{item.pk}/stimme/"), {"choice": "yes"}).status_code == 404
    # members do not prepare: 403 on carla's actions
    for page in posts[:4]:
        assert drive.post("gisela", page, {}).status_code == 403, page
    assert drive.get("otto", "/beirat/meine-sitzungen/").status_code == 200
    assert "Altes Rathaus" not in drive.get("otto", "/beirat/meine-sitzungen/").content.decode()
    assert item.votes.count() == 0 and meeting.items.count() == 1


@pytest.mark.parametrize("rows", [1, 4])
def test_the_meeting_lists_run_a_constant_number_of_queries(drive, board, rows, django_assert_num_queries):
    for n in range(rows):
        meeting_create(actor=drive.people["carla"], board=board, kind="meeting",
                       starts_at=timezone.now() + timedelta(days=n + 1), place=f"Raum {n}")
    carla, dieter = drive.client("carla"), drive.client("dieter")
    carla.get("/beirat/sitzungen/"), dieter.get("/beirat/meine-sitzungen/")  # warm the session
    with django_assert_num_queries(QUERIES["staff"]):
        assert carla.get("/beirat/sitzungen/").content.decode().count("Raum ") == rows
    with django_assert_num_queries(QUERIES["member"]):
        assert dieter.get("/beirat/meine-sitzungen/").content.decode().count("Raum ") == rows


QUERIES = {"staff": 5, "member": 6}


def test_the_written_procedure_page_lets_a_member_vote_until_the_deadline(drive, board):
    a = at_board(drive)
    deadline = timezone.localtime() + timedelta(days=7)
    meeting = new_meeting(drive, board, kind="written", hours=-1,
                          response_deadline=deadline.strftime("%Y-%m-%dT%H:%M"))
    agenda_add(actor=drive.people["carla"], meeting=meeting, applications=[a])
    item = meeting.items.get()
    page = drive.get("dieter", url(meeting, f"top/{item.pk}/")).content.decode()
    assert "Ihre Stimme im Umlaufverfahren" in page
    assert drive.post("dieter", url(meeting, f"top/{item.pk}/stimme/"), {"choice": "yes"}).status_code == 302
    assert drive.post("gisela", url(meeting, f"top/{item.pk}/stimme/"), {"choice": "yes"}).status_code == 200
    assert item.votes.get().member.user.username == "dieter"
    response = drive.post("carla", url(meeting, "schliessen/"))
    assert "Die Antwortfrist läuft noch" in response.content.decode()


def test_the_chair_may_keep_the_protocol_but_not_prepare_the_meeting(drive, board):
    a = at_board(drive)
    meeting = new_meeting(drive, board)
    assert drive.post("dieter", url(meeting, "tagesordnung/"), {"applications": [a.pk]}).status_code == 403
    drive.post("carla", url(meeting, "tagesordnung/"), {"applications": [a.pk]})
    item = meeting.items.get()
    people = members(board)
    page = drive.get("dieter", url(meeting)).content.decode()
    assert "Anwesenheit (Vorsitz)" in page
    assert drive.post("dieter", url(meeting, "anwesenheit/"),
                      {"present": [people["dieter"].pk, people["bernd"].pk]}).status_code == 302
    page = drive.get("dieter", url(meeting, f"top/{item.pk}/")).content.decode()
    assert "Abstimmung protokollieren" in page and "Beschlussvorschlag speichern" not in page
    assert drive.post("dieter", url(meeting, f"top/{item.pk}/vorschlag/"), {"proposal": "reject"}).status_code == 403
    assert drive.post("dieter", url(meeting, f"top/{item.pk}/abstimmung/"),
                      {f"vote_{people['dieter'].pk}": "yes", f"vote_{people['bernd'].pk}": "yes"}).status_code == 302
    assert drive.post("bernd", url(meeting, f"top/{item.pk}/abstimmung/"), {}).status_code == 403
    item.refresh_from_db()
    assert item.result == AgendaItem.Result.ADOPTED
