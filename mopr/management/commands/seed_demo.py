"""Demo data: MOPR Białystok's structure, a person for each role, and each domain's sample records.

Idempotent. Each domain app may provide ``<app>/demo.py`` with ``seed(institution, people)``.
"""

import os
from datetime import date
from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from units.models import Institution, Membership, Unit
from units.permissions import ACCOUNT_PERMISSIONS, chart_admin_group, recompute_unit_groups
from units.services import supervision_apply_defaults

DEMO_PASSWORD = "Demo-MOPR-2026!"

# login, first name, last name, unit symbol, position, title
PEOPLE = [
    ("dyrektor", "Anna", "Kowalska", "DYR", "director", "Dyrektor"),
    ("zastepca1", "Piotr", "Nowak", "DYR", "deputy_director", "Zastępca Dyrektora"),
    ("zastepca2", "Ewa", "Wiśniewska", "DYR", "deputy_director", "Zastępca Dyrektora"),
    ("ksiegowa", "Maria", "Wójcik", "DYR", "chief_accountant", "Główny Księgowy"),
    ("zgk", "Tomasz", "Kamiński", "DFK", "deputy_chief_accountant", "Zastępca Głównego Księgowego"),
    ("dnk_kierownik", "Katarzyna", "Lewandowska", "DNK", "head", "Kierownik Działu Nadzoru i Kontroli"),
    ("dnk_pracownik", "Jan", "Zieliński", "DNK", "employee", "inspektor"),
    ("dsr_kierownik", "Agnieszka", "Szymańska", "DSR", "head", "Kierownik Działu Świadczeń Rodzinnych"),
    ("sok_kierownik", "Marek", "Woźniak", "SOK", "head", "Kierownik Sekcji Obsługi Klienta"),
    ("sok_pracownik", "Joanna", "Dąbrowska", "SOK", "employee", "referent"),
    ("zps1_kierownik", "Paweł", "Kozłowski", "ZPS Nr 1", "head", "Kierownik Zespołu Pracowników Socjalnych Nr 1"),
    ("pracownik_socjalny", "Magdalena", "Jankowska", "ZPS Nr 1", "employee", "pracownik socjalny"),
    ("dka_kierownik", "Krzysztof", "Mazur", "DKA", "head", "Kierownik Działu Kadr i Administracji"),
    ("iod", "Barbara", "Krawczyk", "IOD", "employee", "Inspektor Ochrony Danych"),
    ("oik_kierownik", "Aleksandra", "Kaczmarek", "OIK", "head", "Kierownik Ośrodka Interwencji Kryzysowej"),
]


class Command(BaseCommand):
    help = "Wczytuje dane demonstracyjne (MOPR Białystok) i wypisuje loginy."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Wczytaj dane demonstracyjne także poza trybem demonstracyjnym (MOPR_DEMO/DEBUG).",
        )

    def handle(self, *args, **options):
        if not (settings.DEBUG or os.environ.get("MOPR_DEMO", "").lower() in ("1", "true", "yes", "on")):
            if not options["force"]:
                raise CommandError(
                    "Dane demonstracyjne (konto 'admin' i 15 osób z opublikowanym hasłem) wczytuje się tylko w "
                    "trybie demonstracyjnym (MOPR_DEMO=1 lub DEBUG=true). Świadomie: --force."
                )
            self.stderr.write(
                self.style.WARNING(
                    "UWAGA: dane demonstracyjne z opublikowanym hasłem w bazie poza trybem demonstracyjnym. "
                    "Usuń te konta przed udostępnieniem systemu."
                )
            )

        call_command("load_institution", "bialystok", stdout=self.stdout)
        User = get_user_model()
        institution = Institution.objects.get(code="bialystok")
        start = date(2020, 1, 1)
        people = {}
        with transaction.atomic():
            for login, first, last, symbol, position, title in PEOPLE:
                user, created = User.objects.get_or_create(
                    username=login,
                    defaults={"first_name": first, "last_name": last, "email": f"{login}@mopr.demo"},
                )
                if created:
                    user.set_password(DEMO_PASSWORD)
                    user.save()
                unit = Unit.objects.get(institution=institution, symbol=symbol)
                if not Membership.objects.filter(user=user, unit=unit).exists():
                    Membership.objects.create(user=user, unit=unit, position=position, title=title, valid_from=start)
                people[login] = user
            admin, created = User.objects.get_or_create(
                username="admin",
                defaults={
                    "first_name": "Adam",
                    "last_name": "Administrator",
                    "email": "admin@mopr.demo",
                    "is_staff": True,
                },
            )
            if created:
                admin.set_password(DEMO_PASSWORD)
                admin.save()
            # The administrator edits the chart; accounts, groups and case registers are not theirs.
            admin.user_permissions.remove(
                *Permission.objects.filter(content_type__app_label="auth", codename__in=ACCOUNT_PERMISSIONS)
            )
            admin.groups.add(chart_admin_group())
            people["admin"] = admin
            supervision_apply_defaults(institution, start)
        recompute_unit_groups(institution)
        for app in (entry["app"] for entry in settings.DOMAIN_APPS):
            try:
                module = import_module(f"{app}.demo")
            except ModuleNotFoundError:
                continue
            module.seed(institution, people)
        self.stdout.write(f"\nKonta demonstracyjne (hasło dla wszystkich: {DEMO_PASSWORD}):")
        for login, first, last, symbol, _position, title in PEOPLE:
            self.stdout.write(f"  {login:20s} {first} {last} – {title} ({symbol})")
        self.stdout.write(f"  {'admin':20s} panel administracyjny: /admin/")
