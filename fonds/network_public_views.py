"""The two links in an invitation e-mail: register for the event, and withdraw the consent to e-mails. The
signed token in the link is the only key; nothing else about the contact is shown."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from fonds.errors import DomainError
from fonds.models import Consent
from fonds.services.actors import consent_withdraw, invitation_from_token, invitation_register


def _invitation(token):
    invitation = invitation_from_token(token)
    if invitation is None:
        raise Http404
    return invitation


@login_not_required
@require_http_methods(["GET", "POST"])
def event_register(request, token):
    invitation = _invitation(token)
    error, status = None, 200
    if request.method == "POST":
        try:
            invitation = invitation_register(invitation=invitation)
        except DomainError as refused:
            error, status = refused.message, 400
    return render(request, "fonds/public/event_register.html",
                  {"invitation": invitation, "event": invitation.event, "error": error}, status=status)


@login_not_required
@require_http_methods(["GET", "POST"])
def event_unsubscribe(request, token):
    invitation = _invitation(token)
    done = False
    if request.method == "POST":
        consent_withdraw(actor=None, contact=invitation.contact, purpose=Consent.Purpose.INVITATIONS,
                         note="Widerruf über den Link in der Einladung")
        done = True
    return render(request, "fonds/public/event_unsubscribe.html", {"done": done, "event": invitation.event})
