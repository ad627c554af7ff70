"""Internal notes of the staff on an application. Never shown to the applicant."""

from django.db import transaction
from django.utils.translation import gettext as _

from fonds.errors import DomainError
from fonds.models import Application, InternalNote
from fonds.services.audit import audit_record


@transaction.atomic
def internal_note_add(*, actor, application: Application, text: str) -> InternalNote:
    text = text.strip()
    if not text:
        raise DomainError(_("Bitte schreiben Sie die Notiz."), field="text")
    note = InternalNote(application=application, author=actor, text=text)
    note.full_clean()
    note.save()
    # The text stays out of the audit log: the log is the record of what happened, the note is the content.
    audit_record(actor=actor, action="note.added", obj=note, application=application)
    return note
