"""The invite button of a network event's staff page (fonds/network_views.py shows the page; sending belongs here,
since fonds does not send)."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fonds.selectors.network import contacts_to_invite, event_for_staff

from .invitations import network_event_invite


@permission_required("fonds.manage_network", raise_exception=True)
@require_POST
def event_invite(request, pk):
    event = event_for_staff(user=request.user, pk=pk)
    result = network_event_invite(actor=request.user, event=event, contacts=contacts_to_invite(event=event))
    messages.success(request, _("%(invited)s Einladungen werden versandt. %(before)s waren schon eingeladen.")
                     % result)
    return redirect("portal:event", pk=pk)
