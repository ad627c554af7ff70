"""De-minimis aid under Regulation (EU) 2023/2831: at most the ceiling of the rule set (300.000 €) per single
undertaking over any period of three years, counted back from the day of granting (rolling, not calendar years).

The applicant declares the aid it received from others; the grants this installation gave as de-minimis aid are
rows of their own (DeMinimisGrant). One check counts both plus the new grant, for the eligibility checklist and as a
hard refusal when the Bescheid is drafted and when it is issued. Issuing writes the register entry, which Finanzen
reports to the central register within 20 working days (from 01.01.2026)."""

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from fonds.dates import add_working_days, add_years
from fonds.errors import DomainError
from fonds.formatting import date_de, euro
from fonds.models import Application, DeMinimisAid, DeMinimisGrant, Letter, Organisation, Stage
from fonds.services.audit import audit_record
from fonds.services.letters import letter_draft, letter_issue

ZERO = Decimal("0.00")
REGULATION = "Verordnung (EU) 2023/2831"
REGULATION_FULL = ("Verordnung (EU) 2023/2831 der Kommission vom 13. Dezember 2023 über die Anwendung der Artikel 107 "
                   "und 108 des Vertrags über die Arbeitsweise der Europäischen Union auf De-minimis-Beihilfen "
                   "(ABl. L, 2023/2831, 15.12.2023)")
REGISTER_WORKING_DAYS = 20


def window_start(today: date) -> date:
    """The first day of the three years that end today: aid granted before it no longer counts."""
    return add_years(today, -3) + timedelta(days=1)


@dataclass(frozen=True)
class DeMinimisCheck:
    """The figures of the cumulative check. `declared` is None when the applicant has made no declaration."""

    since: date
    declared: Decimal | None
    earlier: Decimal
    grant: Decimal
    ceiling: Decimal

    @property
    def total(self) -> Decimal:
        return (self.declared or ZERO) + self.earlier + self.grant

    @property
    def allowed(self) -> bool:
        return self.declared is not None and self.total <= self.ceiling

    def figures(self) -> str:
        return _("Erklärte De-minimis-Beihilfen anderer Stellen seit dem %(since)s: %(declared)s; frühere "
                 "De-minimis-Zuwendungen aus Fondsflow an dasselbe Unternehmen: %(earlier)s; diese Zuwendung: "
                 "%(grant)s; zusammen %(total)s bei einem Höchstbetrag von %(ceiling)s in drei Jahren.") % {
            "since": date_de(self.since), "declared": euro(self.declared or ZERO), "earlier": euro(self.earlier),
            "grant": euro(self.grant), "total": euro(self.total), "ceiling": euro(self.ceiling)}

    def refusal(self) -> str:
        if self.declared is None:
            return _("Die Bewilligung ist nicht möglich: Es liegt keine Erklärung der Antragstellerin zu "
                     "De-minimis-Beihilfen der letzten drei Jahre vor (%(regulation)s).") % {"regulation": REGULATION}
        return _("Die Bewilligung ist nicht möglich, der De-minimis-Höchstbetrag wäre um %(over)s überschritten "
                 "(%(regulation)s). %(figures)s") % {
            "over": euro(self.total - self.ceiling), "regulation": REGULATION, "figures": self.figures()}


def _declared_since(application: Application, since: date) -> Decimal | None:
    """The declared aid granted on or after `since`. A declaration from before aid was itemised is one sum
    without dates: it counts in full."""
    if application.de_minimis_amount is None:
        return None
    aids = list(application.de_minimis_aids.all())
    if not aids:
        return application.de_minimis_amount
    return sum((aid.amount for aid in aids if aid.granted_on >= since), ZERO)


def de_minimis_check(*, application: Application, amount: Decimal, rules=None,
                     today: date | None = None) -> DeMinimisCheck:
    """Declared aid of the last three years + this installation's earlier de-minimis grants to the same
    organisation within them + `amount` (the new grant), against the ceiling of `rules` (default: the rules
    the application was submitted under)."""
    today = today or timezone.localdate()
    since = window_start(today)
    earlier = (DeMinimisGrant.objects.filter(organisation_id=application.organisation_id, granted_on__gte=since,
                                             granted_on__lte=today)
               .exclude(application_id=application.pk).aggregate(total=Sum("gross_grant_equivalent"))["total"])
    return DeMinimisCheck(since=since, declared=_declared_since(application, since), earlier=earlier or ZERO,
                          grant=amount, ceiling=(rules or application.rules).de_minimis_ceiling)


def de_minimis_ensure_within_ceiling(*, application: Application, amount: Decimal) -> DeMinimisCheck:
    """Refuses (DomainError with the figures) a grant that would break the ceiling."""
    check = de_minimis_check(application=application, amount=amount)
    if not check.allowed:
        raise DomainError(check.refusal())
    return check


def aid_problems(*, grantor: str, granted_on: date | None, amount: Decimal | None, today: date) -> dict[str, str]:
    """What is wrong with one declared aid, by field (empty: nothing)."""
    problems = {}
    if not (grantor or "").strip():
        problems["grantor"] = _("Bitte geben Sie an, wer die Beihilfe gewährt hat.")
    if granted_on is None:
        problems["granted_on"] = _("Bitte geben Sie den Tag der Bewilligung an.")
    elif granted_on > today:
        problems["granted_on"] = _("Der Tag der Bewilligung darf nicht in der Zukunft liegen.")
    elif granted_on < window_start(today):
        problems["granted_on"] = _("Beihilfen, die vor dem %(since)s bewilligt wurden, zählen nicht mehr mit: "
                                   "Bitte lassen Sie diese Zeile leer.") % {"since": date_de(window_start(today))}
    if amount is None:
        problems["amount"] = _("Bitte geben Sie den Betrag an.")
    elif amount <= 0:
        problems["amount"] = _("Der Betrag muss größer als 0 € sein.")
    return problems


@transaction.atomic
def de_minimis_declare(*, actor, application: Application, none: bool, aids: list[dict]) -> Application:
    """The applicant's declaration: each de-minimis aid of the last three years, or explicitly none.
    `de_minimis_amount` keeps the sum (0 for none), so everything that reads it goes on working."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.stage != Stage.DRAFT:
        raise DomainError(_("Ein eingereichter Antrag kann nicht mehr geändert werden."))
    if not application.organisation.memberships.filter(user=actor).exists():
        raise DomainError(_("Sie dürfen für diese Organisation nicht handeln."))
    if none and aids:
        raise DomainError(_("Sie haben „keine De-minimis-Beihilfen“ angekreuzt und zugleich Beihilfen eingetragen. "
                            "Bitte entfernen Sie entweder das Kreuz oder die Beihilfen."), field="de_minimis_none")
    if not none and not aids:
        raise DomainError(_("Bitte tragen Sie jede De-minimis-Beihilfe der letzten drei Jahre ein oder kreuzen Sie "
                            "„keine De-minimis-Beihilfen erhalten“ an."), field="de_minimis_none")
    today = timezone.localdate()
    for aid in aids:
        problems = aid_problems(grantor=aid.get("grantor"), granted_on=aid.get("granted_on"),
                                amount=aid.get("amount"), today=today)
        if problems:
            raise DomainError(next(iter(problems.values())))
    before = {"de_minimis_amount": application.de_minimis_amount,
              "aids": list(application.de_minimis_aids.values("grantor", "granted_on", "amount", "purpose"))}
    application.de_minimis_aids.all().delete()
    rows = DeMinimisAid.objects.bulk_create([
        DeMinimisAid(application=application, grantor=aid["grantor"].strip(), granted_on=aid["granted_on"],
                     amount=aid["amount"], purpose=(aid.get("purpose") or "").strip()) for aid in aids])
    application.de_minimis_amount = sum((row.amount for row in rows), ZERO)
    application.save(update_fields=["de_minimis_amount", "updated_at"])
    audit_record(actor=actor, action="application.de_minimis_declared", obj=application, application=application,
                 before=before, after={"de_minimis_amount": application.de_minimis_amount,
                                       "aids": [{"grantor": r.grantor, "granted_on": r.granted_on, "amount": r.amount,
                                                 "purpose": r.purpose} for r in rows]})
    return application


def certificate_content(*, application: Application, bescheid: Letter) -> dict:
    """What the De-minimis-Bescheinigung states beyond the common letter snapshot. For a direct grant the
    gross grant equivalent is the grant itself (Art. 4 (1) and (2) of the Regulation)."""
    issued_on = timezone.localtime(bescheid.issued_at).date() if bescheid.issued_at else timezone.localdate()
    return {"amount": application.approved_grant, "gross_grant_equivalent": application.approved_grant,
            "bescheid_number": bescheid.number, "bescheid_issued_on": issued_on.isoformat(),
            "regulation": REGULATION_FULL, "ceiling": application.rules.de_minimis_ceiling}


def _amended_certificate_content(*, grant: DeMinimisGrant, amendment: Letter, amount: Decimal) -> dict:
    """The certificate after an Änderungsbescheid: the first certificate's Bescheid and day of granting, the new
    amount, and which Änderungsbescheid changed it and which certificate this one replaces."""
    first = grant.certificate.data["content"]
    if "bescheid_issued_on" not in first:  # a certificate from before the Bescheid's date was kept in it
        bescheid = Letter.objects.get(application=grant.application_id, number=first["bescheid_number"])
        first = {**first, "bescheid_issued_on": timezone.localtime(bescheid.issued_at).date().isoformat()}
    return {**first, "amount": amount, "gross_grant_equivalent": amount,
            "granted_on": grant.granted_on.isoformat(), "amendment_number": amendment.number,
            "amendment_issued_on": timezone.localdate().isoformat(), "replaces": grant.certificate.number}


@transaction.atomic
def de_minimis_grant(*, actor, application: Application, bescheid: Letter) -> DeMinimisGrant:
    """Issue the De-minimis-Bescheinigung with the Bewilligungsbescheid and write the register entry, in the
    transaction that issues the Bescheid. The undertaking's row is locked first, so two Bescheide for one
    undertaking issued at the same moment are checked one after the other. The system drafts the certificate
    from the Bescheid (it adds no decision of its own); the person who issues the Bescheid issues it."""
    Organisation.objects.select_for_update().get(pk=application.organisation_id)
    check = de_minimis_ensure_within_ceiling(application=application, amount=application.approved_grant)
    certificate = letter_draft(actor=None, application=application, kind=Letter.Kind.DE_MINIMIS,
                               content=certificate_content(application=application, bescheid=bescheid))
    certificate = letter_issue(actor=actor, letter=certificate)
    today = timezone.localdate()
    grant = DeMinimisGrant.objects.create(
        application=application, organisation_id=application.organisation_id, fund_id=application.fund_id,
        certificate=certificate, amount=application.approved_grant,
        gross_grant_equivalent=application.approved_grant, granted_on=today,
        report_due=add_working_days(today, REGISTER_WORKING_DAYS, application.fund.authority.state))
    audit_record(actor=actor, action="de_minimis.granted", obj=grant, application=application,
                 after={"amount": grant.amount, "granted_on": today, "report_due": grant.report_due,
                        "declared": check.declared, "earlier": check.earlier, "total": check.total,
                        "ceiling": check.ceiling, "certificate": certificate.number})
    return grant


@transaction.atomic
def de_minimis_amend(*, actor, application: Application, amendment: Letter,
                     amount: Decimal) -> DeMinimisGrant | None:
    """An Änderungsbescheid changed the grant of a de-minimis application: an increase is checked against the
    ceiling like a new grant (refused with the figures, nothing changes); the register entry takes the new
    amount, a new De-minimis-Bescheinigung states it, and the changed entry is due for the register again
    (20 working days). Nothing to do for an application without a de-minimis grant."""
    grant = DeMinimisGrant.objects.select_for_update().filter(application=application).first()
    if grant is None or grant.amount == amount:
        return grant
    Organisation.objects.select_for_update().get(pk=application.organisation_id)
    check = de_minimis_check(application=application, amount=amount)
    if amount > grant.amount and not check.allowed:
        raise DomainError(check.refusal())
    certificate = letter_draft(actor=None, application=application, kind=Letter.Kind.DE_MINIMIS,
                               content=_amended_certificate_content(grant=grant, amendment=amendment, amount=amount))
    certificate = letter_issue(actor=actor, letter=certificate)
    before = {"amount": grant.amount, "certificate": grant.certificate.number, "reported_on": grant.reported_on,
              "report_due": grant.report_due}
    today = timezone.localdate()
    grant.amount = grant.gross_grant_equivalent = amount
    grant.certificate = certificate
    grant.reported_on, grant.reported_by = None, None
    grant.report_due = max(add_working_days(today, REGISTER_WORKING_DAYS, application.fund.authority.state),
                           grant.granted_on)
    grant.save(update_fields=["amount", "gross_grant_equivalent", "certificate", "reported_on", "reported_by",
                              "report_due"])
    audit_record(actor=actor, action="de_minimis.amended", obj=grant, application=application, before=before,
                 after={"amount": amount, "certificate": certificate.number, "amendment": amendment.number,
                        "report_due": grant.report_due, "total": check.total, "ceiling": check.ceiling})
    return grant


@transaction.atomic
def de_minimis_mark_reported(*, actor, grant: DeMinimisGrant, reported_on: date) -> DeMinimisGrant:
    """Finanzen records the day the grant was entered into the central register."""
    grant = DeMinimisGrant.objects.select_for_update().select_related("application").get(pk=grant.pk)
    if grant.reported_on is not None:
        raise DomainError(_("Diese Gewährung ist bereits als gemeldet erfasst (am %(day)s).")
                          % {"day": date_de(grant.reported_on)})
    if reported_on > timezone.localdate():
        raise DomainError(_("Der Tag der Meldung darf nicht in der Zukunft liegen."), field="reported_on")
    if reported_on < grant.granted_on:
        raise DomainError(_("Der Tag der Meldung darf nicht vor der Gewährung am %(day)s liegen.")
                          % {"day": date_de(grant.granted_on)}, field="reported_on")
    grant.reported_on, grant.reported_by = reported_on, actor
    grant.save(update_fields=["reported_on", "reported_by"])
    audit_record(actor=actor, action="de_minimis.reported", obj=grant, application=grant.application,
                 before={"reported_on": None}, after={"reported_on": reported_on})
    return grant


REGISTER_COLUMNS = ["Unternehmen", "Rechtsform", "Anschrift", "Aktenzeichen", "Tag der Gewährung", "Zuwendung",
                    "Bruttosubventionsäquivalent", "Beihilfegeber", "Rechtsgrundlage", "Bescheinigung",
                    "Meldung bis", "Gemeldet am", "Gemeldet von"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str) -> str:
    # A spreadsheet runs a cell that starts like a formula; applicants choose their organisation's name.
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def _amount(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", ",")


def register_csv(grants) -> bytes:
    """The register list as CSV (semicolons, decimal comma, UTF-8 with BOM for Excel)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(REGISTER_COLUMNS)
    for grant in grants:
        org, authority = grant.organisation, grant.fund.authority
        by = grant.reported_by
        writer.writerow([_cell(value) for value in (
            org.name, org.get_legal_form_display(), f"{org.street}, {org.postcode} {org.city}",
            grant.application.file_number, f"{grant.granted_on:%d.%m.%Y}", _amount(grant.amount),
            _amount(grant.gross_grant_equivalent), authority.name, REGULATION, grant.certificate.number,
            f"{grant.report_due:%d.%m.%Y}", f"{grant.reported_on:%d.%m.%Y}" if grant.reported_on else "",
            (by.get_full_name() or by.get_username()) if by else "")])
    return out.getvalue().encode("utf-8-sig")
