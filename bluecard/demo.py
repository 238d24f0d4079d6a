"""Demo data (idempotent): the Team at OIK, its members incl. a police officer and a school counsellor,
declarations, an ordinary meeting and two cards (one with a working group)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils import timezone

from mopr import calendar
from mopr.deadlines import deadline_cancel
from mopr.management.commands.seed_demo import DEMO_PASSWORD
from units.models import Unit

from . import services
from .models import BlueCard, ConfidentialityDeclaration, Meeting, MemberRole, Team, TeamMember

TEAM_NAME = "Zespół Interdyscyplinarny ds. Przeciwdziałania Przemocy w Rodzinie w Białymstoku"


def _user(username, first, last, password):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username, defaults={"first_name": first, "last_name": last, "email": f"{username}@mopr.demo"}
    )
    if created:
        user.set_password(password)
        user.save()
    return user


def seed(institution, people):
    if Team.objects.filter(institution=institution, name=TEAM_NAME).exists():
        return
    admin = people["admin"]
    admin.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="bluecard",
            codename__in=["add_team", "change_team", "add_teammember", "change_teammember"],
        )
    )
    admin = get_user_model().objects.get(pk=admin.pk)  # fresh permission cache
    police = _user("policjant", "Robert", "Nowicki", DEMO_PASSWORD)
    teacher = _user("pedagog", "Irena", "Sadowska", DEMO_PASSWORD)
    today = timezone.localdate()
    appointed = today - timedelta(days=400)
    team = services.team_create(
        institution=institution,
        seat_unit=Unit.objects.get(institution=institution, symbol="OIK"),
        name=TEAM_NAME,
        seat="Ośrodek Interwencji Kryzysowej, Białystok",
        acting_user=admin,
    )
    roster = [
        (people["oik_kierownik"], MemberRole.CHAIR, "MOPR w Białymstoku – OIK"),
        (people["zps1_kierownik"], MemberRole.VICE_CHAIR, "MOPR w Białymstoku – ZPS Nr 1"),
        (people["pracownik_socjalny"], MemberRole.MEMBER, "MOPR w Białymstoku – ZPS Nr 1"),
        (police, MemberRole.MEMBER, "Komenda Miejska Policji w Białymstoku"),
    ]
    members = {}
    for user, role, inst in roster:
        members[user.username] = services.member_appoint(
            team=team,
            user=user,
            represented_institution=inst,
            email=user.email,
            role=role,
            order_number=f"{100 + len(members)}/{appointed.year}",
            order_date=appointed,
            acting_user=admin,
        )
    for user, _role, _inst in roster:
        if not ConfidentialityDeclaration.objects.filter(team=team, user=user).exists():
            services.declaration_record(
                team=team, user=user, capacity="member", declared_on=appointed, acting_user=user
            )
    chair = people["oik_kierownik"]
    if not Meeting.objects.filter(team=team).exists():
        services.meeting_schedule(
            team=team,
            kind="ordinary",
            date_=calendar.roll_to_working_day(calendar.add_months(today, 1) + timedelta(days=2)),
            time=timezone.datetime(2000, 1, 1, 10).time(),
            place=team.seat,
            agenda="1. Informacja o nowych kartach.\n2. Program przeciwdziałania przemocy.",
            acting_user=chair,
            today=today,
        )
    if not BlueCard.objects.filter(team=team).exists():
        first = services.bluecard_register(
            team=team,
            received_on=today - timedelta(days=20),
            initiating_institution="police",
            initiating_body="Komenda Miejska Policji w Białymstoku",
            person_experiencing="Maria Przykładowa",
            persons_suspected="Adam Przykładowy",
            children="Zosia (2016), Kuba (2019)",
            family_address="ul. Lipowa 14/5, 15-427 Białystok",
            acting_user=chair,
        )
        services.bluecard_notify_members(first, acting_user=chair)
        social = members["pracownik_socjalny"]
        services.subteam_decide(
            first,
            members=[members["oik_kierownik"], social],
            decision="working_group",
            decided_on=first.received_on + timedelta(days=2),
            coordinator=social,
            acting_user=chair,
        )
        first.refresh_from_db()
        services.group_member_add(
            first.group,
            user=police,
            institution_name="Komenda Miejska Policji",
            joined_on=first.received_on + timedelta(days=2),
            acting_user=chair,
        )
        services.group_member_add(
            first.group,
            user=teacher,
            institution_name="Szkoła Podstawowa nr 5",
            joined_on=first.received_on + timedelta(days=2),
            acting_user=chair,
        )
        services.declaration_record(
            team=team,
            user=teacher,
            capacity="group_member",
            declared_on=first.received_on + timedelta(days=2),
            acting_user=chair,
        )
        services.help_action_add(
            first, description="Konsultacja psychologiczna w OIK", responsible="OIK", acting_user=chair
        )
        services.bluecard_register(
            team=team,
            received_on=today - timedelta(days=1),
            initiating_institution="education",
            initiating_body="Szkoła Podstawowa nr 5",
            person_experiencing="Katarzyna Wzorcowa",
            persons_suspected="Tomasz Wzorcowy",
            acting_user=chair,
        )
    # The demo Team's records start this year: last year's annual report (B12) was made outside the system, so
    # its deadline is not left overdue on the chair's dashboard (demo dates relative to today).
    deadline_cancel(team, f"bluecard_annual_report_{today.year - 1}")
    assert TeamMember.objects.filter(team=team).count() >= 4
