"""Jahresabschluss (carry over or lapse per source, once per year, no commitment afterwards) and the fund
dashboard with its exports.

alice – applicant; carla – Citymanagement; frieda/felix – finance; verwaltung – fund admin;
olga – finance of another city.
"""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from fonds.errors import DomainError
from fonds.models import (
    AuditEvent,
    BudgetLine,
    LedgerEntry,
    Measure,
    PrivateContribution,
    YearClosing,
    YearClosingLine,
)
from fonds.services.contributions import contribution_pledge, contribution_receive
from fonds.services.ledger import commitment_book, fund_money
from fonds.services.year_end import year_close
from tests.fonds.test_ledger_share import bare, client, olga_of_another_city

D = Decimal
EUR = "\u00a0€"
CARRY, LAPSE = YearClosingLine.Decision.CARRY_OVER, YearClosingLine.Decision.LAPSE


# --- year end ---------------------------------------------------------------------------------------------------


def test_the_year_end_carries_over_or_lets_lapse_per_source_once(world):
    """The demo budget: Bund 10.000, Land 10.000, Stadt 5.000 public; 25.000 private (pool)."""
    u, fund, year = world["users"], world["round"].fund, world["round"].year
    commitment_book(actor=u["frieda"], application=bare(world, "2000.00"), amount=D("1000.00"))  # 1.000 public

    closing = year_close(actor=u["frieda"], fund=fund, year=year,
                         decisions={"bund": CARRY, "land": LAPSE, "stadt": CARRY, "pool": CARRY})

    lines = {line.source: (line.amount, line.decision) for line in closing.lines.all()}
    # 24.000 public left, shared out like the budget lines 10:10:5
    assert lines == {"bund": (D("9600.00"), CARRY), "land": (D("9600.00"), LAPSE), "stadt": (D("4800.00"), CARRY),
                     "pool": (D("25000.00"), CARRY)}
    next_year = {b.source: b for b in BudgetLine.objects.filter(fund=fund, year=year + 1)}
    assert set(next_year) == {"bund", "stadt"}
    assert next_year["bund"].amount == D("9600.00") and next_year["stadt"].amount == D("4800.00")
    assert next_year["bund"].note == f"Übertrag aus dem Haushaltsjahr {year} (Jahresabschluss)"
    carried = PrivateContribution.objects.get(fund=fund, year=year + 1)
    assert (carried.kind, carried.pledged, carried.received) == ("carry_over", D("25000.00"), D("25000.00"))
    assert fund_money(fund=fund, year=year + 1)["budget"] == D("39400.00")
    assert AuditEvent.objects.filter(action="year.closed", object_id=str(closing.pk)).count() == 1

    with pytest.raises(DomainError) as again:
        year_close(actor=u["felix"], fund=fund, year=year, decisions={"bund": CARRY, "land": CARRY,
                                                                       "stadt": CARRY, "pool": CARRY})
    assert again.value.message == f"Das Haushaltsjahr {year} ist bereits abgeschlossen."
    assert YearClosing.objects.count() == 1 and BudgetLine.objects.filter(year=year + 1).count() == 2


def test_after_the_year_end_nothing_more_is_bound_in_that_year(world):
    u, fund, year = world["users"], world["round"].fund, world["round"].year
    year_close(actor=u["frieda"], fund=fund, year=year, decisions={s: LAPSE for s in ("bund", "land", "stadt", "pool")})
    entries = LedgerEntry.objects.count()
    with pytest.raises(DomainError) as refused:
        commitment_book(actor=u["frieda"], application=bare(world, "2000.00"), amount=D("1000.00"))
    assert refused.value.message == (f"Das Haushaltsjahr {year} des Fonds ist abgeschlossen: Es können keine "
                                     f"Mittel mehr gebunden werden.")
    assert LedgerEntry.objects.count() == entries


def test_the_year_end_needs_a_decision_for_every_source_with_money_left(world):
    u, fund, year = world["users"], world["round"].fund, world["round"].year
    with pytest.raises(DomainError) as refused:
        year_close(actor=u["frieda"], fund=fund, year=year, decisions={"bund": CARRY, "land": CARRY, "stadt": CARRY})
    assert "Private Mittel (Pool)" in refused.value.message
    assert not YearClosing.objects.exists() and not BudgetLine.objects.filter(year=year + 1).exists()
    with pytest.raises(DomainError):
        year_close(actor=u["frieda"], fund=fund, year=year + 1, decisions={})
    assert not YearClosing.objects.exists()


def test_finance_closes_the_year_on_the_page_and_nobody_else_can(world):
    u, fund, year = world["users"], world["round"].fund, world["round"].year
    url = f"/verwaltung/fonds/{fund.pk}/jahresabschluss/?jahr={year}"
    olga = olga_of_another_city()
    for name, status in {"alice": 403, "carla": 403, "verwaltung": 403, "olga": 404}.items():
        c = client(olga if name == "olga" else u[name])
        assert c.get(url).status_code == status, name
        assert c.post(url, {"bund": "lapse"}).status_code == status, name
    assert not YearClosing.objects.exists()

    c = client(u["frieda"])
    page = c.get(url)
    assert page.status_code == 200
    assert f"Bund (Städtebauförderung): 10.000,00{EUR} nicht gebunden" in page.content.decode()
    missing = c.post(url, {"bund": "carry_over", "land": "carry_over", "stadt": "lapse"})
    assert missing.status_code == 400 and not YearClosing.objects.exists()
    assert "Bitte entscheiden Sie: übertragen oder verfallen lassen." in missing.content.decode()
    done = c.post(url, {"bund": "carry_over", "land": "carry_over", "stadt": "lapse", "pool": "lapse"})
    assert done.status_code == 302
    assert YearClosing.objects.get().closed_by == u["frieda"]
    assert "ins Folgejahr übertragen" in c.get(url).content.decode()
    assert c.post(url, {"bund": "carry_over"}).status_code == 400
    assert YearClosing.objects.count() == 1


# --- dashboard --------------------------------------------------------------------------------------------------


def fund_with_money(world, n):
    """`n` applications bound (every third one to a measure), a pledge half received."""
    u, fund, year = world["users"], world["round"].fund, world["round"].year
    measure = Measure.objects.filter(authority=fund.authority).first()
    for i in range(n):
        a = bare(world, "200.00", f"Vorhaben {i}")
        if i % 3 == 0:
            a.measure = measure
            a.save(update_fields=["measure"])
        commitment_book(actor=u["frieda"], application=a, amount=D("100.00"))
    sponsor = contribution_pledge(actor=u["frieda"], fund=fund, year=year, contributor="Sparkasse Vest",
                                  kind=PrivateContribution.Kind.SPONSOR, pledged=D("1000.00"))
    contribution_receive(actor=u["frieda"], contribution=sponsor, amount=D("500.00"),
                         received_on=sponsor.created_at.date())
    return measure


def test_the_dashboard_shows_figures_charts_and_the_measure_report(world):
    measure = fund_with_money(world, 3)
    fund, year = world["round"].fund, world["round"].year
    response = client(world["users"]["verwaltung"]).get(f"/verwaltung/fonds/{fund.pk}/finanzen/")
    html = response.content.decode()
    assert response.status_code == 200
    for text in (f"Haushaltsjahr {year}", f"51.000,00{EUR}",  # 50.000 budget lines + 1.000 pledged
                 f"Gebunden</th><td class=\"num\">300,00{EUR}", "50,00\u00a0%",
                 f"Private Mittel eingegangen</th><td class=\"num\">25.500,00{EUR}",
                 measure.get_field_of_action_display(), "ohne Maßnahme"):
        assert text in html, text
    assert html.count('role="img"') == 3 and html.count("<desc id=") == 3
    assert 'fill="url(#anteile-' in html and f"Öffentliche Mittel: 300,00{EUR} (50,00\u00a0%)" in html


def test_the_dashboard_runs_a_constant_number_of_queries(world, django_assert_num_queries):
    fund_with_money(world, 1)
    url = f"/verwaltung/fonds/{world['round'].fund.pk}/finanzen/"
    c = client(world["users"]["frieda"])
    c.get(url)  # warm the session and permission caches alike for both measurements
    with CaptureQueriesContext(connection) as one:
        assert c.get(url).status_code == 200
    fund_with_money(world, 29)
    with django_assert_num_queries(len(one)):
        assert c.get(url).status_code == 200


def test_the_dashboard_exports_csv_and_xlsx(world):
    fund_with_money(world, 3)
    fund, year = world["round"].fund, world["round"].year
    c = client(world["users"]["frieda"])

    response = c.get(f"/verwaltung/fonds/{fund.pk}/finanzen.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Haushaltsjahr" and "Öffentlicher Anteil (%)" in rows[0]
    data = dict(zip(rows[0], rows[1], strict=True))
    assert data["Haushaltsjahr"] == str(year) and data["Gebunden"] == "300,00"
    assert data["Öffentlicher Anteil (%)"] == "50,00"
    assert ["Nachweis nach Jahr und Handlungsfeld (Städtebauförderung)"] in rows

    response = c.get(f"/verwaltung/fonds/{fund.pk}/finanzen.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Jahre", "Handlungsfelder"]
    head = [cell.value for cell in book["Jahre"][1]]
    values = dict(zip(head, [cell.value for cell in book["Jahre"][2]], strict=True))
    assert values["Haushaltsjahr"] == year and D(str(values["Gebunden"])) == D("300.00")
    assert sum(D(str(r[4].value)) for r in book["Handlungsfelder"].iter_rows(min_row=2)) == D("300.00")
    assert c.get(f"/verwaltung/fonds/{fund.pk}/finanzen.pdf").status_code == 404


def test_the_dashboard_and_its_exports_show_one_budget_year_when_asked(world):
    fund_with_money(world, 3)
    fund, year = world["round"].fund, world["round"].year
    BudgetLine.objects.create(fund=fund, year=year + 1, source=BudgetLine.Source.STADT, amount=D("7000.00"))
    c, url = client(world["users"]["frieda"]), f"/verwaltung/fonds/{fund.pk}/finanzen/"

    both = c.get(url).content.decode()
    assert f"Haushaltsjahr {year}</h2>" in both and f"Haushaltsjahr {year + 1}</h2>" in both
    one = c.get(url, {"jahr": year + 1}).content.decode()
    assert f"Haushaltsjahr {year + 1}</h2>" in one and f"Haushaltsjahr {year}</h2>" not in one
    assert f"7.000,00{EUR}" in one and f"finanzen.csv?jahr={year + 1}" in one
    assert f'<option value="{year + 1}" selected>' in one
    rows = list(csv.reader(io.StringIO(c.get(f"/verwaltung/fonds/{fund.pk}/finanzen.csv", {"jahr": year + 1})
                                       .content.decode("utf-8-sig")), delimiter=";"))
    assert [r[0] for r in rows[1:2]] == [str(year + 1)] and rows[2] == []  # one year, then the report
    report = rows[rows.index(["Nachweis nach Jahr und Handlungsfeld (Städtebauförderung)"]) + 2:]
    assert report == []  # nothing was bound in the coming year

    refused = c.get(url, {"jahr": "1999"})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "Für dieses Jahr hat der Fonds keine Zahlen" in page and f"Haushaltsjahr {year}</h2>" in page
    export = c.get(f"/verwaltung/fonds/{fund.pk}/finanzen.xlsx", {"jahr": "abc"})
    assert export.status_code == 400 and "Für dieses Jahr hat der Fonds keine Zahlen" in export.content.decode()


def test_only_finance_and_the_fund_admin_of_the_authority_see_the_dashboard(world):
    u, fund = world["users"], world["round"].fund
    olga = olga_of_another_city()
    expected = {"alice": 403, "bob": 403, "carla": 403, "dieter": 403, "olga": 404, "verwaltung": 200,
                "frieda": 200}
    for name, status in expected.items():
        c = client(olga if name == "olga" else u[name])
        for url in (f"/verwaltung/fonds/{fund.pk}/finanzen/", f"/verwaltung/fonds/{fund.pk}/finanzen.csv",
                    f"/verwaltung/fonds/{fund.pk}/finanzen.xlsx"):
            assert c.get(url).status_code == status, (name, url)
