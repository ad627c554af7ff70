import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .applications import Application


def document_path(instance, filename):
    # The stored name is generated; the uploaded name is kept only as metadata.
    return f"documents/{instance.application_id}/{uuid.uuid4().hex}{instance.extension}"


class Document(models.Model):
    class Kind(models.TextChoices):
        QUOTE = "quote", _("Angebot / Kostenvoranschlag")
        PHOTO = "photo", _("Foto")
        PERMIT = "permit", _("Genehmigung")
        OWNER_CONSENT = "owner_consent", _("Zustimmung der Eigentümer/in")
        RECEIPT = "receipt", _("Rechnung / Zahlungsnachweis")
        FINISHED_PHOTO = "finished_photo", _("Foto des fertigen Vorhabens")
        FUNDING_SIGN = "funding_sign", _("Foto des Förderhinweises vor Ort")
        WAIVER = "waiver", _("Rechtsbehelfsverzicht (unterschrieben)")
        OTHER = "other", _("Sonstiges")

    EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    file = models.FileField(upload_to=document_path, max_length=300)
    original_name = models.CharField(_("Dateiname beim Hochladen"), max_length=255)
    content_type = models.CharField(max_length=50, choices=[(k, k) for k in EXTENSIONS])
    size = models.PositiveBigIntegerField(_("Größe (Bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Dokument")
        verbose_name_plural = _("Dokumente")
        ordering = ["uploaded_at", "pk"]
        # The public project list asks for each project whether it has a finished photo (bench/: without it,
        # every request scanned all documents).
        indexes = [models.Index(fields=["application"], condition=models.Q(kind="finished_photo"),
                                name="document_finished_photo")]

    def __str__(self):
        return self.original_name

    @property
    def extension(self):
        return self.EXTENSIONS[self.content_type]
