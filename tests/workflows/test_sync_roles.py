"""sync_roles sets each role's permissions exactly as workflows/roles.py lists them, and refuses a permission the
database does not know (a migration not run)."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError

from workflows import roles


@pytest.mark.django_db
def test_every_role_gets_exactly_its_permissions_and_a_second_run_changes_nothing():
    call_command("sync_roles", stdout=open("/dev/null", "w"))
    call_command("sync_roles", stdout=open("/dev/null", "w"))
    for name, codes in roles.ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=name)
        have = {f"{app}.{code}" for app, code in group.permissions.values_list("content_type__app_label", "codename")}
        assert have == set(codes), name


@pytest.mark.django_db
def test_an_unknown_permission_is_refused_by_name(monkeypatch):
    monkeypatch.setitem(roles.ROLE_PERMISSIONS, "Finanzen", [*roles.ROLE_PERMISSIONS["Finanzen"], "fonds.fly_away"])
    with pytest.raises(CommandError, match="fonds.fly_away"):
        call_command("sync_roles", stdout=open("/dev/null", "w"))
