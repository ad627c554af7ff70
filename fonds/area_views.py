"""The fund's eligible area as GeoJSON, for staff of the fund's authority (GIS programs, checks by hand)."""

import json

from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from fonds.models import Fund
from fonds.services.area import area_feature_collection


@permission_required("fonds.view_all_applications", raise_exception=True)
def fund_area(request, pk):
    fund = get_object_or_404(Fund.objects.filter(authority__staff_memberships__user=request.user).distinct(), pk=pk)
    body = json.dumps(area_feature_collection(fund.area_geojson), ensure_ascii=False)
    response = HttpResponse(body, content_type="application/geo+json; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="foerdergebiet-{fund.code.lower()}.geojson"'
    return response
