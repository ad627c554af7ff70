from django import forms
from django.utils.translation import gettext_lazy as _

from .events import APPLICANT, CONTACT, EVENTS
from .models import LANGUAGES


class SettingsForm(forms.Form):
    language = forms.ChoiceField(label=_("Sprache der E-Mails"), choices=LANGUAGES)
    email_events = forms.MultipleChoiceField(
        label=_("Diese Ereignisse möchte ich auch per E-Mail erhalten"), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Bescheide und andere rechtlich wichtige Mitteilungen kommen immer auch per E-Mail."))

    def __init__(self, *args, staff: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email_events"].choices = [
            (code, event.label) for code, event in EVENTS.items()
            if not event.legal and event.audience != CONTACT and (staff or event.audience == APPLICANT)]
