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
from units.registers_demo import seed as seed_registers
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

# Every demo login: who the person is and what they can do (printed at the end of seed_demo). The Team and the
# committee are appointed by the domains' demo modules (bluecard/demo.py, grants/demo.py).
ROLES = [
    (
        "dyrektor",
        "staff",
        "Dyrektor MOPR",
        "podpisuje pisma i zarządzenia, rozstrzyga konkursy ofert, widzi cały ośrodek",
    ),
    ("zastepca1", "staff", "Zastępca Dyrektora (nadzór nad DSR)", "akceptuje sprawy nadzorowanych komórek"),
    (
        "zastepca2",
        "staff",
        "Zastępca Dyrektora (nadzór nad DNK), zastępca przewodniczącego komisji konkursowej",
        "akceptuje sprawy DNK, ocenia oferty w komisji",
    ),
    ("ksiegowa", "staff", "Główny Księgowy", "kontrasygnuje umowy i dokumenty finansowe"),
    ("zgk", "staff", "Zastępca Głównego Księgowego", "kontrasygnuje w zastępstwie Głównego Księgowego"),
    (
        "dnk_kierownik",
        "staff",
        "Kierownik DNK, przewodniczący komisji konkursowej",
        "rozpatruje skargi i wnioski, kieruje pracą komisji konkursowej",
    ),
    (
        "dnk_pracownik",
        "staff",
        "inspektor DNK",
        "rejestruje skargi, wnioski i zgłoszenia sygnalistów, prowadzi konkursy ofert (ogłoszenie, oferty, komisja)",
    ),
    ("dsr_kierownik", "staff", "Kierownik DSR", "wyjaśnia skargi na pracę działu"),
    ("sok_kierownik", "staff", "Kierownik SOK", "wyjaśnia skargi na pracę sekcji"),
    ("sok_pracownik", "staff", "referent SOK", "widzi sprawy swojej sekcji"),
    (
        "oik_kierownik",
        "staff",
        "Kierownik OIK, przewodnicząca Zespołu Interdyscyplinarnego",
        "zwołuje posiedzenia Zespołu, prowadzi Niebieskie Karty, powołuje grupy diagnostyczno-pomocowe",
    ),
    (
        "zps1_kierownik",
        "staff",
        "Kierownik ZPS Nr 1, zastępca przewodniczącej Zespołu",
        "zastępuje przewodniczącą, widzi rejestr dostępu do kart",
    ),
    (
        "pracownik_socjalny",
        "staff",
        "pracownik socjalny ZPS Nr 1, członek Zespołu",
        "pracuje w grupach diagnostyczno-pomocowych, wypełnia Niebieskie Karty",
    ),
    # R3: social workers of the demo care districts (created by units/district_demo.py).
    ("ps_grabowski", "staff", "pracownik socjalny ZPS Nr 1, rejon nr 2", "odpowiada za rejon opiekuńczy nr 2"),
    ("ps_pawlowska", "staff", "pracownik socjalny ZPS Nr 1, rejon nr 3", "odpowiada za rejon opiekuńczy nr 3"),
    ("dka_kierownik", "staff", "Kierownik DKA", "prowadzi rejestr pełnomocnictw i upoważnień"),
    (
        "iod",
        "staff",
        "Inspektor Ochrony Danych",
        "przegląda rejestr dostępu do danych wrażliwych, dziennik bezpieczeństwa i niedostarczoną pocztę",
    ),
    ("admin", "staff", "administrator", "zmienia strukturę organizacyjną w panelu /admin/ (bez dostępu do spraw)"),
    (
        "policjant",
        "outside",
        "członek Zespołu Interdyscyplinarnego z Komendy Miejskiej Policji",
        "uczestniczy w posiedzeniach i w grupie diagnostyczno-pomocowej, widzi tylko sprawy Zespołu",
    ),
    (
        "pedagog",
        "outside",
        "pedagog szkolny, członek grupy diagnostyczno-pomocowej",
        "widzi tylko kartę swojej grupy",
    ),
    (
        "komisja_um",
        "outside",
        "członek komisji konkursowej z Urzędu Miejskiego",
        "składa oświadczenie o bezstronności, wypełnia karty oceny ofert",
    ),
    (
        "komisja_ngo",
        "outside",
        "członek komisji konkursowej z organizacji pozarządowej",
        "składa oświadczenie o bezstronności, wypełnia karty oceny ofert",
    ),
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
        # R3: the care districts, their streets (TERYT ULIC sample) and workers (units/district_demo.py).
        import_module("units.district_demo").seed(institution, people)
        recompute_unit_groups(institution)
        import_module("units.staff_demo").seed(institution, people)  # R2, R4: evaluations, regulations
        for app in (entry["app"] for entry in settings.DOMAIN_APPS):
            try:
                module = import_module(f"{app}.demo")
            except ModuleNotFoundError:
                continue
            module.seed(institution, people)
        seed_registers(institution, people)  # R1: the register engine's demo entries
        self.print_logins()

    def print_logins(self):
        """Every demo login with who it is and what it can do, staff first, then the people from outside."""
        names = {
            user.username: user.get_full_name()
            for user in get_user_model().objects.filter(username__in=[row[0] for row in ROLES])
        }
        self.stdout.write(f"\nKonta demonstracyjne (hasło dla wszystkich: {DEMO_PASSWORD}):")
        for heading, rows in (
            ("Pracownicy MOPR", [row for row in ROLES if row[1] == "staff"]),
            ("Spoza MOPR", [row for row in ROLES if row[1] == "outside"]),
        ):
            self.stdout.write(f"\n{heading}:")
            for login, _kind, who, can in rows:
                if login in names:
                    self.stdout.write(f"  {login:19s} {names[login]} – {who}")
                    self.stdout.write(f"  {'':19s}   {can}")
