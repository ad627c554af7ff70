from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .applications import Application
from .funds import MONEY, Fund


class BudgetLine(models.Model):
    """Money available to a fund in a budget year, by source."""

    class Source(models.TextChoices):
        BUND = "bund", _("Bund (Städtebauförderung)")
        LAND = "land", _("Land (Städtebauförderung)")
        STADT = "stadt", _("Stadt (Eigenanteil)")
        PRIVATE = "private", _("Private Mittel / Wirtschaft")
        SPONSOR = "sponsor", _("Spenden und Sponsoring")

    PUBLIC = (Source.BUND, Source.LAND, Source.STADT)

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="budget_lines")
    year = models.PositiveIntegerField(_("Haushaltsjahr"))
    source = models.CharField(_("Herkunft"), max_length=20, choices=Source.choices)
    amount = models.DecimalField(_("Betrag (€)"), **MONEY)
    note = models.CharField(_("Vermerk"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("Haushaltsansatz")
        verbose_name_plural = _("Haushaltsansätze")
        ordering = ["year", "source"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="budget_line_non_negative")]

    def __str__(self):
        return f"{self.fund.code} {self.year} {self.get_source_display()}: {self.amount} €"


class LedgerEntry(models.Model):
    """A movement in the fund's ledger. Commitments bind budget; releases give it back;
    payments spend committed money; recoveries bring paid money back."""

    class Kind(models.TextChoices):
        COMMITMENT = "commitment", _("Mittelbindung")
        RELEASE = "release", _("Freigabe gebundener Mittel")
        PAYMENT = "payment", _("Auszahlung")
        RECOVERY = "recovery", _("Rückforderung")

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="ledger_entries")
    year = models.PositiveIntegerField(_("Haushaltsjahr"))
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="ledger_entries")
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    amount = models.DecimalField(_("Betrag (€)"), **MONEY)
    # The share rule (VV Städtebauförderung): the part of `amount` paid from public money (Bund/Land/Stadt);
    # the rest comes from the pool of private contributions. Releases, payments and recoveries are split in
    # the same proportion as the application's commitment.
    public_amount = models.DecimalField(_("davon öffentliche Mittel (€)"), default=Decimal("0"), **MONEY)
    # The applicant's own share (eligible costs minus grant) that this commitment or release moves: it counts
    # as private money in what the fund spends.
    own_share = models.DecimalField(_("Eigenanteil der Antragsteller/in (€)"), default=Decimal("0"), **MONEY)
    note = models.CharField(_("Vermerk"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Buchung")
        verbose_name_plural = _("Fondsbuch")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="ledger_amount_positive"),
            models.CheckConstraint(condition=Q(public_amount__gte=0) & Q(public_amount__lte=F("amount")),
                                   name="ledger_public_part_within_amount"),
            models.CheckConstraint(condition=Q(own_share__gte=0), name="ledger_own_share_non_negative"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount} € ({self.application})"

    @property
    def pool_amount(self):
        return self.amount - self.public_amount


class PaymentRequest(models.Model):
    """Mittelabruf of the applicant."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="payment_requests")
    amount = models.DecimalField(_("Angeforderter Betrag (€)"), **MONEY)
    note = models.TextField(_("Begründung / bezahlte Rechnungen"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Mittelabruf")
        verbose_name_plural = _("Mittelabrufe")
        ordering = ["requested_at", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payment_request_positive")]

    def __str__(self):
        return _("Mittelabruf %(amount)s € (%(application)s)") % {"amount": self.amount,
                                                                  "application": self.application}


def payment_export_path(export, filename):
    return f"kasse/{export.fund.code}/{filename}"


class PaymentExport(models.Model):
    """A file handed to the city's cash office (Stadtkasse): a SEPA credit transfer or a CSV list of the
    released payments of one fund. The file is kept as it was handed over; its SHA-256 proves that."""

    class Kind(models.TextChoices):
        SEPA = "sepa", _("SEPA-Überweisung (pain.001)")
        CSV = "csv", _("CSV für die Stadtkasse")

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="payment_exports",
                             verbose_name=_("Fonds"))
    kind = models.CharField(_("Art"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("Datei"), upload_to=payment_export_path, max_length=300)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    payment_count = models.PositiveIntegerField(_("Anzahl Zahlungen"))
    total = models.DecimalField(_("Summe (€)"), **MONEY)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("Erstellt von"))
    created_at = models.DateTimeField(_("Erstellt am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Übergabe an die Stadtkasse")
        verbose_name_plural = _("Übergaben an die Stadtkasse")
        ordering = ["-created_at", "-pk"]
        permissions = [("export_payments", _("Auszahlungen an die Stadtkasse übergeben"))]
        constraints = [models.CheckConstraint(condition=Q(payment_count__gt=0) & Q(total__gt=0),
                                              name="payment_export_not_empty")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.created_at:%d.%m.%Y %H:%M}"

    @property
    def download_name(self) -> str:
        ending = "xml" if self.kind == self.Kind.SEPA else "csv"
        return f"Stadtkasse-{self.fund.code}-{self.created_at:%Y-%m-%d}-{self.pk}.{ending}"


class Payment(models.Model):
    class Kind(models.TextChoices):
        INSTALMENT = "instalment", _("Teilzahlung")
        FINAL = "final", _("Schlusszahlung")

    class Status(models.TextChoices):
        ORDERED = "ordered", _("angeordnet")
        RELEASED = "released", _("freigegeben")
        PAID = "paid", _("bezahlt")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="payments")
    request = models.ForeignKey(PaymentRequest, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="payments")
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("Status"), max_length=20, choices=Status.choices, default=Status.ORDERED)
    amount = models.DecimalField(_("Betrag (€)"), **MONEY)
    ordered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("Angeordnet von"))
    ordered_at = models.DateTimeField(auto_now_add=True)
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("Freigegeben von"))
    released_at = models.DateTimeField(null=True, blank=True)
    # Feststellung der sachlichen und rechnerischen Richtigkeit, by two different people (docs/finance.md).
    factual_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("Sachlich richtig festgestellt von"))
    factual_at = models.DateTimeField(_("Sachlich richtig festgestellt am"), null=True, blank=True)
    arithmetic_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+", verbose_name=_("Rechnerisch richtig festgestellt von"))
    arithmetic_at = models.DateTimeField(_("Rechnerisch richtig festgestellt am"), null=True, blank=True)
    export_batch = models.ForeignKey(PaymentExport, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="payments", verbose_name=_("Übergabe an die Stadtkasse"))
    exported_at = models.DateTimeField(_("An die Stadtkasse übergeben am"), null=True, blank=True)
    paid_on = models.DateField(_("Bezahlt am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Auszahlung")
        verbose_name_plural = _("Auszahlungen")
        ordering = ["ordered_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            # Whoever orders a payment never releases it (Anordnung and Kasse are separate).
            models.CheckConstraint(condition=Q(released_by__isnull=True) | ~Q(released_by=F("ordered_by")),
                                   name="payment_four_eyes"),
            # Sachliche und rechnerische Richtigkeit are attested by two different people, each with a time.
            models.CheckConstraint(condition=Q(factual_by__isnull=True) | Q(arithmetic_by__isnull=True)
                                   | ~Q(factual_by=F("arithmetic_by")), name="payment_attesters_differ"),
            models.CheckConstraint(condition=Q(factual_by__isnull=True, factual_at__isnull=True)
                                   | Q(factual_by__isnull=False, factual_at__isnull=False),
                                   name="payment_factual_complete"),
            models.CheckConstraint(condition=Q(arithmetic_by__isnull=True, arithmetic_at__isnull=True)
                                   | Q(arithmetic_by__isnull=False, arithmetic_at__isnull=False),
                                   name="payment_arithmetic_complete"),
            models.CheckConstraint(
                condition=Q(status="ordered", released_by__isnull=True)
                | Q(status__in=["released", "paid"], released_by__isnull=False, released_at__isnull=False),
                name="payment_release_consistent"),
            # Paid only after the release, and the day of payment is known exactly when it is paid.
            models.CheckConstraint(condition=Q(status="paid", paid_on__isnull=False)
                                   | (~Q(status="paid") & Q(paid_on__isnull=True)),
                                   name="payment_paid_consistent"),
            # Only released money goes to the cash office, and a batch always has its date.
            models.CheckConstraint(condition=Q(export_batch__isnull=True, exported_at__isnull=True)
                                   | Q(export_batch__isnull=False, exported_at__isnull=False,
                                       status__in=["released", "paid"]),
                                   name="payment_export_consistent"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount} € ({self.get_status_display()})"


class UseReport(models.Model):
    """Verwendungsnachweis: Sachbericht and the list of receipts."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="use_reports")
    narrative = models.TextField(_("Sachbericht"))
    funding_sign_in_place = models.BooleanField(_("Förderhinweis angebracht"), default=False)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    accepted_eligible_costs = models.DecimalField(_("Anerkannte zuwendungsfähige Kosten (€)"), null=True,
                                                  blank=True, **MONEY)
    check_note = models.TextField(_("Prüfvermerk"), blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Verwendungsnachweis")
        verbose_name_plural = _("Verwendungsnachweise")
        ordering = ["submitted_at", "pk"]
        constraints = [models.CheckConstraint(
            condition=Q(accepted_eligible_costs__isnull=True) | Q(accepted_eligible_costs__gte=0),
            name="use_report_costs_non_negative")]

    def __str__(self):
        return _("Verwendungsnachweis %(application)s") % {"application": self.application}


class ReceiptLine(models.Model):
    """A line of the Belegliste: date, payee, reason, amount."""

    use_report = models.ForeignKey(UseReport, on_delete=models.CASCADE, related_name="receipt_lines")
    cost_item = models.ForeignKey("fonds.CostItem", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="receipt_lines", verbose_name=_("Kostenposition laut Finanzierungsplan"),
                                  help_text=_("Leer: eine Ausgabe, die im Finanzierungsplan nicht vorgesehen war"))
    paid_on = models.DateField(_("Datum"))
    payee = models.CharField(_("Empfänger/in"), max_length=200)
    purpose = models.CharField(_("Grund der Zahlung"), max_length=300)
    net_amount = models.DecimalField(_("Netto (€)"), **MONEY)
    gross_amount = models.DecimalField(_("Brutto (€)"), **MONEY)
    eligible = models.BooleanField(_("Zuwendungsfähig"), default=True)

    class Meta:
        verbose_name = _("Beleg")
        verbose_name_plural = _("Belegliste")
        ordering = ["paid_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(net_amount__gte=0) & Q(gross_amount__gte=F("net_amount")),
                                              name="receipt_amounts_valid")]

    def __str__(self):
        return f"{self.paid_on:%d.%m.%Y} {self.payee}: {self.gross_amount} €"


class Recovery(models.Model):
    """Rückforderung of an overpayment, with interest under § 49a Abs. 3 VwVfG."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="recoveries")
    principal = models.DecimalField(_("Erstattungsbetrag (€)"), **MONEY)
    interest_rate = models.DecimalField(_("Zinssatz p. a. (%)"), max_digits=5, decimal_places=2)
    interest_from = models.DateField(_("Zinsen ab"))
    interest_to = models.DateField(_("Zinsen bis"))
    interest = models.DecimalField(_("Zinsen (€)"), **MONEY)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Rückforderung")
        verbose_name_plural = _("Rückforderungen")
        constraints = [
            models.CheckConstraint(condition=Q(principal__gt=0) & Q(interest__gte=0), name="recovery_amounts_valid"),
            models.CheckConstraint(condition=Q(interest_from__lte=F("interest_to")), name="recovery_period_ordered"),
        ]

    def __str__(self):
        return _("Rückforderung %(principal)s € + %(interest)s € Zinsen (%(application)s)") % {
            "principal": self.principal, "interest": self.interest, "application": self.application}

    @property
    def total(self):
        return self.principal + self.interest


class BaseRate(models.Model):
    """Basiszinssatz nach § 247 BGB, maintained by the fund admin (changes on 1 January and 1 July)."""

    valid_from = models.DateField(_("Gültig ab"), unique=True)
    rate_percent = models.DecimalField(_("Basiszinssatz (%)"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("Basiszinssatz")
        verbose_name_plural = _("Basiszinssätze")
        ordering = ["-valid_from"]

    def __str__(self):
        return _("%(rate)s %% ab %(date)s") % {"rate": self.rate_percent, "date": f"{self.valid_from:%d.%m.%Y}"}
