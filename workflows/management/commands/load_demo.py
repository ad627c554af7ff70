from django.core.management.base import BaseCommand

from workflows import demo


class Command(BaseCommand):
    help = "Lädt die Demodaten (Altstadtfonds Dorsten, ein Konto je Rolle, Anträge in mehreren Ständen)."

    def handle(self, *args, **options):
        if demo.load():
            self.stdout.write(self.style.SUCCESS(f"Demodaten geladen. Passwort aller Konten: {demo.PASSWORD}"))
        else:
            self.stdout.write("Demodaten sind bereits vorhanden – nichts zu tun.")
