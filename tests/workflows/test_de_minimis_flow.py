"""De-minimis through the whole flow: the declaration in the form, the hard refusal when the Bescheid is drafted
and when it is issued, and the De-minimis-Bescheinigung issued with the Bescheid.

alice  – applicant for the Dorstener Interessengemeinschaft Altstadt e. V. (the undertaking)
carla  – Citymanagement
frieda – finance: drafts the Bescheid
felix  – finance: issues it (second person)
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from fonds.dates import add_working_days
from fonds.formatting import date_de
from fonds.models import AuditEvent, DeMinimisGrant, Letter, RuleSet, Stage
from tests.fonds.test_de_minimis import granted
from tests.workflows.test_letter_kinds import pdf
from workflows.flows import GrantFlow

D = Decimal


def apply_declaring(drive, world, *aids):
    """alice fills in the form, the fund's rules now apply de-minimis, she declares `aids` ((grantor, amount)
    granted 100 days ago) and submits. She requests 4.760,00 €."""
    a = drive.create_draft("alice", net="8000", gross="9520")
    RuleSet.objects.update(de_minimis_applicable=True, de_minimis_ceiling=D("300000"))
    day = (timezone.localdate() - timedelta(days=100)).isoformat()
    data = {"privacy": "on", "truth": "on", "beihilfen-TOTAL_FORMS": "2", "beihilfen-INITIAL_FORMS": "0"}
    for n, (grantor, amount) in enumerate(aids):
        data.update({f"beihilfen-{n}-grantor": grantor, f"beihilfen-{n}-granted_on": day,
                     f"beihilfen-{n}-amount": amount})
    if not aids:
        data["de_minimis_none"] = "on"
    response = drive.post("alice", f"/antraege/{a.pk}/schritt/erklaerungen/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    a = drive.submit("alice", a)
    assert a.rules.de_minimis_applicable
    drive.eligible(a)
    drive.recommend(a)
    drive.decide(a, "approve")
    assert a.stage == Stage.BESCHEID and a.approved_grant == D("4760.00")
    return a


def draft_data(a):
    return {"period_end": a.planned_end.isoformat(), "conditions": "Förderhinweis anbringen.",
            "reasons": "Der Beirat hat die Förderung beschlossen.", "payment_terms": "Auf Anforderung."}


def plain(response) -> str:
    return response.content.decode().replace("\xa0", " ").replace("&nbsp;", " ")


def test_approval_above_the_ceiling_is_refused_at_drafting_with_the_figures(drive, world):
    a = apply_declaring(drive, world, ("NRW.BANK", "200.000,00"), ("Land NRW", "95.240,01"))
    response = drive.do("frieda", a, GrantFlow.bescheid_draft, draft_data(a), expect=200)
    html = plain(response)
    assert "De-minimis-Höchstbetrag wäre um 0,01 € überschritten" in html
    for figure in ("295.240,01 €", "0,00 €", "4.760,00 €", "300.000,01 €", "300.000,00 €"):
        assert figure in html, figure
    a.refresh_from_db()
    assert a.stage == Stage.BESCHEID and not a.letters.filter(kind=Letter.Kind.BESCHEID).exists()
    assert not AuditEvent.objects.filter(action__startswith="letter.bescheid").exists()
    assert not DeMinimisGrant.objects.exists()


def test_a_grant_that_came_after_the_draft_makes_the_issue_refused_and_nothing_changes(drive, world):
    a = apply_declaring(drive, world, ("NRW.BANK", "200.000,00"))
    drive.do("frieda", a, GrantFlow.bescheid_draft, draft_data(a))
    # Meanwhile another Bescheid of this installation granted the same undertaking 95.240,01 €.
    granted(world, a.rules, world["dia"], drive.people["alice"], "95240.01")
    ledger_before = list(a.ledger_entries.values_list("kind", "amount"))
    response = drive.do("felix", a, GrantFlow.bescheid_issue, {"decision": "issue"}, expect=200)
    html = plain(response)
    assert "überschritten" in html and "200.000,00 €" in html and "95.240,01 €" in html
    assert "4.760,00 €" in html and "300.000,01 €" in html
    a.refresh_from_db()
    [bescheid] = a.letters.filter(kind=Letter.Kind.BESCHEID)
    assert bescheid.status == Letter.Status.DRAFT and bescheid.issued_by is None
    assert a.stage == Stage.BESCHEID and not a.letters.filter(kind=Letter.Kind.DE_MINIMIS).exists()
    assert not DeMinimisGrant.objects.filter(application=a).exists()
    assert list(a.ledger_entries.values_list("kind", "amount")) == ledger_before


def test_the_certificate_is_issued_with_the_bescheid_and_the_grant_goes_on_the_register_list(drive, world):
    a = apply_declaring(drive, world, ("NRW.BANK", "1.000,00"))
    drive.bescheid(a)
    assert a.stage == Stage.IMPLEMENTATION
    [bescheid] = a.letters.filter(kind=Letter.Kind.BESCHEID, status=Letter.Status.ISSUED)
    [certificate] = a.letters.filter(kind=Letter.Kind.DE_MINIMIS, status=Letter.Status.ISSUED)
    assert certificate.sha256 and certificate.pdf and certificate.issued_by == drive.people["felix"]
    assert certificate.data["content"]["bescheid_number"] == bescheid.number
    grant = DeMinimisGrant.objects.get(application=a)
    today = timezone.localdate()
    assert grant.certificate == certificate and grant.gross_grant_equivalent == D("4760.00")
    assert grant.granted_on == today and grant.report_due == add_working_days(today, 20, "NW")
    assert a.audit_events.filter(action="de_minimis.granted").exists()

    status = drive.get("alice", f"/antraege/{a.pk}/").content.decode()
    assert "De-minimis-Bescheinigung" in status and f"/briefe/{certificate.pk}/" in status
    assert drive.get("alice", f"/briefe/{certificate.pk}/").status_code == 200
    dossier = drive.get("frieda", f"/verwaltung/antraege/{a.pk}/").content.decode()
    assert "NRW.BANK" in dossier and "1.000,00" in dossier
    register = drive.get("frieda", f"/verwaltung/fonds/{a.fund_id}/de-minimis/").content.decode()
    assert a.file_number in register and "4.760,00" in register


# --- an Änderungsbescheid changes a de-minimis grant ------------------------------------------------------------

AMENDMENTS = "/verwaltung/aenderungsbescheide/"


def amend(drive, a, amount, *, expect=302):
    """frieda drafts an Änderungsbescheid to `amount`; returns the response."""
    response = drive.post("frieda", f"/verwaltung/antraege/{a.pk}/aenderungsbescheid/", {
        "new_amount": amount, "new_period_end": a.approval_period_end.isoformat(), "conditions": "",
        "reasons": "Der Umfang des Vorhabens hat sich geändert."})
    assert response.status_code == expect, response.content.decode()[:3000]
    return response


def issue_amendment(drive, a, *, expect=302):
    letter = a.letters.get(kind=Letter.Kind.AMENDMENT, status=Letter.Status.DRAFT)
    response = drive.post("felix", f"{AMENDMENTS}{letter.pk}/", {"decision": "issue"})
    assert response.status_code == expect, response.content.decode()[:3000]
    return response


def test_a_reduction_lowers_the_register_entry_with_a_new_certificate_due_for_the_register_again(drive, world):
    from fonds.services.de_minimis import de_minimis_mark_reported

    a = apply_declaring(drive, world, ("NRW.BANK", "1.000,00"))
    drive.bescheid(a)
    grant = DeMinimisGrant.objects.get(application=a)
    first = grant.certificate
    de_minimis_mark_reported(actor=drive.people["felix"], grant=grant, reported_on=timezone.localdate())
    amend(drive, a, "3000")
    assert DeMinimisGrant.objects.get(application=a).amount == D("4760.00")  # not before the second person issues
    issue_amendment(drive, a)

    grant.refresh_from_db()
    today = timezone.localdate()
    assert grant.amount == grant.gross_grant_equivalent == D("3000.00")
    assert grant.reported_on is None and grant.report_due == add_working_days(today, 20, "NW")
    certificate = grant.certificate
    assert certificate != first and certificate.status == Letter.Status.ISSUED and certificate.sha256
    amendment = a.letters.get(kind=Letter.Kind.AMENDMENT)
    [bescheid] = a.letters.filter(kind=Letter.Kind.BESCHEID)
    content = certificate.data["content"]
    assert content["bescheid_number"] == bescheid.number and content["amendment_number"] == amendment.number
    assert D(content["amount"]) == D("3000.00") and content["replaces"] == first.number
    text = pdf(certificate)
    assert f"Zuwendungsbescheid {bescheid.number} vom {date_de(grant.granted_on)}" in text
    assert f"Mit dem Änderungsbescheid {amendment.number} vom {date_de(today)}" in text
    assert f"ersetzt die Bescheinigung {first.number}" in text and "3.000,00 €" in text
    first.refresh_from_db()
    assert first.status == Letter.Status.ISSUED  # the first certificate stays in the file as it was
    event = a.audit_events.get(action="de_minimis.amended")
    assert event.before["amount"] == "4760.00" and event.after["amount"] == "3000.00"
    register = drive.get("frieda", f"/verwaltung/fonds/{a.fund_id}/de-minimis/").content.decode()
    assert "3.000,00" in register and "4.760,00" not in register


def test_an_increase_beyond_the_ceiling_is_refused_at_draft_and_at_issue_and_nothing_changes(drive, world):
    # 295.240,00 € declared + 4.760,00 € = the ceiling exactly.
    a = apply_declaring(drive, world, ("NRW.BANK", "295.240,00"))
    drive.bescheid(a)
    amend(drive, a, "4000")
    issue_amendment(drive, a)
    # Meanwhile this installation granted the same undertaking 500,00 € more.
    granted(world, a.rules, world["dia"], drive.people["alice"], "500.00")
    response = amend(drive, a, "4760", expect=400)
    assert "um 500,00 € überschritten" in plain(response) and "300.500,00 €" in plain(response)
    assert not a.letters.filter(kind=Letter.Kind.AMENDMENT, status=Letter.Status.DRAFT).exists()

    amend(drive, a, "4260")  # exactly the ceiling: may be drafted
    granted(world, a.rules, world["dia"], drive.people["alice"], "0.01")  # and then one cent more arrives
    certificates = a.letters.filter(kind=Letter.Kind.DE_MINIMIS).count()
    ledger = list(a.ledger_entries.values_list("kind", "amount"))
    response = issue_amendment(drive, a, expect=400)
    assert "um 0,01 € überschritten" in plain(response)
    a.refresh_from_db()
    assert a.approved_grant == D("4000.00") and DeMinimisGrant.objects.get(application=a).amount == D("4000.00")
    assert a.letters.get(kind=Letter.Kind.AMENDMENT, status=Letter.Status.DRAFT)
    assert a.letters.filter(kind=Letter.Kind.DE_MINIMIS).count() == certificates
    assert list(a.ledger_entries.values_list("kind", "amount")) == ledger  # the increase was not booked
