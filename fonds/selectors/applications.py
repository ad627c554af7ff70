import functools

from django.db.models import Prefetch, Q
from django.http import Http404

from fonds.models import (
    Application,
    BoardDecision,
    CostItem,
    Document,
    DocumentRequest,
    Letter,
    Meeting,
    Payment,
    PublicationConsent,
    Stage,
)
from fonds.selectors.rows import Rows, read_lists, unpack, unpack_first


def applications_for_applicant(*, user):
    """Everything of the organisations the user acts for, and nothing else."""
    return (Application.objects.filter(organisation__memberships__user=user)
            .select_related("fund", "organisation")
            .prefetch_related(Prefetch("letters", queryset=Letter.objects.filter(status=Letter.Status.ISSUED)))
            .order_by("-created_at"))


def application_for_applicant(*, user, pk) -> Application:
    application = applications_for_applicant(user=user).filter(pk=pk).first()
    if application is None:
        raise Http404
    return application


@functools.cache
def _status_rows() -> tuple[dict, dict]:
    """The lists of the status page (related names) and the single rows (attribute names); built once, as their
    SQL is compiled once (fonds.selectors.rows.read_lists)."""
    rows = {
        "letters": Rows(Letter.objects.filter(status=Letter.Status.ISSUED)),
        "payments": Rows(Payment.objects.all()),
        "document_requests": Rows(DocumentRequest.objects.all()),
        "board_decisions": Rows(BoardDecision.objects.all()),
        "documents": Rows(Document.objects.all()),
        "cost_items": Rows(CostItem.objects.all()),
    }
    single = {
        "next_meeting": Rows(Meeting.objects.filter(status=Meeting.Status.PLANNED).order_by("starts_at"),
                             link="items__application", limit=1),
        "publication_consent": Rows(PublicationConsent.objects.filter(withdrawn_at__isnull=True), limit=1),
    }
    return rows, single


def application_status_for_applicant(*, user, pk) -> Application:
    """The application for its status page: fund, authority and rules joined, and in one more query
    (fonds.selectors.rows) what the page lists: issued letters, payments, Nachforderungen, Beirat decisions,
    documents and the cost plan (in the prefetch cache, as `application.letters.all()` etc.), the planned
    Beirat meeting it is on (`next_meeting`) and the active publication consent (`publication_consent`)."""
    rows, single = _status_rows()
    application = (applications_for_applicant(user=user).filter(pk=pk).prefetch_related(None)
                   .select_related("fund__authority", "rules", "round").first())
    if application is None:
        raise Http404
    read_lists(application, "status_page", rows | single)
    unpack(application, rows)
    unpack_first(application, single)
    return application


def applications_for_staff(*, user):
    """Staff see the applications of the funds of their own authority; a Beirat member none they are
    conflicted on (Befangenheit)."""
    from fonds.selectors.board import conflicted_application_ids

    return (Application.objects.exclude(stage=Stage.DRAFT)
            .filter(fund__authority__staff_memberships__user=user)
            .exclude(pk__in=conflicted_application_ids(user))
            .select_related("fund", "organisation", "round"))


def application_for_staff(*, user, pk) -> Application:
    application = applications_for_staff(user=user).select_related("rules").filter(pk=pk).first()
    if application is None:
        raise Http404
    return application


def document_for_user(*, user, pk) -> Document:
    """A document the user may open: of their own organisation, or of their authority's funds (staff; a Beirat
    member not on applications they are conflicted on)."""
    from fonds.selectors.board import conflicted_application_ids

    document = (Document.objects.select_related("application")
                .filter(pk=pk)
                .filter(Q(application__organisation__memberships__user=user)
                        | (Q(application__fund__authority__staff_memberships__user=user)
                           & ~Q(application__stage=Stage.DRAFT)
                           & ~Q(application__in=conflicted_application_ids(user))))
                .distinct().first())
    if document is None:
        raise Http404
    return document


def letter_for_user(*, user, pk) -> Letter:
    """Applicants see issued letters of their organisation; staff see every stored letter of their authority."""
    from fonds.selectors.board import conflicted_application_ids

    letter = (Letter.objects.select_related("application")
              .filter(pk=pk, status=Letter.Status.ISSUED)
              .filter(Q(application__organisation__memberships__user=user)
                      | (Q(application__fund__authority__staff_memberships__user=user)
                         & ~Q(application__in=conflicted_application_ids(user))))
              .distinct().first())
    if letter is None:
        raise Http404
    return letter
