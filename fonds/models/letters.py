from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .applications import Application


def letter_path(instance, filename):
    return f"letters/{instance.application_id}/{instance.number.replace('/', '-')}.pdf"


class Letter(models.Model):
    """A letter to the applicant. Once its PDF is stored it never changes; a correction is a new letter."""

    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("Eingangsbestätigung")
        REJECTION = "rejection", _("Ablehnungsbescheid")
        BESCHEID = "bescheid", _("Bewilligungsbescheid")
        SETTLEMENT = "settlement", _("Schlussabrechnung")
        RECOVERY = "recovery", _("Rückforderungsbescheid")
        DOCUMENTS_REQUEST = "documents_request", _("Nachforderung von Unterlagen")
        HEARING = "hearing", _("Anhörung")
        AMENDMENT = "amendment", _("Änderungsbescheid")
        PAYMENT_NOTICE = "payment_notice", _("Auszahlungsmitteilung")
        DE_MINIMIS = "de_minimis", _("De-minimis-Bescheinigung")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        QUEUED = "queued", _("Wird erstellt")
        ISSUED = "issued", _("Erlassen")

    SHORT = {Kind.RECEIPT: "E", Kind.REJECTION: "A", Kind.BESCHEID: "B", Kind.SETTLEMENT: "S", Kind.RECOVERY: "R",
             Kind.DOCUMENTS_REQUEST: "N", Kind.HEARING: "H", Kind.AMENDMENT: "AE", Kind.PAYMENT_NOTICE: "Z",
             Kind.DE_MINIMIS: "DM"}

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    number = models.CharField(_("Nummer"), max_length=60, unique=True)
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    data = models.JSONField(_("Inhalt"), default=dict,
                            help_text=_("Alle Angaben des Briefs, festgehalten beim Entwurf"))
    pdf = models.FileField(upload_to=letter_path, max_length=300, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("Entworfen von"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("Geprüft und erlassen von"))
    created_at = models.DateTimeField(auto_now_add=True)
    issued_at = models.DateTimeField(_("Erlassen am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Brief / Bescheid")
        verbose_name_plural = _("Briefe und Bescheide")
        ordering = ["created_at", "pk"]
        constraints = [
            # Four-eyes: whoever drafted a letter never issues it.
            models.CheckConstraint(
                condition=Q(issued_by__isnull=True) | Q(drafted_by__isnull=True) | ~Q(issued_by=F("drafted_by")),
                name="letter_four_eyes"),
            models.CheckConstraint(condition=~Q(status="issued") | (~Q(pdf="") & ~Q(sha256="")),
                                   name="letter_issued_has_pdf"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"


class LetterTemplate(models.Model):
    """One version of a fund's texts for one kind of letter. Never changed: an edit is a new version, and a
    letter freezes the resolved texts and this version's id when it is drafted (fonds.letter_texts)."""

    fund = models.ForeignKey("fonds.Fund", on_delete=models.PROTECT, related_name="letter_templates",
                             verbose_name=_("Fonds"))
    kind = models.CharField(_("Briefart"), max_length=20, choices=Letter.Kind.choices)
    version = models.PositiveIntegerField(_("Version"))
    blocks = models.JSONField(_("Textbausteine"), default=dict)
    note = models.CharField(_("Änderungsvermerk"), max_length=300)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("Geändert von"))
    created_at = models.DateTimeField(_("Geändert am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Briefvorlage")
        verbose_name_plural = _("Briefvorlagen")
        ordering = ["fund", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "kind", "version"], name="letter_template_version_unique"),
            models.CheckConstraint(condition=Q(version__gte=1), name="letter_template_version_positive"),
        ]

    def __str__(self):
        return f"{self.fund} – {self.get_kind_display()} v{self.version}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("A letter template version is never changed; save a new version instead.")
        super().save(*args, **kwargs)
