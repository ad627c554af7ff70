"""Private contributions to a fund: pledges (Zusagen) and receipts (Zahlungseingänge), recorded by Finanzen."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fonds.errors import DomainError
from fonds.formatting import euro
from fonds.models import ContributionReceipt, Fund, PrivateContribution
from fonds.services.audit import audit_record


@transaction.atomic
def contribution_pledge(*, actor, fund: Fund, year: int, contributor: str, kind: str, pledged: Decimal,
                        note: str = "") -> PrivateContribution:
    if not contributor.strip():
        raise DomainError(_("Bitte nennen Sie, wer den Beitrag zusagt."), field="contributor")
    if pledged is None or pledged <= 0:
        raise DomainError(_("Bitte geben Sie einen zugesagten Betrag größer als 0 € an."), field="pledged")
    if kind not in PrivateContribution.Kind.values:
        raise DomainError(_("Bitte wählen Sie die Art des Beitrags."), field="kind")
    contribution = PrivateContribution(fund=fund, year=year, contributor=contributor.strip(), kind=kind,
                                       pledged=pledged, note=note, created_by=actor)
    contribution.full_clean()
    contribution.save()
    audit_record(actor=actor, action="contribution.pledged", obj=contribution,
                 after={"fund": fund.code, "year": year, "contributor": contribution.contributor, "kind": kind,
                        "pledged": pledged})
    return contribution


@transaction.atomic
def contribution_receive(*, actor, contribution: PrivateContribution, amount: Decimal,
                         received_on: date) -> ContributionReceipt:
    """Record money that has arrived. Never more than was pledged."""
    contribution = PrivateContribution.objects.select_for_update().get(pk=contribution.pk)
    if amount is None or amount <= 0:
        raise DomainError(_("Bitte geben Sie einen eingegangenen Betrag größer als 0 € an."), field="amount")
    if received_on > timezone.localdate():
        raise DomainError(_("Das Eingangsdatum darf nicht in der Zukunft liegen."), field="received_on")
    if contribution.received + amount > contribution.pledged:
        raise DomainError(_("Der Zahlungseingang von %(amount)s übersteigt die Zusage: zugesagt %(pledged)s, "
                            "bereits eingegangen %(received)s, offen %(open)s.")
                          % {"amount": euro(amount), "pledged": euro(contribution.pledged),
                             "received": euro(contribution.received), "open": euro(contribution.outstanding)},
                          field="amount")
    before = contribution.received
    receipt = ContributionReceipt.objects.create(contribution=contribution, amount=amount, received_on=received_on,
                                                 recorded_by=actor)
    contribution.received = before + amount
    contribution.save(update_fields=["received"])
    audit_record(actor=actor, action="contribution.received", obj=contribution,
                 before={"received": before}, after={"received": contribution.received, "amount": amount,
                                                     "received_on": received_on})
    return receipt
