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
from fonds.models import AuditEvent, DeMinimisGrant, Letter, RuleSet, Stage
from tests.fonds.test_de_minimis import granted
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
