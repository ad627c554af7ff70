from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fonds.errors import DomainError
from fonds.formatting import euro
from fonds.models import Application, CostItem, FileNumberSequence, FundingRound, Organisation, Stage
from fonds.services.area import application_in_area
from fonds.services.audit import audit_record
from fonds.services.grants import eligible_costs_of, grant_amount
from fonds.services.ledger import application_committed, commitment_release

APPLICATION_FIELDS = ("title", "description", "location", "measure", "planned_start", "planned_end",
                      "already_started", "is_tenant", "vat_deductible", "own_funds", "third_party_funds",
                      "donations", "requested_grant", "de_minimis_amount", "latitude", "longitude")


def application_locked(application) -> Application:
    """The application as it is now, its row locked until the transaction ends: every read-then-write
    on an application goes through here."""
    return Application.objects.select_for_update().get(pk=application.pk)


def _snapshot(application):
    return {name: (getattr(application, name).pk if name == "measure" and application.measure_id
                   else getattr(application, name)) for name in APPLICATION_FIELDS}


def application_create_draft(*, actor, organisation: Organisation, round: FundingRound, data: dict,
                             cost_items: list[dict]) -> Application:
    if not organisation.memberships.filter(user=actor).exists():
        raise DomainError(_("Sie können nur für eine Organisation beantragen, für die Sie handeln dürfen."))
    with transaction.atomic():
        application = Application(fund=round.fund, round=round, organisation=organisation, created_by=actor,
                                  **{k: data[k] for k in APPLICATION_FIELDS if k in data})
        application.full_clean(exclude=["rules", "file_number"])
        application.save()
        _replace_cost_items(application, cost_items)
        audit_record(actor=actor, action="application.draft_created", obj=application, application=application,
                     after=_snapshot(application))
    return application


def application_update_draft(*, actor, application: Application, data: dict,
                             cost_items: list[dict] | None = None) -> Application:
    """Save what one step of the form holds. `cost_items=None` leaves the cost plan as it is."""
    with transaction.atomic():
        application = application_locked(application)
        if application.stage != Stage.DRAFT:
            raise DomainError(_("Ein eingereichter Antrag kann nicht mehr geändert werden."))
        if not application.organisation.memberships.filter(user=actor).exists():
            raise DomainError(_("Sie dürfen für diese Organisation nicht handeln."))
        before = _snapshot(application)
        for name in APPLICATION_FIELDS:
            if name in data:
                setattr(application, name, data[name])
        application.full_clean(exclude=["rules", "file_number"])
        application.save()
        if cost_items is not None:
            _replace_cost_items(application, cost_items)
        after = _snapshot(application)
        changed = {k for k in after if after[k] != before[k]}
        if changed or cost_items is not None:
            audit_record(actor=actor, action="application.draft_updated", obj=application, application=application,
                         before={k: before[k] for k in changed}, after={k: after[k] for k in changed})
    return application


@transaction.atomic
def application_declare(*, actor, application: Application, privacy: bool, truth: bool) -> Application:
    """The applicant's declarations: Art. 13 GDPR notice read, statements true and complete. Unticking
    takes a declaration back; any later change to the draft keeps them (the summary shows all again)."""
    application = application_locked(application)
    if application.stage != Stage.DRAFT:
        raise DomainError(_("Ein eingereichter Antrag kann nicht mehr geändert werden."))
    if not application.organisation.memberships.filter(user=actor).exists():
        raise DomainError(_("Sie dürfen für diese Organisation nicht handeln."))
    now = timezone.now()
    application.privacy_acknowledged_at = (application.privacy_acknowledged_at or now) if privacy else None
    application.truth_declared_at = (application.truth_declared_at or now) if truth else None
    application.save(update_fields=["privacy_acknowledged_at", "truth_declared_at", "updated_at"])
    audit_record(actor=actor, action="application.declared", obj=application, application=application,
                 after={"privacy": privacy, "truth": truth})
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


def quotes_needed(items, rules, *, use_net: bool) -> int:
    """Comparison quotes the rules ask for: `quotes_required` for every cost item above the threshold."""
    above = sum(1 for i in items if (i.net_amount if use_net else i.gross_amount) > rules.quote_threshold)
    return above * rules.quotes_required


def submission_problems(application, rules) -> dict[str, list[str]]:
    """What still stands between the draft and its submission, by step of the form (empty: ready)."""
    from fonds.models import Document

    problems: dict[str, list[str]] = {}

    def add(step, message):
        problems.setdefault(step, []).append(message)

    for name, message in (("title", _("Bitte geben Sie den Titel an.")),
                          ("description", _("Bitte geben Sie die Beschreibung an.")),
                          ("location", _("Bitte geben Sie den Ort des Vorhabens an."))):
        if not getattr(application, name).strip():
            add("vorhaben", message)
    if application.planned_start is None or application.planned_end is None:
        add("vorhaben", _("Bitte geben Sie den geplanten Beginn und das geplante Ende an."))
    elif application.planned_start < timezone.localdate():
        add("vorhaben", _("Der geplante Beginn liegt in der Vergangenheit. Begonnene Vorhaben können nicht "
                          "gefördert werden."))
    if application.already_started:
        add("vorhaben", _("Das Vorhaben hat bereits begonnen. Begonnene Vorhaben können nicht gefördert werden. "
                          "Bitte sprechen Sie mit dem Citymanagement."))
    streets = rules.street_list
    if application.location.strip() and streets and not any(
            application.location.strip().lower().startswith(street.lower()) for street in streets):
        add("vorhaben", _("Der Ort liegt nach unseren Angaben nicht im Fördergebiet. Bitte wählen Sie eine Straße "
                          "aus der Liste oder sprechen Sie mit dem Citymanagement."))
    if application_in_area(application) is False:
        add("vorhaben", _("Der auf der Karte festgelegte Ort liegt außerhalb des Fördergebiets. Bitte prüfen Sie "
                          "den Punkt oder sprechen Sie mit dem Citymanagement."))

    items = list(application.cost_items.all())
    use_net = application.vat_deductible and rules.net_if_vat_deductible
    total = sum(((i.net_amount if use_net else i.gross_amount) for i in items), Decimal("0.00"))
    if not items:
        add("kosten", _("Bitte tragen Sie mindestens eine Kostenposition ein."))
    elif total < rules.min_total_cost:
        add("kosten", _("Die Gesamtkosten von %(total)s liegen unter den Mindestkosten von %(minimum)s.")
            % {"total": euro(total), "minimum": euro(rules.min_total_cost)})

    financing = (application.own_funds + application.third_party_funds + application.donations
                 + application.requested_grant)
    if items and financing != total:
        add("finanzierung", _("Der Finanzierungsplan (%(financing)s) muss die Gesamtkosten (%(total)s) "
                              "genau decken.") % {"financing": euro(financing), "total": euro(total)})
    if application.requested_grant <= 0:
        add("finanzierung", _("Bitte geben Sie den beantragten Zuschuss an."))
    if items:
        preview = grant_amount(rules=rules, eligible_costs=eligible_costs_of(
            items=items, vat_deductible=application.vat_deductible, rules=rules))
        if not preview.allowed:
            add("finanzierung", preview.reasons[-1])
        elif application.requested_grant > preview.amount:
            add("finanzierung", _("Der beantragte Zuschuss von %(requested)s übersteigt den nach den Förderregeln "
                                  "möglichen Zuschuss von %(possible)s.")
                % {"requested": euro(application.requested_grant), "possible": euro(preview.amount)})

    kinds = [d.kind for d in application.documents.all()]
    needed = quotes_needed(items, rules, use_net=use_net)
    have = kinds.count(Document.Kind.QUOTE)
    if have < needed:
        add("unterlagen", _("Für Kostenpositionen über %(threshold)s brauchen wir je %(per_item)s "
                            "Vergleichsangebote: insgesamt %(needed)s, hochgeladen sind %(have)s.")
            % {"threshold": euro(rules.quote_threshold), "per_item": rules.quotes_required, "needed": needed,
               "have": have})
    if application.is_tenant and Document.Kind.OWNER_CONSENT not in kinds:
        add("unterlagen", _("Als Mieter/in oder Pächter/in laden Sie bitte die Zustimmung der Eigentümerin oder des "
                            "Eigentümers hoch."))

    if rules.de_minimis_applicable and application.de_minimis_amount is None:
        add("erklaerungen", _("Bitte geben Sie an, welche De-minimis-Beihilfen Sie in den letzten drei Jahren "
                              "erhalten haben, oder kreuzen Sie „keine“ an."))
    if application.privacy_acknowledged_at is None:
        add("erklaerungen", _("Bitte bestätigen Sie, dass Sie den Datenschutzhinweis gelesen haben."))
    if application.truth_declared_at is None:
        add("erklaerungen", _("Bitte versichern Sie, dass Ihre Angaben richtig und vollständig sind."))
    return problems


def next_file_number(*, fund_id: int, year: int) -> int:
    """Draw the next number of the fund's year in one statement: the row is created with 1 or counted up, and
    stays locked until the transaction ends, so no number is ever drawn twice or reused."""
    table = connection.ops.quote_name(FileNumberSequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (fund_id, year, last_number) VALUES (%s, %s, 1) "
            f"ON CONFLICT (fund_id, year) DO UPDATE SET last_number = {table}.last_number + 1 "
            "RETURNING last_number", [fund_id, year])
        return cursor.fetchone()[0]


@transaction.atomic
def application_submit(*, actor, application: Application) -> Application:
    """Freeze the rules, draw the file number (never reused) and hand the application to the Citymanagement."""
    # Only the application's row is locked (OF self); organisation, round, fund and authority come with it.
    application = (Application.objects.select_for_update(of=("self",))
                   .select_related("organisation", "round", "fund__authority").get(pk=application.pk))
    if application.stage != Stage.DRAFT:
        raise DomainError(_("Dieser Antrag wurde bereits eingereicht."))
    if not application.organisation.memberships.filter(user=actor).exists():
        raise DomainError(_("Sie dürfen für diese Organisation keinen Antrag einreichen."))
    round_ = application.round
    today = timezone.localdate()
    if not (round_.opens_on <= today <= round_.closes_on):
        raise DomainError(_("Die Förderrunde „%(round)s“ nimmt zurzeit keine Anträge an.") % {"round": round_.name})
    rules = round_.current_rules
    if rules is None:
        raise DomainError(_("Für diese Förderrunde sind noch keine Förderregeln hinterlegt."))
    problems = submission_problems(application, rules)
    if problems:
        raise DomainError(" ".join(message for messages in problems.values() for message in messages))

    number = next_file_number(fund_id=application.fund_id, year=today.year)
    prefix = application.fund.authority.file_number_prefix
    application.file_number = f"{prefix}{application.fund.code}-{today.year}-{number:04d}"
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
        raise DomainError(_("Nach Erlass des Bescheids kann der Antrag nicht mehr zurückgezogen werden. "
                            "Bitte wenden Sie sich an das Citymanagement."))
    if not application.organisation.memberships.filter(user=actor).exists():
        raise DomainError(_("Sie dürfen für diese Organisation nicht handeln."))
    commitment_release(actor=actor, application=application, amount=application_committed(application),
                       note="Freigabe nach Rücknahme des Antrags")
    return application_set_stage(actor=actor, application=application, stage=Stage.WITHDRAWN)
