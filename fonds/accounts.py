"""Accounts: registration with e-mail confirmation (or through a colleague's invitation), a login that resists
guessing, and the profile: name, e-mail address (changed only by confirming a link sent to the new one), password."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import signing
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fonds import roles
from fonds.errors import DomainError
from fonds.models import Membership, Organisation
from fonds.services.audit import audit_record
from fonds.services.organisations import invitation_from_token

CONFIRM_SALT = "fondsflow.account.confirm"
CONFIRM_MAX_AGE = 3 * 24 * 3600  # three days
EMAIL_CHANGE_SALT = "fondsflow.account.email-change"
EMAIL_CHANGE_MAX_AGE = 3 * 24 * 3600
MAX_FAILED_LOGINS = 5
LOCK_SECONDS = 15 * 60


@transaction.atomic
def account_register(*, email: str, password: str, first_name: str, last_name: str,
                     organisation: dict, confirm_url_base: str) -> "get_user_model()":
    """An inactive account for a new applicant and the organisation they act for; the e-mail with the
    confirmation link goes out after the commit."""
    User = get_user_model()
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise DomainError("Zu dieser E-Mail-Adresse gibt es schon ein Konto. Bitte melden Sie sich an oder setzen "
                          "Sie Ihr Passwort zurück.", field="email")
    user = User.objects.create_user(username=email, email=email, password=password, first_name=first_name,
                                    last_name=last_name, is_active=False)
    user.groups.add(Group.objects.get(name=roles.APPLICANT))
    org = Organisation(**organisation)
    org.full_clean()
    org.save()
    Membership.objects.create(user=user, organisation=org)
    audit_record(actor=user, action="account.registered", obj=user, after={"email": email, "organisation": org.name})
    link = confirm_url_base + reverse("account_confirm", args=[signing.dumps(user.pk, salt=CONFIRM_SALT)])
    transaction.on_commit(lambda: send_mail(
        "Bitte bestätigen Sie Ihre E-Mail-Adresse – Fondsflow",
        f"Guten Tag {first_name} {last_name},\n\nbitte bestätigen Sie Ihre E-Mail-Adresse, damit Sie Anträge "
        f"stellen können. Der Link gilt drei Tage:\n{link}\n\nWenn Sie sich nicht registriert haben, können Sie "
        f"diese Nachricht ignorieren.\n", settings.DEFAULT_FROM_EMAIL, [email]))
    return user


@transaction.atomic
def account_confirm(*, token: str):
    try:
        pk = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.SignatureExpired:
        raise DomainError("Der Bestätigungslink ist abgelaufen. Bitte registrieren Sie sich erneut oder wenden Sie "
                          "sich an das Citymanagement.") from None
    except signing.BadSignature:
        raise DomainError("Dieser Bestätigungslink ist ungültig. Bitte kopieren Sie den Link vollständig aus der "
                          "E-Mail.") from None
    user = get_user_model().objects.select_for_update().get(pk=pk)
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
        audit_record(actor=user, action="account.confirmed", obj=user, after={"email": user.email})
    return user


@transaction.atomic
def account_register_invited(*, token: str, password: str, first_name: str, last_name: str):
    """An account for an invited colleague: active at once (the link in the invitation proves the address) and a
    member of the inviting organisation, without an organisation of its own."""
    invitation = invitation_from_token(token, lock=True)
    User = get_user_model()
    if User.objects.filter(email__iexact=invitation.email).exists() or \
            User.objects.filter(username__iexact=invitation.email).exists():
        raise DomainError(_("Zu dieser E-Mail-Adresse gibt es schon ein Konto. Bitte melden Sie sich an und öffnen "
                            "Sie den Link aus der Einladung erneut."))
    user = User.objects.create_user(username=invitation.email, email=invitation.email, password=password,
                                    first_name=first_name, last_name=last_name)
    user.groups.add(Group.objects.get(name=roles.APPLICANT))
    Membership.objects.create(user=user, organisation=invitation.organisation)
    audit_record(actor=user, action="account.registered", obj=user,
                 after={"email": user.email, "invited_to": invitation.organisation.name})
    invitation.accepted_at, invitation.accepted_by = timezone.now(), user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(actor=user, action="invitation.accepted", obj=invitation,
                 after={"organisation": invitation.organisation.name, "member": user.get_username()})
    return user


@transaction.atomic
def account_update_name(*, user, first_name: str, last_name: str):
    new = {"first_name": first_name.strip(), "last_name": last_name.strip()}
    before = {k: getattr(user, k) for k, v in new.items() if getattr(user, k) != v}
    if before:
        for field in before:
            setattr(user, field, new[field])
        user.save(update_fields=list(before))
        audit_record(actor=user, action="account.name_changed", obj=user, before=before,
                     after={k: new[k] for k in before})
    return user


@transaction.atomic
def account_change_password(*, user, password: str):
    """The caller has checked the old password and the password rules (Django's PasswordChangeForm)."""
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(actor=user, action="account.password_changed", obj=user)
    return user


def _email_taken(email: str, *, by_other_than) -> bool:
    others = get_user_model().objects.exclude(pk=by_other_than.pk)
    return others.filter(email__iexact=email).exists() or others.filter(username__iexact=email).exists()


@transaction.atomic
def account_email_change_request(*, user, new_email: str, url_base: str) -> None:
    """Mail a link to the new address; until it is opened, the old address stays."""
    new_email = new_email.strip().lower()
    if new_email == user.email.lower():
        raise DomainError(_("Das ist schon Ihre E-Mail-Adresse."), field="email")
    if _email_taken(new_email, by_other_than=user):
        raise DomainError(_("Zu dieser E-Mail-Adresse gibt es schon ein Konto."), field="email")
    token = signing.dumps({"user": user.pk, "old": user.email.lower(), "new": new_email}, salt=EMAIL_CHANGE_SALT)
    context = {"user": user, "new_email": new_email,
               "link": url_base + reverse("account_email_confirm", args=[token])}
    body = render_to_string("fonds/account_email_change_mail.txt", context)
    audit_record(actor=user, action="account.email_change_requested", obj=user, after={"email": new_email})
    transaction.on_commit(lambda: send_mail(_("Bitte bestätigen Sie Ihre neue E-Mail-Adresse – Fondsflow"), body,
                                            settings.DEFAULT_FROM_EMAIL, [new_email]))


@transaction.atomic
def account_email_change_confirm(*, user, token: str):
    """The logged-in user opens the link from the new address: now the address changes (and the user name too, if
    it was the address). The old address is told."""
    try:
        data = signing.loads(token, salt=EMAIL_CHANGE_SALT, max_age=EMAIL_CHANGE_MAX_AGE)
    except signing.SignatureExpired:
        raise DomainError(_("Der Bestätigungslink ist abgelaufen (er gilt drei Tage). Bitte ändern Sie Ihre "
                            "E-Mail-Adresse erneut.")) from None
    except signing.BadSignature:
        raise DomainError(_("Dieser Bestätigungslink ist ungültig. Bitte kopieren Sie den Link vollständig aus der "
                            "E-Mail.")) from None
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    if data["user"] != user.pk:
        raise DomainError(_("Dieser Link gehört zu einem anderen Konto. Bitte melden Sie sich mit dem Konto an, "
                            "dessen E-Mail-Adresse Sie ändern wollten."))
    if data["old"] != user.email.lower():
        raise DomainError(_("Dieser Link gilt nicht mehr, weil sich Ihre E-Mail-Adresse seitdem geändert hat."))
    if _email_taken(data["new"], by_other_than=user):
        raise DomainError(_("Zu dieser E-Mail-Adresse gibt es inzwischen ein anderes Konto."))
    before = {"email": user.email}
    if user.username.lower() == user.email.lower():
        before["username"] = user.username
    old_email, user.email = user.email, data["new"]
    if "username" in before:
        user.username = data["new"]
    user.save(update_fields=list(before))
    audit_record(actor=user, action="account.email_changed", obj=user, before=before,
                 after={k: data["new"] for k in before})
    if old_email:
        body = render_to_string("fonds/account_email_changed_mail.txt", {"user": user, "old_email": old_email})
        transaction.on_commit(lambda: send_mail(_("Ihre E-Mail-Adresse wurde geändert – Fondsflow"), body,
                                                settings.DEFAULT_FROM_EMAIL, [old_email]))
    return user


def _lock_key(username: str) -> str:
    return f"login-failures:{username.strip().lower()}"


def login_locked(username: str) -> bool:
    return cache.get(_lock_key(username), 0) >= MAX_FAILED_LOGINS


def login_failed(username: str) -> None:
    key = _lock_key(username)
    cache.add(key, 0, LOCK_SECONDS)
    cache.incr(key)


def login_succeeded(username: str) -> None:
    cache.delete(_lock_key(username))
