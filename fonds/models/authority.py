from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Authority(models.Model):
    """The Bewilligungsbehörde: the city that signs the Bescheide of its funds."""

    name = models.CharField(_("Name"), max_length=200, help_text=_("z. B. Stadt Dorsten"))
    department = models.CharField(_("Dienststelle"), max_length=200, blank=True)
    signatory = models.CharField(_("Zeichnungsbefugt"), max_length=200, blank=True,
                                 help_text=_("z. B. Der Bürgermeister, Im Auftrag"))
    street = models.CharField(_("Straße und Hausnummer"), max_length=200)
    postcode = models.CharField(_("PLZ"), max_length=10)
    city = models.CharField(_("Ort"), max_length=100)
    phone = models.CharField(_("Telefon"), max_length=50, blank=True)
    email = models.EmailField(_("E-Mail"), blank=True)
    website = models.CharField(_("Internet"), max_length=200, blank=True)
    logo = models.FileField(_("Logo (PNG)"), upload_to="authority-logos/", blank=True)
    bank_name = models.CharField(_("Bank"), max_length=200, blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    court_name = models.CharField(_("Verwaltungsgericht"), max_length=200,
                                  help_text=_("Gericht der Rechtsbehelfsbelehrung, "
                                              "z. B. Verwaltungsgericht Gelsenkirchen"))
    court_address = models.CharField(_("Anschrift des Gerichts"), max_length=300)
    state = models.CharField(_("Bundesland (für Feiertage)"), max_length=2, default="NW", choices=[
        ("BW", "Baden-Württemberg"), ("BY", "Bayern"), ("BE", "Berlin"), ("BB", "Brandenburg"), ("HB", "Bremen"),
        ("HH", "Hamburg"), ("HE", "Hessen"), ("MV", "Mecklenburg-Vorpommern"), ("NI", "Niedersachsen"),
        ("NW", "Nordrhein-Westfalen"), ("RP", "Rheinland-Pfalz"), ("SL", "Saarland"), ("SN", "Sachsen"),
        ("ST", "Sachsen-Anhalt"), ("SH", "Schleswig-Holstein"), ("TH", "Thüringen")])
    file_number_prefix = models.CharField(_("Präfix für Aktenzeichen"), max_length=20, blank=True,
                                          help_text=_("z. B. „61-“; leer lassen für AF-2026-0007"))

    class Meta:
        verbose_name = _("Bewilligungsbehörde")
        verbose_name_plural = _("Bewilligungsbehörden")

    def __str__(self):
        return self.name


class StaffMembership(models.Model):
    """Staff belong to an authority and see only its funds."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_memberships")
    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="staff_memberships")

    class Meta:
        verbose_name = _("Mitarbeit in Behörde")
        verbose_name_plural = _("Mitarbeit in Behörden")
        constraints = [models.UniqueConstraint(fields=["user", "authority"], name="staff_membership_unique")]

    def __str__(self):
        return f"{self.user} @ {self.authority}"
