"""Registration, confirmation and password reset for applicants (login: Django's view with a throttled form); the
URLs of the profile and of invitations (views in fonds.profile_views)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.urls import path, reverse_lazy

from fonds.account_forms import RegistrationForm, ThrottledAuthenticationForm
from fonds.accounts import account_confirm, account_register
from fonds.errors import DomainError
from fonds.profile_views import (
    PasswordChangeView,
    email_change,
    email_confirm,
    invitation_accept_view,
    invitation_register,
    invitation_revoke_view,
    organisation_edit,
    organisation_invite,
    organisation_leave,
    profile,
)

ORGANISATION_FIELDS = ("name", "kind", "legal_form", "representative", "street", "postcode", "city", "phone")


@login_not_required
def register(request):
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account_register(
                email=data["email"], password=data["password1"], first_name=data["first_name"],
                last_name=data["last_name"],
                organisation={**{k: data[k] for k in ORGANISATION_FIELDS}, "email": data["email"].lower()},
                confirm_url_base=request.build_absolute_uri("/")[:-1])
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return render(request, "fonds/account_registered.html", {"email": data["email"].strip().lower()})
    return render(request, "fonds/account_register.html", {"form": form})


@login_not_required
def confirm(request, token):
    try:
        user = account_confirm(token=token)
    except DomainError as error:
        return render(request, "fonds/account_confirm_failed.html", {"message": error.message}, status=400)
    login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
    messages.success(request, "Ihre E-Mail-Adresse ist bestätigt. Willkommen! Sie können jetzt einen Antrag stellen.")
    return redirect("portal:applications")


def _public(view):
    return login_not_required(view)


urlpatterns = [
    path("anmelden/", _public(auth_views.LoginView.as_view(
        template_name="fonds/login.html", authentication_form=ThrottledAuthenticationForm)), name="login"),
    path("abmelden/", auth_views.LogoutView.as_view(), name="logout"),
    path("registrieren/", register, name="register"),
    path("registrieren/bestaetigen/<str:token>/", confirm, name="account_confirm"),
    path("passwort/vergessen/", _public(auth_views.PasswordResetView.as_view(
        template_name="fonds/password_reset.html", email_template_name="fonds/password_reset_email.txt",
        subject_template_name="fonds/password_reset_subject.txt",
        success_url=reverse_lazy("password_reset_done"))), name="password_reset"),
    path("passwort/vergessen/gesendet/", _public(auth_views.PasswordResetDoneView.as_view(
        template_name="fonds/password_reset_done.html")), name="password_reset_done"),
    path("passwort/neu/<uidb64>/<token>/", _public(auth_views.PasswordResetConfirmView.as_view(
        template_name="fonds/password_reset_confirm.html", success_url=reverse_lazy("password_reset_complete"))),
        name="password_reset_confirm"),
    path("passwort/neu/fertig/", _public(auth_views.PasswordResetCompleteView.as_view(
        template_name="fonds/password_reset_complete.html")), name="password_reset_complete"),
    path("konto/", profile, name="account_profile"),
    path("konto/e-mail/", email_change, name="account_email_change"),
    path("konto/e-mail/bestaetigen/<str:token>/", email_confirm, name="account_email_confirm"),
    path("konto/passwort/", PasswordChangeView.as_view(), name="account_password_change"),
    path("konto/organisationen/<int:pk>/", organisation_edit, name="account_organisation_edit"),
    path("konto/organisationen/<int:pk>/einladen/", organisation_invite, name="account_organisation_invite"),
    path("konto/organisationen/<int:pk>/verlassen/", organisation_leave, name="account_organisation_leave"),
    path("konto/einladungen/<int:pk>/zuruecknehmen/", invitation_revoke_view, name="account_invitation_revoke"),
    path("einladung/<str:token>/", invitation_accept_view, name="invitation_accept"),
    path("einladung/<str:token>/registrieren/", invitation_register, name="invitation_register"),
]
