"""The profile page (/konto/) and the colleague invitations: thin views over fonds.accounts and
fonds.services.organisations. Another member's organisation or invitation is a 404, like someone else's application."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import User
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fonds.account_forms import EmailChangeForm, InvitationForm, InvitedRegistrationForm, NameForm, OrganisationForm
from fonds.accounts import (
    account_change_password,
    account_email_change_confirm,
    account_email_change_request,
    account_register_invited,
    account_update_name,
)
from fonds.errors import DomainError
from fonds.models import Invitation, Organisation
from fonds.services.organisations import (
    INVITATION_MAX_AGE,
    invitation_accept,
    invitation_from_token,
    invitation_refusal_for,
    invitation_revoke,
    invitation_send,
    invited_email_has_account,
    is_staff_user,
    membership_leave,
    organisation_update,
)


def _url_base(request) -> str:
    return request.build_absolute_uri("/")[:-1]


def _my_organisations(user):
    if is_staff_user(user):
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user).order_by("name")


def _my_organisation(user, pk) -> Organisation:
    return get_object_or_404(_my_organisations(user), pk=pk)


def _form_error(form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _profile(request, *, name_form=None, invite_forms=None, status=200):
    invite_forms = invite_forms or {}
    expired_before = timezone.now() - INVITATION_MAX_AGE
    # Members and open invitations of all organisations in one query each, however many there are.
    mine = _my_organisations(request.user).prefetch_related(
        Prefetch("members", queryset=User.objects.order_by("last_name", "first_name", "username"),
                 to_attr="members_sorted"),
        Prefetch("invitations", queryset=Invitation.objects.filter(accepted_at__isnull=True, revoked_at__isnull=True)
                 .select_related("invited_by").order_by("-created_at"), to_attr="open_invitations"))
    organisations = [{
        "organisation": organisation,
        "members": organisation.members_sorted,
        "invitations": [{"invitation": invitation, "expired": invitation.created_at <= expired_before}
                        for invitation in organisation.open_invitations],
        "invite_form": invite_forms.get(organisation.pk) or InvitationForm(prefix=f"org{organisation.pk}"),
    } for organisation in mine]
    return render(request, "fonds/profile.html", {
        "name_form": name_form or NameForm(initial={"first_name": request.user.first_name,
                                                    "last_name": request.user.last_name}),
        "organisations": organisations,
        "staff": is_staff_user(request.user),
    }, status=status)


def profile(request):
    if request.method == "POST":
        form = NameForm(request.POST)
        if form.is_valid():
            account_update_name(user=request.user, **form.cleaned_data)
            messages.success(request, _("Ihr Name ist gespeichert."))
            return redirect("account_profile")
        return _profile(request, name_form=form)
    return _profile(request)


def email_change(request):
    form = EmailChangeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            account_email_change_request(user=request.user, new_email=form.cleaned_data["email"],
                                         url_base=_url_base(request))
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Wir haben einen Bestätigungslink an %(email)s geschickt. Bis Sie ihn öffnen, "
                                        "bleibt Ihre bisherige Adresse gültig.")
                             % {"email": form.cleaned_data["email"].strip().lower()})
            return redirect("account_profile")
    return render(request, "fonds/profile_email.html", {"form": form})


def email_confirm(request, token):
    try:
        account_email_change_confirm(user=request.user, token=token)
    except DomainError as error:
        return render(request, "fonds/profile_failed.html",
                      {"title": _("E-Mail-Adresse nicht geändert"), "message": error.message}, status=400)
    messages.success(request, _("Ihre neue E-Mail-Adresse ist bestätigt und gespeichert."))
    return redirect("account_profile")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "fonds/profile_password.html"
    success_url = reverse_lazy("account_profile")

    def form_valid(self, form):
        account_change_password(user=form.user, password=form.cleaned_data["new_password1"])
        update_session_auth_hash(self.request, form.user)
        messages.success(self.request, _("Ihr Passwort ist geändert."))
        return HttpResponseRedirect(self.get_success_url())


def organisation_edit(request, pk):
    organisation = _my_organisation(request.user, pk)
    # The form gets its own copy: a bound ModelForm writes into its instance even when the input is refused.
    form = OrganisationForm(request.POST or None, instance=Organisation.objects.get(pk=organisation.pk))
    if request.method == "POST" and form.is_valid():
        try:
            organisation_update(actor=request.user, organisation=organisation, data=form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Die Daten von „%(name)s“ sind gespeichert.")
                             % {"name": form.cleaned_data["name"]})
            return redirect("account_profile")
    return render(request, "fonds/profile_organisation.html", {"form": form, "organisation": organisation})


@require_POST
def organisation_invite(request, pk):
    organisation = _my_organisation(request.user, pk)
    form = InvitationForm(request.POST, prefix=f"org{organisation.pk}")
    if form.is_valid():
        try:
            invitation = invitation_send(actor=request.user, organisation=organisation,
                                         email=form.cleaned_data["email"], url_base=_url_base(request))
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Die Einladung an %(email)s ist verschickt. Sie gilt 14 Tage.")
                             % {"email": invitation.email})
            return redirect(reverse("account_profile") + f"#organisation-{organisation.pk}")
    return _profile(request, invite_forms={organisation.pk: form})


def organisation_leave(request, pk):
    organisation = _my_organisation(request.user, pk)
    if request.method == "POST":
        try:
            membership_leave(actor=request.user, organisation=organisation)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Sie gehören nicht mehr zu „%(name)s“.") % {"name": organisation.name})
        return redirect("account_profile")
    return render(request, "fonds/profile_leave.html", {"organisation": organisation})


@require_POST
def invitation_revoke_view(request, pk):
    invitation = get_object_or_404(Invitation, pk=pk, organisation__in=_my_organisations(request.user))
    try:
        invitation_revoke(actor=request.user, invitation=invitation)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Die Einladung an %(email)s ist zurückgenommen; der Link gilt nicht mehr.")
                         % {"email": invitation.email})
    return redirect(reverse("account_profile") + f"#organisation-{invitation.organisation_id}")


def _invitation_failed(request, message, *, status=400, **context):
    return render(request, "fonds/invitation_failed.html", {"message": message, **context}, status=status)


@login_not_required
def invitation_accept_view(request, token):
    """The link from the invitation mail: accept (logged in), or log in / register first."""
    try:
        invitation = invitation_from_token(token)
    except DomainError as error:
        return _invitation_failed(request, error.message)
    if not request.user.is_authenticated:
        return render(request, "fonds/invitation_welcome.html", {
            "invitation": invitation, "token": token, "has_account": invited_email_has_account(invitation)})
    refusal = invitation_refusal_for(user=request.user, invitation=invitation)
    if refusal:
        wrong_user = request.user.email.strip().lower() != invitation.email
        return _invitation_failed(request, refusal, status=403, offer_logout=wrong_user)
    if request.method == "POST":
        try:
            invitation_accept(user=request.user, token=token)
        except DomainError as error:
            return _invitation_failed(request, error.message)
        messages.success(request, _("Willkommen bei „%(name)s“! Hier sehen Sie alle Anträge der Organisation.")
                         % {"name": invitation.organisation.name})
        return redirect("portal:applications")
    return render(request, "fonds/invitation_accept.html", {"invitation": invitation})


@login_not_required
def invitation_register(request, token):
    if request.user.is_authenticated:
        return redirect("invitation_accept", token=token)
    try:
        invitation = invitation_from_token(token)
    except DomainError as error:
        return _invitation_failed(request, error.message)
    form = InvitedRegistrationForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = account_register_invited(token=token, password=data["password1"], first_name=data["first_name"],
                                            last_name=data["last_name"])
        except DomainError as error:
            _form_error(form, error)
        else:
            login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
            messages.success(request, _("Ihr Konto ist angelegt. Willkommen bei „%(name)s“! Hier sehen Sie alle "
                                        "Anträge der Organisation.") % {"name": invitation.organisation.name})
            return redirect("portal:applications")
    return render(request, "fonds/invitation_register.html", {"form": form, "invitation": invitation})
