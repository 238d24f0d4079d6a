"""A Team on the Białystok chart: chair oik_kierownik, vice-chair zps1_kierownik, members pracownik_socjalny
and a police officer (all declared), and dsr_kierownik (a member WITHOUT a declaration)."""

from datetime import date
from types import SimpleNamespace

import pytest

from tests.factories import UserFactory

APPOINTED = date(2025, 1, 10)


def build_team(chart):
    from bluecard import services
    from bluecard.models import MemberRole

    admin = UserFactory(username="bc_admin", is_superuser=True, is_staff=True)
    team = services.team_create(
        institution=chart.institution,
        seat_unit=chart.unit("OIK"),
        name="Zespół Interdyscyplinarny w Białymstoku",
        seat="ul. Testowa 1, Białystok",
        acting_user=admin,
    )
    police = UserFactory(username="policjant", first_name="Robert", last_name="Policki")
    teacher = UserFactory(username="pedagog", first_name="Irena", last_name="Szkolna")

    def appoint(user, role=MemberRole.MEMBER, inst="MOPR Białystok"):
        return services.member_appoint(
            team=team,
            user=user,
            represented_institution=inst,
            email=user.email,
            role=role,
            order_number=f"Zarz. {user.pk}/2025",
            order_date=APPOINTED,
            acting_user=admin,
        )

    members = SimpleNamespace(
        chair=appoint(chart.oik_kierownik, MemberRole.CHAIR),
        vice=appoint(chart.zps1_kierownik, MemberRole.VICE_CHAIR),
        social=appoint(chart.pracownik_socjalny),
        police=appoint(police, inst="Komenda Miejska Policji"),
        undeclared=appoint(chart.dsr_kierownik),
    )
    for m in (members.chair, members.vice, members.social, members.police):
        services.declaration_record(
            team=team, user=m.user, capacity="member", declared_on=APPOINTED, acting_user=m.user
        )
    return SimpleNamespace(
        team=team,
        admin=admin,
        police=police,
        teacher=teacher,
        m=members,
        chair=chart.oik_kierownik,
        vice=chart.zps1_kierownik,
    )


@pytest.fixture
def zi(chart):
    return build_team(chart)


def make_card(zi, *, received_on=date(2026, 3, 2), person="Anna Testowa", **kwargs):
    from bluecard import services

    return services.bluecard_register(
        team=zi.team,
        received_on=received_on,
        initiating_institution="police",
        person_experiencing=person,
        persons_suspected="Jan Testowy",
        children="Ola (2015)",
        acting_user=zi.chair,
        **kwargs,
    )


def with_group(zi, card, coordinator=None, decided_on=None):
    from bluecard import services

    coordinator = coordinator or zi.m.social
    services.subteam_decide(
        card,
        members=[zi.m.chair, coordinator],
        decision="working_group",
        decided_on=decided_on or card.received_on,
        coordinator=coordinator,
        acting_user=zi.chair,
    )
    card.refresh_from_db()
    return card.group


def appoint_reader(zi, username="kurator"):
    """B7 (004 §51 pkt 2): a declared Team member in no subteam and no working group — the reader of every card."""
    from bluecard import services

    reader = UserFactory(username=username, first_name="Kamil", last_name="Kuratorski")
    services.member_appoint(
        team=zi.team,
        user=reader,
        represented_institution="Sąd Rejonowy – kuratorzy",
        email=reader.email,
        order_number="Zarz. 99/2025",
        order_date=APPOINTED,
        acting_user=zi.admin,
    )
    services.declaration_record(team=zi.team, user=reader, capacity="member", declared_on=APPOINTED, acting_user=reader)
    return reader
