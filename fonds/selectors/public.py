"""What the public sees of funded projects: only what the recipient agreed to publish. The list page, the map
and the open-data files (CSV, GeoJSON) are all built from `public_projects`, so they cannot disagree."""

import csv
import io
from decimal import Decimal

from django.db.models import Exists, OuterRef, Prefetch
from django.urls import reverse

from fonds.models import Application, Document, Fund, Measure, Milestone, PublicationConsent
from fonds.services.publication import PUBLIC_STAGES

# Open data: the columns of the CSV and the properties of the GeoJSON features, in this order.
COLUMNS = ("id", "title", "year", "fund", "measure", "organisation", "location", "latitude", "longitude",
           "grant_eur", "description", "photo_url", "url")
LICENCE = "Datenlizenz Deutschland – Namensnennung – Version 2.0 (dl-de/by-2-0)"
LICENCE_URL = "https://www.govdata.de/dl-de/by-2-0"


def _published_photo(application_pk):
    return Document.objects.filter(application=application_pk, kind=Document.Kind.FINISHED_PHOTO,
                                   content_type__in=("image/jpeg", "image/png"))


def public_consents(*, year: int | None = None, measure: int | None = None):
    """The active consents of projects that may be shown, with everything the list needs in one query."""
    consents = (PublicationConsent.objects.filter(withdrawn_at__isnull=True, application__stage__in=PUBLIC_STAGES)
                .select_related("application__organisation", "application__measure", "application__round",
                                "application__fund")
                .annotate(has_photo=Exists(_published_photo(OuterRef("application"))))
                .order_by("-application__round__year", "application__title", "application__pk"))
    if year:
        consents = consents.filter(application__round__year=year)
    if measure:
        consents = consents.filter(application__measure_id=measure)
    return consents


def public_project(consent: PublicationConsent) -> dict:
    """One project as the public sees it: the title, the year, the fund and the measure, and of everything else
    exactly the fields the recipient agreed to. A field not agreed to is None."""
    a: Application = consent.application
    located = consent.show_location and a.latitude is not None and a.longitude is not None
    grant = a.final_grant if a.final_grant is not None else a.approved_grant
    return {
        "id": a.pk,
        "title": a.title,
        "year": a.round.year,
        "fund": a.fund.name,
        "measure": str(a.measure) if a.measure_id else None,
        "measure_id": a.measure_id,
        "organisation": a.organisation.name if consent.show_organisation else None,
        "location": a.location if consent.show_location else None,
        "latitude": a.latitude if located else None,
        "longitude": a.longitude if located else None,
        "grant_eur": grant if consent.show_grant else None,
        "description": a.description if consent.show_description else None,
        "photo_url": (reverse("public:project_photo", args=[a.pk])
                      if consent.show_photo and consent.has_photo else None),
        "url": reverse("public:projects") + f"#projekt-{a.pk}",
    }


def public_projects(*, year: int | None = None, measure: int | None = None) -> list[dict]:
    return [public_project(consent) for consent in public_consents(year=year, measure=measure)]


def public_project_photo(*, application_pk: int) -> Document | None:
    """The photo of the finished project, if its recipient agreed to publish it."""
    consent = public_consents().filter(application_id=application_pk, show_photo=True).first()
    if consent is None:
        return None
    return _published_photo(application_pk).order_by("-uploaded_at", "-pk").first()


def public_years() -> list[int]:
    return sorted(set(public_consents().values_list("application__round__year", flat=True)), reverse=True)


def public_measures():
    return Measure.objects.filter(public=True)


def projects_geojson(projects: list[dict], *, absolute) -> dict:
    """A FeatureCollection (RFC 7946, WGS84, [longitude, latitude]) of the projects that have a published point."""
    features = []
    for project in projects:
        if project["latitude"] is None:
            continue
        properties = {name: _plain(project[name], absolute) for name in COLUMNS
                      if name not in ("latitude", "longitude")}
        features.append({"type": "Feature", "id": project["id"],
                         "geometry": {"type": "Point",
                                      "coordinates": [float(project["longitude"]), float(project["latitude"])]},
                         "properties": properties})
    return {"type": "FeatureCollection", "license": LICENCE, "license_url": LICENCE_URL, "features": features}


def projects_csv(projects: list[dict], *, absolute) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for project in projects:
        writer.writerow(["" if project[name] is None else _plain(project[name], absolute) for name in COLUMNS])
    return out.getvalue()


def _plain(value, absolute):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, str) and value.startswith("/"):
        return absolute(value)
    return value


def funding_notes(funds=None) -> list[str]:
    """The funds' "Gefördert durch …" lines, each once."""
    notes = (funds if funds is not None else Fund.objects.all()).exclude(funding_note="")
    return list(dict.fromkeys(notes.order_by("pk").values_list("funding_note", flat=True)))


def measures_with_progress(queryset=None):
    return (queryset if queryset is not None else public_measures()).prefetch_related(
        Prefetch("milestones", queryset=Milestone.objects.order_by("due", "pk")), "fundings")


def measure_progress(measure: Measure) -> dict:
    milestones = list(measure.milestones.all())
    done = sum(1 for m in milestones if m.done_on is not None)
    return {"milestones": milestones, "done": done, "total": len(milestones),
            "percent": round(100 * done / len(milestones)) if milestones else None}


