from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from fonds.accounts import LOCK_SECONDS, login_failed, login_locked, login_succeeded
from fonds.models import Organisation
from fonds.services.organisations import iban_normalise


class PersonForm(forms.Form):
    """Who registers: name, address (user name), password twice, and the privacy notice."""

    first_name = forms.CharField(label=_("Vorname"), max_length=150)
    last_name = forms.CharField(label=_("Nachname"), max_length=150)
    email = forms.EmailField(label=_("E-Mail-Adresse (Ihr Benutzername)"))
    password1 = forms.CharField(label=_("Passwort"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                help_text=_("Mindestens 10 Zeichen, nicht nur Ziffern, kein gängiges Passwort."))
    password2 = forms.CharField(label=_("Passwort wiederholen"),
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    privacy = forms.BooleanField(label=_("Ich habe die Datenschutzhinweise gelesen."))

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


class InvitedRegistrationForm(PersonForm):
    """Registration through an invitation: the address is the invited one and cannot be changed."""

    field_order = ["first_name", "last_name", "email", "password1", "password2", "privacy"]

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, initial={"email": email}, **kwargs)
        self.fields["email"].disabled = True
        self.fields["email"].help_text = _("Die Adresse, an die die Einladung ging.")


class RegistrationForm(PersonForm, forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "kind", "legal_form", "representative", "street", "postcode", "city", "phone"]
        labels = {"name": _("Name der Organisation oder Ihr Name (als Privatperson)")}

    field_order = ["first_name", "last_name", "email", "password1", "password2", "name", "kind", "legal_form",
                   "representative", "street", "postcode", "city", "phone", "privacy"]


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


class NameForm(forms.Form):
    first_name = forms.CharField(label=_("Vorname"), max_length=150,
                                 widget=forms.TextInput(attrs={"autocomplete": "given-name"}))
    last_name = forms.CharField(label=_("Nachname"), max_length=150,
                                widget=forms.TextInput(attrs={"autocomplete": "family-name"}))


class EmailChangeForm(forms.Form):
    email = forms.EmailField(label=_("Neue E-Mail-Adresse"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password = forms.CharField(label=_("Ihr aktuelles Passwort"), help_text=_("Zur Sicherheit."),
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        if not self.user.check_password(self.cleaned_data["password"]):
            raise ValidationError(_("Das Passwort ist nicht richtig."), code="password_incorrect")
        return self.cleaned_data["password"]


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "kind", "legal_form", "representative", "street", "postcode", "city", "email", "phone",
                  "iban"]
        labels = {"email": _("E-Mail der Organisation")}
        help_texts = {"iban": _("Für Auszahlungen. Deutsche IBAN: 22 Zeichen, beginnt mit DE.")}

    def clean_iban(self):
        return iban_normalise(self.cleaned_data["iban"])


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-Mail-Adresse Ihrer Kollegin oder Ihres Kollegen"),
                             widget=forms.EmailInput(attrs={"autocomplete": "off"}))
