"""Personas and the Dorsten fund, built by the same code as the demo data.

alice  – applicant, acts for the Dorstener Interessengemeinschaft Altstadt e. V.
bob    – another applicant (Lions Club) who must see nothing of alice's
carla  – Citymanagement
dieter – Beirat member
frieda – finance (drafts Bescheide, orders payments)
felix  – finance (second person: issues Bescheide, releases payments)
"""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from workflows import demo


@pytest.fixture(autouse=True)
def fresh_cache():
    """The cache holds the login throttle's counters: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db):
    call_command("sync_roles", stdout=open("/dev/null", "w"))
    base = demo.create_base(timezone.localdate())
    return base


@pytest.fixture
def people(world):
    return world["users"]


@pytest.fixture(autouse=True)
def german():
    """Every test starts in German, whatever language an earlier request left active in this thread."""
    from django.utils import translation

    translation.activate("de")
    yield
    translation.deactivate()
