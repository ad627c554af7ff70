"""Letters: drafted with a frozen snapshot of everything they say, issued by a second person where the
law asks for it, and stored once as PDF with its SHA-256. A correction is a new letter."""

import hashlib
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fonds.errors import DomainError
from fonds.models import Application, Letter
from fonds.services.audit import audit_record
from fonds.services.grants import eligible_costs_of
from fonds.services.letter_templates import letter_blocks_freeze


def _money(value) -> str | None:
    return None if value is None else str(Decimal(value).quantize(Decimal("0.01")))


def authority_snapshot(authority) -> dict:
    """The sender as every letter prints it: letterhead, footer, bank account, court for the legal remedy."""
    return {
        "name": authority.name, "department": authority.department, "signatory": authority.signatory,
        "street": authority.street, "postcode": authority.postcode, "city": authority.city,
        "phone": authority.phone, "email": authority.email, "website": authority.website,
        "bank_name": authority.bank_name, "iban": authority.iban, "bic": authority.bic,
        "court_name": authority.court_name, "court_address": authority.court_address,
        "logo": authority.logo.name if authority.logo else "",
    }


def letter_snapshot(application: Application) -> dict:
    """What every letter states about sender, recipient and file."""
    fund, authority, org = application.fund, application.fund.authority, application.organisation
    rules = application.rules
    costs = list(application.cost_items.all())
    total = sum((i.gross_amount for i in costs), Decimal("0"))
    eligible = eligible_costs_of(items=costs, vat_deductible=application.vat_deductible, rules=rules) if rules else None
    return {
        "authority": authority_snapshot(authority),
        "fund": {"name": fund.name, "programme": fund.programme, "purpose": fund.purpose},
        "recipient": {
            "name": org.name, "representative": org.representative, "legal_form": org.get_legal_form_display(),
            "street": org.street, "postcode": org.postcode, "city": org.city,
        },
        "application": {
            "file_number": application.file_number, "title": application.title,
            "description": application.description, "location": application.location,
            "planned_start": application.planned_start.isoformat(), "planned_end": application.planned_end.isoformat(),
            "submitted_at": timezone.localtime(application.submitted_at).date().isoformat()
            if application.submitted_at else None,
            "total_cost": _money(total), "eligible_costs": _money(eligible),
            "own_funds": _money(application.own_funds), "third_party_funds": _money(application.third_party_funds),
            "requested_grant": _money(application.requested_grant),
            "vat_basis": ("netto" if (application.vat_deductible and rules and rules.net_if_vat_deductible)
                          else "brutto"),
            "cost_items": [{"description": i.description, "net": _money(i.net_amount), "gross": _money(i.gross_amount),
                            "eligible": i.eligible} for i in costs],
        },
        "rules": {
            "rate_percent": str(rules.rate_percent.normalize()) if rules else None,
            "max_grant": _money(rules.max_grant) if rules else None,
            "proof_of_use_months": rules.proof_of_use_months if rules else None,
            "earmarking_years": rules.earmarking_years if rules else None,
            "de_minimis_applicable": rules.de_minimis_applicable if rules else False,
        },
        "date": timezone.localdate().isoformat(),
    }


def _next_number(application: Application, kind: str) -> str:
    count = Letter.objects.filter(application=application, kind=kind).count()
    return f"{application.file_number}/{Letter.SHORT[kind]}{count + 1}"


@transaction.atomic
def letter_draft(*, actor, application: Application, kind: str, content: dict) -> Letter:
    """A letter in draft. `content` holds what is particular to this letter (amounts, conditions, reasons)."""
    data = letter_snapshot(application)
    data["content"] = {k: (_money(v) if isinstance(v, Decimal) else v) for k, v in content.items()}
    # The fund's texts as they read today, placeholders resolved: the letter keeps them whatever edits follow.
    letter_blocks_freeze(fund=application.fund, kind=kind, data=data)
    letter = Letter.objects.create(application=application, kind=kind, number=_next_number(application, kind),
                                   data=data, drafted_by=actor)
    audit_record(actor=actor, action=f"letter.{kind}.drafted", obj=letter, application=application,
                 after={"number": letter.number, "content": data["content"]})
    return letter


@transaction.atomic
def letter_issue(*, actor, letter: Letter, signer=None) -> Letter:
    """Sign off a drafted letter. Whoever drafted it cannot issue it (four-eyes); the system can issue
    the letters it drafted itself (receipts). `signer` (with actor None): the official who signs a letter
    that needs no second person (an Anhörung), printed under it."""
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    if letter.status != Letter.Status.DRAFT:
        raise DomainError(_("Dieser Brief wurde bereits erlassen."))
    if actor is not None and letter.drafted_by_id == actor.pk:
        raise DomainError(_("Vier-Augen-Prinzip: Wer einen Bescheid entworfen hat, darf ihn nicht selbst "
                            "erlassen."))
    letter.status = Letter.Status.QUEUED
    letter.issued_by = actor
    letter.issued_at = timezone.now()
    letter.data["issued_on"] = timezone.localdate().isoformat()
    signed = actor if actor is not None else signer
    if signed is not None:
        letter.data["signed_by"] = signed.get_full_name() or signed.get_username()
    letter.save()
    audit_record(actor=actor, action=f"letter.{letter.kind}.issued", obj=letter, application=letter.application,
                 before={"status": Letter.Status.DRAFT}, after={"status": letter.status})
    return letter


@transaction.atomic
def letter_store_pdf(*, letter: Letter, pdf: bytes) -> Letter:
    """Store the rendered PDF once. A second call (a redelivered task) leaves the stored PDF untouched."""
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    if letter.status == Letter.Status.ISSUED:
        return letter
    if letter.status != Letter.Status.QUEUED:
        raise DomainError(_("Nur ein erlassener Brief wird als PDF abgelegt."))
    letter.sha256 = hashlib.sha256(pdf).hexdigest()
    name = letter.pdf.field.generate_filename(letter, f"{letter.number}.pdf")
    storage = letter.pdf.storage
    if storage.exists(name):
        # Left by an attempt that died before its commit: nothing refers to it, and this letter's row is locked.
        storage.delete(name)
    letter.pdf.save(f"{letter.number}.pdf", ContentFile(pdf), save=False)
    letter.status = Letter.Status.ISSUED
    letter.save()
    audit_record(actor=None, action=f"letter.{letter.kind}.stored", obj=letter, application=letter.application,
                 after={"sha256": letter.sha256, "file": letter.pdf.name})
    return letter
