"""A sample letter of a fund, for the fund admin to see edited texts before saving them: the fund's real
letterhead, a made-up recipient and project, the texts given. Rendered through the same pipeline as real
letters (render_letter_pdf), marked as a draft, never stored."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from fonds.letter_texts import blocks_resolve
from fonds.models import Fund, Letter
from fonds.services.de_minimis import REGULATION_FULL
from fonds.services.letters import authority_snapshot

from .letters import render_letter_pdf

SAMPLE_CONTENT = {
    "receipt": {},
    "rejection": {"reasons": "(Hier stehen die Gründe der Ablehnung im Einzelfall.)", "decided_by": "beirat",
                  "decided_on": "{today}"},
    "bescheid": {
        "amount": "4250.00", "rate_percent": "50", "eligible_costs": "8500.00", "own_share": "5865.00",
        "period_start": "{today}", "period_end": "{in_half_a_year}", "conditions": "",
        "reasons": "(Hier steht die Begründung im Einzelfall, z. B. der Beschluss des Beirats.)",
        "payment_terms": "{payment_terms}", "board_decided_on": "{today}", "use_report_due": "{in_a_year}",
        "earmarking_years": 10, "de_minimis": False,
    },
    "settlement": {"approved_grant": "4250.00", "accepted_costs": "8100.00", "final_grant": "4050.00",
                   "paid": "3000.00", "final_payment": "1050.00", "released": "200.00"},
    "recovery": {"approved_grant": "4250.00", "accepted_costs": "7200.00", "final_grant": "3600.00",
                 "paid": "4250.00", "principal": "650.00", "interest_rate": "7.27", "interest_from": "{today}",
                 "interest_to": "{today}", "interest": "0.00", "total": "650.00", "due_date": "{in_a_month}"},
    "documents_request": {"items": "Zweites Vergleichsangebot\nEinverständnis des Eigentümers",
                          "items_list": ["Zweites Vergleichsangebot", "Einverständnis des Eigentümers"],
                          "deadline": "{in_a_month}"},
    "hearing": {"measure": "rejection", "measure_label": "Ablehnung",
                "facts": "(Hier steht der Sachverhalt, auf den sich die beabsichtigte Entscheidung stützt.)",
                "deadline": "{in_a_month}"},
    "amendment": {"bescheid_number": "MUSTER/B1", "bescheid_issued_on": "{today}", "old_amount": "4250.00",
                  "new_amount": "4000.00", "reduced": True, "old_period_end": "{in_half_a_year}",
                  "new_period_end": "{in_half_a_year}", "use_report_due": "{in_a_year}", "conditions": "",
                  "reasons": "(Hier steht die Begründung der Änderung im Einzelfall.)", "paid": "1000.00",
                  "still_open": "3000.00"},
    "de_minimis": {"amount": "4250.00", "gross_grant_equivalent": "4250.00", "bescheid_number": "AF-2026-0001/B1",
                   "bescheid_issued_on": "{today}", "ceiling": "300000.00",
                   "regulation": REGULATION_FULL},
    "payment_notice": {"amount": "1000.00", "kind": "instalment", "kind_label": "Teilzahlung",
                       "iban_masked": "**** **** **** **** **12 34", "approved_grant": "4250.00",
                       "paid_total": "1000.00", "remaining": "3250.00", "released_on": "{today}"},
}


def sample_data(*, fund: Fund, kind: str, texts: dict) -> dict:
    today = timezone.localdate()
    dates = {"{today}": today, "{in_a_month}": today + dt.timedelta(days=30),
             "{in_half_a_year}": today + dt.timedelta(days=182), "{in_a_year}": today + dt.timedelta(days=365)}
    content = {}
    for key, value in SAMPLE_CONTENT[kind].items():
        if isinstance(value, str) and value in dates:
            value = dates[value].isoformat()
        elif value == "{payment_terms}":
            value = texts.get("payment_terms", "")
        content[key] = value
    authority = fund.authority
    data = {
        "authority": authority_snapshot(authority),
        "fund": {"name": fund.name, "programme": fund.programme, "purpose": fund.purpose},
        "recipient": {"name": "Musterverein Altstadt e. V.", "representative": "Erika Mustermann",
                      "legal_form": "eingetragener Verein (e. V.)", "street": "Musterstraße 1",
                      "postcode": authority.postcode, "city": authority.city},
        "application": {
            "file_number": f"{fund.code}-MUSTER", "title": "Musterprojekt",
            "description": "Ein Beispielprojekt für die Vorschau.", "location": "Marktplatz",
            "planned_start": today.isoformat(), "planned_end": dates["{in_half_a_year}"].isoformat(),
            "submitted_at": today.isoformat(), "total_cost": "10115.00", "eligible_costs": "8500.00",
            "own_funds": "5865.00", "third_party_funds": "0.00", "requested_grant": "4250.00", "vat_basis": "brutto",
            "cost_items": [{"description": "Musterposition", "net": "8500.00", "gross": "10115.00",
                            "eligible": True}],
        },
        "rules": {"rate_percent": "50", "max_grant": str(Decimal("5000.00")), "proof_of_use_months": 6,
                  "earmarking_years": 10, "de_minimis_applicable": False},
        "date": today.isoformat(),
        "content": content,
    }
    data["blocks"] = blocks_resolve(kind, texts, data)
    return data


def preview_pdf(*, fund: Fund, kind: str, texts: dict) -> bytes:
    letter = Letter(kind=kind, number=f"{fund.code}-MUSTER/{Letter.SHORT[kind]}1", status=Letter.Status.DRAFT,
                    data=sample_data(fund=fund, kind=kind, texts=texts))
    return render_letter_pdf(letter)
