"""The fund in the admin: the eligible area uploaded as a .geojson/.json file or pasted, checked before it is
stored, with its bounds and size shown so a person can see it is the right place."""

import json

from django import forms
from django.contrib import admin
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from fonds.errors import DomainError
from fonds.models import Fund
from fonds.services.area import area_facts, area_geometry

MAX_AREA_FILE_BYTES = 2 * 1024 * 1024


class FundAdminForm(forms.ModelForm):
    area_file = forms.FileField(
        label=_("Fördergebiet als Datei"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".geojson,.json,application/geo+json,application/json"}),
        help_text=_("Eine .geojson- oder .json-Datei (z. B. aus geojson.io oder QGIS, WGS84). Ersetzt das "
                    "eingefügte GeoJSON."))

    class Meta:
        model = Fund
        fields = ["authority", "name", "code", "budget_account", "description", "programme", "purpose",
                  "area_geojson", "recommendation_four_eyes", "payment_before_final"]

    def clean_area_file(self):
        upload = self.cleaned_data.get("area_file")
        if not upload:
            return None
        if not upload.name.lower().endswith((".geojson", ".json")):
            raise forms.ValidationError(_("Bitte laden Sie eine .geojson- oder .json-Datei hoch."))
        if upload.size > MAX_AREA_FILE_BYTES:
            raise forms.ValidationError(_("Die Datei ist zu groß (höchstens 2 MB)."))
        try:
            return json.loads(upload.read().decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError):
            raise forms.ValidationError(_("Die Datei enthält kein gültiges GeoJSON (JSON lässt sich nicht lesen).")
                                        ) from None

    def clean(self):
        data = super().clean()
        if data.get("area_file") is not None:
            data["area_geojson"] = data["area_file"]
        area = data.get("area_geojson")
        if area:
            try:
                area_geometry(area)
            except DomainError as error:
                field = "area_file" if data.get("area_file") is not None else "area_geojson"
                self.add_error(field, error.message)
        return data


class FundAdmin(admin.ModelAdmin):
    form = FundAdminForm
    list_display = ["name", "code", "budget_account", "authority", "has_area"]
    readonly_fields = ["area_info"]

    @admin.display(description=_("Fördergebiet hinterlegt"), boolean=True)
    def has_area(self, fund):
        return bool(fund.area_geojson)

    @admin.display(description=_("Fördergebiet: Ausdehnung"))
    def area_info(self, fund):
        try:
            facts = area_facts(fund.area_geojson)
        except DomainError as error:
            return error.message
        if facts is None:
            return _("Kein Fördergebiet hinterlegt.")
        return format_html(
            "{} {}–{}, {} {}–{}; {} {} ha", _("Breitengrad"), f"{facts['south']:.6f}", f"{facts['north']:.6f}",
            _("Längengrad"), f"{facts['west']:.6f}", f"{facts['east']:.6f}", _("Fläche etwa"),
            number_format(facts["hectares"], 2))
