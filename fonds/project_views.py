"""Public pages of what the money achieved: funded projects (list, map, open data) and the measures of the
Integriertes Innenstadtkonzept with their progress. Anyone may read them; only consented fields appear."""

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from fonds.models import Fund
from fonds.selectors.public import (
    LICENCE,
    LICENCE_URL,
    funding_notes,
    measure_progress,
    measures_with_progress,
    projects_csv,
    projects_geojson,
    public_consents,
    public_measures,
    public_project,
    public_project_photo,
    public_projects,
    public_years,
)
from fonds.services.area import area_feature_collection


class ProjectFilterForm(forms.Form):
    jahr = forms.TypedChoiceField(label=_("Jahr"), required=False, coerce=int, empty_value=None,
                                  error_messages={"invalid_choice": _("Für dieses Jahr gibt es keine Projekte. "
                                                                      "Bitte wählen Sie ein Jahr aus der Liste.")})
    massnahme = forms.ModelChoiceField(label=_("Maßnahme"), required=False, queryset=public_measures(),
                                       empty_label=_("alle Maßnahmen"),
                                       error_messages={"invalid_choice": _("Diese Maßnahme gibt es nicht. Bitte "
                                                                           "wählen Sie eine aus der Liste.")})

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jahr"].choices = [("", _("alle Jahre"))] + [(year, str(year)) for year in years]


PROJECTS_PER_PAGE = 50


def _filters(request) -> tuple[ProjectFilterForm, dict]:
    """The filter form and the filters it allows; a filter that is not valid is not applied (and the form says
    why)."""
    form = ProjectFilterForm(request.GET or None, years=public_years())
    if form.is_bound and form.is_valid():
        measure = form.cleaned_data["massnahme"]
        return form, {"year": form.cleaned_data["jahr"], "measure": measure.pk if measure else None}
    return form, {}


def _areas() -> dict:
    """The funds' eligible areas as one FeatureCollection: the outline that gives the points their place when
    the map has no tiles."""
    features = []
    areas = Fund.objects.filter(area_geojson__isnull=False).order_by("pk").values_list("area_geojson", flat=True)
    for geojson in areas:
        features += area_feature_collection(geojson)["features"]
    return {"type": "FeatureCollection", "features": features}


def _map(points: dict) -> dict:
    """What the map include needs: the points (a GeoJSON FeatureCollection), the funds' areas and the tile
    source, if any."""
    tiles = settings.FONDSFLOW_MAP_TILES
    return {"points": points, "area": _areas(),
            "tiles": tiles, "attribution": settings.FONDSFLOW_MAP_ATTRIBUTION if tiles else ""}


@login_not_required
def projects(request):
    """The list in pages of PROJECTS_PER_PAGE; the map shows the projects of the page it stands on, so that the
    list below it stays its text alternative. The open data downloads hold every project of the selection."""
    form, filters = _filters(request)
    page = Paginator(public_consents(**filters), PROJECTS_PER_PAGE).get_page(request.GET.get("seite"))
    found = [public_project(consent) for consent in page.object_list]
    query = request.GET.copy()
    query.pop("seite", None)
    return render(request, "fonds/public/projects.html", {
        "form": form, "projects": found, "page": page, "page_query": query.urlencode(),
        "map": _map(projects_geojson(found, absolute=request.build_absolute_uri)),
        "located": sum(1 for p in found if p["latitude"] is not None),
        "query": request.GET.urlencode() if filters else "",
        "funding_notes": funding_notes(), "licence": LICENCE, "licence_url": LICENCE_URL,
    }, status=400 if form.errors else 200)


def _refused(form) -> HttpResponse:
    """A download with a filter that is not valid: the reason in German, and no file."""
    reasons = [str(error) for errors in form.errors.values() for error in errors]
    return HttpResponse("\n".join(reasons), status=400, content_type="text/plain; charset=utf-8")


@login_not_required
def projects_csv_download(request):
    form, filters = _filters(request)
    if form.errors:
        return _refused(form)
    response = HttpResponse(projects_csv(public_projects(**filters), absolute=request.build_absolute_uri),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="gefoerderte-projekte.csv"'
    return response


@login_not_required
def projects_geojson_download(request):
    form, filters = _filters(request)
    if form.errors:
        return _refused(form)
    data = projects_geojson(public_projects(**filters), absolute=request.build_absolute_uri)
    response = JsonResponse(data, encoder=DjangoJSONEncoder, content_type="application/geo+json",
                            json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = 'attachment; filename="gefoerderte-projekte.geojson"'
    return response


@login_not_required
def project_photo(request, pk):
    document = public_project_photo(application_pk=pk)
    if document is None:
        raise Http404
    response = FileResponse(document.file.open("rb"), content_type=document.content_type)
    response["Content-Disposition"] = f'inline; filename="projekt-{pk}{document.extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_not_required
def measures(request):
    rows = [(measure, measure_progress(measure)) for measure in measures_with_progress()]
    return render(request, "fonds/public/measures.html", {"rows": rows, "funding_notes": funding_notes()})


@login_not_required
def measure_detail(request, pk):
    measure = get_object_or_404(measures_with_progress(), pk=pk)
    found = public_projects(measure=measure.pk)
    located = measure.latitude is not None and measure.longitude is not None
    return render(request, "fonds/public/measure_detail.html", {
        "measure": measure, "progress": measure_progress(measure), "fundings": list(measure.fundings.all()),
        "projects": found, "funding_notes": funding_notes(),
        "map": _map({"type": "FeatureCollection", "features": [
            {"type": "Feature", "geometry": {"type": "Point",
                                             "coordinates": [float(measure.longitude), float(measure.latitude)]},
             "properties": {"title": measure.title}}] if located else []}),
    })


@login_not_required
def measure_photo(request, pk):
    measure = get_object_or_404(public_measures().exclude(photo=""), pk=pk)
    content_type = "image/png" if measure.photo.name.endswith(".png") else "image/jpeg"
    response = FileResponse(measure.photo.open("rb"), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
