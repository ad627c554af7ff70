"""The fund's eligible area as a GeoJSON polygon, and whether a point lies inside it (shapely)."""

import math
from decimal import Decimal

from shapely.geometry import Point, mapping, shape
from shapely.validation import explain_validity

from fonds.errors import DomainError

AREA_TYPES = {"Polygon", "MultiPolygon"}


def area_geometry(geojson: dict):
    """The shapely geometry of a GeoJSON Polygon/MultiPolygon, a Feature or a FeatureCollection with one
    such feature. Refuses anything else with a German message."""
    if not isinstance(geojson, dict):
        raise DomainError("Das Fördergebiet muss ein GeoJSON-Objekt sein.")
    if geojson.get("type") == "FeatureCollection":
        features = geojson.get("features") or []
        if len(features) != 1:
            raise DomainError("Die GeoJSON-Datei muss genau ein Gebiet (Feature) enthalten.")
        geojson = features[0]
    if geojson.get("type") == "Feature":
        geojson = geojson.get("geometry") or {}
    if geojson.get("type") not in AREA_TYPES:
        raise DomainError("Das Fördergebiet muss ein Polygon oder MultiPolygon sein.")
    try:
        geometry = shape(geojson)
    except (ValueError, TypeError, AttributeError, IndexError) as error:
        raise DomainError(f"Das GeoJSON lässt sich nicht lesen: {error}") from None
    if geometry.is_empty or not geometry.is_valid:
        raise DomainError(f"Das Polygon ist ungültig ({explain_validity(geometry)}).")
    minx, miny, maxx, maxy = geometry.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise DomainError("Die Koordinaten müssen Längen- und Breitengrade (WGS84) sein.")
    return geometry


def point_in_area(geojson: dict | None, latitude: Decimal | None, longitude: Decimal | None) -> bool | None:
    """True inside or on the border, False outside, None when area or point is unknown."""
    if not geojson or latitude is None or longitude is None:
        return None
    return area_geometry(geojson).covers(Point(float(longitude), float(latitude)))


def area_feature_collection(geojson: dict | None) -> dict:
    """The area as a FeatureCollection of one feature (none when the fund has no area): what maps and GIS
    programs read."""
    if not geojson:
        return {"type": "FeatureCollection", "features": []}
    geometry = mapping(area_geometry(geojson))
    return {"type": "FeatureCollection",
            "features": [{"type": "Feature", "properties": {}, "geometry": _lists(geometry)}]}


def _lists(value):
    # shapely's mapping() gives tuples; JSON and the tests want lists.
    if isinstance(value, dict):
        return {k: _lists(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_lists(v) for v in value]
    return value


def area_facts(geojson: dict | None) -> dict | None:
    """Bounds (south, west, north, east) and size in hectares, for a person checking the upload. The size
    uses a local flat projection around the area's centre: exact enough for a city quarter."""
    if not geojson:
        return None
    geometry = area_geometry(geojson)
    west, south, east, north = geometry.bounds
    centre_lat = math.radians((south + north) / 2)
    # metres per degree near the centre latitude (WGS84 ellipsoid, first terms of the series)
    per_lat = 111_132.92 - 559.82 * math.cos(2 * centre_lat)
    per_lng = 111_412.84 * math.cos(centre_lat) - 93.5 * math.cos(3 * centre_lat)
    hectares = geometry.area * per_lat * per_lng / 10_000
    return {"south": south, "west": west, "north": north, "east": east,
            "hectares": Decimal(str(round(hectares, 2)))}


def application_in_area(application) -> bool | None:
    """Whether the point the applicant set on the map lies in the fund's area; None when either is missing
    (or the stored area cannot be read: that is the fund's problem, not the applicant's)."""
    try:
        return point_in_area(application.fund.area_geojson, application.latitude, application.longitude)
    except DomainError:
        return None
