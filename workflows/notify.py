"""Which event goes to whom at which step of the flow. Called inside the step's transaction."""

from datetime import date

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from fonds.formatting import date_de, euro
from fonds.models import BoardDecision, Letter
from fonds.selectors.people import applicant_people, staff_with_permission
from notifications.services import notify


def _to_applicant(event, application, key, **context):
    notify(event, recipients=applicant_people(application), application=application,
           key=f"app{application.pk}:{key}", context=context,
           link=reverse("portal:application", args=[application.pk]))


def _to_staff(event, application, permission, key, *, exclude=None, **context):
    recipients = staff_with_permission(authority=application.fund.authority, permission=permission)
    if exclude is not None:
        recipients = recipients.exclude(pk=exclude.pk)
    notify(event, recipients=recipients, application=application, key=f"app{application.pk}:{key}", context=context,
           link=reverse("portal:dossier", args=[application.pk]))


def in_each_language(text) -> dict:
    """A translatable text as {"de": ..., "en": ...}: notify() tells it in each recipient's language."""
    result = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            result[code] = str(text)
    return result


def _letter_link(letter):
    return reverse("portal:letter", args=[letter.pk])


def submitted(application, receipt):
    _to_applicant("application_submitted", application, "submitted", letter_link=_letter_link(receipt))


def documents_requested(application, request):
    _to_applicant("documents_requested", application, f"request{request.pk}", items=request.items,
                  deadline=date_de(request.deadline))


def _to_requester(event, application, request, key, **context):
    """The advisor who asked for the documents handles the case: the answer and the missed deadline go to her."""
    notify(event, recipients=[request.requested_by], application=application, key=f"app{application.pk}:{key}",
           context=context, link=reverse("portal:dossier", args=[application.pk]))


def documents_received(application, request):
    _to_requester("documents_received", application, request, f"answer{request.pk}")


def documents_overdue(application, request):
    _to_requester("task_overdue", application, request, f"request{request.pk}:overdue",
                  task=in_each_language(gettext_lazy("Unterlagen nachreichen (Antragsteller/in)")),
                  due_date=date_de(request.deadline))


def check_finished(application, check):
    _to_applicant("check_finished", application, f"check{check.pk}")


def recommendation_to_confirm(application, recommendation):
    """Four-eyes funds: every colleague who may confirm, but not the author, learns of the waiting task."""
    _to_staff("task_assigned", application, "fonds.recommend", f"recommendation{recommendation.pk}:confirm",
              exclude=recommendation.author, task=in_each_language(gettext_lazy("Stellungnahme bestätigen")))


def task_assigned(task, application, assignee):
    """The team lead gave `assignee` a task."""
    notify("task_assigned", recipients=[assignee], application=application,
           key=f"task{task.pk}:assigned{assignee.pk}", context={"task": in_each_language(task.flow_task.task_title)},
           link=task.flow_task.reverse("index", args=[task.process_id, task.pk]))


def on_board_agenda(application, recommendation):
    _to_applicant("board_agenda", application, f"recommendation{recommendation.pk}")


# The Beirat's outcome as a phrase in the reader's language.
OUTCOME_WORDS = {
    BoardDecision.Outcome.APPROVE: {"de": "bewilligt", "en": "approved"},
    BoardDecision.Outcome.REDUCE: {"de": "mit gekürztem Betrag bewilligt", "en": "approved with a reduced amount"},
    BoardDecision.Outcome.CONDITIONS: {"de": "mit Auflagen bewilligt", "en": "approved with conditions"},
    BoardDecision.Outcome.DEFER: {"de": "zurückgestellt", "en": "deferred to a later meeting"},
}


# The measure an Anhörung announces, as the e-mail names it ("… beabsichtigen wir eine …").
HEARING_WORDS = {
    "rejection": {"de": "Ablehnung Ihres Antrags", "en": "rejection of your application"},
    "recovery": {"de": "Rückforderung des Zuschusses", "en": "recovery of the grant"},
}


def board_decided(application, decision: BoardDecision):
    if decision.outcome == BoardDecision.Outcome.REJECT:
        return  # a rejection is told with its Ablehnungsbescheid, once that is stored
    _to_applicant("decision", application, f"decision{decision.pk}", outcome=OUTCOME_WORDS[decision.outcome],
                  amount=euro(decision.amount) if decision.amount else "")


def letter_stored(letter: Letter):
    application = letter.application
    content = letter.data.get("content", {})
    if letter.kind == Letter.Kind.RECEIPT:
        submitted(application, letter)
    elif letter.kind == Letter.Kind.REJECTION:
        _to_applicant("bescheid_issued", application, f"letter{letter.pk}", amount="",
                      letter_link=_letter_link(letter))
    elif letter.kind == Letter.Kind.BESCHEID:
        _to_applicant("bescheid_issued", application, f"letter{letter.pk}", amount=euro(content["amount"]),
                      letter_link=_letter_link(letter))
    elif letter.kind == Letter.Kind.SETTLEMENT:
        _to_applicant("settlement", application, f"letter{letter.pk}", amount=euro(content["final_grant"]),
                      letter_link=_letter_link(letter))
    elif letter.kind == Letter.Kind.RECOVERY:
        _to_applicant("recovery", application, f"letter{letter.pk}", amount=euro(content["total"]),
                      letter_link=_letter_link(letter))
    elif letter.kind == Letter.Kind.AMENDMENT:
        _to_applicant("bescheid_issued", application, f"letter{letter.pk}", amount=euro(content["new_amount"]),
                      letter_link=_letter_link(letter))
    elif letter.kind == Letter.Kind.HEARING:
        _to_applicant("hearing", application, f"letter{letter.pk}", measure=HEARING_WORDS[content["measure"]],
                      deadline=date_de(date.fromisoformat(content["deadline"])), letter_link=_letter_link(letter))
    # Nachforderung and Auszahlungsmitteilung: told by documents_requested and payment_released already.


def payment_released(application, payment):
    _to_applicant("payment_released", application, f"payment{payment.pk}", amount=euro(payment.amount))


def use_report_checked(application, report):
    _to_applicant("use_report_checked", application, f"report{report.pk}")
