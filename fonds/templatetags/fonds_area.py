"""What the area map shows for an application: the fund's area, the applicant's point and whether the point
lies in the area (computed here, on the server, from what is saved)."""

from django import template
from django.conf import settings

from fonds.errors import DomainError
from fonds.services.area import area_feature_collection, point_in_area

register = template.Library()


@register.simple_tag
def area_map_context(application) -> dict:
    try:
        collection = area_feature_collection(application.fund.area_geojson)
        inside = point_in_area(application.fund.area_geojson, application.latitude, application.longitude)
    except DomainError:  # an unreadable stored area shows as none; the admin refuses such uploads
        collection, inside = area_feature_collection(None), None
    has_area = bool(collection["features"])
    tiles = settings.FONDSFLOW_MAP_TILES
    return {
        "geojson": collection,
        "has_area": has_area,
        "has_point": application.latitude is not None and application.longitude is not None,
        "inside": inside,
        "tiles": tiles,
        "attribution": settings.FONDSFLOW_MAP_ATTRIBUTION if tiles else "",
        "show_map": has_area or bool(tiles),
    }
