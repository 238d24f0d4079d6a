"""Titles agree with the person (issue 15): "Przewodnicząca" for a woman, "Przewodniczący" for a man."""

from types import SimpleNamespace

import pytest

from mopr.grammar import is_feminine, title_for


@pytest.mark.parametrize(
    "first, feminine",
    [("Joanna", True), ("Anna Maria", True), ("Żaneta", True), ("Jan", False), ("Kuba", False), ("", False)],
)
def test_feminine_first_names_are_told_apart_from_masculine_ones(first, feminine):
    assert is_feminine(SimpleNamespace(first_name=first)) is feminine


def test_title_takes_its_feminine_form_for_a_woman_and_stays_for_a_man():
    joanna, jan = SimpleNamespace(first_name="Joanna"), SimpleNamespace(first_name="Jan")
    assert title_for(joanna, "Przewodniczący", "Przewodnicząca") == "Przewodnicząca"
    assert title_for(jan, "Przewodniczący", "Przewodnicząca") == "Przewodniczący"
    assert title_for(joanna, "Zastępca Przewodniczącego", None) == "Zastępca Przewodniczącego"


@pytest.mark.django_db
def test_team_chair_and_committee_chair_titles_agree_with_the_person(chart):
    from bluecard.models import MemberRole, TeamMember
    from grants.models import CommitteeMember

    chair = TeamMember(user=chart.oik_kierownik, role=MemberRole.CHAIR)
    expected = "Przewodnicząca" if is_feminine(chart.oik_kierownik) else "Przewodniczący"
    assert chair.role_title == expected
    chart.oik_kierownik.first_name = "Joanna"
    assert chair.role_title == "Przewodnicząca"
    chart.oik_kierownik.first_name = "Piotr"
    assert chair.role_title == "Przewodniczący"
    member = CommitteeMember(user=chart.oik_kierownik, role=CommitteeMember.Role.CHAIR)
    chart.oik_kierownik.first_name = "Maria"
    assert member.role_title == "Przewodnicząca Komisji Konkursowej"
