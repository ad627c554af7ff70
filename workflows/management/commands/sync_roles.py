from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError

from workflows.roles import ROLE_PERMISSIONS


class Command(BaseCommand):
    help = "Legt die Rollen (Gruppen) an und setzt ihre Rechte genau so, wie workflows/roles.py sie festlegt."

    def handle(self, *args, **options):
        for name, codes in ROLE_PERMISSIONS.items():
            group, _ = Group.objects.get_or_create(name=name)
            permissions = []
            for code in codes:
                app_label, codename = code.split(".")
                permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
                if permission is None:
                    raise CommandError(f"Recht {code} fehlt – wurde migrate ausgeführt?")
                permissions.append(permission)
            group.permissions.set(permissions)
            self.stdout.write(f"{name}: {len(permissions)} Rechte")
