"""The permission matrix of a competition owned by DNK: roles of the chart x actions (negative cases first)."""

from datetime import date

import pytest

from grants import permissions, services
from grants.models import CommitteeMember

from .factories import appoint, declare_all, published_competition

pytestmark = pytest.mark.django_db

# login -> (view, manage, director's opinion)
MATRIX = {
    "obcy": (False, False, False),
    "sok_pracownik": (False, False, False),
    "iod": (False, False, False),
    "zastepca1": (False, False, False),  # supervises other units
    "pracownik_socjalny": (False, False, False),
    "zastepca2": (True, False, False),  # supervises DNK: oversight
    "dyrektor": (True, False, True),
    "dnk_pracownik": (True, True, False),  # staff of the owning unit
    "dnk_kierownik": (True, True, False),  # head of the owning unit
}


@pytest.mark.parametrize("login", list(MATRIX))
def test_U_competition_permission_matrix(chart, login):
    competition = published_competition(chart)
    user = getattr(chart, login)
    view, manage, opinion = MATRIX[login]
    assert permissions.can_view_competition(user, competition) is view
    assert permissions.visible_competitions(user).filter(pk=competition.pk).exists() is view
    assert permissions.can_manage_competition(user, competition) is manage
    assert permissions.can_give_director_opinion(user, competition) is opinion
    assert permissions.can_evaluate(user, competition) is False  # nobody before sitting and declaring


def test_G7_member_removed_from_the_committee_loses_access(chart):
    competition = published_competition(chart)
    appoint(chart, competition, chair=chart.iod, deputy=chart.oik_kierownik, members=[chart.zps1_kierownik])
    declare_all(competition)
    assert permissions.can_view_competition(chart.zps1_kierownik, competition)
    services.committee_appoint(
        competition,
        acting_user=chart.dnk_pracownik,
        order_number="61/2022",
        order_date=date(2022, 12, 6),
        chair=chart.iod,
        deputy_chair=chart.oik_kierownik,
        members=[chart.pracownik_socjalny],
    )
    assert not permissions.can_view_competition(chart.zps1_kierownik, competition)
    assert not permissions.can_evaluate(chart.zps1_kierownik, competition)
    assert not CommitteeMember.objects.filter(user=chart.zps1_kierownik).exists()
    assert permissions.can_view_competition(chart.iod, competition)  # kept their declaration


def test_module_menu_shows_for_grant_unit_and_committee_members_only(chart):
    competition = published_competition(chart)
    assert permissions.can_open_module(chart.dnk_pracownik)
    assert not permissions.can_open_module(chart.sok_pracownik)
    appoint(chart, competition, chair=chart.iod, deputy=chart.oik_kierownik, members=[chart.sok_pracownik])
    assert permissions.can_open_module(chart.sok_pracownik)
