"""What the page frame needs from the database: whose portal this is."""

from django import template
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _

from fonds.models import Authority, Fund

register = template.Library()


@register.simple_tag
def portal_identity() -> dict:
    """The name in the header: the fund if there is one, else the authority's portal, else the software."""
    # One query on every page: the first two funds, and how many authorities there are.
    funds = list(Fund.objects.select_related("authority")
                 .annotate(authority_count=RawSQL("SELECT COUNT(*) FROM fonds_authority", ())).order_by("pk")[:2])
    if len(funds) == 1:
        return {"title": funds[0].name, "authority": funds[0].authority.name}
    if funds:
        authorities = [funds[0].authority.name] * min(2, funds[0].authority_count)
    else:
        authorities = list(Authority.objects.order_by("pk").values_list("name", flat=True)[:2])
    if len(authorities) == 1:
        return {"title": _("Förderportal"), "authority": authorities[0]}
    return {"title": "Fondsflow", "authority": ""}
