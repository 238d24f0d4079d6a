"""Access matrix (B11; ARCHITECTURE "Special categories"): negative cases first. The org chart grants nothing
in this module."""

import io
from datetime import date

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from bluecard import permissions as perms
from bluecard import services
from bluecard.models import BlueCard, CardStatus
from mopr.documents import document_render_now
from mopr.models import AccessLog
from mopr.site.otp import requires_second_factor
from tests.security.url_matrix import MATRIX
from units.models import ApprovalStep
from units.services import approval_approve

from .conftest import appoint_reader, make_card, with_group
from .url_matrix import READER

pytestmark = pytest.mark.django_db


@pytest.fixture
def cards(zi, chart):
    """Card A: group coordinated by pracownik_socjalny with the police officer; card B: group with the teacher."""
    card_a = make_card(zi, person="Anna Pierwsza")
    group_a = with_group(zi, card_a)
    services.group_member_add(
        group_a, user=zi.police, institution_name="Policja", joined_on=date(2026, 3, 3), acting_user=zi.m.social.user
    )
    card_b = make_card(zi, person="Beata Druga")
    group_b = with_group(zi, card_b, coordinator=zi.m.vice)
    services.group_member_add(
        group_b, user=zi.teacher, institution_name="Szkoła", joined_on=date(2026, 3, 3), acting_user=zi.vice
    )
    services.declaration_record(
        team=zi.team, user=zi.teacher, capacity="group_member", declared_on=date(2026, 3, 3), acting_user=zi.chair
    )
    return card_a, card_b


# --- negative first -------------------------------------------------------------------------------------


def test_B11_director_sees_nothing(zi, cards, chart, login):
    card_a, _ = cards
    director = chart.dyrektor
    assert not perms.can_view_card(director, card_a)
    assert not perms.visible_cards(director).exists() and not perms.my_cards(director).exists()
    assert not perms.can_open_module(director)
    client = login(director)
    assert client.get(reverse("bluecard:card", args=[card_a.pk])).status_code == 404
    assert client.get(reverse("bluecard:cards")).status_code == 403
    assert client.get(reverse("bluecard:home")).status_code == 403
    assert not AccessLog.objects.filter(user=director).exists()


def test_B11_dnk_employee_not_in_team_sees_nothing(zi, cards, chart, login):
    card_a, _ = cards
    client = login(chart.dnk_pracownik)
    assert client.get(reverse("bluecard:card", args=[card_a.pk])).status_code == 404
    assert client.get(reverse("bluecard:card_scan", args=[card_a.pk])).status_code == 404
    assert client.get(reverse("bluecard:card_history", args=[card_a.pk])).status_code == 404
    assert client.get(reverse("bluecard:cards")).status_code == 403
    assert "Anna Pierwsza" not in client.get(reverse("home")).content.decode()


def test_B11_deputy_supervising_the_seat_unit_sees_nothing(zi, cards, chart):
    card_a, _ = cards
    assert not perms.can_view_card(chart.zastepca2, card_a)
    assert not perms.visible_cards(chart.zastepca2).exists()


def test_B11_member_of_another_cards_group_cannot_open_this_card(zi, cards, login):
    card_a, card_b = cards
    assert perms.can_view_card(zi.teacher, card_b)
    assert not perms.can_view_card(zi.teacher, card_a)
    client = login(zi.teacher)
    assert client.get(reverse("bluecard:card", args=[card_a.pk])).status_code == 404
    assert client.get(reverse("bluecard:card", args=[card_b.pk])).status_code == 200
    # a group member who is not a Team member does not get the Team's card list
    assert client.get(reverse("bluecard:cards")).status_code == 403


def test_B11_team_member_without_declaration_sees_no_list_and_no_card(zi, cards, login):
    card_a, _ = cards
    undeclared = zi.m.undeclared.user
    services.subteam_decide(
        card_a,
        members=[zi.m.chair, zi.m.undeclared],
        decision="change_group",
        decided_on=date(2026, 3, 4),
        acting_user=zi.chair,
    )
    assert not perms.can_view_card(undeclared, card_a)  # in the subteam, but no declaration yet
    assert not perms.visible_cards(undeclared).exists()
    client = login(undeclared)
    assert client.get(reverse("bluecard:cards")).status_code == 403
    assert client.get(reverse("bluecard:card", args=[card_a.pk])).status_code == 404
    home = client.get(reverse("bluecard:home")).content.decode()
    assert "Nie masz zarejestrowanego oświadczenia" in home
    client.post(reverse("bluecard:declare"), {"declared_on": "2026-03-04", "confirm": "on"})
    assert perms.can_view_card(undeclared, card_a)
    assert client.get(reverse("bluecard:cards")).status_code == 200


def test_B7_declared_member_outside_subteam_and_group_sees_the_list_and_reads_every_card(zi, cards, login):
    """004 §51 pkt 2: before, a declared member saw only the cards of his own group; now he reads every card."""
    card_a, card_b = cards
    police_member = zi.m.police.user
    assert perms.visible_cards(police_member).count() == 2
    assert perms.can_view_card(police_member, card_a)  # in card A's group: acts in it
    assert not perms.can_view_card(police_member, card_b)  # not in card B's procedure: takes no step ...
    assert perms.can_read_card(police_member, card_b)  # ... but reads it
    page = login(police_member).get(reverse("bluecard:cards")).content.decode()
    assert "Anna Pierwsza" not in page and "Beata Druga" not in page  # the list itself names nobody
    assert reverse("bluecard:card", args=[card_a.pk]) in page
    assert reverse("bluecard:card", args=[card_b.pk]) in page


def test_B9_leaving_the_group_revokes_the_card(zi, cards, login):
    card_a, _ = cards
    assert perms.can_view_card(zi.police, card_a)
    row = card_a.group.members.get(user=zi.police)
    services.group_member_remove(row, left_on=date(2026, 3, 10), acting_user=zi.m.social.user)
    card_a = BlueCard.objects.get(pk=card_a.pk)
    assert not perms.can_view_card(zi.police, card_a)
    # a declared Team member still reads the card (004 §51 pkt 2, B7) but takes no step in it
    client = login(zi.police)
    assert client.get(reverse("bluecard:group", args=[card_a.pk])).status_code == 403
    assert client.get(reverse("bluecard:card", args=[card_a.pk])).status_code == 200
    # a group member outside the Team loses the card altogether
    _, card_b = cards
    row = card_b.group.members.get(user=zi.teacher)
    services.group_member_remove(row, left_on=date(2026, 3, 10), acting_user=zi.vice)
    card_b = BlueCard.objects.get(pk=card_b.pk)
    assert not perms.can_read_card(zi.teacher, card_b)
    assert login(zi.teacher).get(reverse("bluecard:card", args=[card_b.pk])).status_code == 404


def test_B1_dismissed_member_loses_access_at_once(zi, cards):
    card_a, _ = cards
    services.member_dismiss(zi.m.social, order_number="Z/9/2026", order_date=date(2026, 3, 10), acting_user=zi.chair)
    card_a = BlueCard.objects.get(pk=card_a.pk)
    assert not perms.visible_cards(zi.m.social.user).exists()
    assert not perms.can_view_card(zi.m.social.user, card_a)


def test_B11_group_member_cannot_manage_the_card(zi, cards, login):
    card_a, _ = cards
    client = login(zi.police)
    assert client.get(reverse("bluecard:subteam", args=[card_a.pk])).status_code == 403
    assert client.get(reverse("bluecard:closure", args=[card_a.pk])).status_code == 403
    assert client.get(reverse("bluecard:card_new")).status_code == 403
    assert client.get(reverse("bluecard:access_log")).status_code == 403


def test_B11_only_chair_vice_and_iod_see_the_access_log(zi, cards, chart, login):
    assert login(zi.m.social.user).get(reverse("bluecard:access_log")).status_code == 403
    assert login(chart.dyrektor).get(reverse("bluecard:access_log")).status_code == 403
    assert login(chart.iod).get(reverse("bluecard:access_log")).status_code == 200
    assert login(zi.vice).get(reverse("bluecard:access_log")).status_code == 200
    # the IOD sees the log, not the cards
    assert not perms.can_view_card(chart.iod, cards[0])


# --- positive -------------------------------------------------------------------------------------------


def test_B11_chair_vice_subteam_and_group_see_the_card(zi, cards):
    card_a, _ = cards
    for user in (zi.chair, zi.vice, zi.m.social.user, zi.police):
        assert perms.can_view_card(user, card_a), user


def test_B7_card_list_is_for_declared_members(zi, cards, login):
    response = login(zi.m.social.user).get(reverse("bluecard:cards"))
    assert response.status_code == 200
    assert "1/2026" in response.content.decode() and "2/2026" in response.content.decode()


def test_B8_new_coordinator_gets_the_card_and_a_later_subteam_replaces_the_earlier_one(zi, cards):
    card_a, _ = cards
    services.subteam_decide(
        card_a,
        members=[zi.m.vice, zi.m.police],
        decision="change_group",
        decided_on=date(2026, 3, 5),
        coordinator=zi.m.police,
        acting_user=zi.chair,
    )
    card_a = BlueCard.objects.get(pk=card_a.pk)
    assert card_a.group.coordinator == zi.m.police
    assert perms.is_coordinator(zi.police, card_a) and perms.can_work_in_group(zi.police, card_a)
    # the former coordinator stays a group member (listed), so still sees the card, but no longer manages it
    assert perms.can_view_card(zi.m.social.user, card_a)
    assert not perms.can_work_in_group(zi.m.social.user, card_a)


def test_B11_list_through_the_team_equals_the_grant_rows(zi, cards, chart):
    """The list and "my cards" read the Team's groups instead of every card's grant rows: for every person
    involved (leaders, members, working-group members, outsiders) the cards are exactly those their guardian
    rows give."""
    from units.permissions import visible

    make_card(zi, person="Celina Trzecia")
    people = [zi.chair, zi.vice, zi.m.social.user, zi.police, zi.teacher, chart.dyrektor, chart.dnk_pracownik]
    for person in people:
        for ours, perm in ((perms.visible_cards, "list_bluecard"), (perms.my_cards, "view_bluecard")):
            expected = set(visible(person, BlueCard.objects.all(), perm).values_list("pk", flat=True))
            assert set(ours(person).values_list("pk", flat=True)) == expected, (person.username, perm)
    assert perms.visible_cards(zi.chair).count() == 3 and perms.my_cards(zi.police).count() == 1


# --- B7 (004 §51 pkt 2): a declared member reads every procedure, read-only; each read logged (B11) ----------------


@pytest.fixture
def reader(zi, cards):
    """A declared Team member in no subteam and no group of either card."""
    return appoint_reader(zi)


def _reads(user):
    return list(
        AccessLog.objects.filter(user=user, content_type=ContentType.objects.get_for_model(BlueCard))
        .order_by("pk")
        .values_list("object_id", "action")
    )


def _history_rows() -> int:
    """Every history row of the module: a refused step writes none."""
    return sum(
        m.objects.count() for m in apps.get_app_config("bluecard").get_models() if m.__name__.startswith("Historical")
    )


def _content_pages(card, document):
    return [
        ("view", reverse("bluecard:card", args=[card.pk])),
        ("scan", reverse("bluecard:card_scan", args=[card.pk])),
        ("pdf", reverse("bluecard:card_document", args=[card.pk, document.pk])),
        ("history", reverse("bluecard:card_history", args=[card.pk])),
    ]


def _protocol(zi, card):
    return document_render_now(
        card,
        kind=services.GROUP_PROTOCOL_KIND,
        title="Protokół",
        template_name="pdf/plain.html",
        context={"heading": "P", "paragraphs": []},
        acting_user=zi.chair,
    )


def test_B11_undeclared_member_sees_no_card(zi, cards, login):
    """A Team member without a declaration reads no card, not even under 004 §51 (B11, 004 §43-44)."""
    card_a, card_b = cards
    undeclared = zi.m.undeclared.user
    card_a.scan.save("karta.pdf", io.BytesIO(b"%PDF-1.4 test"), save=True)
    document = _protocol(zi, card_a)
    assert not perms.readable_cards(undeclared).exists()
    assert not perms.can_read_card(undeclared, card_a) and not perms.can_read_card(undeclared, card_b)
    client = login(undeclared)
    assert client.get(reverse("bluecard:cards")).status_code == 403
    for _action, url in _content_pages(card_a, document):
        assert client.get(url).status_code == 404, url
    assert _reads(undeclared) == []


def test_B11_non_members_and_other_groups_read_no_card_under_004_51(zi, cards, chart):
    """004 §51 is a right of the Team's members: a group member outside the Team reads only his own card; the
    org chart, the IOD and a superuser read none."""
    card_a, card_b = cards
    assert perms.can_read_card(zi.teacher, card_b) and not perms.can_read_card(zi.teacher, card_a)
    for outsider in (chart.dyrektor, chart.dnk_pracownik, chart.iod, chart.zastepca2, zi.admin):
        assert not perms.can_read_card(outsider, card_a), outsider.username
        assert not perms.readable_cards(outsider).exists(), outsider.username


def test_B7_dismissed_member_reads_no_more(zi, cards, reader, login):
    card_a, _ = cards
    member = zi.team.members.get(user=reader)
    services.member_dismiss(member, order_number="Z/10/2026", order_date=date(2026, 3, 10), acting_user=zi.chair)
    card_a = BlueCard.objects.get(pk=card_a.pk)
    assert not perms.can_read_card(reader, card_a) and not perms.readable_cards(reader).exists()
    assert login(reader).get(reverse("bluecard:card", args=[card_a.pk])).status_code == 404


def test_B7_declared_member_reads_every_procedure_read_only(zi, cards, reader, login):
    """During the procedure and after it (004 §51 pkt 2): the content, no button, no form, no link to act."""
    card_a, card_b = cards
    flow = services.closure_propose(
        card_b,
        reason="groundless",
        forum="team",
        decided_on=date(2026, 3, 20),
        actions_summary="Rozmowy z rodziną",
        acting_user=zi.vice,
        today=date(2026, 3, 20),
    ).document.approval_flows.get()
    for step in flow.steps.order_by("order"):
        approval_approve(ApprovalStep.objects.get(pk=step.pk), acting_user=zi.chair)
    card_b.refresh_from_db()
    assert card_b.status == CardStatus.CLOSED
    assert set(perms.readable_cards(reader).values_list("pk", flat=True)) == {card_a.pk, card_b.pk}
    assert not perms.my_cards(reader).exists()
    client = login(reader)
    listing = client.get(reverse("bluecard:cards")).content.decode()
    for card, person in ((card_a, "Anna Pierwsza"), (card_b, "Beata Druga")):
        assert perms.can_read_card(reader, card) and not perms.can_view_card(reader, card)
        assert reverse("bluecard:card", args=[card.pk]) in listing
        response = client.get(reverse("bluecard:card", args=[card.pk]))
        page = response.content.decode()
        assert response.status_code == 200 and person in page
        assert "tylko do odczytu" in page
        assert response.context["buttons"] == [] and not response.context["allowed"]
        assert not response.context["can_manage"] and not response.context["can_work"]
        assert not response.context["can_dispatch"]
        card_urls = reverse("bluecard:card", args=[card.pk])
        posts = [chunk for chunk in page.split('method="post"')[1:] if card_urls in chunk.split(">", 1)[0]]
        assert posts == [], posts  # no form posting to the card's steps
        for name in ("subteam", "group", "group_meeting_new", "closure", "help_action_add", "card_notify"):
            assert reverse(f"bluecard:{name}", args=[card.pk]) not in page, name
        assert reverse("bluecard:access_log") not in page


def test_B7_every_step_posted_by_a_reader_is_refused(zi, cards, reader, login):
    """Read-only on the server too: every step of the card is refused (403) for the reader, nothing is written,
    and the services refuse him as well."""
    card_a, _ = cards
    action = services.help_action_add(card_a, description="Terapia", responsible="OIK", acting_user=zi.chair)
    client = login(reader)
    before = _history_rows()
    for name, args, data in [
        ("card_notify", [card_a.pk], {}),
        ("subteam", [card_a.pk], {"decision": "change_group", "decided_on": "2026-03-05"}),
        ("group", [card_a.pk], {"user": reader.pk, "institution_name": "Sąd", "joined_on": "2026-03-05"}),
        ("group_member_leave", [card_a.pk, card_a.group.members.get(user=zi.police).pk], {"confirm-reason": "x"}),
        ("group_meeting_new", [card_a.pk], {"held_on": "2026-03-05", "place": "Siedziba", "findings": "x"}),
        ("help_action_add", [card_a.pk], {"description": "Rozmowa", "responsible": "Sąd"}),
        ("help_action_done", [card_a.pk, action.pk], {}),
        ("closure", [card_a.pk], {"reason": "groundless", "forum": "team", "decided_on": "2026-03-20"}),
        ("card", [card_a.pk], {}),
        ("card_history", [card_a.pk], {}),
    ]:
        response = client.post(reverse(f"bluecard:{name}", args=args), data)
        assert response.status_code in (403, 405), (name, response.status_code)
    assert _history_rows() == before
    assert _reads(reader) == []  # a refused step is not a read
    for call in (
        lambda: services.help_action_add(card_a, description="x", responsible="y", acting_user=reader),
        lambda: services.help_action_complete(action, done_on=date(2026, 3, 6), acting_user=reader),
        lambda: services.bluecard_notify_members(card_a, acting_user=reader),
        lambda: services.subteam_decide(
            card_a, members=[zi.m.chair], decision="change_group", decided_on=date(2026, 3, 5), acting_user=reader
        ),
        lambda: services.closure_propose(
            card_a,
            reason="groundless",
            forum="team",
            decided_on=date(2026, 3, 20),
            actions_summary="x",
            acting_user=reader,
        ),
    ):
        with pytest.raises(PermissionDenied):
            call()


def test_B11_each_read_by_a_declared_member_is_logged(zi, cards, reader, login):
    """The card, its scan, its documents and its history: one access-log row per read, with the reader, the
    card and the kind of read; the chair sees them in the access log."""
    card_a, card_b = cards
    card_b.scan.save("karta.pdf", io.BytesIO(b"%PDF-1.4 test"), save=True)
    document = _protocol(zi, card_b)
    client = login(reader)
    expected = []
    for action, url in _content_pages(card_b, document) * 2:  # a second read is a second row
        assert client.get(url).status_code == 200, url
        expected.append((card_b.pk, action))
    assert _reads(reader) == expected
    assert client.get(reverse("bluecard:cards")).status_code == 200
    assert _reads(reader) == expected  # the list shows no card data and is not a read of a card
    log = login(zi.chair).get(reverse("bluecard:access_log") + f"?karta={card_b.pk}").content.decode()
    assert "Kuratorski" in log


def test_B11_a_reader_signs_in_with_the_second_factor(zi, cards, reader, login, settings):
    card_a, _ = cards
    assert requires_second_factor(reader)
    settings.OTP_REQUIRED = True
    response = login(reader).get(reverse("bluecard:card", args=[card_a.pk]))
    assert response.status_code == 302 and "/konto/" in response["Location"]
    assert _reads(reader) == []


def test_B7_readable_cards_equals_can_read_card(zi, cards, reader, chart):
    """The list's links (``readable_cards``, one query through the Team) and the card's gate (``can_read_card``)
    agree for every person involved."""
    make_card(zi, person="Celina Trzecia")
    every = list(BlueCard.objects.all())
    people = [zi.chair, zi.vice, zi.m.social.user, zi.police, zi.teacher, zi.m.undeclared.user, reader]
    for person in [*people, chart.dyrektor, chart.iod, zi.admin]:
        ours = set(perms.readable_cards(person).values_list("pk", flat=True))
        assert ours == {c.pk for c in every if perms.can_read_card(person, c)}, person.username


# The walk: every URL of the module as the reader (tests/bluecard/url_matrix.py, persona READER).
CONTENT_READS = {
    "bluecard:card": "view",
    "bluecard:card_scan": "scan",
    "bluecard:card_document": "pdf",
    "bluecard:card_history": "history",
}
# The reader's own acts as a member, not steps of a card: his declaration, a breach report (004 §47), the
# public confirmation link of a notice.
OWN_ACTS = {"bluecard:declare", "bluecard:breach_new", "bluecard:confirm_notice"}


@pytest.mark.parametrize("name", sorted(n for n in MATRIX if n.startswith("bluecard:")))
def test_B7_reader_walks_every_bluecard_url(name, chart, login):
    """As the declared member outside every procedure: a GET of card content is a 200 and one logged read; any
    other GET logs nothing; every POST is refused (403, 404 or 405) and writes nothing."""
    entry = MATRIX[name]
    objects = entry.setup(chart)
    url = entry.url(chart, objects)
    client = login(chart.people[READER])
    response = client.get(url)
    if name in CONTENT_READS:
        assert response.status_code == 200, (name, response.status_code)
        assert _reads(chart.people[READER]) == [(objects["card"].pk, CONTENT_READS[name])]
    else:
        assert response.status_code < 500, (name, response.status_code)
        if entry.method == "get" and READER in entry.allowed:
            assert response.status_code == 200, (name, response.status_code)
        elif entry.method == "get" and not entry.public:
            assert response.status_code in (403, 404), (name, response.status_code)
        assert _reads(chart.people[READER]) == [], name
    if name in OWN_ACTS:
        return
    reads, before = _reads(chart.people[READER]), _history_rows()
    response = client.post(url, {})
    assert response.status_code in (403, 404, 405), (name, response.status_code)
    assert _history_rows() == before, name
    assert _reads(chart.people[READER]) == reads, name
