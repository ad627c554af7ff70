"""Bekanntgabe and Bestandskraft of Bescheide: Finanzen records the day a Bescheid went to the post and, if the
recipient waived the right of appeal, the day the waiver came in. Payments wait for the Bewilligungsbescheid to
become final unless the fund allows earlier payment (docs/finance.md)."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fonds.errors import DomainError
from fonds.formatting import date_de
from fonds.models import Application, Document, Letter
from fonds.services.audit import audit_record


def _issued_on(letter: Letter) -> date:
    return timezone.localtime(letter.issued_at).date()


def _notice_locked(letter: Letter) -> Letter:
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    if letter.kind not in Letter.NOTICE_KINDS:
        raise DomainError(_("Für diesen Brief werden keine Bekanntgabe und Bestandskraft erfasst."))
    if letter.status == Letter.Status.DRAFT or letter.issued_at is None:
        raise DomainError(_("Der Bescheid ist noch nicht erlassen."))
    return letter


@transaction.atomic
def letter_record_posting(*, actor, letter: Letter, posted_on: date) -> Letter:
    """Aufgabe zur Post: not before the day of issue, not in the future, recorded once."""
    letter = _notice_locked(letter)
    if letter.posted_on is not None:
        raise DomainError(_("Die Aufgabe zur Post ist bereits erfasst (%(day)s).") % {"day": date_de(letter.posted_on)},
                          field="posted_on")
    if posted_on > timezone.localdate():
        raise DomainError(_("Das Datum der Aufgabe zur Post darf nicht in der Zukunft liegen."), field="posted_on")
    if posted_on < _issued_on(letter):
        raise DomainError(_("Der Bescheid kann nicht vor seinem Erlass (%(day)s) zur Post gegeben worden sein.")
                          % {"day": date_de(_issued_on(letter))}, field="posted_on")
    letter.posted_on, letter.posted_recorded_by = posted_on, actor
    letter.save(update_fields=["posted_on", "posted_recorded_by"])
    notice = letter.notice
    audit_record(actor=actor, action="letter.posted", obj=letter, application=letter.application,
                 after={"posted_on": posted_on, "notice_on": notice.notice_on, "final_on": notice.final_on})
    return letter


@transaction.atomic
def letter_record_waiver(*, actor, letter: Letter, received_on: date, document: Document | None = None) -> Letter:
    """Rechtsbehelfsverzicht: the notice is final on the day the signed waiver came in."""
    letter = _notice_locked(letter)
    if letter.waiver_received_on is not None:
        raise DomainError(_("Der Rechtsbehelfsverzicht ist bereits erfasst (%(day)s).")
                          % {"day": date_de(letter.waiver_received_on)}, field="waiver_received_on")
    if letter.posted_on is None:
        raise DomainError(_("Bitte erfassen Sie zuerst, wann der Bescheid zur Post gegeben wurde."),
                          field="posted_on")
    if received_on > timezone.localdate():
        raise DomainError(_("Der Eingang des Verzichts darf nicht in der Zukunft liegen."),
                          field="waiver_received_on")
    if received_on < letter.posted_on:
        raise DomainError(_("Der Verzicht kann nicht vor der Aufgabe zur Post (%(day)s) eingegangen sein.")
                          % {"day": date_de(letter.posted_on)}, field="waiver_received_on")
    if document is not None and (document.application_id != letter.application_id
                                 or document.kind != Document.Kind.WAIVER):
        raise DomainError(_("Die Verzichtserklärung gehört nicht zu diesem Antrag."), field="waiver_file")
    letter.waiver_received_on, letter.waiver_recorded_by, letter.waiver_document = received_on, actor, document
    letter.save(update_fields=["waiver_received_on", "waiver_recorded_by", "waiver_document"])
    audit_record(actor=actor, action="letter.waiver_received", obj=letter, application=letter.application,
                 after={"waiver_received_on": received_on, "final_on": letter.notice.final_on,
                        "document": document.pk if document else None})
    return letter


def approval_notice(application: Application) -> Letter | None:
    """The Bewilligungsbescheid that payments rest on: the latest issued one."""
    return (application.letters.filter(kind=Letter.Kind.BESCHEID).exclude(status=Letter.Status.DRAFT)
            .order_by("-issued_at", "-pk").first())


def payment_block_reason(application: Application, today: date | None = None) -> str | None:
    """Why no payment may be ordered or released yet, or None. Funds that allow payment before
    Bestandskraft never block."""
    if application.fund.payment_before_final:
        return None
    today = today or timezone.localdate()
    letter = approval_notice(application)
    hint = _("Liegt ein Rechtsbehelfsverzicht vor, erfassen Sie ihn beim Bescheid: dann ist er sofort "
             "bestandskräftig.")
    if letter is None:
        return _("Es gibt noch keinen erlassenen Bewilligungsbescheid.")
    notice = letter.notice
    if notice is None:
        return " ".join([_("Ausgezahlt wird erst, wenn der Bewilligungsbescheid %(number)s bestandskräftig ist; "
                           "bitte erfassen Sie zuerst, wann er zur Post gegeben wurde.") % {"number": letter.number},
                         hint])
    if today < notice.final_on:
        return " ".join([_("Ausgezahlt wird erst, wenn der Bewilligungsbescheid %(number)s bestandskräftig ist: "
                           "am %(day)s (Bekanntgabe %(notice)s, Klagefrist bis %(end)s).")
                         % {"number": letter.number, "day": date_de(notice.final_on),
                            "notice": date_de(notice.notice_on), "end": date_de(notice.appeal_period_ends)}, hint])
    return None


def payment_block_check(application: Application) -> None:
    reason = payment_block_reason(application)
    if reason:
        raise DomainError(reason)
