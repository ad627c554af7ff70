"""The recipient's consent to publish a funded project: given field by field in the applicant portal,
withdrawn at any time. Each change is a new row and an audit entry."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fonds.errors import DomainError
from fonds.models import PUBLISHABLE_FIELDS, Application, Membership, PublicationConsent, Stage
from fonds.services.audit import audit_record

# Approved by the board or later: these projects may be shown, if the recipient agrees.
PUBLIC_STAGES = (Stage.BESCHEID, Stage.IMPLEMENTATION, Stage.USE_REPORT_CHECK, Stage.SETTLEMENT, Stage.CLOSED)


def active_publication_consent(application: Application) -> PublicationConsent | None:
    return application.publication_consents.filter(withdrawn_at__isnull=True).first()


def _require_recipient(*, actor, application: Application) -> None:
    if not Membership.objects.filter(user=actor, organisation_id=application.organisation_id).exists():
        raise DomainError(_("Über die Veröffentlichung entscheiden nur Mitglieder der antragstellenden "
                            "Organisation."))
    if application.stage not in PUBLIC_STAGES:
        raise DomainError(_("Eine Veröffentlichung ist erst möglich, wenn das Vorhaben bewilligt ist."))


@transaction.atomic
def publication_consent_give(*, actor, application: Application, fields) -> PublicationConsent:
    """Agree to publish the title and the listed `fields` (a subset of PUBLISHABLE_FIELDS). Replaces the consent
    given before; the old one stays in the history as withdrawn."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    _require_recipient(actor=actor, application=application)
    unknown = set(fields) - set(PUBLISHABLE_FIELDS)
    if unknown:
        raise DomainError(_("Diese Angaben können nicht veröffentlicht werden: %(fields)s")
                          % {"fields": ", ".join(sorted(unknown))})
    previous = active_publication_consent(application)
    if previous is not None:
        previous.withdrawn_at, previous.withdrawn_by = timezone.now(), actor
        previous.save(update_fields=["withdrawn_at", "withdrawn_by"])
    consent = PublicationConsent.objects.create(
        application=application, given_by=actor, **{f"show_{name}": name in fields for name in PUBLISHABLE_FIELDS})
    audit_record(actor=actor, action="publication.consent_given", obj=consent, application=application,
                 before={"fields": previous.fields} if previous else None, after={"fields": consent.fields})
    return consent


@transaction.atomic
def publication_consent_withdraw(*, actor, application: Application) -> PublicationConsent:
    application = Application.objects.select_for_update().get(pk=application.pk)
    if not Membership.objects.filter(user=actor, organisation_id=application.organisation_id).exists():
        raise DomainError(_("Über die Veröffentlichung entscheiden nur Mitglieder der antragstellenden "
                            "Organisation."))
    consent = active_publication_consent(application)
    if consent is None:
        raise DomainError(_("Es gibt keine Einwilligung, die widerrufen werden könnte."))
    consent.withdrawn_at, consent.withdrawn_by = timezone.now(), actor
    consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
    audit_record(actor=actor, action="publication.consent_withdrawn", obj=consent, application=application,
                 before={"fields": consent.fields}, after=None)
    return consent
