"""Uploads and downloads of an application's files: every file goes through a view that checks access."""

import unicodedata
from urllib.parse import quote

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from fonds.errors import DomainError
from fonds.forms import DocumentForm
from fonds.models import Document, StaffMembership
from fonds.selectors.applications import application_for_applicant, document_for_user, letter_for_user
from fonds.services.document_checks import ALLOWED_EXTENSIONS
from fonds.services.documents import UPLOAD_STAGES, document_upload, upload_limits


def handle_upload(request, application) -> tuple[DocumentForm, Document | None]:
    """Bind the upload form to the request and try to keep its file. Returns the form (with the refusal as an
    error on `file`, or a non-field error) and the new document, or None if nothing was stored. Any view that
    offers an upload (this page, the application wizard) calls this and renders the form itself."""
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        return form, None
    try:
        document = document_upload(actor=request.user, application=application, kind=form.cleaned_data["kind"],
                                   uploaded_file=form.cleaned_data["file"])
    except DomainError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return form, None
    return form, document


def _safe_next(request) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return None


@require_http_methods(["GET", "POST"])
def document_upload_view(request, pk):
    application = application_for_applicant(user=request.user, pk=pk)
    next_url = _safe_next(request)
    status = 200
    if request.method == "POST":
        form, document = handle_upload(request, application)
        if document is not None:
            messages.success(request, f"„{document.original_name}“ wurde hochgeladen.")
            return redirect(next_url or reverse("portal:application", args=[application.pk]))
        status = 400
    else:
        form = DocumentForm()
    return render(request, "fonds/document_upload.html", {
        "application": application,
        "form": form,
        "limits": upload_limits(application),
        "can_upload": application.stage in UPLOAD_STAGES,
        "next": next_url,
    }, status=status)


def download_name(name: str, content_type: str) -> str:
    """A harmless file name for the browser: no directories, no control characters, and the extension that
    belongs to what we serve ("../../etc/passwd" served as a PDF becomes "passwd.pdf")."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(char for char in name if not unicodedata.category(char).startswith("C")).strip().lstrip(".")
    name = name.strip() or "Dokument"
    endings = tuple(ext for ext, allowed in ALLOWED_EXTENSIONS.items() if allowed == content_type)
    if endings and not name.lower().endswith(endings):
        name += endings[0]
    return name


def _attachment(file_field, filename, content_type, *, inline=False):
    response = FileResponse(file_field.open("rb"), content_type=content_type)
    # RFC 5987 for every name, ASCII or not: percent-encoding leaves no quote, semicolon or line break to
    # break out of the header.
    name = quote(download_name(filename, content_type), safe="")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{name}"
    if inline:
        # The dossier embeds the preview (PDF in a frame) from its own origin only.
        response["X-Frame-Options"] = "SAMEORIGIN"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response


INLINE_TYPES = {"application/pdf", "image/jpeg", "image/png"}


def document_download(request, pk):
    """`?ansicht=1` shows a picture or PDF in the browser instead of downloading it: for the staff of the
    fund's authority only (the dossier's preview). Everyone else always gets an attachment."""
    document = document_for_user(user=request.user, pk=pk)
    inline = (request.GET.get("ansicht") == "1" and document.content_type in INLINE_TYPES
              and StaffMembership.objects.filter(user=request.user,
                                                 authority__funds=document.application.fund_id).exists())
    return _attachment(document.file, document.original_name, document.content_type, inline=inline)


def letter_download(request, pk):
    letter = letter_for_user(user=request.user, pk=pk)
    return _attachment(letter.pdf, f"{letter.number.replace('/', '-')}.pdf", "application/pdf")
