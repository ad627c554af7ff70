import pytest

from .driver import Driver


@pytest.fixture
def drive(people, django_capture_on_commit_callbacks):
    return Driver(people, django_capture_on_commit_callbacks)


@pytest.fixture
def board(world):
    """The demo fund's Beirat: dieter (chair), bernd (member, standing interest in the Lions Club), gisela
    (advisory)."""
    return world["board"]
