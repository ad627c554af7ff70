"""The fund's eligible area as a GeoJSON polygon, and whether a point lies inside it (shapely)."""

from decimal import Decimal

from shapely.geometry import Point, shape
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
