"""The eligibility checklist generated from the rules, its answers, the dossier include and the task page.

alice – applicant (Dorstener Interessengemeinschaft Altstadt e. V.)
carla – Citymanagement, checks eligibility
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from fonds.errors import DomainError
from fonds.models import AuditEvent, EligibilityCheck, EligibilityCheckItem, RuleSet, Stage
from fonds.services.checklist import checklist_for
from fonds.services.reviews import eligibility_record
from workflows import demo, services, steps
from workflows.flows import GrantFlow

from ..workflows.driver import Driver

D = Decimal
SQUARE = {"type": "Polygon", "coordinates": [[[6.96, 51.66], [6.97, 51.66], [6.97, 51.67], [6.96, 51.67],
                                              [6.96, 51.66]]]}


@pytest.fixture
def drive(people, django_capture_on_commit_callbacks):
    return Driver(people, django_capture_on_commit_callbacks)


@pytest.fixture
def application(world):
    """Alice's draft: one cost line of 2.380,00 € gross with its three quotes, 1.190,00 € requested."""
    return demo.draft(world, world["dia"], world["users"]["alice"], "Blumenampeln",
                      [("Blumenampeln", "2000", "2380")])


@pytest.fixture
def submitted(world, application, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_and_start(actor=world["users"]["alice"], application=application)
    application.refresh_from_db()
    return application


def rules_like(world, **changes) -> RuleSet:
    """A version of the round's rules, changed as given (not saved: the checklist only reads it)."""
    rules = world["round"].current_rules
    rules.pk = None
    for name, value in changes.items():
        setattr(rules, name, value)
    return rules


def item(application, rules, key):
    return next(i for i in checklist_for(application, rules) if i.key == key)


def answers(application, **overrides):
    """Every item answered as the system found it (undecidable ones: met, with a reason), then `overrides`."""
    result = {i.key: {"key": i.key, "met": True if i.automatic is None else i.automatic,
                      "reason": "Vor Ort geprüft." if i.automatic is None else ""}
              for i in checklist_for(application, application.rules)}
    for key, answer in overrides.items():
        result[key] = {"key": key, **answer}
    return list(result.values())


def test_two_rule_sets_give_two_different_checklists(world, application):
    plain = rules_like(world)
    strict = rules_like(world, allowed_applicant_kinds=["club"], de_minimis_applicable=True,
                        required_documents=["photo"], min_total_cost=D("0"))
    plain_keys = [i.key for i in checklist_for(application, plain)]
    strict_keys = [i.key for i in checklist_for(application, strict)]
    assert plain_keys != strict_keys
    assert "min_cost" in plain_keys and "min_cost" not in strict_keys
    assert {"applicant_kind", "de_minimis", "doc_photo"} <= set(strict_keys) - set(plain_keys)
    kind = item(application, strict, "applicant_kind")
    assert kind.automatic is False and "Werbe- / Interessengemeinschaft" in kind.reason
    assert item(application, strict, "doc_photo").automatic is False


def test_exactly_the_minimum_cost_passes_and_one_cent_less_fails(world, application):
    exact = item(application, rules_like(world, min_total_cost=D("2380")), "min_cost")
    assert exact.automatic is True and "2.380,00\u00a0€" in exact.reason
    short = item(application, rules_like(world, min_total_cost=D("2380.01")), "min_cost")
    assert short.automatic is False and "Mindestkosten 2.380,01\u00a0€" in short.reason


def test_one_comparison_quote_short_fails(world, application):
    rules = rules_like(world)
    assert item(application, rules, "quotes").automatic is True
    application.documents.filter(kind="quote").first().delete()
    quotes = item(application, rules, "quotes")
    assert quotes.automatic is False and "insgesamt 3, vorhanden 2" in quotes.reason


def test_a_point_on_the_border_of_the_area_is_inside_and_one_outside_is_not(world, application):
    application.fund.area_geojson = SQUARE
    rules = rules_like(world)
    application.latitude, application.longitude = D("51.660000"), D("6.965000")  # on the southern edge
    assert item(application, rules, "area").automatic is True
    application.latitude = D("51.659990")
    area = item(application, rules, "area")
    assert area.automatic is False and "außerhalb" in area.reason


def test_without_map_the_street_list_decides_and_without_either_nobody_can(world, application):
    assert item(application, rules_like(world), "area").automatic is True  # Markt is on the list
    undecidable = item(application, rules_like(world, eligible_streets=""), "area")
    assert undecidable.automatic is None and "Weder Karte noch Straßenliste" in undecidable.reason


def test_a_project_started_before_submission_fails(world, application):
    rules = rules_like(world)
    application.planned_start = timezone.localdate() - timedelta(days=1)
    started = item(application, rules, "not_started")
    assert started.automatic is False and "vor der Einreichung" in started.reason
    application.planned_start = timezone.localdate()
    assert item(application, rules, "not_started").automatic is True


def test_de_minimis_exactly_at_the_ceiling_passes(world, application):
    rules = rules_like(world, de_minimis_applicable=True, de_minimis_ceiling=D("300000"))
    application.de_minimis_amount = D("300000") - application.requested_grant
    at_ceiling = item(application, rules, "de_minimis")
    assert at_ceiling.automatic is True and "300.000,00\u00a0€" in at_ceiling.reason
    application.de_minimis_amount += D("0.01")
    assert item(application, rules, "de_minimis").automatic is False
    application.de_minimis_amount = None
    assert item(application, rules, "de_minimis").automatic is None


def test_tenants_need_the_owners_consent(world, application):
    application.is_tenant = True
    consent = item(application, rules_like(world), "doc_owner_consent")
    assert consent.automatic is False and "Keine Datei" in consent.reason


def test_an_override_without_reason_is_refused_and_nothing_is_stored(world, submitted):
    carla = world["users"]["carla"]
    with pytest.raises(DomainError, match="weichen bei „Mindest-Gesamtkosten erreicht“ vom Ergebnis des Systems ab"):
        eligibility_record(actor=carla, application=submitted, outcome="not_eligible", reasons="Zu klein.",
                           items=answers(submitted, min_cost={"met": False, "reason": " "}))
    assert not EligibilityCheck.objects.exists() and not EligibilityCheckItem.objects.exists()


def test_every_item_must_be_answered_and_the_outcome_must_fit_the_answers(world, submitted):
    carla = world["users"]["carla"]
    with pytest.raises(DomainError, match="Bitte beantworten Sie den Prüfpunkt „Fördermittel noch verfügbar“"):
        eligibility_record(actor=carla, application=submitted, outcome="eligible", reasons="passt",
                           items=[a for a in answers(submitted) if a["key"] != "budget"])
    with pytest.raises(DomainError, match="Nicht erfüllt: „Vorhaben liegt im Fördergebiet“"):
        eligibility_record(actor=carla, application=submitted, outcome="eligible", reasons="passt",
                           items=answers(submitted, area={"met": False, "reason": "Hinterhof, nicht Markt."}))
    with pytest.raises(DomainError, match="mindestens ein Prüfpunkt nicht erfüllt"):
        eligibility_record(actor=carla, application=submitted, outcome="not_eligible", reasons="nein",
                           items=answers(submitted))
    assert not EligibilityCheck.objects.exists()
    submitted.refresh_from_db()
    assert submitted.stage == Stage.ELIGIBILITY


def test_an_override_with_reason_is_stored_audited_and_shown_in_the_dossier(world, submitted):
    carla = world["users"]["carla"]
    check = eligibility_record(
        actor=carla, application=submitted, outcome="not_eligible", reasons="Liegt im Hinterhof.",
        items=answers(submitted, area={"met": False, "reason": "Der Hinterhof ist nicht öffentlich zugänglich."}))
    area = check.items.get(key="area")
    assert (area.automatic, area.met, area.overridden) == (True, False, True)
    assert "Markt" in area.automatic_reason
    assert check.items.count() == len(checklist_for(submitted, submitted.rules))
    audit = AuditEvent.objects.get(action="eligibility.overridden")
    assert audit.after["overrides"][0]["reason"] == "Der Hinterhof ist nicht öffentlich zugänglich."

    check = EligibilityCheck.objects.prefetch_related("items").get(pk=check.pk)
    html = render_to_string("fonds/includes/checklist.html", {"check": check})
    assert "überstimmt" in html and "Der Hinterhof ist nicht öffentlich zugänglich." in html
    assert html.count("überstimmt") == 1 and "Vor Ort geprüft." in html


def test_the_task_page_shows_the_checklist_and_refuses_an_override_without_reason(drive):
    a = drive.apply()
    data = {"outcome": "not_eligible", "reasons": "Zu klein.", **drive.answers(a)}
    data.update({"met_min_cost": "no", "reason_min_cost": ""})
    response = drive.do("carla", a, GrantFlow.eligibility, data, expect=200)
    _node, page = drive.pages[-1]
    assert "Prüfpunkte aus den Förderregeln" in page and "Mindest-Gesamtkosten erreicht" in page
    assert "Ergebnis des Systems" in page and "Lippestraße" in page
    assert 'name="met_area" value="yes" class="kern-form-check__radio" required id="id_met_area_0" checked' in page
    assert 'id="id_met_purpose_0" checked' not in page  # undecidable: no answer pre-filled
    html = response.content.decode()
    assert "Sie weichen bei „Mindest-Gesamtkosten erreicht“ vom Ergebnis des Systems ab" in html
    assert 'id="id_reason_min_cost_error"' in html
    a.refresh_from_db()
    assert a.stage == Stage.ELIGIBILITY and not a.eligibility_checks.exists()


def test_missing_documents_are_pre_ticked_and_sent_with_the_free_text(drive, world):
    a = drive.apply()
    a.documents.filter(kind="quote").first().delete()
    response = drive.do("carla", a, GrantFlow.eligibility, {
        "outcome": "missing", "reasons": "Ein Angebot fehlt.", "missing_checklist": ["quote"],
        "missing_items": "Foto der Fassade",
        "deadline": (timezone.localdate() + timedelta(days=14)).isoformat(),
        **drive.answers(a, unmet={"quotes": "Nur zwei Angebote."})})
    assert response.status_code == 302, response.content.decode()
    _node, page = drive.pages[-1]
    ticked = 'value="quote" class="kern-form-check__checkbox" id="id_missing_checklist_0" checked'
    assert ticked in page  # the failed quotes item is pre-ticked
    assert f'value="{(timezone.localdate() + timedelta(days=14)).isoformat()}"' in page  # default deadline
    request = a.document_requests.get()
    assert request.items == "Vergleichsangebote\nFoto der Fassade"
    assert request.deadline > timezone.localdate()


def test_commands_may_leave_items_out_and_name_only_the_failing_one(world, submitted,
                                                                    django_capture_on_commit_callbacks):
    """As the demo does: items left out take the system's result, undecidable ones the general reasons."""
    carla = world["users"]["carla"]
    with django_capture_on_commit_callbacks(execute=True):
        demo.staff(carla, submitted, GrantFlow.eligibility, steps.check_eligibility, outcome="not_eligible",
                   reasons="Werbung für einzelne Geschäfte ist nicht förderfähig.",
                   items=[{"key": "purpose", "met": False, "reason": "Dient dem Gewinn eines Geschäfts."}])
    check = submitted.eligibility_checks.get()
    assert check.items.get(key="purpose").met is False
    assert check.items.filter(met=True).count() == check.items.count() - 1
    submitted.refresh_from_db()
    assert submitted.stage == Stage.REJECTED


def test_commands_without_items_accept_the_systems_results(world, submitted, django_capture_on_commit_callbacks):
    carla = world["users"]["carla"]
    with django_capture_on_commit_callbacks(execute=True):
        demo.staff(carla, submitted, GrantFlow.eligibility, steps.check_eligibility, outcome="eligible",
                   reasons="Öffentlich zugänglich und dauerhaft.")
    purpose = submitted.eligibility_checks.get().items.get(key="purpose")
    assert (purpose.automatic, purpose.met, purpose.reason) == (None, True, "Öffentlich zugänglich und dauerhaft.")
