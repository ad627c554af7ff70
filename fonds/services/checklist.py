"""The eligibility checklist, generated from the rules the application was submitted under.

Each item carries what the system found (`automatic`: True, False, or None when it cannot decide) and
why, in German with the numbers. The advisor answers every item; `answer_problems` says which answers
need a reason (those against the system's result, and every undecidable one)."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from fonds.errors import DomainError
from fonds.formatting import date_de, euro
from fonds.models import Document, Organisation
from fonds.services.applications import quotes_needed
from fonds.services.area import point_in_area
from fonds.services.de_minimis import de_minimis_check
from fonds.services.grants import eligible_costs_of
from fonds.services.ledger import fund_available

DOCUMENT_PREFIX = "doc_"


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: str
    automatic: bool | None
    reason: str

    @property
    def document_kind(self) -> str | None:
        """The Document.Kind a document item asks for (None for other items)."""
        return self.key.removeprefix(DOCUMENT_PREFIX) if self.key.startswith(DOCUMENT_PREFIX) else None


def listed_street(location: str, streets: list[str]) -> str | None:
    """The street of the list the location lies on (it starts with the street's name), if any."""
    location = location.strip().lower()
    return next((street for street in streets if location.startswith(street.lower())), None)


def _area(application, rules) -> ChecklistItem:
    label = _("Vorhaben liegt im Fördergebiet")
    fund = application.fund
    if fund.area_geojson and application.latitude is not None and application.longitude is not None:
        where = _("Die Koordinaten %(lat)s, %(lon)s") % {"lat": application.latitude, "lon": application.longitude}
        try:
            inside = point_in_area(fund.area_geojson, application.latitude, application.longitude)
        except DomainError as error:
            return ChecklistItem("area", label, None, _("Die Karte des Fördergebiets ist nicht lesbar (%(error)s). "
                                                        "Bitte von Hand prüfen.") % {"error": error.message})
        if inside:
            return ChecklistItem("area", label, True, _("%(where)s liegen im Fördergebiet (Karte des Fonds).")
                                 % {"where": where})
        return ChecklistItem("area", label, False, _("%(where)s liegen außerhalb des Fördergebiets (Karte des "
                                                     "Fonds).") % {"where": where})
    streets = rules.street_list
    if streets:
        street = listed_street(application.location, streets)
        if street:
            return ChecklistItem("area", label, True, _("„%(location)s“ liegt an der Straße „%(street)s“ aus der "
                                                        "Straßenliste der Förderregeln.")
                                 % {"location": application.location, "street": street})
        return ChecklistItem("area", label, False, _("„%(location)s“ liegt an keiner Straße aus der Straßenliste "
                                                     "der Förderregeln.") % {"location": application.location})
    return ChecklistItem("area", label, None, _("Weder Karte noch Straßenliste hinterlegt. Fördergebiet laut "
                                                "Förderregeln: %(area)s. Ort: „%(location)s“.")
                         % {"area": rules.eligible_area or _("(nicht beschrieben)"),
                            "location": application.location})


def _applicant_kind(application, rules) -> ChecklistItem:
    allowed = rules.allowed_applicant_kinds
    kinds = dict(Organisation.Kind.choices)
    kind = application.organisation.kind
    names = ", ".join(str(kinds.get(k, k)) for k in allowed)
    return ChecklistItem(
        "applicant_kind", _("Antragsteller/in ist antragsberechtigt"), kind in allowed,
        _("Antragsteller/in: %(kind)s. Antragsberechtigt nach den Förderregeln: %(allowed)s.")
        % {"kind": kinds.get(kind, kind), "allowed": names})


def _not_started(application) -> ChecklistItem:
    submitted = timezone.localdate(application.submitted_at) if application.submitted_at else timezone.localdate()
    start = application.planned_start
    label = _("Vorhaben hat noch nicht begonnen")
    if application.already_started:
        return ChecklistItem("not_started", label, False, _("Laut Antrag hat das Vorhaben bereits begonnen."))
    if start is None:
        return ChecklistItem("not_started", label, None, _("Kein geplanter Beginn angegeben."))
    facts = {"start": date_de(start), "submitted": date_de(submitted)}
    if start < submitted:
        return ChecklistItem("not_started", label, False, _("Geplanter Beginn %(start)s liegt vor der Einreichung "
                                                            "am %(submitted)s.") % facts)
    return ChecklistItem("not_started", label, True, _("Laut Antrag nicht begonnen; geplanter Beginn %(start)s, "
                                                       "eingereicht am %(submitted)s.") % facts)


def _basis(application, rules):
    use_net = application.vat_deductible and rules.net_if_vat_deductible
    return use_net, _("netto") if use_net else _("brutto")


def _min_cost(application, rules, items) -> ChecklistItem:
    use_net, basis = _basis(application, rules)
    total = sum(((i.net_amount if use_net else i.gross_amount) for i in items), Decimal("0.00"))
    return ChecklistItem(
        "min_cost", _("Mindest-Gesamtkosten erreicht"), total >= rules.min_total_cost,
        _("Gesamtkosten %(total)s (%(basis)s), Mindestkosten %(minimum)s.")
        % {"total": euro(total), "basis": basis, "minimum": euro(rules.min_total_cost)})


def _quotes(application, rules, items, kinds) -> ChecklistItem:
    use_net, _basis_name = _basis(application, rules)
    needed = quotes_needed(items, rules, use_net=use_net)
    have = kinds.count(Document.Kind.QUOTE)
    return ChecklistItem(
        "quotes", _("Genug Vergleichsangebote"), have >= needed,
        _("Je Kostenposition über %(threshold)s sind %(per_item)s Vergleichsangebote nötig: insgesamt %(needed)s, "
          "vorhanden %(have)s.")
        % {"threshold": euro(rules.quote_threshold), "per_item": rules.quotes_required, "needed": needed,
           "have": have})


def _own_share(application, rules, items) -> ChecklistItem:
    use_net, _basis_name = _basis(application, rules)
    total = sum(((i.net_amount if use_net else i.gross_amount) for i in items), Decimal("0.00"))
    own = application.own_funds + application.third_party_funds + application.donations
    financing = own + application.requested_grant
    ok = financing == total and own >= total - application.requested_grant
    return ChecklistItem(
        "own_share", _("Eigenanteil gedeckt, Finanzierung vollständig"), ok,
        _("Gesamtkosten %(total)s; Eigenmittel %(own)s + Drittmittel %(third)s + Spenden %(donations)s + "
          "beantragter Zuschuss %(grant)s = %(financing)s.")
        % {"total": euro(total), "own": euro(application.own_funds), "third": euro(application.third_party_funds),
           "donations": euro(application.donations), "grant": euro(application.requested_grant),
           "financing": euro(financing)})


def _vat_basis(application, rules, items) -> ChecklistItem:
    use_net, _basis_name = _basis(application, rules)
    costs = eligible_costs_of(items=items, vat_deductible=application.vat_deductible, rules=rules)
    if use_net:
        reason = _("Vorsteuerabzugsberechtigt: gefördert werden die Nettokosten, zuwendungsfähig %(costs)s.")
    elif application.vat_deductible:
        reason = _("Vorsteuerabzugsberechtigt, die Förderregeln sehen dennoch Bruttokosten vor: zuwendungsfähig "
                   "%(costs)s.")
    else:
        reason = _("Nicht vorsteuerabzugsberechtigt: gefördert werden die Bruttokosten, zuwendungsfähig %(costs)s.")
    return ChecklistItem("vat_basis", _("Kostenbasis (netto/brutto) richtig angesetzt"), True,
                         reason % {"costs": euro(costs)})


def _de_minimis(application, rules) -> ChecklistItem:
    label = _("De-minimis-Höchstbetrag eingehalten")
    check = de_minimis_check(application=application, amount=application.requested_grant, rules=rules)
    if check.declared is None:
        return ChecklistItem("de_minimis", label, None, _("Keine Angabe zu De-minimis-Beihilfen der letzten drei "
                                                          "Jahre. Höchstbetrag %(ceiling)s.")
                             % {"ceiling": euro(rules.de_minimis_ceiling)})
    return ChecklistItem("de_minimis", label, check.allowed, check.figures())


def _budget(application) -> ChecklistItem:
    year = application.round.year
    available = fund_available(fund=application.fund, year=year)
    return ChecklistItem(
        "budget", _("Fördermittel noch verfügbar"), application.requested_grant <= available,
        _("Beantragt %(grant)s; im Haushaltsjahr %(year)s noch verfügbar %(available)s.")
        % {"grant": euro(application.requested_grant), "year": year, "available": euro(available)})


def _documents(application, rules, kinds) -> list[ChecklistItem]:
    names = dict(Document.Kind.choices)
    required = list(dict.fromkeys(rules.required_documents))
    if application.is_tenant and Document.Kind.OWNER_CONSENT not in required:
        required.append(Document.Kind.OWNER_CONSENT)
    result = []
    for kind in required:
        name = names.get(kind, kind)
        why = (_("Als Mieter/in oder Pächter/in braucht die Antragstellerin die Zustimmung der Eigentümer/in.")
               if kind == Document.Kind.OWNER_CONSENT and application.is_tenant
               else _("Pflichtunterlage nach den Förderregeln."))
        count = kinds.count(kind)
        found = (_("%(count)s Datei(en) liegen bei.") % {"count": count}) if count else _("Keine Datei vorhanden.")
        result.append(ChecklistItem(f"{DOCUMENT_PREFIX}{kind}", _("Unterlage liegt bei: %(name)s") % {"name": name},
                                    count > 0, f"{why} {found}"))
    return result


def _purpose(rules) -> ChecklistItem:
    return ChecklistItem(
        "purpose", _("Zweck des Fonds: öffentlicher Nutzen, dauerhaft"), None,
        _("Bitte anhand der Beschreibung beurteilen: öffentlich oder halböffentlich zugänglich, Nutzen für die "
          "Altstadt, dauerhaft für die Zweckbindung von %(years)s Jahren.") % {"years": rules.earmarking_years})


def checklist_for(application, rules) -> list[ChecklistItem]:
    """The items of the eligibility check under `rules` (the version the application was submitted under)."""
    items = list(application.cost_items.all())
    kinds = [d.kind for d in application.documents.all()]
    checklist = [_area(application, rules)]
    if rules.allowed_applicant_kinds:
        checklist.append(_applicant_kind(application, rules))
    checklist += [_purpose(rules), _not_started(application)]
    if rules.min_total_cost > 0:
        checklist.append(_min_cost(application, rules, items))
    if rules.quotes_required:
        checklist.append(_quotes(application, rules, items, kinds))
    checklist += [_own_share(application, rules, items), _vat_basis(application, rules, items)]
    if rules.de_minimis_applicable:
        checklist.append(_de_minimis(application, rules))
    checklist.append(_budget(application))
    checklist += _documents(application, rules, kinds)
    return checklist


def answer_problems(checklist: list[ChecklistItem], answers: dict[str, dict]) -> dict[str, str]:
    """By item key, what is wrong with the advisor's answers (empty: all fine). `answers` maps each key to
    {"met": bool, "reason": str}. An answer needs a reason when it differs from the system's result or the
    system could not decide."""
    problems = {}
    for item in checklist:
        answer = answers.get(item.key)
        if answer is None or answer.get("met") not in (True, False):
            problems[item.key] = _("Bitte beantworten Sie den Prüfpunkt „%(label)s“.") % {"label": item.label}
        elif not (answer.get("reason") or "").strip():
            if item.automatic is None:
                problems[item.key] = _("Das System kann „%(label)s“ nicht prüfen: bitte begründen Sie Ihre "
                                       "Antwort.") % {"label": item.label}
            elif answer["met"] != item.automatic:
                problems[item.key] = _("Sie weichen bei „%(label)s“ vom Ergebnis des Systems ab: bitte begründen "
                                       "Sie das.") % {"label": item.label}
    return problems
