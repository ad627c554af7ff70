from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from fonds.dates import NoticeDates, notice_dates

from .applications import Application
from .board import Meeting
from .documents import Document


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
    # Bekanntgabe and Bestandskraft (docs/finance.md): recorded by Finanzen for notices sent by post.
    posted_on = models.DateField(_("Zur Post gegeben am"), null=True, blank=True)
    posted_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                           blank=True, related_name="+", verbose_name=_("Postaufgabe erfasst von"))
    waiver_received_on = models.DateField(_("Rechtsbehelfsverzicht eingegangen am"), null=True, blank=True)
    waiver_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                           blank=True, related_name="+", verbose_name=_("Verzicht erfasst von"))
    waiver_document = models.ForeignKey(Document, on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="+", verbose_name=_("Unterschriebene Verzichtserklärung"))

    NOTICE_KINDS = ("bescheid", "rejection", "recovery", "amendment")  # Bescheide that become final

    class Meta:
        verbose_name = _("Brief / Bescheid")
        verbose_name_plural = _("Briefe und Bescheide")
        ordering = ["created_at", "pk"]
        permissions = [("record_dispatch", _("Postaufgabe und Rechtsbehelfsverzicht von Bescheiden erfassen"))]
        constraints = [
            # Four-eyes: whoever drafted a letter never issues it.
            models.CheckConstraint(
                condition=Q(issued_by__isnull=True) | Q(drafted_by__isnull=True) | ~Q(issued_by=F("drafted_by")),
                name="letter_four_eyes"),
            models.CheckConstraint(condition=~Q(status="issued") | (~Q(pdf="") & ~Q(sha256="")),
                                   name="letter_issued_has_pdf"),
            # Posted only once issued, never before the day of issue (the database compares with the UTC day,
            # which is never later than the local one; the service checks the local day exactly).
            models.CheckConstraint(
                condition=Q(posted_on__isnull=True)
                | Q(issued_at__isnull=False, posted_recorded_by__isnull=False,
                    posted_on__gte=Cast("issued_at", models.DateField())),
                name="letter_posted_after_issue"),
            # A waiver answers the notice the recipient has received: after posting.
            models.CheckConstraint(
                condition=Q(waiver_received_on__isnull=True)
                | Q(posted_on__isnull=False, waiver_recorded_by__isnull=False,
                    waiver_received_on__gte=F("posted_on")),
                name="letter_waiver_after_posting"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"

    @property
    def is_notice(self) -> bool:
        """A Bescheid that becomes final (Bestandskraft) once issued and made known."""
        return self.kind in self.NOTICE_KINDS and self.status != self.Status.DRAFT

    @property
    def notice(self) -> NoticeDates | None:
        """Bekanntgabe and Bestandskraft, once the day of posting is recorded."""
        if self.posted_on is None:
            return None
        return notice_dates(posted_on=self.posted_on, waiver_received_on=self.waiver_received_on)



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


def letter_batch_path(instance, filename):
    return f"letters/stapel/{instance.meeting_id}/{filename}"


class LetterBatch(models.Model):
    """All Bescheide of one signed Beirat meeting as one ZIP, rendered by a Celery task that reports its
    progress here. The letters are fixed when the batch is started."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("wartet")
        RUNNING = "running", _("läuft")
        DONE = "done", _("fertig")
        FAILED = "failed", _("fehlgeschlagen")

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="letter_batches",
                                verbose_name=_("Sitzung"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("Angefordert von"))
    letter_ids = models.JSONField(_("Briefe"), default=list)
    total = models.PositiveIntegerField(_("Anzahl"))
    done = models.PositiveIntegerField(_("Erledigt"), default=0)
    status = models.CharField(_("Stand"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(_("Fehler"), blank=True)
    zip_file = models.FileField(_("ZIP-Datei"), upload_to=letter_batch_path, max_length=300, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("Angefordert am"), auto_now_add=True)
    finished_at = models.DateTimeField(_("Fertig am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Bescheide einer Sitzung (ZIP)")
        verbose_name_plural = _("Bescheide je Sitzung (ZIP)")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(total__gt=0) & Q(done__lte=F("total")), name="letter_batch_progress"),
            models.CheckConstraint(
                condition=~Q(status="done")
                | (Q(done=F("total")) & ~Q(zip_file="") & ~Q(sha256="") & Q(finished_at__isnull=False)),
                name="letter_batch_done_has_zip"),
        ]

    def __str__(self):
        return _("Bescheide der %(meeting)s") % {"meeting": self.meeting}

    @property
    def download_name(self) -> str:
        return f"Bescheide-{self.meeting.starts_at:%Y-%m-%d}-{self.pk}.zip"
