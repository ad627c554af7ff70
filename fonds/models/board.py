"""The Beirat: its members and rules, its meetings (or written procedures), the agenda, conflicts of
interest, attendance and votes. The decision itself stays a BoardDecision (decisions.py), linked to the
agenda item it was taken on."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .applications import Application
from .funds import MONEY, Fund
from .organisations import Organisation


class Board(models.Model):
    """The decision body of one fund, with its rules of procedure."""

    fund = models.OneToOneField(Fund, on_delete=models.CASCADE, related_name="board", verbose_name=_("Fonds"))
    name = models.CharField(_("Bezeichnung"), max_length=200, default=_("Beirat"))
    quorum_percent = models.DecimalField(
        _("Beschlussfähig ab mehr als (% der stimmberechtigten Mitglieder)"), max_digits=5, decimal_places=2,
        default=Decimal("50"), validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("99.99"))],
        help_text=_("50 heißt: mehr als die Hälfte der stimmberechtigten Mitglieder ist anwesend und nicht befangen."))
    silence_is_consent = models.BooleanField(
        _("Schweigen gilt im Umlaufverfahren als Zustimmung"), default=False,
        help_text=_("Wenn nicht gesetzt, zählt ein Mitglied ohne Antwort als nicht teilnehmend."))

    class Meta:
        verbose_name = _("Beirat")
        verbose_name_plural = _("Beiräte")
        constraints = [models.CheckConstraint(condition=Q(quorum_percent__gte=0) & Q(quorum_percent__lt=100),
                                              name="board_quorum_range")]

    def __str__(self):
        return f"{self.name} – {self.fund}"


class BoardMember(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("Vorsitz")
        DEPUTY = "deputy", _("Stellvertretender Vorsitz")
        MEMBER = "member", _("Mitglied")
        ADVISORY = "advisory", _("Beratendes Mitglied (ohne Stimmrecht)")

    VOTING = (Role.CHAIR, Role.DEPUTY, Role.MEMBER)

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="members", verbose_name=_("Beirat"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="board_memberships",
                             verbose_name=_("Benutzer/in"))
    role = models.CharField(_("Rolle"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    organisation = models.CharField(_("Entsandt von / Organisation"), max_length=200, blank=True)
    term_from = models.DateField(_("Mitglied seit"))
    term_until = models.DateField(_("Mitglied bis"), null=True, blank=True)

    class Meta:
        verbose_name = _("Beiratsmitglied")
        verbose_name_plural = _("Beiratsmitglieder")
        ordering = ["board", "role", "user__last_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["board", "user"], name="board_member_unique"),
            models.CheckConstraint(condition=Q(term_until__isnull=True) | Q(term_until__gte=F("term_from")),
                                   name="board_member_term_ordered"),
            models.UniqueConstraint(fields=["board"], condition=Q(role="chair"), name="board_one_chair"),
        ]

    def __str__(self):
        return f"{self.user.get_full_name() or self.user.get_username()} ({self.get_role_display()})"

    @property
    def name(self):
        return self.user.get_full_name() or self.user.get_username()

    @property
    def has_vote(self):
        return self.role in self.VOTING


class StandingInterest(models.Model):
    """A member belongs to an organisation (club, association, company) that may apply: every item of that
    organisation marks the member as conflicted, whatever the member declares."""

    member = models.ForeignKey(BoardMember, on_delete=models.CASCADE, related_name="interests",
                               verbose_name=_("Mitglied"))
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+",
                                     verbose_name=_("Organisation"))
    note = models.CharField(_("Art der Verbindung"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("Dauerhafte Interessenbindung")
        verbose_name_plural = _("Dauerhafte Interessenbindungen")
        constraints = [models.UniqueConstraint(fields=["member", "organisation"], name="standing_interest_unique")]

    def __str__(self):
        return f"{self.member} – {self.organisation}"


class Meeting(models.Model):
    class Kind(models.TextChoices):
        MEETING = "meeting", _("Sitzung")
        WRITTEN = "written", _("Umlaufverfahren")

    class Status(models.TextChoices):
        PLANNED = "planned", _("geplant")
        HELD = "held", _("durchgeführt – Niederschrift zur Unterschrift")
        SIGNED = "signed", _("Niederschrift unterzeichnet")

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("Beirat"))
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices, default=Kind.MEETING)
    starts_at = models.DateTimeField(_("Beginn"))
    place = models.CharField(_("Ort"), max_length=200, blank=True)
    agenda_deadline = models.DateField(_("Anmeldeschluss für die Tagesordnung"), null=True, blank=True)
    response_deadline = models.DateTimeField(_("Antwortfrist (Umlaufverfahren)"), null=True, blank=True)
    status = models.CharField(_("Stand"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    invited_at = models.DateTimeField(_("Eingeladen am"), null=True, blank=True)
    closed_at = models.DateTimeField(_("Geschlossen am"), null=True, blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("Unterzeichnet von"))
    signed_at = models.DateTimeField(_("Unterzeichnet am"), null=True, blank=True)
    minutes_pdf = models.FileField(_("Niederschrift (PDF)"), upload_to="beirat/niederschriften/", blank=True,
                                   max_length=300)
    minutes_sha256 = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Beiratssitzung")
        verbose_name_plural = _("Beiratssitzungen")
        ordering = ["-starts_at", "pk"]
        permissions = [("prepare_meeting", "Beiratssitzungen vorbereiten und protokollieren")]
        constraints = [
            models.CheckConstraint(condition=Q(kind="meeting") | Q(response_deadline__isnull=False),
                                   name="meeting_written_has_deadline"),
            # A meeting is signed by its chair; a written procedure is final when it is closed.
            models.CheckConstraint(condition=~Q(status="signed") | Q(signed_at__isnull=False)
                                   & (Q(kind="written") | Q(signed_by__isnull=False)),
                                   name="meeting_signed_by_someone"),
        ]

    def __str__(self):
        return _("%(kind)s am %(date)s") % {"kind": self.get_kind_display(),
                                             "date": f"{timezone.localtime(self.starts_at):%d.%m.%Y}"}

    def protocol_open(self, now=None) -> bool:
        """Attendance, votes and deferrals are recorded on the day of the meeting or later (a written procedure
        has no protocol of its own: its answers come in until the deadline)."""
        if self.kind == self.Kind.WRITTEN:
            return True
        now = now or timezone.now()
        return timezone.localtime(now).date() >= timezone.localtime(self.starts_at).date()

    def agenda_closed(self, today=None) -> bool:
        """Past the deadline for applications to be put on the agenda."""
        today = today or timezone.localdate()
        return self.agenda_deadline is not None and today > self.agenda_deadline

    @property
    def is_written(self):
        return self.kind == self.Kind.WRITTEN

    @property
    def is_final(self):
        return self.status == self.Status.SIGNED


class AgendaItem(models.Model):
    """Tagesordnungspunkt: one application, with the proposal the board votes on and, once the votes are
    in, the result. The BoardDecision is written when the chair signs the minutes."""

    class Result(models.TextChoices):
        OPEN = "open", _("offen")
        ADOPTED = "adopted", _("Beschlussvorschlag angenommen")
        REJECTED = "rejected", _("Beschlussvorschlag abgelehnt")
        DEFERRED = "deferred", _("vertagt")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items", verbose_name=_("Sitzung"))
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="agenda_items",
                                    verbose_name=_("Antrag"))
    position = models.PositiveSmallIntegerField(_("Reihenfolge"))
    public = models.BooleanField(_("öffentlich"), default=False)
    # The proposal (Beschlussvorschlag); prefilled from the recommendation.
    proposal = models.CharField(_("Beschlussvorschlag"), max_length=20, blank=True,
                                choices=[("approve", _("bewilligen")), ("reduce", _("mit gekürztem Betrag bewilligen")),
                                         ("conditions", _("mit Auflagen bewilligen")), ("reject", _("ablehnen"))])
    amount = models.DecimalField(_("Betrag (€)"), null=True, blank=True, **MONEY)
    conditions = models.TextField(_("Auflagen"), blank=True)
    reasons = models.TextField(_("Begründung"), blank=True)
    result = models.CharField(_("Ergebnis"), max_length=20, choices=Result.choices, default=Result.OPEN)
    outcome = models.CharField(_("Beschluss"), max_length=20, blank=True)  # a BoardDecision.Outcome once decided
    yes = models.PositiveSmallIntegerField(_("Ja"), default=0)
    no = models.PositiveSmallIntegerField(_("Nein"), default=0)
    abstain = models.PositiveSmallIntegerField(_("Enthaltungen"), default=0)
    carried_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                     verbose_name=_("Vertagt aus"))

    class Meta:
        verbose_name = _("Tagesordnungspunkt")
        verbose_name_plural = _("Tagesordnungspunkte")
        ordering = ["meeting", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "application"], name="agenda_item_unique"),
            models.CheckConstraint(condition=Q(amount__isnull=True) | Q(amount__gt=0), name="agenda_amount_positive"),
        ]

    def __str__(self):
        return f"TOP {self.position}: {self.application.title}"


class ConflictDeclaration(models.Model):
    """Befangenheit (§§ 20, 21 VwVfG, § 31 GO NRW) of one member for one item. `automatic`: set by a standing
    interest; the member cannot undo it."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="conflicts")
    member = models.ForeignKey(BoardMember, on_delete=models.PROTECT, related_name="conflicts")
    conflicted = models.BooleanField(_("befangen"))
    automatic = models.BooleanField(_("aus dauerhafter Interessenbindung"), default=False)
    note = models.CharField(_("Anmerkung"), max_length=300, blank=True)
    declared_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Erklärung zur Befangenheit")
        verbose_name_plural = _("Erklärungen zur Befangenheit")
        constraints = [
            models.UniqueConstraint(fields=["item", "member"], name="conflict_unique"),
            models.CheckConstraint(condition=Q(automatic=False) | Q(conflicted=True), name="conflict_automatic_holds"),
        ]

    def __str__(self):
        return f"{self.member}: {self.item} – {'befangen' if self.conflicted else 'nicht befangen'}"


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(BoardMember, on_delete=models.PROTECT, related_name="attendance")
    present = models.BooleanField(_("anwesend"))

    class Meta:
        verbose_name = _("Anwesenheit")
        verbose_name_plural = _("Anwesenheit")
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="attendance_unique")]

    def __str__(self):
        return f"{self.member}: {'anwesend' if self.present else 'abwesend'}"


class Vote(models.Model):
    class Choice(models.TextChoices):
        YES = "yes", _("Ja")
        NO = "no", _("Nein")
        ABSTAIN = "abstain", _("Enthaltung")

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(BoardMember, on_delete=models.PROTECT, related_name="votes")
    choice = models.CharField(_("Stimme"), max_length=10, choices=Choice.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Stimme")
        verbose_name_plural = _("Stimmen")
        constraints = [models.UniqueConstraint(fields=["item", "member"], name="vote_unique")]

    def __str__(self):
        return f"{self.member}: {self.get_choice_display()}"


class BoardPack(models.Model):
    """Sitzungsunterlagen as PDF, one per member (only the items they may see) and one for the staff
    (`member` empty)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="packs")
    member = models.ForeignKey(BoardMember, on_delete=models.CASCADE, null=True, blank=True, related_name="packs")
    pdf = models.FileField(upload_to="beirat/mappen/", max_length=300)
    sha256 = models.CharField(max_length=64)
    item_ids = models.JSONField(default=list)
    rendered_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Sitzungsmappe")
        verbose_name_plural = _("Sitzungsmappen")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="pack_unique_per_member"),
            models.UniqueConstraint(fields=["meeting"], condition=Q(member__isnull=True), name="pack_unique_staff"),
        ]

    def __str__(self):
        return f"{self.meeting}: {self.member or 'Citymanagement'}"
