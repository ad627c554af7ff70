"""The applicant organisation as its members keep it: its data, who belongs to it, and invitations for colleagues.

A member sees and acts on every application of the organisation, so joining needs an invitation by a member, sent
to the colleague's address as a signed link, and an organisation never loses its last member.
"""

import re
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fonds.errors import DomainError
from fonds.models import Invitation, Membership, Organisation
from fonds.services.audit import audit_record

INVITATION_SALT = "fondsflow.organisation.invitation"
INVITATION_MAX_AGE = timedelta(days=14)
MAX_OPEN_INVITATIONS = 10  # per organisation
MAX_INVITATIONS_PER_DAY = 20  # per inviting user, any organisation

EDITABLE_FIELDS = ("name", "kind", "legal_form", "representative", "street", "postcode", "city", "email", "phone",
                   "iban")
IBAN_LENGTHS = {"DE": 22, "AT": 20, "NL": 18, "BE": 16, "LU": 20, "FR": 27, "CH": 21, "DK": 18, "PL": 28}


def iban_normalise(value: str) -> str:
    """The IBAN in groups of four ("DE02 1203 …"), or ValidationError with a German message. Empty stays empty."""
    compact = re.sub(r"\s+", "", value or "").upper()
    if not compact:
        return ""
    if not re.fullmatch(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}", compact):
        raise ValidationError(_("Das ist keine IBAN. Eine IBAN beginnt mit dem Ländercode und zwei Prüfziffern, "
                                "z. B. DE02 1203 0000 0000 2020 51."), code="iban_format")
    expected = IBAN_LENGTHS.get(compact[:2])
    if expected and len(compact) != expected:
        raise ValidationError(_("Eine IBAN aus %(country)s hat %(expected)d Zeichen, diese hat %(actual)d.")
                              % {"country": compact[:2], "expected": expected, "actual": len(compact)},
                              code="iban_length")
    digits = "".join(str(int(char, 36)) for char in compact[4:] + compact[:4])
    if int(digits) % 97 != 1:
        raise ValidationError(_("Die Prüfziffern der IBAN stimmen nicht. Bitte prüfen Sie die IBAN auf Tippfehler."),
                              code="iban_checksum")
    return " ".join(compact[i:i + 4] for i in range(0, len(compact), 4))


def is_staff_user(user) -> bool:
    """Staff act for the authority, never for an applicant organisation."""
    return user.has_perm("fonds.view_all_applications")


def _require_member(*, actor, organisation) -> None:
    if is_staff_user(actor) or not Membership.objects.filter(user=actor, organisation=organisation).exists():
        raise DomainError(_("Das dürfen nur Mitglieder der Organisation."))


@transaction.atomic
def organisation_update(*, actor, organisation: Organisation, data: dict) -> Organisation:
    """Change the organisation's data; the audit log keeps what it was and what it is now."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    _require_member(actor=actor, organisation=organisation)
    data = {k: v for k, v in data.items() if k in EDITABLE_FIELDS}
    if "iban" in data:
        try:
            data["iban"] = iban_normalise(data["iban"])
        except ValidationError as error:
            raise DomainError(error.messages[0], field="iban") from None
    before = {k: getattr(organisation, k) for k in data if getattr(organisation, k) != data[k]}
    if not before:
        return organisation
    for field, value in data.items():
        setattr(organisation, field, value)
    try:
        organisation.full_clean()
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise DomainError(messages[0], field=field) from None
    organisation.save(update_fields=list(before))
    audit_record(actor=actor, action="organisation.updated", obj=organisation, before=before,
                 after={k: data[k] for k in before})
    return organisation


@transaction.atomic
def membership_leave(*, actor, organisation: Organisation) -> None:
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    membership = Membership.objects.filter(user=actor, organisation=organisation).first()
    if membership is None:
        raise DomainError(_("Sie sind kein Mitglied dieser Organisation."))
    if organisation.memberships.count() == 1:
        raise DomainError(_("Sie sind das letzte Mitglied von „%(name)s“ und können die Organisation nicht "
                            "verlassen. Laden Sie zuerst eine Kollegin oder einen Kollegen ein.")
                          % {"name": organisation.name})
    membership.delete()
    audit_record(actor=actor, action="organisation.member_left", obj=organisation,
                 before={"member": actor.get_username()})


def invitation_expires_at(invitation: Invitation):
    return invitation.created_at + INVITATION_MAX_AGE


def open_invitations(organisation: Organisation):
    """Neither accepted nor revoked; expired ones included (the member can still revoke them)."""
    return organisation.invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True)


def _unexpired(queryset):
    return queryset.filter(created_at__gt=timezone.now() - INVITATION_MAX_AGE)


def invitation_link(invitation: Invitation, *, url_base: str) -> str:
    return url_base + reverse("invitation_accept", args=[signing.dumps(invitation.pk, salt=INVITATION_SALT)])


@transaction.atomic
def invitation_send(*, actor, organisation: Organisation, email: str, url_base: str) -> Invitation:
    """Invite a colleague by e-mail; the mail with the link goes out after the commit."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    _require_member(actor=actor, organisation=organisation)
    email = email.strip().lower()
    if organisation.members.filter(email__iexact=email).exists():
        raise DomainError(_("%(email)s ist schon Mitglied von „%(name)s“.") % {"email": email,
                                                                              "name": organisation.name},
                          field="email")
    pending = _unexpired(open_invitations(organisation))
    if pending.filter(email__iexact=email).exists():
        raise DomainError(_("An %(email)s ist schon eine Einladung unterwegs. Wenn Sie sie neu schicken möchten, "
                            "nehmen Sie die alte zuerst zurück.") % {"email": email}, field="email")
    if pending.count() >= MAX_OPEN_INVITATIONS:
        raise DomainError(_("Für „%(name)s“ sind schon %(max)d Einladungen offen. Bitte nehmen Sie zuerst eine "
                            "zurück oder warten Sie, bis sie angenommen werden.")
                          % {"name": organisation.name, "max": MAX_OPEN_INVITATIONS})
    sent_today = Invitation.objects.filter(invited_by=actor, created_at__gt=timezone.now() - timedelta(days=1))
    if sent_today.count() >= MAX_INVITATIONS_PER_DAY:
        raise DomainError(_("Sie haben in den letzten 24 Stunden schon %(max)d Einladungen verschickt. Bitte "
                            "versuchen Sie es morgen wieder.") % {"max": MAX_INVITATIONS_PER_DAY})
    invitation = Invitation.objects.create(organisation=organisation, email=email, invited_by=actor)
    audit_record(actor=actor, action="invitation.sent", obj=invitation,
                 after={"organisation": organisation.name, "email": email})
    context = {"invitation": invitation, "organisation": organisation, "inviter": actor,
               "link": invitation_link(invitation, url_base=url_base),
               "expires_at": timezone.localtime(invitation_expires_at(invitation))}
    subject = render_to_string("fonds/invitation_mail_subject.txt", context).strip()
    body = render_to_string("fonds/invitation_mail.txt", context)
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email]))
    return invitation


@transaction.atomic
def invitation_revoke(*, actor, invitation: Invitation) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    _require_member(actor=actor, organisation=invitation.organisation)
    if not invitation.is_open:
        raise DomainError(_("Diese Einladung ist nicht mehr offen."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_record(actor=actor, action="invitation.revoked", obj=invitation,
                 before={"email": invitation.email, "status": "open"}, after={"status": "revoked"})
    return invitation


def invitation_from_token(token: str, *, lock: bool = False) -> Invitation:
    """The open invitation the link stands for, or DomainError saying why it cannot be used."""
    try:
        pk = signing.loads(token, salt=INVITATION_SALT, max_age=INVITATION_MAX_AGE)
    except signing.SignatureExpired:
        raise DomainError(_("Diese Einladung ist abgelaufen (sie gilt 14 Tage). Bitten Sie Ihre Kollegin oder "
                            "Ihren Kollegen, Sie erneut einzuladen.")) from None
    except signing.BadSignature:
        raise DomainError(_("Dieser Einladungslink ist ungültig. Bitte kopieren Sie den Link vollständig aus der "
                            "E-Mail.")) from None
    invitations = Invitation.objects.select_related("organisation", "invited_by")
    invitation = (invitations.select_for_update(of=("self",)) if lock else invitations).filter(pk=pk).first()
    if invitation is None or invitation.revoked_at is not None:
        raise DomainError(_("Diese Einladung wurde zurückgenommen. Bitte wenden Sie sich an die Person, die Sie "
                            "eingeladen hat."))
    if invitation.accepted_at is not None:
        raise DomainError(_("Diese Einladung wurde bereits angenommen. Melden Sie sich an, um die Anträge der "
                            "Organisation zu sehen."))
    return invitation


def invitation_refusal_for(*, user, invitation: Invitation) -> str | None:
    """Why this logged-in user cannot accept the invitation, or None."""
    if user.email.strip().lower() != invitation.email.lower():
        return _("Sie sind als %(current)s angemeldet, die Einladung gilt aber für %(invited)s. Bitte melden Sie "
                 "sich ab und öffnen Sie den Link erneut.") % {"current": user.email or user.get_username(),
                                                               "invited": invitation.email}
    if is_staff_user(user):
        return _("Mit einem Konto der Verwaltung können Sie nicht für eine antragstellende Organisation handeln.")
    if Membership.objects.filter(user=user, organisation=invitation.organisation).exists():
        return _("Sie sind schon Mitglied von „%(name)s“.") % {"name": invitation.organisation.name}
    return None


@transaction.atomic
def invitation_accept(*, user, token: str) -> Invitation:
    invitation = invitation_from_token(token, lock=True)
    refusal = invitation_refusal_for(user=user, invitation=invitation)
    if refusal:
        raise DomainError(refusal)
    Membership.objects.create(user=user, organisation=invitation.organisation)
    invitation.accepted_at, invitation.accepted_by = timezone.now(), user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(actor=user, action="invitation.accepted", obj=invitation,
                 after={"organisation": invitation.organisation.name, "member": user.get_username()})
    return invitation


def invited_email_has_account(invitation: Invitation) -> bool:
    User = get_user_model()
    return User.objects.filter(email__iexact=invitation.email).exists()
