from django import forms
from django.utils.translation import gettext_lazy as _

from fonds.models import AgendaItem, Board, Meeting, Vote

MONEY = {"max_digits": 12, "decimal_places": 2, "min_value": 0}
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MeetingForm(forms.Form):
    board = forms.ModelChoiceField(label=_("Beirat"), queryset=Board.objects.none(), empty_label=None)
    kind = forms.ChoiceField(label=_("Art"), choices=Meeting.Kind.choices, widget=forms.RadioSelect,
                             initial=Meeting.Kind.MEETING)
    starts_at = forms.DateTimeField(label=_("Beginn (Datum und Uhrzeit)"), widget=DATETIME,
                                    input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"])
    place = forms.CharField(label=_("Ort"), required=False, max_length=200)
    agenda_deadline = forms.DateField(label=_("Anmeldeschluss für die Tagesordnung"), required=False, widget=DATE)
    response_deadline = forms.DateTimeField(
        label=_("Antwortfrist (nur Umlaufverfahren)"), required=False, widget=DATETIME,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"])

    def __init__(self, *args, boards, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["board"].queryset = boards
        if editing:
            del self.fields["board"]
            del self.fields["kind"]


class AgendaAddForm(forms.Form):
    applications = forms.MultipleChoiceField(label=_("Anträge, die auf den Beirat warten"), required=False,
                                             widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].choices = [
            (a.pk, f"{a.file_number} – {a.title} ({a.organisation.name})") for a in candidates]


class AttendanceForm(forms.Form):
    present = forms.MultipleChoiceField(label=_("Anwesende Mitglieder"), required=False,
                                        widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(m.pk, f"{m.name} – {m.get_role_display()}") for m in members]


class ProposalForm(forms.Form):
    proposal = forms.ChoiceField(label=_("Beschlussvorschlag"), widget=forms.RadioSelect,
                                 choices=AgendaItem._meta.get_field("proposal").choices)
    amount = forms.DecimalField(label=_("Betrag (€) – bei Kürzung Pflicht"), required=False, **MONEY)
    conditions = forms.CharField(label=_("Auflagen"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    reasons = forms.CharField(label=_("Begründung (bei Ablehnung Pflicht)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))


class VotesForm(forms.Form):
    """One radio group per present, voting, non-conflicted member."""

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        for member in members:
            self.fields[f"vote_{member.pk}"] = forms.ChoiceField(
                label=_("Stimme von %(name)s") % {"name": member.name}, choices=Vote.Choice.choices,
                widget=forms.RadioSelect, error_messages={"required": _("Bitte tragen Sie die Stimme ein.")})

    def choices(self) -> dict:
        return {int(name.removeprefix("vote_")): value for name, value in self.cleaned_data.items()}


class DeferForm(forms.Form):
    reasons = forms.CharField(label=_("Grund der Vertagung"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class WrittenVoteForm(forms.Form):
    choice = forms.ChoiceField(label=_("Ihre Stimme zum Beschlussvorschlag"), choices=Vote.Choice.choices,
                               widget=forms.RadioSelect)


class ConflictsForm(forms.Form):
    """Per item: conflicted yes/no and a note. Items fixed by a standing interest are shown, but disabled."""

    def __init__(self, *args, items, fixed_ids, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for item in items:
            declared = current.get(item.pk)
            answer = forms.ChoiceField(
                label=_("TOP %(n)s: %(title)s – befangen?") % {"n": item.position, "title": item.application.title},
                choices=[("no", _("nein")), ("yes", _("ja, ich bin befangen"))], widget=forms.RadioSelect,
                initial="yes" if item.pk in fixed_ids or (declared and declared.conflicted) else "no",
                disabled=item.pk in fixed_ids,
                help_text=_("Dauerhafte Interessenbindung: Sie sind bei diesem Punkt ausgeschlossen.")
                if item.pk in fixed_ids else "")
            note = forms.CharField(label=_("Anmerkung zu TOP %(n)s (freiwillig)") % {"n": item.position},
                                   required=False, max_length=300, initial=declared.note if declared else "",
                                   disabled=item.pk in fixed_ids)
            self.fields[f"item_{item.pk}"] = answer
            self.fields[f"note_{item.pk}"] = note
            self.rows.append(item.pk)

    def answers(self) -> dict:
        return {pk: (self.cleaned_data[f"item_{pk}"] == "yes", self.cleaned_data[f"note_{pk}"])
                for pk in self.rows if not self.fields[f"item_{pk}"].disabled}
