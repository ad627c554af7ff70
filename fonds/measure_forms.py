"""Forms for a measure: the whole record (Django admin) and what the Stadtteilbüro keeps current on its staff page,
with the milestones. A photo is checked like every upload before it is kept."""

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from fonds.application_forms import DATE, AmountField
from fonds.errors import DomainError
from fonds.models import Measure, Milestone
from fonds.services.measures import measure_photo_checked

STAFF_FIELDS = ["status", "description", "responsible_body", "budget", "starts_on", "ends_on", "location",
                "latitude", "longitude", "photo", "photo_alt", "public"]


class MeasureForm(forms.ModelForm):
    class Meta:
        model = Measure
        fields = ["authority", "number", "title", "field_of_action", "open_for_applications", *STAFF_FIELDS]

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and isinstance(photo, UploadedFile):
            try:
                return measure_photo_checked(photo)
            except DomainError as error:
                raise forms.ValidationError(error.message) from None
        return photo

    def clean(self):
        data = super().clean()
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            raise forms.ValidationError(_("Bitte geben Sie Breiten- und Längengrad an oder keinen von beiden."))
        if data.get("photo") and not data.get("photo_alt"):
            self.add_error("photo_alt", _("Bitte beschreiben Sie das Foto in einem Satz (für Menschen, die es nicht "
                                          "sehen können)."))
        return data


class MeasureStaffForm(MeasureForm):
    class Meta(MeasureForm.Meta):
        fields = STAFF_FIELDS
        widgets = {"starts_on": DATE, "ends_on": DATE, "description": forms.Textarea(attrs={"rows": 4})}
        field_classes = {"budget": AmountField}


MilestoneFormSet = forms.inlineformset_factory(
    Measure, Milestone, fields=["title", "due", "done_on"], extra=2, can_delete=True,
    widgets={"due": DATE, "done_on": DATE})
