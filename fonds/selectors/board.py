"""Reads for the Beirat: who may see which meeting and item, who is conflicted, who counts for the quorum."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from fonds.models import (
    AgendaItem,
    Application,
    Attendance,
    BoardMember,
    ConflictDeclaration,
    Meeting,
    StaffMembership,
    Stage,
    StandingInterest,
    Vote,
)

PREPARE = "fonds.prepare_meeting"
OPEN_STATUSES = (Meeting.Status.PLANNED, Meeting.Status.HELD)


def is_preparer(user, board) -> bool:
    """Citymanagement of the fund's authority (holds fonds.prepare_meeting)."""
    return user.has_perm(PREPARE) and StaffMembership.objects.filter(
        user=user, authority_id=board.fund.authority_id).exists()


def member_of(user, board, on=None) -> BoardMember | None:
    """The user's membership of the board, if their term covers the day (default: today)."""
    on = on or timezone.localdate()
    return (BoardMember.objects.select_related("user")
            .filter(board=board, user=user, term_from__lte=on)
            .filter(Q(term_until__isnull=True) | Q(term_until__gte=on)).first())


def meetings_for_staff(*, user):
    return (Meeting.objects.filter(board__fund__authority__staff_memberships__user=user)
            .select_related("board__fund").order_by("-starts_at"))


def meetings_for_member(*, user):
    """Meetings of the boards the user belongs to (any term: former members keep the minutes they made)."""
    return (Meeting.objects.filter(board__members__user=user).select_related("board__fund")
            .distinct().order_by("-starts_at"))


@dataclass
class Access:
    meeting: Meeting
    member: BoardMember | None
    preparer: bool

    @property
    def is_chair(self) -> bool:
        return self.member is not None and self.member.role == BoardMember.Role.CHAIR


def meeting_access(*, user, pk) -> Access:
    """404 unless the user prepares the board's meetings or belongs to the board."""
    meeting = Meeting.objects.select_related("board__fund__authority").filter(pk=pk).first()
    if meeting is None or not user.is_authenticated:
        raise Http404
    preparer = is_preparer(user, meeting.board)
    member = BoardMember.objects.select_related("user").filter(board=meeting.board, user=user).first()
    if not preparer and member is None:
        raise Http404
    return Access(meeting, member, preparer)


def conflicted_item_ids(member: BoardMember, meeting: Meeting) -> set[int]:
    """Items the member is excluded from: declared, or through a standing interest in the applicant."""
    if member is None:
        return set()
    declared = ConflictDeclaration.objects.filter(member=member, item__meeting=meeting, conflicted=True)
    interests = StandingInterest.objects.filter(member=member, organisation=OuterRef("application__organisation"))
    return set(AgendaItem.objects.filter(meeting=meeting)
               .filter(Q(pk__in=declared.values("item")) | Q(Exists(interests))).values_list("pk", flat=True))


def item_for(access: Access, item_pk) -> AgendaItem:
    """The item, or 404 for a member who is excluded from it."""
    item = (AgendaItem.objects.select_related("application__organisation", "application__fund", "meeting")
            .filter(meeting=access.meeting, pk=item_pk).first())
    if item is None or (not access.preparer and item.pk in conflicted_item_ids(access.member, access.meeting)):
        raise Http404
    return item


def conflicted_application_ids(user):
    """Applications the user must not see as a Beirat member: through a standing interest in the applicant
    or a declared conflict on any agenda item. A subquery, for the staff selectors."""
    interests = StandingInterest.objects.filter(member__user=user).values("organisation")
    declared = ConflictDeclaration.objects.filter(member__user=user, conflicted=True).values("item__application")
    return Application.objects.filter(Q(organisation__in=interests) | Q(pk__in=declared)).values("pk")


def candidates(board):
    """Applications waiting for the board and on no open meeting's agenda, oldest submission first."""
    on_open_agenda = AgendaItem.objects.filter(application=OuterRef("pk"), meeting__status__in=OPEN_STATUSES)
    return (Application.objects.filter(fund=board.fund, stage__in=[Stage.BOARD, Stage.DEFERRED])
            .exclude(Exists(on_open_agenda)).select_related("organisation").order_by("submitted_at", "pk"))


def voting_members(meeting: Meeting) -> list[BoardMember]:
    day = timezone.localtime(meeting.starts_at).date()
    return list(BoardMember.objects.select_related("user")
                .filter(board=meeting.board, role__in=BoardMember.VOTING, term_from__lte=day)
                .filter(Q(term_until__isnull=True) | Q(term_until__gte=day)).order_by("pk"))


def members_in_term(meeting: Meeting) -> list[BoardMember]:
    day = timezone.localtime(meeting.starts_at).date()
    return list(BoardMember.objects.select_related("user")
                .filter(board=meeting.board, term_from__lte=day)
                .filter(Q(term_until__isnull=True) | Q(term_until__gte=day)).order_by("pk"))


def item_conflicted_member_ids(item: AgendaItem) -> set[int]:
    declared = set(item.conflicts.filter(conflicted=True).values_list("member_id", flat=True))
    standing = set(StandingInterest.objects.filter(member__board=item.meeting.board,
                                                   organisation=item.application.organisation_id)
                   .values_list("member_id", flat=True))
    return declared | standing


@dataclass
class Quorum:
    members: int  # voting members of the board who are not conflicted on the item
    counted: int  # of those, present (or taking part)
    needed_percent: Decimal
    eligible_ids: set  # who may vote on the item

    @property
    def reached(self) -> bool:
        return self.members > 0 and Decimal(self.counted) * 100 > self.needed_percent * self.members


def item_quorum(item: AgendaItem, *, silent_yes: bool = False) -> Quorum:
    """Beschlussfähigkeit for one item: more than quorum_percent of the board's voting members take part.
    Conflicted members are left out of the count altogether (neither among the members nor among those
    present). In a meeting, taking part is being present; in a written procedure it is having answered
    (or, where silence counts as consent, being a member at all)."""
    meeting = item.meeting
    voters = voting_members(meeting)
    conflicted = item_conflicted_member_ids(item)
    if meeting.is_written:
        answered = set(Vote.objects.filter(item=item).values_list("member_id", flat=True))
        taking_part = {m.pk for m in voters} if silent_yes else answered
    else:
        taking_part = set(Attendance.objects.filter(meeting=meeting, present=True).values_list("member_id", flat=True))
    counted_members = [m.pk for m in voters if m.pk not in conflicted]
    eligible = {pk for pk in counted_members if pk in taking_part}
    return Quorum(len(counted_members), len(eligible), meeting.board.quorum_percent, eligible)
