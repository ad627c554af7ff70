"""The applicant's status page: where the application stands, in the applicant's words, with dates,
what happens next, and what the applicant has to do."""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fonds.formatting import date_de, euro
from fonds.models import Application, Letter, Payment, Stage

ORDER = [Stage.DRAFT, Stage.ELIGIBILITY, Stage.RECOMMENDATION, Stage.BOARD, Stage.BESCHEID, Stage.IMPLEMENTATION,
         Stage.USE_REPORT_CHECK, Stage.SETTLEMENT, Stage.CLOSED]
POSITION = {Stage.DOCUMENTS_REQUESTED: Stage.ELIGIBILITY, Stage.DEFERRED: Stage.BOARD}


@dataclass
class Milestone:
    label: str
    detail: str = ""
    state: str = "upcoming"  # done | current | upcoming


@dataclass
class Todo:
    text: str
    url_name: str
    link: str


def _position(stage) -> int:
    return ORDER.index(POSITION.get(stage, stage))


def application_timeline(application: Application, *, letters, payments, decisions,
                         open_request, next_meeting=None) -> list[Milestone]:
    """All stages from submission to closing; past ones with their dates, the current one marked. `next_meeting`:
    the planned Beirat meeting whose agenda holds the application, if any (application_status_for_applicant)."""
    if application.stage in (Stage.REJECTED, Stage.WITHDRAWN):
        return []
    here = _position(application.stage)
    bescheid = next((letter for letter in letters if letter.kind == Letter.Kind.BESCHEID), None)
    last_decision = decisions[-1] if decisions else None
    paid = sum((p.amount for p in payments if p.status in (Payment.Status.RELEASED, Payment.Status.PAID)),
               start=0)

    submitted = Milestone(_("Eingereicht"), _("am %(date)s") % {"date": date_de(application.submitted_at)}
                          if application.submitted_at else "")
    review = Milestone(_("In Prüfung"), _("Das Citymanagement prüft Ihren Antrag."))
    if application.stage == Stage.DOCUMENTS_REQUESTED and open_request is not None:
        review = Milestone(_("Unterlagen nachreichen"),
                           _("bis %(date)s") % {"date": date_de(open_request.deadline)})
    board = Milestone(_("Beirat"), _("Der Beirat entscheidet in seiner nächsten Sitzung."))
    if next_meeting is not None and application.stage in (Stage.BOARD, Stage.DEFERRED):
        board.label = _("Beirat am %(date)s") % {"date": date_de(timezone.localtime(next_meeting.starts_at).date())}
        board.detail = (_("Ihr Antrag steht auf der Tagesordnung (schriftliches Verfahren).")
                        if next_meeting.is_written else _("Ihr Antrag steht auf der Tagesordnung dieser Sitzung."))
    elif last_decision is not None:
        board.label = _("Beirat am %(date)s") % {"date": date_de(last_decision.decided_on)}
        board.detail = (_("vertagt – erneute Beratung in einer späteren Sitzung")
                        if application.stage == Stage.DEFERRED else last_decision.get_outcome_display())
    approved = Milestone(_("Bewilligt"))
    if application.approved_grant is not None:
        approved.detail = _("%(amount)s Zuschuss") % {"amount": euro(application.approved_grant)}
        if bescheid is not None and bescheid.issued_at:
            approved.detail += ", " + _("Bescheid vom %(date)s") % {"date": date_de(bescheid.issued_at)}
    payout = Milestone(_("Umsetzung und Auszahlung"),
                       _("%(amount)s ausgezahlt") % {"amount": euro(paid)} if paid else "")
    use_report = Milestone(_("Verwendungsnachweis"))
    if application.use_report_due:
        use_report.label = _("Verwendungsnachweis fällig bis %(date)s") % {"date": date_de(application.use_report_due)}
    settlement = Milestone(_("Schlussabrechnung"))
    closed = Milestone(_("Abgeschlossen"))
    if application.earmarked_until:
        closed.detail = _("Zweckbindung bis %(date)s") % {"date": date_de(application.earmarked_until)}

    # (milestone, the stages in which it is the current one, the stage from which on it is done)
    table = [
        (submitted, set(), Stage.ELIGIBILITY),
        (review, {Stage.ELIGIBILITY, Stage.DOCUMENTS_REQUESTED, Stage.RECOMMENDATION}, Stage.BOARD),
        (board, {Stage.BOARD, Stage.DEFERRED}, Stage.BESCHEID),
        (approved, set(), Stage.BESCHEID),
        (payout, {Stage.IMPLEMENTATION}, Stage.USE_REPORT_CHECK),
        (use_report, {Stage.USE_REPORT_CHECK}, Stage.SETTLEMENT),
        (settlement, {Stage.SETTLEMENT}, Stage.CLOSED),
        (closed, set(), Stage.CLOSED),
    ]
    for milestone, current_in, done_from in table:
        if application.stage in current_in:
            milestone.state = "current"
        elif here >= _position(done_from):
            milestone.state = "done"
    if application.stage == Stage.BESCHEID and not approved.detail:
        approved.detail = _("Der Bescheid wird erstellt.")
    return [milestone for milestone, _current, _done in table]


NEXT = {
    Stage.DRAFT: gettext_lazy(
        "Füllen Sie die Schritte des Antrags aus und reichen Sie ihn ein. Ihr Entwurf bleibt "
        "gespeichert."
    ),
    Stage.ELIGIBILITY: gettext_lazy(
        "Das Citymanagement prüft, ob Ihr Vorhaben gefördert werden kann, und meldet sich, "
        "wenn etwas fehlt."
    ),
    Stage.DOCUMENTS_REQUESTED: gettext_lazy(
        "Bitte reichen Sie die angeforderten Unterlagen bis zur Frist nach. Danach geht die "
        "Prüfung weiter."
    ),
    Stage.RECOMMENDATION: gettext_lazy(
        "Das Citymanagement bereitet eine Empfehlung für den Beirat vor."
    ),
    Stage.BOARD: gettext_lazy(
        "Der Beirat entscheidet in seiner nächsten Sitzung über Ihren Antrag."
    ),
    Stage.DEFERRED: gettext_lazy(
        "Der Beirat hat die Entscheidung vertagt und berät in einer späteren Sitzung erneut."
    ),
    Stage.BESCHEID: gettext_lazy(
        "Der Beirat hat zugestimmt. Sie erhalten in Kürze den Bewilligungsbescheid. Beginnen "
        "Sie erst, wenn Sie ihn haben."
    ),
    Stage.IMPLEMENTATION: gettext_lazy(
        "Setzen Sie das Vorhaben um. Mittel rufen Sie ab, wenn Rechnungen fällig sind; nach "
        "Abschluss reichen Sie den Verwendungsnachweis ein."
    ),
    Stage.USE_REPORT_CHECK: gettext_lazy(
        "Das Citymanagement prüft Ihren Verwendungsnachweis."
    ),
    Stage.SETTLEMENT: gettext_lazy(
        "Die Finanzverwaltung erstellt die Schlussabrechnung und zahlt den Rest aus."
    ),
    Stage.CLOSED: gettext_lazy(
        "Die Förderung ist abgeschlossen. Bitte halten Sie die Zweckbindung ein und bewahren "
        "Sie die Belege auf."
    ),
    Stage.REJECTED: gettext_lazy(
        "Der Antrag wurde abgelehnt. Die Gründe und Ihre Rechte stehen im Ablehnungsbescheid."
    ),
    Stage.WITHDRAWN: gettext_lazy(
        "Sie haben den Antrag zurückgezogen."
    ),
}


def next_step_text(application) -> str:
    return str(NEXT[Stage(application.stage)])


def application_todos(application) -> list[Todo]:
    """Open to-dos of the applicant; the links are URL names the portal resolves with the application's pk."""
    if application.stage == Stage.DRAFT:
        return [Todo(_("Antrag vervollständigen und einreichen"), "portal:wizard_resume", _("Antrag weiter ausfüllen"))]
    if application.stage == Stage.DOCUMENTS_REQUESTED:
        return [Todo(_("Angeforderte Unterlagen nachreichen"), "antrag:answer_documents", _("Unterlagen nachreichen"))]
    if application.stage == Stage.IMPLEMENTATION:
        return [Todo(_("Mittel abrufen, sobald Rechnungen fällig sind"), "antrag:implementation", _("Mittel abrufen")),
                Todo(_("Verwendungsnachweis einreichen, wenn das Vorhaben fertig ist"), "antrag:implementation",
                     _("Verwendungsnachweis einreichen"))]
    return []
