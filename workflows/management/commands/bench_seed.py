import time

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = ("Füllt eine (migrierte, leere) PostgreSQL-Datenbank mit der Benchmark-Population: Fonds, Anträge in "
            "allen Ständen, viewflow-Aufgaben, Dokumente, Konten (bench/README.md).")

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0,
                            help="1.0: 10.000 Anträge, 100.000 Aufgaben, 30.000 Dokumente, 2.000 Konten")
        for name in ("applications", "tasks", "documents", "users", "rush", "letters"):
            parser.add_argument(f"--{name}", type=int, default=None)

    def handle(self, *args, scale, **options):
        from bench.seed import Sizes, seed

        sizes = Sizes.at(scale, **{k: options.get(k) for k in
                                   ("applications", "tasks", "documents", "users", "rush", "letters")})
        self.stdout.write(f"Benchmark-Population: {sizes}")
        started = time.monotonic()
        try:
            seed(sizes, log=self.stdout.write)
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Fertig in {time.monotonic() - started:.1f} s."))
