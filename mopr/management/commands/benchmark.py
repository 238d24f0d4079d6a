"""``manage.py benchmark [--size small|full]``: seed, measure, print one table and write bench/results/<date>.md.

Run it against a PostgreSQL database made for it (it adds a lot of rows), e.g.
``DATABASE_URL=postgres://postgres@127.0.0.1:5432/mopr_bench python manage.py benchmark --size full``.
"""

from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench import core as benchmark
from bench import rows as row_rendering
from bench import search


class Command(BaseCommand):
    help = "Mierzy wydajność produktu na realistycznej liczbie danych (nie jest testem: tylko wypisuje wyniki)."

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=list(benchmark.SIZES), default="small")
        parser.add_argument("--repeat", type=int, default=15)
        parser.add_argument("--load-seconds", type=int, default=10)
        parser.add_argument("--no-load", action="store_true", help="pomiń test obciążenia z gunicornem")
        parser.add_argument(
            "--pages-only",
            action="store_true",
            help="tylko strony, wyszukiwanie i widoczność (do tabeli wzrostu 100k/300k/1M)",
        )
        parser.add_argument(
            "--seed-only", action="store_true", help="tylko wypełnij bazę (pomiary później, na spokojnej maszynie)"
        )
        parser.add_argument("--output", default=str(Path(settings.BASE_DIR) / "bench" / "results"))

    def handle(self, *args, size, repeat, load_seconds, no_load, pages_only, seed_only, output, **options):

        if connection.vendor != "postgresql":
            raise CommandError("Benchmark wymaga PostgreSQL (ustaw DATABASE_URL).")
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        settings.OTP_REQUIRED = False
        settings.SECURE_SSL_REDIRECT = False
        call_command("migrate", verbosity=0)
        self.stdout.write(f"Seeding ({size})…")
        world = benchmark.seed(size)
        if seed_only:
            self.stdout.write("Baza wypełniona; pomiary przy następnym uruchomieniu (wiersze zostaną użyte ponownie).")
            return
        rows = benchmark.measure_lists(world, repeat)
        rows += search.measure(world, repeat)
        rows += row_rendering.measure(world, repeat)
        if not pages_only:
            rows.append(benchmark.measure_reassignment(world))
            rows += benchmark.measure_digest(world)
            rows += benchmark.measure_pdfs()
        if not (no_load or pages_only):
            rows += benchmark.load_run(world, load_seconds)
        plan = benchmark.explain_visibility(world)
        report = "\n\n".join(
            [
                f"# Benchmark {datetime.now():%Y-%m-%d %H:%M} – rozmiar {size}",
                f"Maszyna: {benchmark.machine()}",
                benchmark.table(rows),
                "## EXPLAIN ANALYZE zapytania o widoczność (pierwsza strona rejestru skarg)",
                "```\n" + plan + "\n```",
                "## EXPLAIN ANALYZE wyszukiwania (rzadkie nazwisko wpisane bez polskich znaków)",
                "```\n" + search.explain(world) + "\n```",
            ]
        )
        self.stdout.write(report)
        folder = Path(output)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{datetime.now():%Y-%m-%d}-{size}.md"
        path.write_text(report + "\n", encoding="utf-8")
        self.stdout.write(f"\nZapisano: {path}")
