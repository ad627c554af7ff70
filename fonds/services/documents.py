"""Uploads: only PDF, JPEG and PNG, recognised by content; size-limited; stored under generated names."""

import hashlib

from django.conf import settings
from django.db import transaction
from django.db.models import Sum

from fonds.errors import DomainError
from fonds.models import Application, Document, Stage
from fonds.services.applications import application_locked
from fonds.services.audit import audit_record

SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)
UPLOAD_STAGES = {Stage.DRAFT, Stage.ELIGIBILITY, Stage.DOCUMENTS_REQUESTED, Stage.RECOMMENDATION, Stage.BOARD,
                 Stage.DEFERRED, Stage.BESCHEID, Stage.IMPLEMENTATION}


def sniff_content_type(head: bytes) -> str | None:
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB"


@transaction.atomic
def document_upload(*, actor, application: Application, kind: str, uploaded_file) -> Document:
    application = application_locked(application)
    if application.stage not in UPLOAD_STAGES:
        raise DomainError("In diesem Stand können keine Unterlagen mehr hochgeladen werden.")
    limit = settings.FONDSFLOW_MAX_UPLOAD_BYTES
    if uploaded_file.size == 0:
        raise DomainError("Die Datei ist leer. Bitte wählen Sie die richtige Datei aus.", field="file")
    if uploaded_file.size > limit:
        raise DomainError(f"Die Datei ist größer als {_mb(limit)}. Bitte verkleinern Sie sie "
                          f"(z. B. als PDF mit geringerer Auflösung speichern).", field="file")
    used = application.documents.aggregate(total=Sum("size"))["total"] or 0
    if used + uploaded_file.size > settings.FONDSFLOW_MAX_APPLICATION_BYTES:
        raise DomainError(f"Zu diesem Antrag können insgesamt höchstens "
                          f"{_mb(settings.FONDSFLOW_MAX_APPLICATION_BYTES)} hochgeladen werden.", field="file")
    uploaded_file.seek(0)
    content_type = sniff_content_type(uploaded_file.read(16))
    if content_type is None:
        raise DomainError("Bitte laden Sie nur PDF-, JPEG- oder PNG-Dateien hoch. Diese Datei ist keine davon, "
                          "auch wenn ihr Name es vielleicht vermuten lässt.", field="file")
    digest = hashlib.sha256()
    uploaded_file.seek(0)
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)
    document = Document(application=application, kind=kind, original_name=uploaded_file.name[:255],
                        content_type=content_type, size=uploaded_file.size, sha256=digest.hexdigest(),
                        uploaded_by=actor)
    document.file.save("upload", uploaded_file, save=False)
    document.save()
    audit_record(actor=actor, action="document.uploaded", obj=document, application=application,
                 after={"kind": kind, "sha256": document.sha256, "size": document.size})
    return document
