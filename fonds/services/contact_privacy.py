"""A contact's rights under the GDPR: everything we hold about them as a download (Art. 15), and erasure on
request (Art. 17) — refused, with the reason kept, while a retention duty applies (Art. 17(3)(b)): the contact's
actor is the applicant of a funded case whose files must be kept."""

import csv
import io
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fonds.dates import add_years
from fonds.formatting import date_de
from fonds.models import Application, Contact, ErasureRequest, EventInvitation, Stage
from fonds.services.audit import audit_record

# How long a case's files are kept (as the privacy notice, /datenschutz/, says): funded cases ten years after the
# earmarking period ends; other cases five years after their last change (ANBest-P Nr. 6.3 keeps receipts five).
FUNDED_RETENTION_YEARS = 10
OTHER_RETENTION_YEARS = 5


def _iso(value):
    return value.isoformat() if value else None


def contact_export(contact: Contact) -> dict:
    """Every personal field of the contact and everything recorded about them."""
    actor = contact.actor
    return {
        "kontakt": {"name": contact.name, "funktion": contact.function, "e_mail": contact.email,
                    "telefon": contact.phone, "sprache": contact.language, "angelegt_am": _iso(contact.created_at),
                    "anonymisiert_am": _iso(contact.anonymised_at)},
        "akteur": {"name": actor.name, "art": actor.get_kind_display(), "adresse": actor.address,
                   "themen": [t.name for t in actor.topics.all()]},
        "einwilligungen": [
            {"zweck": c.get_purpose_display(), "erteilt_am": _iso(c.given_at), "wie": c.source,
             "widerrufen_am": _iso(c.withdrawn_at), "widerruf_vermerk": c.withdrawn_note}
            for c in contact.consents.order_by("given_at", "pk")],
        "einladungen": [
            {"treffen": i.event.title, "beginn": _iso(i.event.starts_at), "ort": i.event.place,
             "e_mail": i.get_email_status_display(), "versandt_am": _iso(i.sent_at),
             "angemeldet_am": _iso(i.registered_at), "teilgenommen": i.attended}
            for i in contact.invitations.select_related("event").order_by("event__starts_at", "pk")],
        "loeschersuchen": [
            {"ergebnis": r.get_outcome_display(), "begruendung": r.reason, "am": _iso(r.decided_at)}
            for r in contact.erasure_requests.order_by("decided_at", "pk")],
        "erstellt_am": timezone.now().isoformat(),
    }


def contact_export_csv(contact: Contact) -> str:
    """The same as a table of three columns: section, field, value."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["bereich", "feld", "wert"])
    for section, content in contact_export(contact).items():
        entries = content if isinstance(content, list) else [content]
        for number, entry in enumerate(entries, start=1):
            if not isinstance(entry, dict):
                writer.writerow([section, "", entry])
                continue
            label = f"{section}[{number}]" if isinstance(content, list) else section
            for name, value in entry.items():
                writer.writerow([label, name, "; ".join(value) if isinstance(value, list) else
                                 ("" if value is None else value)])
    return out.getvalue()


def retention_until(contact: Contact) -> date | None:
    """Until when the files of the actor's applications must be kept, if that is still in the future."""
    organisation_id = contact.actor.organisation_id
    if organisation_id is None:
        return None
    today = timezone.localdate()
    latest = None
    for application in Application.objects.filter(organisation_id=organisation_id).exclude(stage=Stage.DRAFT):
        changed = timezone.localdate(application.updated_at)
        ends = add_years(changed, OTHER_RETENTION_YEARS)
        if application.earmarked_until:
            ends = max(ends, add_years(application.earmarked_until, FUNDED_RETENTION_YEARS))
        if application.stage not in (Stage.CLOSED, Stage.REJECTED, Stage.WITHDRAWN):
            return date.max  # the case is still running
        if ends >= today and (latest is None or ends > latest):
            latest = ends
    return latest


@transaction.atomic
def contact_erase(*, actor, contact: Contact) -> ErasureRequest:
    """Anonymise the contact, or refuse and record why. Either way the request is recorded."""
    contact = Contact.objects.select_for_update().select_related("actor").get(pk=contact.pk)
    if contact.anonymised_at is not None:  # nothing left to erase; the request is answered as done
        return (contact.erasure_requests.filter(outcome=ErasureRequest.Outcome.ANONYMISED).first()
                or ErasureRequest.objects.create(contact=contact, outcome=ErasureRequest.Outcome.ANONYMISED,
                                                 decided_by=actor))
    until = retention_until(contact)
    if until is not None:
        reason = (_("Der Akteur „%(actor)s“ ist Zuwendungsempfänger; die Akten seiner Anträge müssen aufbewahrt "
                    "werden, solange das Verfahren läuft (Art. 17 Abs. 3 lit. b DSGVO).")
                  % {"actor": contact.actor.name} if until == date.max else
                  _("Der Akteur „%(actor)s“ ist Zuwendungsempfänger; die Akten seiner Anträge müssen bis zum "
                    "%(until)s aufbewahrt werden (Art. 17 Abs. 3 lit. b DSGVO).")
                  % {"actor": contact.actor.name, "until": date_de(until)})
        request = ErasureRequest.objects.create(contact=contact, outcome=ErasureRequest.Outcome.REFUSED,
                                                reason=reason, decided_by=actor)
        audit_record(actor=actor, action="contact.erasure_refused", obj=contact, after={"reason": reason})
        return request
    now = timezone.now()
    contact.consents.filter(withdrawn_at__isnull=True).update(withdrawn_at=now, withdrawn_note="Löschung")
    contact.consents.update(source="")
    contact.invitations.filter(email_status=EventInvitation.EmailStatus.PENDING).update(
        email_status=EventInvitation.EmailStatus.STOPPED)
    contact.name, contact.function, contact.email, contact.phone = _("Anonymisiert"), "", "", ""
    contact.anonymised_at = now
    contact.save()
    request = ErasureRequest.objects.create(contact=contact, outcome=ErasureRequest.Outcome.ANONYMISED,
                                            decided_by=actor)
    audit_record(actor=actor, action="contact.anonymised", obj=contact, after={"anonymised_at": now})
    return request


