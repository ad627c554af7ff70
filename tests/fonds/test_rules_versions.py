"""An application keeps the rules version it was submitted under."""

from decimal import Decimal

import pytest

from fonds.errors import DomainError
from fonds.models import RuleSet
from fonds.services.reviews import application_possible_grant, recommendation_record
from workflows import demo, services, steps
from workflows.flows import GrantFlow

D = Decimal


def test_a_new_rules_version_applies_only_to_applications_submitted_after_it(world, django_capture_on_commit_callbacks):
    alice, round_ = world["users"]["alice"], world["round"]
    with django_capture_on_commit_callbacks(execute=True):
        first = demo.draft(world, world["dia"], alice, "Ampeln", [("Ampeln", "8000", "9520")])
        services.submit_and_start(actor=alice, application=first)
    v1 = round_.current_rules
    RuleSet.objects.create(round=round_, version=2, rate_percent=D("75"), max_grant=D("5000"), min_grant=D("250"))

    first.refresh_from_db()
    assert first.rules == v1
    assert application_possible_grant(first) == D("4760.00")  # 50 % of 9.520,00 € under version 1

    with django_capture_on_commit_callbacks(execute=True):
        second = demo.draft(world, world["dia"], alice, "Bänke", [("Bänke", "8000", "9520")])
        second.requested_grant, second.own_funds = D("5000"), D("4520")
        second.save()
        services.submit_and_start(actor=alice, application=second)
    second.refresh_from_db()
    assert second.rules.version == 2
    assert application_possible_grant(second) == D("5000.00")  # 75 % capped at the new maximum


def test_a_recommendation_above_what_the_frozen_rules_allow_is_refused(world, django_capture_on_commit_callbacks):
    alice, carla = world["users"]["alice"], world["users"]["carla"]
    with django_capture_on_commit_callbacks(execute=True):
        application = demo.draft(world, world["dia"], alice, "Ampeln", [("Ampeln", "8000", "9520")])
        services.submit_and_start(actor=alice, application=application)
    with django_capture_on_commit_callbacks(execute=True):
        demo.staff(carla, application, GrantFlow.eligibility, steps.check_eligibility,
                   outcome="eligible", reasons="passt")
    RuleSet.objects.create(round=world["round"], version=2, rate_percent=D("90"), max_grant=D("20000"))
    application.refresh_from_db()
    with pytest.raises(DomainError, match="übersteigt"):
        recommendation_record(actor=carla, application=application, amount=D("8000"), conditions="",
                              reasoning="zu hoch")
    assert not application.recommendations.exists()
