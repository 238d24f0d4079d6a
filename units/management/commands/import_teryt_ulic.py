"""Import streets from the national TERYT ULIC catalogue (GUS; CSV, ``;``-separated, UTF-8, with the header
``WOJ;POW;GMI;RODZ_GMI;SYM;SYM_UL;CECHA;NAZWA_1;NAZWA_2;STAN_NA``):
``manage.py import_teryt_ulic <file> --institution bialystok [--sym 0922410]``.

Idempotent: streets are matched by SYM_UL; a second run changes nothing, a newer catalogue updates the names.
The locality filter defaults to the institution's town. The SIMC identifiers below (Białystok 0922410,
Kraśnik 0975003) were written from memory: check them against the catalogue (column SYM) and pass ``--sym``
when they differ.
"""

from __future__ import annotations

import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from units.district_services import streets_import
from units.models import Institution

DEFAULT_SYM = {"bialystok": "0922410", "krasnik": "0975003"}
COLUMNS = {"SYM", "SYM_UL", "CECHA", "NAZWA_1", "NAZWA_2", "STAN_NA"}


def read_rows(path: Path) -> list[dict]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle, delimiter=";")
            missing = COLUMNS - set(reader.fieldnames or [])
            if missing:
                raise CommandError(f"To nie jest plik TERYT ULIC: brak kolumn {', '.join(sorted(missing))}.")
            return list(reader)
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"Nie można odczytać pliku {path}: {error}") from error


class Command(BaseCommand):
    help = "Wczytuje ulice z katalogu TERYT ULIC (plik CSV GUS) dla ośrodka."

    def add_arguments(self, parser):
        parser.add_argument("file", help="plik CSV katalogu ULIC (separator ';', UTF-8)")
        parser.add_argument("--institution", required=True, help="kod ośrodka: bialystok lub krasnik")
        parser.add_argument("--sym", help="identyfikator miejscowości SIMC (kolumna SYM); domyślnie miasto ośrodka")

    def handle(self, *args, **options):
        institution = Institution.objects.filter(code=options["institution"]).first()
        if institution is None:
            raise CommandError(f"Nieznany ośrodek: {options['institution']} (najpierw load_institution).")
        sym = options["sym"] or DEFAULT_SYM.get(institution.code)
        rows = read_rows(Path(options["file"]))
        result = streets_import(institution=institution, rows=rows, sym=sym)
        self.stdout.write(
            f"Ulice ({institution.short_name}, SYM {sym or 'wszystkie'}): nowe {result.created}, "
            f"zmienione {result.updated}, bez zmian {result.unchanged}, pominięte {result.skipped}."
        )
