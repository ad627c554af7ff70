"""Uploads: only PDF, JPEG and PNG, where name and content agree; size- and count-limited per application;
images drawn anew without their metadata; stored under generated names."""

import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Sum

from fonds.errors import DomainError
from fonds.models import Application, Document, Stage
from fonds.services.applications import application_locked
from fonds.services.audit import audit_record
from fonds.services.document_checks import (
    ACCEPT,
    check_content_matches,
    check_pdf,
    claimed_content_type,
    reencode_image,
    refusal,
)

UPLOAD_STAGES = {Stage.DRAFT, Stage.ELIGIBILITY, Stage.DOCUMENTS_REQUESTED, Stage.RECOMMENDATION, Stage.BOARD,
                 Stage.DEFERRED, Stage.BESCHEID, Stage.IMPLEMENTATION}
MB = 1024 * 1024


def mb(n: int) -> str:
    """Bytes for people, rounded down so that what we promise is really free."""
    if n >= MB:
        return f"{n // MB} MB"
    return f"{n // 1024} kB" if n >= 1024 else f"{n} Byte"


def _usage(application: Application) -> tuple[int, int]:
    used = application.documents.aggregate(files=Count("pk"), size=Sum("size"))
    return used["files"], used["size"] or 0


def upload_limits(application: Application) -> dict:
    """The limits as the upload page states them, with what is still free for this application."""
    files, size = _usage(application)
    max_files = settings.FONDSFLOW_MAX_FILES_PER_APPLICATION
    max_bytes = settings.FONDSFLOW_MAX_APPLICATION_BYTES
    remaining_files = max(max_files - files, 0)
    remaining_bytes = max(max_bytes - size, 0)
    return {
        "types": "PDF, JPEG, PNG",
        "accept": ACCEPT,
        "file_bytes": settings.FONDSFLOW_MAX_UPLOAD_BYTES,
        "file_mb": mb(settings.FONDSFLOW_MAX_UPLOAD_BYTES),
        "application_bytes": max_bytes,
        "application_mb": mb(max_bytes),
        "max_files": max_files,
        "files_used": files,
        "files_remaining": remaining_files,
        "bytes_used": size,
        "bytes_remaining": remaining_bytes,
        "remaining_mb": mb(remaining_bytes),
        "full": remaining_files == 0 or remaining_bytes == 0,
    }


def _check_stage(application):
    if application.stage not in UPLOAD_STAGES:
        raise DomainError("In diesem Stand des Antrags können keine Unterlagen mehr hochgeladen werden. "
                          "Bei Fragen wenden Sie sich bitte an das Citymanagement.")


def _check_room(application, *, adding: int):
    files, size = _usage(application)
    if files >= settings.FONDSFLOW_MAX_FILES_PER_APPLICATION:
        raise refusal(f"Zu diesem Antrag sind bereits {files} Dateien hochgeladen, mehr sind nicht möglich. "
                      f"Bitte fassen Sie zusammengehörige Seiten in einer PDF-Datei zusammen.")
    limit = settings.FONDSFLOW_MAX_APPLICATION_BYTES
    if size + adding > limit:
        raise refusal(f"Zu diesem Antrag können insgesamt höchstens {mb(limit)} hochgeladen werden; frei sind noch "
                      f"{mb(max(limit - size, 0))}. Bitte verkleinern Sie die Datei (z. B. als PDF mit geringerer "
                      f"Auflösung speichern) oder fassen Sie Unterlagen zusammen.")


def _checked_content(*, name: str, claimed: str, data: bytes) -> bytes:
    """The bytes we will store: PDFs as they are once checked, images drawn anew."""
    check_content_matches(name=name, claimed=claimed, data=data)
    if claimed == "application/pdf":
        check_pdf(data)
        return data
    return reencode_image(data, content_type=claimed, max_pixels=settings.FONDSFLOW_MAX_IMAGE_PIXELS)


def document_upload(*, actor, application: Application, kind: str, uploaded_file) -> Document:
    """Check `uploaded_file` and keep it as a document of the application. Every refusal raises DomainError
    (on the field `file` where the file is at fault) before anything is written to storage."""
    _check_stage(application)
    name = uploaded_file.name or ""
    claimed = claimed_content_type(name)
    limit = settings.FONDSFLOW_MAX_UPLOAD_BYTES
    if not uploaded_file.size:
        raise refusal("Die Datei ist leer. Bitte wählen Sie die richtige Datei aus.")
    if uploaded_file.size > limit:
        raise refusal(f"Die Datei ist größer als {mb(limit)}. Bitte verkleinern Sie sie (z. B. als PDF mit "
                      f"geringerer Auflösung speichern oder das Foto verkleinern) und laden Sie sie erneut hoch.")
    _check_room(application, adding=uploaded_file.size)

    # Checked and re-encoded before the application is locked: decoding a large picture takes a moment.
    uploaded_file.seek(0)
    content = _checked_content(name=name, claimed=claimed, data=uploaded_file.read(limit + 1))
    uploaded_file.seek(0)

    with transaction.atomic():
        application = application_locked(application)
        _check_stage(application)
        _check_room(application, adding=len(content))
        document = Document(application=application, kind=kind, original_name=name[:255], content_type=claimed,
                            size=len(content), sha256=hashlib.sha256(content).hexdigest(), uploaded_by=actor)
        document.full_clean(exclude=["file"])
        document.file.save("upload", ContentFile(content), save=False)
        try:
            document.save()
            audit_record(actor=actor, action="document.uploaded", obj=document, application=application,
                         after={"kind": kind, "sha256": document.sha256, "size": document.size})
        except BaseException:
            document.file.delete(save=False)
            raise
    return document
