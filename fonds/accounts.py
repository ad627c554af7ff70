"""Accounts of applicants: registration with e-mail confirmation, and a login that resists guessing."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import signing
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from fonds import roles
from fonds.errors import DomainError
from fonds.models import Membership, Organisation
from fonds.services.audit import audit_record

CONFIRM_SALT = "fondsflow.account.confirm"
CONFIRM_MAX_AGE = 3 * 24 * 3600  # three days
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
