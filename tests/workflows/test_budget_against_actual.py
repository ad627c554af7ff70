"""Plan against actual in the proof of use: each receipt names its line of the financing plan, and the
advisor, the finance clerk and the dossier see per line what was planned, what was spent and the gap."""

from decimal import Decimal

import pytest
from pypdf import PdfReader

from fonds.models import CostItem, Letter, ReceiptLine, Stage
from fonds.selectors.settlement import budget_against_actual
from workflows.flows import GrantFlow

from .driver import Driver

D = Decimal


@pytest.fixture
def drive(people, django_capture_on_commit_callbacks):
    return Driver(people, django_capture_on_commit_callbacks)


def _approved(drive):
    application = drive.apply(net="8000", gross="9520")
    CostItem.objects.create(application=application, description="Beleuchtung", net_amount=D("1000"),
                            gross_amount=D("1190"))
    drive.eligible(application)
    drive.recommend(application)
    drive.decide(application, "approve")
    drive.bescheid(application)
    for kind, filename in (("receipt", "Rechnung.pdf"), ("finished_photo", "Fertig.pdf"),
                           ("funding_sign", "Schild.pdf")):
        drive.upload(application, kind, filename)
    return application


def _report(drive, application, rows):
    data = {"action": "use_report", "vn-narrative": "Umgesetzt wie beantragt.", "vn-funding_sign_in_place": "on",
            "belege-TOTAL_FORMS": str(len(rows)), "belege-INITIAL_FORMS": "0"}
    for n, (item, gross) in enumerate(rows):
        data.update({f"belege-{n}-paid_on": application.planned_start.isoformat(),
                     f"belege-{n}-payee": f"Firma {n}", f"belege-{n}-purpose": "Lieferung",
                     f"belege-{n}-cost_item": "" if item is None else str(item.pk),
                     f"belege-{n}-net_amount": str((D(gross) / D("1.19")).quantize(D("0.01"))),
                     f"belege-{n}-gross_amount": gross, f"belege-{n}-eligible": "on"})
    return drive.post("alice", f"/antraege/{application.pk}/umsetzung/", data)


def _task_page(drive, name, application, node):
    from viewflow.workflow.status import STATUS

    task = drive.task(application, node)
    if task.status == STATUS.NEW:
        assert drive.post(name, node.reverse("assign", args=[task.process_id, task.pk])).status_code == 302
    response = drive.get(name, node.reverse("execute", args=[task.process_id, task.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_receipts_are_assigned_to_plan_lines_and_the_figures_follow_them(drive, world):
    application = _approved(drive)
    material, light = application.cost_items.order_by("pk")
    response = _report(drive, application, [(material, "5950.00"), (material, "1190.00"), (None, "595.00")])
    assert response.status_code == 302, response.content.decode()[:2000]
    report = application.use_reports.get()
    assert sorted((r.cost_item_id or 0, r.gross_amount) for r in report.receipt_lines.all()) == sorted(
        [(material.pk, D("5950.00")), (material.pk, D("1190.00")), (0, D("595.00"))])

    comparison = budget_against_actual(report)
    rows = {r.label: (r.planned, r.actual, r.difference, r.receipt_count) for r in comparison.rows}
    assert rows == {"Material und Montage": (D("9520.00"), D("7140.00"), D("-2380.00"), 2),
                    "Beleuchtung": (D("1190.00"), D("0.00"), D("-1190.00"), 0),
                    "Nicht im Finanzierungsplan vorgesehen": (D("0.00"), D("595.00"), D("595.00"), 1)}
    assert (comparison.planned_total, comparison.actual_total, comparison.difference) == (
        D("10710.00"), D("7735.00"), D("-2975.00"))


def test_the_check_the_settlement_and_the_dossier_show_plan_actual_and_gap(drive, world):
    application = _approved(drive)
    material, light = application.cost_items.order_by("pk")
    assert _report(drive, application, [(material, "5950.00"), (light, "1428.00")]).status_code == 302
    check = _task_page(drive, "carla", application, GrantFlow.use_report_check)
    drive.accept_use_report(application, "7378.00")
    settlement = _task_page(drive, "frieda", application, GrantFlow.settlement)
    dossier = drive.get("carla", f"/verwaltung/antraege/{application.pk}/").content.decode()
    for html in (page.replace("\u00a0", " ") for page in (check, settlement, dossier)):
        assert "Plan und Ist je Kostenposition (brutto" in html
        assert "Material und Montage" in html and "9.520,00 €" in html and "5.950,00 €" in html
        assert "-3.570,00 €" in html  # 5.950 spent of 9.520 planned
        assert "Beleuchtung" in html and "1.428,00 €" in html and "238,00 €" in html

    drive.settle(application)  # 50 % of 7.378,00 € = 3.689,00 €, nothing paid yet: the letter states the gap
    letter = application.letters.get(kind=Letter.Kind.SETTLEMENT, status=Letter.Status.ISSUED)
    with letter.pdf.open("rb") as handle:
        text = " ".join("\n".join(p.extract_text() for p in PdfReader(handle).pages).replace("\u00a0", " ").split())
    assert "Ausgaben laut Finanzierungsplan und laut Verwendungsnachweis (brutto)" in text
    assert "Material und Montage 9.520,00 € 5.950,00 € -3.570,00 €" in text
    assert "Beleuchtung 1.190,00 € 1.428,00 € 238,00 €" in text


def test_a_plan_line_of_another_application_is_refused_and_nothing_is_stored(drive, world):
    application = _approved(drive)
    foreign = drive.apply(name="bob", title="Fremder Antrag").cost_items.get()
    response = _report(drive, application, [(foreign, "595.00")])
    assert response.status_code == 400
    assert "Kostenposition laut Finanzierungsplan" in response.content.decode()
    assert not application.use_reports.exists() and not ReceiptLine.objects.exists()
    application.refresh_from_db()
    assert application.stage == Stage.IMPLEMENTATION


def test_the_service_refuses_a_plan_line_of_another_application(drive, world):
    from fonds.errors import DomainError
    from fonds.services.payments import use_report_submit

    application = _approved(drive)
    foreign = drive.apply(name="bob", title="Fremder Antrag").cost_items.get()
    line = {"paid_on": application.planned_start, "payee": "Firma", "purpose": "Lieferung", "cost_item": foreign,
            "net_amount": D("500"), "gross_amount": D("595"), "eligible": True}
    with pytest.raises(DomainError, match="nicht zu diesem Antrag"):
        use_report_submit(actor=drive.people["alice"], application=application, narrative="Fertig.",
                          lines=[line], funding_sign_in_place=True)
    assert not application.use_reports.exists()
