"""Everything the staff dossier shows of one application, read with a fixed number of queries however long
its history is: the audit timeline in sentences, internal notes, and the contact history with the applicant."""

import functools
from decimal import Decimal

from django.apps import apps
from django.db.models import OuterRef
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fonds.formatting import euro
from fonds.models import (
    Application,
    AuditEvent,
    BoardDecision,
    CostItem,
    CriterionScore,
    DeMinimisAid,
    Document,
    DocumentRequest,
    EligibilityCheck,
    EligibilityCheckItem,
    InternalNote,
    LedgerEntry,
    Letter,
    Membership,
    Payment,
    PaymentRequest,
    ReceiptLine,
    Recommendation,
    Stage,
    UseReport,
)
from fonds.selectors.applications import applications_for_staff
from fonds.selectors.rows import USER_FIELDS, Rows, read_lists, unpack
from fonds.selectors.settlement import budget_against_actual

# Sentences for the audit codes; `{actor}` is who acted. Codes with a variable part are handled below.
AUDIT_SENTENCES = {
    "application.draft_created": gettext_lazy("{actor} hat den Antrag als Entwurf angelegt."),
    "application.draft_updated": gettext_lazy("{actor} hat den Entwurf bearbeitet."),
    "application.declared": gettext_lazy("{actor} hat die Erklärungen abgegeben."),
    "application.submitted": gettext_lazy("{actor} hat den Antrag eingereicht."),
    "document.uploaded": gettext_lazy("{actor} hat eine Unterlage hochgeladen ({kind})."),
    "documents.requested": gettext_lazy("{actor} hat Unterlagen nachgefordert (Frist {deadline})."),
    "documents.answered": gettext_lazy("{actor} hat auf die Nachforderung geantwortet."),
    "eligibility.checked": gettext_lazy("{actor} hat die Zuwendungsfähigkeit geprüft: {outcome}."),
    "recommendation.recorded": gettext_lazy("{actor} hat die fachliche Stellungnahme abgegeben: {amount} empfohlen."),
    "recommendation.confirmed": gettext_lazy("{actor} hat die fachliche Stellungnahme bestätigt (Vier-Augen-Prinzip)."),
    "recommendation.returned": gettext_lazy("{actor} hat die fachliche Stellungnahme zurückgegeben: {reason}"),
    "board.decided": gettext_lazy("{actor} hat den Beschluss des Beirats erfasst: {outcome}."),
    "payment.requested": gettext_lazy("{actor} hat Mittel abgerufen: {amount}."),
    "payment.ordered": gettext_lazy("{actor} hat eine Auszahlung angeordnet: {amount}."),
    "payment.released": gettext_lazy("{actor} hat die Auszahlung freigegeben."),
    "use_report.submitted": gettext_lazy("{actor} hat den Verwendungsnachweis eingereicht."),
    "use_report.checked": gettext_lazy("{actor} hat den Verwendungsnachweis geprüft: {accepted}."),
    "settlement.recorded": gettext_lazy("{actor} hat die Schlussabrechnung erstellt."),
    "note.added": gettext_lazy("{actor} hat eine interne Notiz angelegt."),
    "de_minimis.granted": gettext_lazy("{actor} hat die De-minimis-Beihilfe über {amount} in die Meldeliste "
                                       "eingetragen."),
    "de_minimis.amended": gettext_lazy("{actor} hat die De-minimis-Beihilfe nach dem Änderungsbescheid auf {amount} "
                                       "geändert; sie ist erneut an das Register zu melden."),
    "de_minimis.reported": gettext_lazy("{actor} hat die Meldung an das De-minimis-Register erfasst."),
}
LETTER_STEPS = {"drafted": gettext_lazy("{actor} hat den Brief „{kind}“ entworfen."),
                "issued": gettext_lazy("{actor} hat den Brief „{kind}“ erlassen."),
                "stored": gettext_lazy("Der Brief „{kind}“ wurde als PDF abgelegt ({actor}).")}


def _euro(value) -> str:
    return euro(Decimal(str(value))) if value not in (None, "") else "–"


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def audit_sentence(event) -> str:
    """One audit event as a German sentence; a code we have no sentence for is shown as it is."""
    after = event.after if isinstance(event.after, dict) else {}
    actor = event.actor_label or _("System")
    code = event.action
    parts = code.split(".")
    if code.startswith("application.stage."):
        return _("Stand geändert auf „%(stage)s“ (%(actor)s).") % {"stage": _label(Stage, parts[2]), "actor": actor}
    if code.startswith("letter.") and len(parts) == 3 and parts[2] in LETTER_STEPS:
        return str(LETTER_STEPS[parts[2]]).format(actor=actor, kind=_label(Letter.Kind, parts[1]))
    if code.startswith("ledger.") and len(parts) == 2:
        return _("Fondsbuch: %(kind)s über %(amount)s (%(actor)s).") % {
            "kind": _label(LedgerEntry.Kind, parts[1]), "amount": _euro(after.get("amount")), "actor": actor}
    sentence = AUDIT_SENTENCES.get(code)
    if sentence is None:
        return f"{code} ({actor})"
    outcome_choices = BoardDecision.Outcome if code.startswith("board.") else EligibilityCheck.Outcome
    deadline = after.get("deadline")
    return str(sentence).format(
        actor=actor,
        kind=_label(Document.Kind, after.get("kind", "")),
        outcome=_label(outcome_choices, after.get("outcome", "")),
        amount=_euro(after.get("amount")),
        reason=after.get("reason", ""),
        deadline=f"{deadline[8:10]}.{deadline[5:7]}.{deadline[:4]}" if deadline else "–",
        accepted=_("anerkannt") if after.get("accepted") else _("zur Nachbesserung zurückgegeben"),
    )


def recommendation_weighted_total(recommendation: Recommendation) -> tuple[Decimal, Decimal]:
    """(weighted points, weighted maximum) of a recommendation's scores; reads prefetched scores."""
    total = maximum = Decimal("0")
    for score in recommendation.scores.all():
        total += score.points * score.criterion.weight
        maximum += score.criterion.max_points * score.criterion.weight
    return total, maximum


def contact_history(application: Application, *, document_requests=None, payment_requests=None,
                    use_reports=None, notifications=None) -> list[dict]:
    """What went to the applicant (notifications to members of the organisation) and what came from them
    (answers to Nachforderungen, payment requests, proofs of use), oldest first. The lists the dossier has read
    already are passed in (with their people joined), the notifications too if read (`_sent_to_applicant`).
    The notification model is looked up by name: `fonds` does not import `notifications`, which depends on it."""
    if notifications is None:
        notification = apps.get_model("notifications", "Notification")
        notifications = (notification.objects.select_related("recipient").distinct()
                         .filter(application=application,
                                 recipient__memberships__organisation=application.organisation_id))
    entries = [
        {"at": n.created_at, "direction": "sent", "who": n.recipient.get_full_name() or n.recipient.get_username(),
         "what": n.get_event_display(), "status": n.get_email_status_display()}
        for n in notifications
    ]
    if document_requests is None:
        document_requests = application.document_requests.select_related("answered_by")
    if payment_requests is None:
        payment_requests = application.payment_requests.select_related("requested_by")
    if use_reports is None:
        use_reports = application.use_reports.select_related("submitted_by")
    for request in (r for r in document_requests if r.answered_at is not None):
        entries.append({"at": request.answered_at, "direction": "received", "who": _name(request.answered_by),
                        "what": _("Antwort auf die Nachforderung: %(answer)s") % {"answer": request.answer or "–"}})
    for request in payment_requests:
        entries.append({"at": request.requested_at, "direction": "received", "who": _name(request.requested_by),
                        "what": _("Mittelabruf über %(amount)s") % {"amount": _euro(request.amount)}})
    for report in use_reports:
        entries.append({"at": report.submitted_at, "direction": "received", "who": _name(report.submitted_by),
                        "what": _("Verwendungsnachweis eingereicht")})
    return sorted(entries, key=lambda e: e["at"])


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else "–"


@functools.cache
def _sent_to_applicant() -> Rows:
    """Notifications about the application to members of its organisation (OuterRef: the application)."""
    notification = apps.get_model("notifications", "Notification")
    members = Membership.objects.filter(organisation=OuterRef(OuterRef("organisation_id"))).values("user_id")
    return Rows(notification.objects.filter(recipient__in=members), joined={"recipient": USER_FIELDS})


@functools.cache
def _dossier_rows() -> dict[str, Rows]:
    """Every list of the dossier, read in the application's own query (fonds.selectors.rows). The keys are the
    related names; the lists go into the application's prefetch cache."""
    return {
        "audit_events": Rows(AuditEvent.objects.all()),
        "recommendations": Rows(Recommendation.objects.all(), joined={"author": USER_FIELDS,
                                                                     "confirmed_by": USER_FIELDS},
                                children={"scores": Rows(CriterionScore.objects.all(), link="recommendation",
                                                         joined={"criterion": None})}),
        "document_requests": Rows(DocumentRequest.objects.all(), joined={"requested_by": USER_FIELDS,
                                                                         "answered_by": USER_FIELDS}),
        "payment_requests": Rows(PaymentRequest.objects.all(), joined={"requested_by": USER_FIELDS}),
        "cost_items": Rows(CostItem.objects.all()),
        "use_reports": Rows(UseReport.objects.all(), joined={"submitted_by": USER_FIELDS, "checked_by": USER_FIELDS},
                            children={"receipt_lines": Rows(ReceiptLine.objects.all(), link="use_report")}),
        "documents": Rows(Document.objects.all(), joined={"uploaded_by": USER_FIELDS}),
        "letters": Rows(Letter.objects.all()),
        "eligibility_checks": Rows(EligibilityCheck.objects.all(), joined={"checked_by": USER_FIELDS},
                                   children={"items": Rows(EligibilityCheckItem.objects.all(), link="check_run")}),
        "board_decisions": Rows(BoardDecision.objects.all(), joined={"recorded_by": USER_FIELDS}),
        "payments": Rows(Payment.objects.all(), joined={"ordered_by": USER_FIELDS, "released_by": USER_FIELDS,
                                                        "factual_by": USER_FIELDS, "arithmetic_by": USER_FIELDS}),
        "ledger_entries": Rows(LedgerEntry.objects.all()),
        "internal_notes": Rows(InternalNote.objects.all(), joined={"author": USER_FIELDS}),
        "de_minimis_aids": Rows(DeMinimisAid.objects.all()),
    }


def application_dossier_for_staff(*, user, pk) -> Application:
    """The application as `application_for_staff` reads it, and everything its dossier shows in one more query,
    however long its history is (fonds.selectors.rows.read_lists)."""
    rows, sent = _dossier_rows(), {"sent_to_applicant": _sent_to_applicant()}
    application = applications_for_staff(user=user).select_related("rules", "measure").filter(pk=pk).first()
    if application is None:
        raise Http404
    read_lists(application, "dossier", rows | sent)
    unpack(application, rows)
    if hasattr(application, "_rows_sent_to_applicant"):  # else contact_history reads them (fonds.selectors.rows)
        application.sent_to_applicant = sent["sent_to_applicant"].load(application._rows_sent_to_applicant)
    return application


def dossier_for_staff(*, application: Application) -> dict:
    """The dossier's data. The caller has checked that the user may see the application, and read it with
    `application_dossier_for_staff` (else each list costs a query, and their people one each)."""
    events = list(application.audit_events.all())
    returned = {e.object_id: e for e in events if e.action == "recommendation.returned"}
    recommendations = list(application.recommendations.all())
    for recommendation in recommendations:
        recommendation.weighted_total = recommendation_weighted_total(recommendation)
        recommendation.returned_event = returned.get(str(recommendation.pk))
    document_requests = list(application.document_requests.all())
    payment_requests = list(application.payment_requests.all())
    cost_items = list(application.cost_items.all())
    items_by_pk = {item.pk: item for item in cost_items}
    use_reports = list(application.use_reports.all())
    for report in use_reports:
        report.application = application
        for receipt in report.receipt_lines.all():  # the plan lines are read above; no query per receipt
            if receipt.cost_item_id in items_by_pk:
                receipt.cost_item = items_by_pk[receipt.cost_item_id]
        report.comparison = budget_against_actual(report, cost_items)
    return {
        "rules": application.rules,
        "cost_items": cost_items,
        "documents": list(application.documents.all()),
        "letters": list(application.letters.all()),
        "checks": list(application.eligibility_checks.all()),
        "document_requests": document_requests,
        "recommendations": recommendations,
        "decisions": list(application.board_decisions.all()),
        "payment_requests": payment_requests,
        "payments": list(application.payments.all()),
        "use_reports": use_reports,
        "ledger": list(application.ledger_entries.all()),
        "timeline": [{"at": e.created_at, "actor": e.actor_label, "code": e.action, "text": audit_sentence(e)}
                     for e in events],
        "notes": list(application.internal_notes.all()),
        "contacts": contact_history(application, document_requests=document_requests,
                                    payment_requests=payment_requests, use_reports=use_reports,
                                    notifications=getattr(application, "sent_to_applicant", None)),
    }
