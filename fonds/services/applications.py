from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from fonds.errors import DomainError
from fonds.formatting import euro
from fonds.models import Application, CostItem, FileNumberSequence, FundingRound, Organisation, Stage
from fonds.services.audit import audit_record
from fonds.services.grants import eligible_costs_of, grant_amount
from fonds.services.ledger import application_committed, commitment_release

APPLICATION_FIELDS = ("title", "description", "location", "planned_start", "planned_end", "vat_deductible",
                      "own_funds", "third_party_funds", "requested_grant")


def application_locked(application) -> Application:
    """The application as it is now, its row locked until the transaction ends: every read-then-write
    on an application goes through here."""
    return Application.objects.select_for_update().get(pk=application.pk)


def _snapshot(application):
    return {name: getattr(application, name) for name in APPLICATION_FIELDS}


def application_create_draft(*, actor, organisation: Organisation, round: FundingRound, data: dict,
                             cost_items: list[dict]) -> Application:
    if not organisation.memberships.filter(user=actor).exists():
        raise DomainError("Sie können nur für eine Organisation beantragen, für die Sie handeln dürfen.")
    with transaction.atomic():
        application = Application(fund=round.fund, round=round, organisation=organisation, created_by=actor,
                                  **{k: data[k] for k in APPLICATION_FIELDS if k in data})
        application.full_clean(exclude=["rules", "file_number"])
        application.save()
        _replace_cost_items(application, cost_items)
        audit_record(actor=actor, action="application.draft_created", obj=application, application=application,
                     after=_snapshot(application))
    return application


def application_update_draft(*, actor, application: Application, data: dict, cost_items: list[dict]) -> Application:
    with transaction.atomic():
        application = application_locked(application)
        if application.stage != Stage.DRAFT:
            raise DomainError("Ein eingereichter Antrag kann nicht mehr geändert werden.")
        before = _snapshot(application)
        for name in APPLICATION_FIELDS:
            if name in data:
                setattr(application, name, data[name])
        application.full_clean(exclude=["rules", "file_number"])
        application.save()
        _replace_cost_items(application, cost_items)
        audit_record(actor=actor, action="application.draft_updated", obj=application, application=application,
                     before=before, after=_snapshot(application))
    return application


def _replace_cost_items(application, cost_items):
    application.cost_items.all().delete()
    items = [CostItem(application=application, **item) for item in cost_items]
    for item in items:
        item.full_clean(exclude=["application"])
    CostItem.objects.bulk_create(items)


def application_grant_preview(application, rules=None):
    rules = rules or application.rules or application.round.current_rules
    items = list(application.cost_items.all())
    costs = eligible_costs_of(items=items, vat_deductible=application.vat_deductible, rules=rules)
    return grant_amount(rules=rules, eligible_costs=costs)


def _submission_problems(application, rules) -> list[str]:
    problems = []
    items = list(application.cost_items.all())
    if not items:
        return ["Bitte tragen Sie mindestens eine Kostenposition ein."]
    use_net = application.vat_deductible and rules.net_if_vat_deductible
    total = sum(((i.net_amount if use_net else i.gross_amount) for i in items), Decimal("0.00"))
    if total < rules.min_total_cost:
        problems.append(f"Die Gesamtkosten von {euro(total)} liegen unter den Mindestkosten von "
                        f"{euro(rules.min_total_cost)}.")
    financing = application.own_funds + application.third_party_funds + application.requested_grant
    if financing != total:
        problems.append(f"Der Finanzierungsplan ({euro(financing)}) muss die Gesamtkosten ({euro(total)}) "
                        f"genau decken.")
    preview = grant_amount(rules=rules, eligible_costs=eligible_costs_of(
        items=items, vat_deductible=application.vat_deductible, rules=rules))
    if not preview.allowed:
        problems.extend(preview.reasons[-1:])
    elif application.requested_grant > preview.amount:
        problems.append(f"Der beantragte Zuschuss von {euro(application.requested_grant)} übersteigt den nach "
                        f"den Förderregeln möglichen Zuschuss von {euro(preview.amount)}.")
    if application.requested_grant <= 0:
        problems.append("Bitte geben Sie den beantragten Zuschuss an.")
    if application.planned_start < timezone.localdate():
        problems.append("Der geplante Beginn liegt in der Vergangenheit. Begonnene Vorhaben können nicht "
                        "gefördert werden.")
    return problems


@transaction.atomic
def application_submit(*, actor, application: Application) -> Application:
    """Freeze the rules, draw the file number (never reused) and hand the application to the Citymanagement."""
    application = application_locked(application)
    if application.stage != Stage.DRAFT:
        raise DomainError("Dieser Antrag wurde bereits eingereicht.")
    if not application.organisation.memberships.filter(user=actor).exists():
        raise DomainError("Sie dürfen für diese Organisation keinen Antrag einreichen.")
    round_ = application.round
    today = timezone.localdate()
    if not (round_.opens_on <= today <= round_.closes_on):
        raise DomainError(f"Die Förderrunde „{round_.name}“ nimmt zurzeit keine Anträge an.")
    rules = round_.current_rules
    if rules is None:
        raise DomainError("Für diese Förderrunde sind noch keine Förderregeln hinterlegt.")
    problems = _submission_problems(application, rules)
    if problems:
        raise DomainError(" ".join(problems))

    sequence, _ = FileNumberSequence.objects.get_or_create(fund=application.fund, year=today.year)
    sequence = FileNumberSequence.objects.select_for_update().get(pk=sequence.pk)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    prefix = application.fund.authority.file_number_prefix
    application.file_number = f"{prefix}{application.fund.code}-{today.year}-{sequence.last_number:04d}"
    application.rules = rules
    application.submitted_at = timezone.now()
    application.stage = Stage.ELIGIBILITY
    application.save()
    audit_record(actor=actor, action="application.submitted", obj=application, application=application,
                 before={"stage": Stage.DRAFT},
                 after={"stage": application.stage, "file_number": application.file_number,
                        "rules_version": rules.version})
    return application


def application_set_stage(*, actor, application: Application, stage: Stage, **changes) -> Application:
    before = {"stage": application.stage, **{k: getattr(application, k) for k in changes}}
    application.stage = stage
    for name, value in changes.items():
        setattr(application, name, value)
    application.save()
    audit_record(actor=actor, action=f"application.stage.{stage}", obj=application, application=application,
                 before=before, after={"stage": stage, **changes})
    return application


@transaction.atomic
def application_withdraw(*, actor, application: Application) -> Application:
    """Withdrawal by the applicant, possible until the Bescheid is issued. Budget bound by an approval
    goes back to the fund."""
    application = application_locked(application)
    if not application.is_withdrawable:
        raise DomainError("Nach Erlass des Bescheids kann der Antrag nicht mehr zurückgezogen werden. "
                          "Bitte wenden Sie sich an das Citymanagement.")
    if not application.organisation.memberships.filter(user=actor).exists():
        raise DomainError("Sie dürfen für diese Organisation nicht handeln.")
    commitment_release(actor=actor, application=application, amount=application_committed(application),
                       note="Freigabe nach Rücknahme des Antrags")
    return application_set_stage(actor=actor, application=application, stage=Stage.WITHDRAWN)
