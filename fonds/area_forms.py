"""The point on the map as two form fields: typed by hand (the keyboard way, 51,6607 or 51.6607) or set by a
click on the map. Stored with six decimal places (about 10 cm)."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAP_FIELDS = ("latitude", "longitude")


class CoordinateField(forms.DecimalField):
    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "spellcheck": "false"})

    def __init__(self, *, limit: int, example: str, **kwargs):
        self.limit = limit
        self.example = example
        kwargs.setdefault("required", False)
        kwargs.setdefault("localize", True)  # shown as typed in German: 51,660700
        super().__init__(max_digits=9, decimal_places=6, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip().replace(",", ".").replace("°", "")
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise ValidationError(_("Bitte geben Sie eine Zahl ein, z. B. %(example)s.") % {"example": self.example},
                                  code="invalid")
        if not -self.limit <= number <= self.limit:
            raise ValidationError(_("Der Wert muss zwischen -%(limit)s und %(limit)s liegen.") % {"limit": self.limit},
                                  code="range")
        return number.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)

    def validate(self, value):
        forms.Field.validate(self, value)  # range and places are settled in to_python

    def run_validators(self, value):
        pass  # DecimalField's digit validator would count places already rounded away


def latitude_field():
    return CoordinateField(label=_("Breitengrad"), limit=90, example="51,6607",
                           help_text=_("Nord-Süd-Lage in Grad (WGS84), z. B. 51,6607."))


def longitude_field():
    return CoordinateField(label=_("Längengrad"), limit=180, example="6,9655",
                           help_text=_("Ost-West-Lage in Grad (WGS84), z. B. 6,9655."))


def clean_coordinates(form, data):
    """Both or neither: a point needs both numbers. Half a point is not kept, not even by the autosave (which
    saves the fields without errors)."""
    if "latitude" in form.errors or "longitude" in form.errors:
        data.pop("latitude", None)
        data.pop("longitude", None)
        return
    latitude, longitude = data.get("latitude"), data.get("longitude")
    if latitude is None and longitude is not None:
        form.add_error("latitude", _("Bitte geben Sie auch den Breitengrad an – oder lassen Sie beide Felder leer."))
        data.pop("longitude", None)
    elif longitude is None and latitude is not None:
        form.add_error("longitude", _("Bitte geben Sie auch den Längengrad an – oder lassen Sie beide Felder leer."))
        data.pop("latitude", None)
