"""Create the Interdisciplinary Team of an institution (B1, B13), with its access groups.

    manage.py bluecard_team_create --institution bialystok --unit OIK --name "Zespół ..." --seat "adres"
        --admin admin [--preset 2016|2023]

The chair is then appointed by the administrator holding ``bluecard.add_teammember`` on the module's page.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from bluecard.services import team_create
from units.models import Institution, Unit


class Command(BaseCommand):
    help = "Tworzy Zespół Interdyscyplinarny ośrodka."

    def add_arguments(self, parser):
        parser.add_argument("--institution", required=True)
        parser.add_argument("--unit", required=True, help="Symbol komórki obsługującej Zespół, np. OIK")
        parser.add_argument("--name", required=True)
        parser.add_argument("--seat", required=True)
        parser.add_argument("--admin", required=True, help="Login administratora z uprawnieniem bluecard.add_team")
        parser.add_argument("--preset", default="2016", choices=["2016", "2023"])

    def handle(self, *args, **options):
        try:
            institution = Institution.objects.get(code=options["institution"])
            unit = Unit.objects.get(institution=institution, symbol=options["unit"])
            admin = get_user_model().objects.get(username=options["admin"])
        except (Institution.DoesNotExist, Unit.DoesNotExist, get_user_model().DoesNotExist) as exc:
            raise CommandError(str(exc)) from exc
        team = team_create(
            institution=institution,
            seat_unit=unit,
            name=options["name"],
            seat=options["seat"],
            preset=options["preset"],
            acting_user=admin,
        )
        self.stdout.write(self.style.SUCCESS(f"Utworzono: {team} (id {team.pk})"))
