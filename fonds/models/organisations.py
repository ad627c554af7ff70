from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    """The applicant: a club, a company, a property owner or a private person."""

    class Kind(models.TextChoices):
        CLUB = "club", _("Verein / Initiative")
        COMPANY = "company", _("Unternehmen / Einzelhandel")
        OWNER = "owner", _("Eigentümer/in")
        PERSON = "person", _("Privatperson")
        ASSOCIATION = "association", _("Werbe- / Interessengemeinschaft")

    class LegalForm(models.TextChoices):
        EV = "ev", _("eingetragener Verein (e. V.)")
        GMBH = "gmbh", _("GmbH / UG")
        GBR = "gbr", _("GbR")
        SOLE = "sole", _("Einzelunternehmen")
        KG = "kg", _("KG / OHG")
        NATURAL = "natural", _("natürliche Person")
        OTHER = "other", _("sonstige")

    name = models.CharField(_("Name"), max_length=200)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    legal_form = models.CharField(_("Rechtsform"), max_length=20, choices=LegalForm.choices)
    representative = models.CharField(_("Vertreten durch"), max_length=200, blank=True)
    street = models.CharField(_("Straße und Hausnummer"), max_length=200)
    postcode = models.CharField(_("PLZ"), max_length=10)
    city = models.CharField(_("Ort"), max_length=100)
    email = models.EmailField(_("E-Mail"))
    phone = models.CharField(_("Telefon"), max_length=50, blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Membership", related_name="organisations")

    class Meta:
        verbose_name = _("Antragstellende Organisation")
        verbose_name_plural = _("Antragstellende Organisationen")

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A user who may act for an organisation: see and act on all of its applications."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Vertretungsberechtigung")
        verbose_name_plural = _("Vertretungsberechtigungen")
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique")]

    def __str__(self):
        return f"{self.user} → {self.organisation}"


class Invitation(models.Model):
    """A member invites a colleague by e-mail to act for the organisation. The link carries a signed
    token; accepting it (logged in, or after registering) creates the Membership."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations",
                                     verbose_name=_("Organisation"))
    email = models.EmailField(_("E-Mail"))
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                                   verbose_name=_("Eingeladen von"))
    created_at = models.DateTimeField(_("Eingeladen am"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("Angenommen am"), null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("Angenommen von"))
    revoked_at = models.DateTimeField(_("Zurückgenommen am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Einladung")
        verbose_name_plural = _("Einladungen")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(accepted_at__isnull=True) | models.Q(accepted_by__isnull=False),
                name="invitation_accepted_by_someone"),
        ]

    def __str__(self):
        return f"{self.email} → {self.organisation}"

    @property
    def is_open(self):
        return self.accepted_at is None and self.revoked_at is None
