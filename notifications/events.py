"""The one list of events Fondsflow tells people about. `notify(event, ...)` is the one entry point
(notifications/services.py); templates live per event and language (notifications/emails.py)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

APPLICANT, STAFF, BOARD = "applicant", "staff", "board"
# Contacts of actors (fonds.Contact) are not users: their invitations go out through notifications/invitations.py.
CONTACT = "contact"

# Placeholders every template may use.
COMMON = ("recipient_name", "fund", "link", "site_name")
# Placeholders of everything that is about one application.
APPLICATION = ("file_number", "title", "organisation")


@dataclass(frozen=True)
class Event:
    code: str
    label: str
    audience: str
    legal: bool = False  # legal notices always go out by e-mail, whatever the user's preferences
    placeholders: tuple = ()

    @property
    def all_placeholders(self) -> tuple:
        return COMMON + self.placeholders


def _events(*events):
    return {event.code: event for event in events}


EVENTS = _events(
    Event("application_submitted", _("Antrag eingereicht"), APPLICANT, placeholders=APPLICATION + ("letter_link",)),
    Event("documents_requested", _("Unterlagen nachgefordert"), APPLICANT,
          placeholders=APPLICATION + ("items", "deadline")),
    Event("documents_received", _("Unterlagen eingegangen"), STAFF, placeholders=APPLICATION),
    Event("check_finished", _("Prüfung abgeschlossen"), APPLICANT, placeholders=APPLICATION),
    Event("board_agenda", _("Antrag liegt dem Beirat vor"), APPLICANT, placeholders=APPLICATION),
    Event("decision", _("Entscheidung über den Antrag"), APPLICANT, legal=True,
          placeholders=APPLICATION + ("outcome", "amount")),
    Event("bescheid_issued", _("Bescheid erlassen"), APPLICANT, legal=True,
          placeholders=APPLICATION + ("amount", "letter_link")),
    Event("payment_released", _("Auszahlung freigegeben"), APPLICANT, placeholders=APPLICATION + ("amount",)),
    Event("use_report_due_soon", _("Verwendungsnachweis bald fällig"), APPLICANT,
          placeholders=APPLICATION + ("due_date", "weeks")),
    Event("use_report_overdue", _("Verwendungsnachweis überfällig"), APPLICANT, legal=True,
          placeholders=APPLICATION + ("due_date",)),
    Event("use_report_checked", _("Verwendungsnachweis geprüft"), APPLICANT, placeholders=APPLICATION),
    Event("settlement", _("Schlussabrechnung"), APPLICANT, legal=True,
          placeholders=APPLICATION + ("amount", "letter_link")),
    Event("recovery", _("Rückforderung"), APPLICANT, legal=True,
          placeholders=APPLICATION + ("amount", "letter_link")),
    Event("hearing", _("Anhörung"), APPLICANT, legal=True,
          placeholders=APPLICATION + ("measure", "deadline", "letter_link")),
    Event("task_assigned", _("Aufgabe zugewiesen"), STAFF, placeholders=APPLICATION + ("task",)),
    Event("task_overdue", _("Aufgabe überfällig"), STAFF, placeholders=APPLICATION + ("task", "due_date")),
    Event("meeting_ahead", _("Beiratssitzung steht bevor"), BOARD, placeholders=("meeting", "date", "pack_link")),
    Event("conflict_declaration_open", _("Erklärung zur Befangenheit offen"), BOARD,
          placeholders=("meeting", "date")),
    Event("earmarking_ends", _("Zweckbindung endet"), APPLICANT, placeholders=APPLICATION + ("end_date",)),
    Event("weekly_digest", _("Wochenübersicht"), STAFF, placeholders=("waiting", "waiting_count")),
    Event("network_event_invitation", _("Einladung zu einem Netzwerktreffen"), CONTACT,
          placeholders=("event_title", "event_date", "event_place", "unsubscribe_link")),
)


def get_event(code: str) -> Event:
    try:
        return EVENTS[code]
    except KeyError:
        raise ValueError(f"Unbekanntes Ereignis: {code}") from None
