"""Reads for the letter batches of Finanzen."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from fonds.models import Fund, Letter, LetterBatch, Meeting

BATCH_KINDS = (Letter.Kind.BESCHEID, Letter.Kind.REJECTION)


def signed_meetings_with_letters(fund: Fund) -> QuerySet[Meeting]:
    """The fund's signed meetings, each with its number of Bescheide and its batches (newest first)."""
    letters = Q(items__decision__isnull=False, items__application__letters__kind__in=BATCH_KINDS,
                items__application__letters__status__in=[Letter.Status.DRAFT, Letter.Status.QUEUED,
                                                         Letter.Status.ISSUED])
    return (Meeting.objects.filter(board__fund=fund, status=Meeting.Status.SIGNED)
            .annotate(letter_count=Count("items__application__letters", filter=letters, distinct=True))
            .prefetch_related(Prefetch("letter_batches", queryset=LetterBatch.objects.order_by("-created_at", "-pk"),
                                       to_attr="batches"))
            .order_by("-starts_at", "pk"))


def meeting_for_finance(*, user, fund: Fund, pk: str) -> Meeting:
    """A meeting of `fund` (already checked to be of the user's authority); anything else is a 404."""
    if not str(pk).isdigit():
        raise Http404
    return get_object_or_404(Meeting.objects.filter(board__fund=fund), pk=int(pk))


def letter_batch_for_user(*, user, pk) -> LetterBatch:
    """A batch of a fund of the user's authority; any other does not exist for them."""
    return get_object_or_404(LetterBatch.objects.filter(
        meeting__board__fund__authority__staff_memberships__user=user).select_related("meeting__board__fund"), pk=pk)
