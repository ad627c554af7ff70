"""Reads for the de-minimis register page."""

from django.db.models import F, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from fonds.models import DeMinimisGrant, Fund


def de_minimis_grants(fund: Fund) -> QuerySet[DeMinimisGrant]:
    """The fund's de-minimis grants, unreported first (by due date), then the reported ones."""
    return (DeMinimisGrant.objects.filter(fund=fund)
            .select_related("organisation", "application", "certificate", "reported_by", "fund__authority")
            .order_by(F("reported_on").asc(nulls_first=True), "report_due", "pk"))


def de_minimis_grant_of_fund(fund: Fund, pk) -> DeMinimisGrant:
    """One grant of this fund; anything else (another fund's, none, not a number) does not exist."""
    if not str(pk or "").isdigit():
        raise Http404
    return get_object_or_404(DeMinimisGrant.objects.filter(fund=fund).select_related("application"), pk=int(pk))
