from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError

from workflows.roles import ROLE_PERMISSIONS


class Command(BaseCommand):
    help = "Legt die Rollen (Gruppen) an und setzt ihre Rechte genau so, wie workflows/roles.py sie festlegt."

    def handle(self, *args, **options):
        # Every permission in one query (the test suite runs this before every test that needs the roles).
        known = {(app_label, codename): pk for pk, app_label, codename
                 in Permission.objects.values_list("pk", "content_type__app_label", "codename")}
        for name, codes in ROLE_PERMISSIONS.items():
            group, _ = Group.objects.get_or_create(name=name)
            permissions = []
            for code in codes:
                app_label, codename = code.split(".")
                if (app_label, codename) not in known:
                    raise CommandError(f"Recht {code} fehlt – wurde migrate ausgeführt?")
                permissions.append(known[(app_label, codename)])
            group.permissions.set(permissions)
            self.stdout.write(f"{name}: {len(permissions)} Rechte")
