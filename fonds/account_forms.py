from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from fonds.accounts import LOCK_SECONDS, login_failed, login_locked, login_succeeded
from fonds.models import Organisation


class RegistrationForm(forms.ModelForm):
    first_name = forms.CharField(label=_("Vorname"), max_length=150)
    last_name = forms.CharField(label=_("Nachname"), max_length=150)
    email = forms.EmailField(label=_("E-Mail-Adresse (Ihr Benutzername)"))
    password1 = forms.CharField(label=_("Passwort"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                help_text=_("Mindestens 10 Zeichen, nicht nur Ziffern, kein gängiges Passwort."))
    password2 = forms.CharField(label=_("Passwort wiederholen"),
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    privacy = forms.BooleanField(label=_("Ich habe die Datenschutzhinweise gelesen."))

    class Meta:
        model = Organisation
        fields = ["name", "kind", "legal_form", "representative", "street", "postcode", "city", "phone"]
        labels = {"name": _("Name der Organisation oder Ihr Name (als Privatperson)")}

    field_order = ["first_name", "last_name", "email", "password1", "password2", "name", "kind", "legal_form",
                   "representative", "street", "postcode", "city", "phone", "privacy"]

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("Die beiden Passwörter stimmen nicht überein."))
        elif data.get("password1"):
            try:
                validate_password(data["password1"])
            except ValidationError as error:
                self.add_error("password1", error)
        return data


class ThrottledAuthenticationForm(AuthenticationForm):
    """After five wrong passwords for an account, it is locked for 15 minutes, right password or not."""

    def clean(self):
        username = self.data.get("username", "")
        if login_locked(username):
            raise ValidationError(
                _("Zu viele fehlgeschlagene Anmeldeversuche. Bitte warten Sie %(minutes)d Minuten oder setzen Sie "
                  "Ihr Passwort zurück."), code="locked", params={"minutes": LOCK_SECONDS // 60})
        try:
            data = super().clean()
        except ValidationError:
            login_failed(username)
            raise
        login_succeeded(username)
        return data
