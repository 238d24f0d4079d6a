"""Every Blue Card form that accepts input, fuzzed through its real view (200 examples per form):
no HTTP 500, Polish messages only, and no half-written record — a refused form writes nothing, an accepted
one writes the whole record (with its grants, notices, deadlines or documents).

Each example runs in a savepoint that is rolled back afterwards, so every example starts from the same state
and a success does not change what the next example tests.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bluecard import services
from bluecard.models import (
    AnnualReport,
    Attendance,
    BlueCard,
    BlueCardGroupObjectPermission,
    BreachReport,
    Closure,
    ClosureForum,
    ClosureReason,
    ConfidentialityDeclaration,
    DeclarationCapacity,
    GroupMeeting,
    HelpAction,
    InitiatingInstitution,
    Meeting,
    MeetingKind,
    MeetingNotice,
    MemberRole,
    ProtocolRemark,
    Requester,
    Resolution,
    SubteamDecision,
    TeamMember,
    TerminologyPreset,
    WorkingGroup,
    WorkingGroupMember,
)
from mopr.models import Deadline, Document, OutboxEmail
from tests.factories import UserFactory
from tests.security.fuzz import assert_polish_errors, booleans, dates, integers, text

from .conftest import build_team, make_card, with_group

pytestmark = pytest.mark.django_db

FUZZ = settings(deadline=None, suppress_health_check=list(HealthCheck))  # examples: the profile (tests/conftest.py)

MODELS = [
    AnnualReport,
    Attendance,
    BlueCard,
    BlueCardGroupObjectPermission,
    BreachReport,
    Closure,
    ConfidentialityDeclaration,
    Deadline,
    Document,
    GroupMeeting,
    HelpAction,
    Meeting,
    MeetingNotice,
    OutboxEmail,
    ProtocolRemark,
    Resolution,
    SubteamDecision,
    TeamMember,
    WorkingGroup,
    WorkingGroupMember,
]


def _choice(values):
    """A valid choice most of the time, otherwise anything."""
    return st.one_of(st.sampled_from([str(v) for v in values]), text)


def _ids(values):
    return st.lists(st.one_of(st.sampled_from([str(v) for v in values]), integers), max_size=4)


def _counts():
    """Row counts of every table a Blue Card form may write, in one query."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(m._meta.db_table)})" for m in MODELS))
        return dict(zip((m.__name__ for m in MODELS), cursor.fetchone(), strict=True))


@contextmanager
def _rolled_back():
    """One example: everything it wrote is undone afterwards."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def _submit(client, url, data, *, added, complete, redirect_only=False, **extra):
    """POST ``data``; a refusal re-renders the form (or redirects, for ``redirect_only`` forms) and writes
    nothing; an acceptance adds the ``added`` records and passes ``complete(before)``."""
    with _rolled_back():
        before = _counts()
        response = client.post(url, data, **extra)
        assert_polish_errors(response)
        after = _counts()
        if response.status_code == 200 or (redirect_only and after == before):
            assert response.status_code in (200, 302)
            assert after == before, "a refused form wrote records"
        else:
            assert response.status_code == 302, response.status_code
            for model in added:
                assert after[model] > before[model], f"accepted but no {model} written"
            complete(before, after)


@pytest.fixture
def zi(chart):
    return build_team(chart)


# --- Team: declarations, members, preset ---------------------------------------------------------------


def test_fuzz_team_forms(zi, chart, login):
    """Declaration (self and for another person), appointment, dismissal, preset."""
    undeclared = zi.m.undeclared.user
    outsider = UserFactory(username="kurator", first_name="Zofia", last_name="Kuratorska")
    plain = services.member_appoint(
        team=zi.team,
        user=UserFactory(username="radny"),
        represented_institution="Rada",
        email="radny@mopr.test",
        order_number="Zarz. 9/2025",
        order_date=date(2025, 1, 10),
        acting_user=zi.admin,
    )
    client = login(undeclared)

    @FUZZ
    @given(declared_on=dates, confirm=booleans)
    def declare(declared_on, confirm):
        def complete(before, after):
            row = ConfidentialityDeclaration.objects.get(team=zi.team, user=undeclared)
            assert row.declared_on <= timezone.localdate() and row.recorded_by == undeclared
            assert zi.team.declared_group.user_set.filter(pk=undeclared.pk).exists()

        _submit(
            client,
            reverse("bluecard:declare"),
            {"declared_on": declared_on, "confirm": confirm},
            added=["ConfidentialityDeclaration"],
            complete=complete,
        )

    declare()
    chair = login(zi.chair)  # the same test client, now the chair's

    @FUZZ
    @given(
        user=st.one_of(st.just(str(undeclared.pk)), integers),
        capacity=_choice(DeclarationCapacity.values),
        declared_on=dates,
    )
    def declare_other(user, capacity, declared_on):
        def complete(before, after):
            row = ConfidentialityDeclaration.objects.get(team=zi.team, user=undeclared)
            assert row.capacity in DeclarationCapacity.values and row.recorded_by == zi.chair

        _submit(
            chair,
            reverse("bluecard:declare_other"),
            {"user": user, "capacity": capacity, "declared_on": declared_on},
            added=["ConfidentialityDeclaration"],
            complete=complete,
            redirect_only=True,
        )

    declare_other()

    @FUZZ
    @given(
        user=st.one_of(st.sampled_from([str(outsider.pk), str(zi.police.pk)]), integers),
        institution=text,
        email=st.one_of(st.just("kurator@sad.gov.pl"), text),
        role=_choice(MemberRole.values),
        order_number=text,
        order_date=dates,
    )
    def appoint(user, institution, email, role, order_number, order_date):
        def complete(before, after):
            member = TeamMember.objects.filter(team=zi.team).latest("pk")
            assert member.is_active and member.user.is_active and member.email
            assert member.represented_institution.strip() and member.appointing_order_number.strip()
            assert (
                TeamMember.objects.filter(team=zi.team, user=member.user, dismissing_order_date__isnull=True).count()
                == 1
            )
            assert member.role == MemberRole.MEMBER  # the chair and vice-chair posts are taken

        _submit(
            chair,
            reverse("bluecard:member_new"),
            {
                "user": user,
                "represented_institution": institution,
                "email": email,
                "role": role,
                "order_number": order_number,
                "order_date": order_date,
            },
            added=["TeamMember"],
            complete=complete,
        )

    appoint()

    @FUZZ
    @given(order_number=text, order_date=dates, why=st.one_of(text, st.just("Zmiana przedstawiciela instytucji")))
    def dismiss(order_number, order_date, why):
        def complete(before, after):
            member = TeamMember.objects.get(pk=plain.pk)
            assert member.dismissing_order_date >= member.appointing_order_date
            assert member.dismissing_order_number.strip()
            assert member.history.latest().history_change_reason == why.strip()[:100]  # issue 15

        with _rolled_back():
            response = chair.post(
                reverse("bluecard:member_dismiss", args=[plain.pk]),
                {"order_number": order_number, "order_date": order_date, "confirm-reason": why},
            )
            assert_polish_errors(response)
            member = TeamMember.objects.get(pk=plain.pk)
            if response.status_code == 200:
                assert member.dismissing_order_date is None and not member.dismissing_order_number
            else:
                assert response.status_code == 302
                complete(None, None)

    dismiss()

    @FUZZ
    @given(preset=_choice(TerminologyPreset.values))
    def preset(preset):
        with _rolled_back():
            response = chair.post(reverse("bluecard:team_preset"), {"preset": preset})
            assert response.status_code == 302
            team = type(zi.team).objects.get(pk=zi.team.pk)
            assert team.preset in TerminologyPreset.values
            assert team.ordinary_interval_months == team.terms["ordinary_interval_months"]

    preset()


# --- meetings ---------------------------------------------------------------------------------------------


def test_fuzz_meeting_forms(zi, login):
    """Convening a meeting; on a held meeting: attendance, guest, resolution, urgent decision, remark."""
    chair = login(zi.chair)
    member_ids = [zi.m.chair.pk, zi.m.vice.pk, zi.m.social.pk, zi.m.police.pk]
    today = timezone.localdate()
    active = TeamMember.objects.filter(team=zi.team, dismissing_order_date__isnull=True).count()

    @FUZZ
    @given(
        kind=_choice(MeetingKind.values),
        day=dates,
        time=st.one_of(st.just("10:00"), text),
        place=text,
        agenda=text,
        requested_by=_choice(Requester.values),
        requesting=_ids(member_ids),
        reason=text,
    )
    def convene(kind, day, time, place, agenda, requested_by, requesting, reason):
        def complete(before, after):
            meeting = Meeting.objects.order_by("-pk").first()
            assert meeting.place.strip() and meeting.agenda.strip() and meeting.date >= today
            assert meeting.notices.count() == active
            assert after["OutboxEmail"] - before["OutboxEmail"] == active
            assert Deadline.objects.filter(object_id=meeting.pk, kind="bluecard_attendance").exists()

        _submit(
            chair,
            reverse("bluecard:meeting_new"),
            {
                "kind": kind,
                "date_": day,
                "time": time,
                "place": place,
                "agenda": agenda,
                "requested_by": requested_by,
                "requesting_members": requesting,
                "shortened_notice_reason": reason,
            },
            added=["Meeting", "MeetingNotice"],
            complete=complete,
        )

    convene()

    # A meeting held yesterday, four of five members present: remarks are open, the quorum is there.
    meeting = Meeting.objects.create(
        team=zi.team,
        kind=MeetingKind.ORDINARY,
        date=today - timedelta(days=1),
        time=timezone.datetime(2000, 1, 1, 10).time(),
        place="Siedziba",
        agenda="1. Sprawy bieżące",
        created_by=zi.chair,
    )
    for pk in member_ids:
        Attendance.objects.create(meeting=meeting, member_id=pk)
    url = reverse("bluecard:meeting", args=[meeting.pk])

    @FUZZ
    @given(members=_ids(member_ids + [zi.m.undeclared.pk]))
    def attendance(members):
        with _rolled_back():
            response = chair.post(url, {"action": "attendance", "members": members})
            assert_polish_errors(response)
            rows = set(meeting.attendance.filter(member__isnull=False).values_list("member_id", flat=True))
            if response.status_code == 302:
                assert rows == {int(m) for m in members}
            else:
                assert rows == set(member_ids)

    attendance()

    @FUZZ
    @given(name=text, affiliation=text, undertaking_on=dates)
    def guest(name, affiliation, undertaking_on):
        def complete(before, after):
            row = meeting.attendance.filter(member__isnull=True).get()
            assert row.guest_name.strip() and row.undertaking_on is not None

        _submit(
            chair,
            url,
            {"action": "guest", "name": name, "affiliation": affiliation, "undertaking_on": undertaking_on},
            added=["Attendance"],
            complete=complete,
        )

    guest()

    @FUZZ
    @given(
        number=text,
        subject=text,
        votes_for=integers,
        votes_against=integers,
        votes_abstain=integers,
        chair_vote=_choice(["for", "against", "abstain"]),
    )
    def resolution(number, subject, votes_for, votes_against, votes_abstain, chair_vote):
        def complete(before, after):
            row = Resolution.objects.get(meeting=meeting)
            assert row.subject.strip() and row.members_present == 4 and row.members_total == active
            assert row.votes_for + row.votes_against + row.votes_abstain <= 4

        _submit(
            chair,
            url,
            {
                "action": "resolution",
                "number": number,
                "subject": subject,
                "votes_for": votes_for,
                "votes_against": votes_against,
                "votes_abstain": votes_abstain,
                "chair_vote": chair_vote,
            },
            added=["Resolution"],
            complete=complete,
        )

    resolution()

    @FUZZ
    @given(subject=text, note=text)
    def urgent(subject, note):
        def complete(before, after):
            row = Resolution.objects.get(meeting=meeting)
            assert row.kind == Resolution.Kind.URGENT and row.subject.strip() and row.urgent_note.strip()

        _submit(
            chair, url, {"action": "urgent", "subject": subject, "note": note}, added=["Resolution"], complete=complete
        )

    urgent()

    social = login(zi.m.social.user)

    @FUZZ
    @given(remark=text, action=st.sampled_from(["remark", "remark", "protocol", "x"]))
    def remark(remark, action):
        def complete(before, after):
            row = ProtocolRemark.objects.get(meeting=meeting)
            assert row.text.strip() and row.member == zi.m.social

        with _rolled_back():
            before = _counts()
            response = social.post(url, {"action": action, "text": remark})
            assert response.status_code in (200, 302, 403)
            assert_polish_errors(response)
            if response.status_code != 302:
                assert _counts() == before
            else:
                complete(before, _counts())

    remark()


# --- cards ------------------------------------------------------------------------------------------------


SCANS = st.one_of(
    st.none(),
    st.tuples(
        st.sampled_from(["karta.pdf", "KARTA.PDF", "karta.exe", "ż ó.pdf"]),
        st.one_of(st.just(b"%PDF-1.4 skan"), st.binary(max_size=64)),
    ),
)


def test_fuzz_card_forms(zi, login):
    """Registering a card (with a scan) and the subteam's decision."""
    chair = login(zi.chair)

    @FUZZ
    @given(
        received_on=dates,
        institution=_choice(InitiatingInstitution.values),
        body=text,
        person=text,
        suspected=text,
        children=text,
        scan=SCANS,
    )
    def register(received_on, institution, body, person, suspected, children, scan):
        def complete(before, after):
            card = BlueCard.objects.order_by("-pk").first()
            assert card.person_experiencing.strip() and card.persons_suspected.strip()
            assert card.number == BlueCard.objects.filter(team=zi.team, year=card.year).count()
            assert BlueCardGroupObjectPermission.objects.filter(content_object=card).count() == 3
            assert Deadline.objects.filter(object_id=card.pk, kind="bluecard_notification").exists()
            if card.scan:
                assert card.scan.open("rb").read(5) == b"%PDF-"

        data = {
            "received_on": received_on,
            "initiating_institution": institution,
            "initiating_body": body,
            "person_experiencing": person,
            "persons_suspected": suspected,
            "children": children,
        }
        if scan is not None:
            data["scan"] = SimpleUploadedFile(scan[0], scan[1], content_type="application/pdf")
        _submit(chair, reverse("bluecard:card_new"), data, added=["BlueCard"], complete=complete)

    register()

    card = make_card(zi, received_on=date(2026, 3, 2))
    members = [zi.m.chair.pk, zi.m.vice.pk, zi.m.social.pk, zi.m.police.pk, zi.m.undeclared.pk]

    @FUZZ
    @given(
        chosen=_ids(members),
        decision=_choice(SubteamDecision.Decision.values),
        coordinator=st.one_of(st.sampled_from([str(m) for m in members]), integers, st.just("")),
        decided_on=dates,
        note=text,
    )
    def subteam(chosen, decision, coordinator, decided_on, note):
        def complete(before, after):
            row = SubteamDecision.objects.get(card=card)
            assert row.members.count() >= 2 and any(m.is_leader for m in row.members.all())
            refreshed = BlueCard.objects.get(pk=card.pk)
            if row.decision == SubteamDecision.Decision.WORKING_GROUP:
                group = WorkingGroup.objects.get(card=card)
                assert group.members.filter(user=group.coordinator.user).exists()
                assert refreshed.status == "working_group"
            else:
                assert refreshed.status == "left_to_team"

        _submit(
            chair,
            reverse("bluecard:subteam", args=[card.pk]),
            {
                "members": chosen,
                "decision": decision,
                "coordinator": coordinator,
                "decided_on": decided_on,
                "note": note,
            },
            added=["SubteamDecision"],
            complete=complete,
        )

    subteam()


def test_fuzz_group_forms(zi, login):
    """The working group: members (add, remove), a group meeting, the help plan, the closure protocol."""
    card = make_card(zi, received_on=date(2026, 3, 2))
    group = with_group(zi, card)
    police = services.group_member_add(
        group, user=zi.police, institution_name="Policja", joined_on=date(2026, 3, 2), acting_user=zi.chair
    )
    coordinator = login(zi.m.social.user)
    url = reverse("bluecard:group", args=[card.pk])

    @FUZZ
    @given(user=st.one_of(st.just(str(zi.teacher.pk)), integers), institution=text, joined_on=dates)
    def add(user, institution, joined_on):
        def complete(before, after):
            row = WorkingGroupMember.objects.filter(group=group).latest("pk")
            assert row.institution_name.strip() and row.left_on is None and row.user.is_active
            assert group.members.filter(user=row.user, left_on__isnull=True).count() == 1

        _submit(
            coordinator,
            url,
            {"user": user, "institution_name": institution, "joined_on": joined_on},
            added=["WorkingGroupMember"],
            complete=complete,
        )

    add()

    @FUZZ
    @given(why=st.one_of(text, st.just("Przeniesienie do innej komendy")))
    def remove(why):
        """Issue 15: "Zakończ udział" is a confirmation page with a required reason (written into the history)."""
        with _rolled_back():
            response = coordinator.post(
                reverse("bluecard:group_member_leave", args=[card.pk, police.pk]), {"confirm-reason": why}
            )
            assert_polish_errors(response)
            assert response.status_code in (200, 302)
            row = WorkingGroupMember.objects.get(pk=police.pk)
            assert (row.left_on is not None) == (response.status_code == 302)
            if row.left_on is not None:
                assert row.history.latest().history_change_reason == why.strip()[:100]

    remove()

    attendees = list(group.members.values_list("pk", flat=True))

    @FUZZ
    @given(
        held_on=dates,
        at_seat=booleans,
        place=text,
        place_reason=text,
        chosen=_ids(attendees),
        third=text,
        third_reason=text,
        findings=text,
    )
    def group_meeting(held_on, at_seat, place, place_reason, chosen, third, third_reason, findings):
        def complete(before, after):
            row = GroupMeeting.objects.get(group=group)
            assert row.findings.strip() and row.attendees.exists() and row.place.strip()
            assert at_seat_ok(row) and (not row.third_persons.strip() or row.third_persons_reason.strip())
            assert after["Document"] == before["Document"] + 1 and after["OutboxEmail"] == before["OutboxEmail"] + 1

        def at_seat_ok(row):
            return row.at_seat or row.place_reason.strip()

        _submit(
            coordinator,
            reverse("bluecard:group_meeting_new", args=[card.pk]),
            {
                "held_on": held_on,
                "at_seat": at_seat,
                "place": place,
                "place_reason": place_reason,
                "attendees": chosen,
                "third_persons": third,
                "third_persons_reason": third_reason,
                "findings": findings,
            },
            added=["GroupMeeting"],
            complete=complete,
        )

    group_meeting()

    @FUZZ
    @given(description=text, responsible=text, due_on=st.one_of(dates, st.just("")))
    def help_action(description, responsible, due_on):
        def complete(before, after):
            row = HelpAction.objects.get(card=card)
            assert row.description.strip() and row.responsible.strip() and row.done_on is None

        _submit(
            coordinator,
            reverse("bluecard:help_action_add", args=[card.pk]),
            {"description": description, "responsible": responsible, "due_on": due_on},
            added=["HelpAction"],
            complete=complete,
            redirect_only=True,
        )

    help_action()

    @FUZZ
    @given(
        reason=_choice(ClosureReason.values),
        forum=_choice(ClosureForum.values),
        decided_on=st.one_of(
            dates,
            dates,
            dates,
            st.dates(min_value=date(2026, 3, 2), max_value=timezone.localdate()).map(date.isoformat),
        ),
        transferred_to=text,
        summary=text,
        why=st.one_of(text, st.just("Brak podstaw do dalszych działań")),
    )
    def closure(reason, forum, decided_on, transferred_to, summary, why):
        def complete(before, after):
            row = Closure.objects.get(card=card)
            assert row.actions_summary.strip() and row.document is not None and row.document.file
            assert row.reason != ClosureReason.TRANSFERRED or row.transferred_to.strip()
            assert BlueCard.objects.get(pk=card.pk).status == "closing"
            assert row.document.approval_flows.get().steps.filter(status="pending").exists()

        _submit(
            coordinator,
            reverse("bluecard:closure", args=[card.pk]),
            {
                "reason": reason,
                "forum": forum,
                "decided_on": decided_on,
                "transferred_to": transferred_to,
                "actions_summary": summary,
                "confirm-reason": why,
            },
            added=["Closure"],
            complete=complete,
        )

    closure()


# --- breaches, reports, query strings ---------------------------------------------------------------------


def test_fuzz_breach_report_and_query_strings(zi, login):
    """The breach report, the annual report's year, and the filters of the statistics and the access log."""
    make_card(zi, received_on=date(2026, 3, 2))
    member = login(zi.m.police.user)

    @FUZZ
    @given(occurred_on=dates, description=text)
    def breach(occurred_on, description):
        def complete(before, after):
            row = BreachReport.objects.get(team=zi.team)
            assert row.description.strip() and row.occurred_on <= timezone.localdate()
            assert after["OutboxEmail"] - before["OutboxEmail"] == 2  # the chair and the vice-chair

        _submit(
            member,
            reverse("bluecard:breach_new"),
            {"occurred_on": occurred_on, "description": description},
            added=["BreachReport"],
            complete=complete,
        )

    breach()

    chair = login(zi.chair)

    @FUZZ
    @given(year=st.one_of(integers, st.integers(min_value=2000, max_value=2100).map(str)))
    def report(year):
        def complete(before, after):
            row = AnnualReport.objects.get(team=zi.team)
            assert 2000 <= row.year <= timezone.localdate().year and row.statistics["year"] == row.year

        _submit(chair, reverse("bluecard:statistics"), {"year": year}, added=["AnnualReport"], complete=complete)

    report()

    @FUZZ
    @given(year=st.one_of(integers, text), page=text, card=st.one_of(integers, text))
    def filters(year, page, card):
        for url, params in (
            (reverse("bluecard:statistics"), {"rok": year}),
            (reverse("bluecard:access_log"), {"karta": card, "page": page}),
        ):
            response = chair.get(url, params)
            assert response.status_code == 200, (url, params)
            assert_polish_errors(response)

    filters()
