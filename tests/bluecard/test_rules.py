"""B-rules at their boundaries, with real dates (Polish holidays: K1-K4)."""

from datetime import date, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from bluecard import services
from bluecard.models import (
    Attendance,
    CardStatus,
    ChairVote,
    Meeting,
    MeetingKind,
    Requester,
    TerminologyPreset,
)
from mopr.models import Deadline, OutboxEmail

from .conftest import make_card, with_group

pytestmark = pytest.mark.django_db


def schedule(zi, *, kind=MeetingKind.ORDINARY, on, today, **kwargs):
    return services.meeting_schedule(
        team=zi.team,
        kind=kind,
        date_=on,
        time=time(10, 0),
        place="Siedziba",
        agenda="Sprawy bieżące",
        acting_user=zi.chair,
        today=today,
        **kwargs,
    )


# --- B2 -------------------------------------------------------------------------------------------------


def test_B2_ordinary_meeting_at_least_one_month_ahead_boundary(zi):
    # 31 January + 1 month = 28 February (no 31 February: K2)
    with pytest.raises(ValidationError) as exc:
        schedule(zi, on=date(2026, 2, 27), today=date(2026, 1, 31))
    assert "28.02.2026" in str(exc.value)
    meeting = schedule(zi, on=date(2026, 2, 28), today=date(2026, 1, 31))
    assert meeting.kind == MeetingKind.ORDINARY


def test_B2_warning_when_no_ordinary_meeting_within_3_months_of_the_last(zi):
    schedule(zi, on=date(2026, 3, 2), today=date(2026, 1, 15))
    assert services.ordinary_meeting_warning(zi.team, today=date(2026, 3, 1)) is None  # none held yet
    assert services.ordinary_meeting_warning(zi.team, today=date(2026, 3, 3)) == date(2026, 6, 2)
    schedule(zi, on=date(2026, 6, 3), today=date(2026, 3, 3))  # one day too late: still a warning
    assert services.ordinary_meeting_warning(zi.team, today=date(2026, 3, 3)) == date(2026, 6, 2)
    schedule(zi, on=date(2026, 6, 2), today=date(2026, 3, 3))
    assert services.ordinary_meeting_warning(zi.team, today=date(2026, 3, 3)) is None


def test_B2_next_ordinary_meeting_deadline_is_the_chairs_and_goes_to_the_digest(zi):
    schedule(zi, on=date(2026, 3, 2), today=date(2026, 1, 15))
    deadline = Deadline.objects.get(kind="bluecard_ordinary_meeting")
    assert deadline.responsible_user == zi.chair and deadline.due == date(2026, 6, 2) and deadline.rule == "B2"


def test_B13_2023_preset_requires_a_team_meeting_every_2_months(zi):
    services.team_apply_preset(zi.team, preset=TerminologyPreset.REFORM_2023, acting_user=zi.chair)
    schedule(zi, on=date(2026, 3, 2), today=date(2026, 1, 15))
    assert services.ordinary_meeting_warning(zi.team, today=date(2026, 3, 3)) == date(2026, 5, 2)
    assert zi.team.terms["group"] == "grupa diagnostyczno-pomocowa"


# --- B3 -------------------------------------------------------------------------------------------------


def test_B3_extraordinary_notice_7_working_days_across_christmas_and_epiphany(zi):
    # Meeting Thu 8 Jan 2026: 7 working days back skip 6 Jan, 1 Jan, 24-26 Dec 2025 -> latest notice 23 Dec 2025.
    meeting = schedule(
        zi, kind=MeetingKind.EXTRAORDINARY, on=date(2026, 1, 8), today=date(2025, 12, 23), requested_by=Requester.CHAIR
    )
    assert meeting.shortened_notice_reason == ""
    with pytest.raises(ValidationError) as exc:
        schedule(
            zi,
            kind=MeetingKind.EXTRAORDINARY,
            on=date(2026, 1, 8),
            today=date(2025, 12, 29),
            requested_by=Requester.CHAIR,
        )
    assert "shortened_notice_reason" in exc.value.error_dict
    assert "23.12.2025" in str(exc.value)


def test_B3_shortened_notice_needs_a_recorded_reason(zi):
    meeting = schedule(
        zi,
        kind=MeetingKind.EXTRAORDINARY,
        on=date(2026, 1, 8),
        today=date(2025, 12, 29),
        requested_by=Requester.PRESIDENT,
        shortened_notice_reason="Zagrożenie życia dziecka",
    )
    assert meeting.shortened_notice_reason == "Zagrożenie życia dziecka"


def test_B3_members_request_needs_at_least_three_members(zi):
    with pytest.raises(ValidationError) as exc:
        schedule(
            zi,
            kind=MeetingKind.EXTRAORDINARY,
            on=date(2026, 3, 30),
            today=date(2026, 3, 2),
            requested_by=Requester.MEMBERS,
            requesting_members=[zi.m.social, zi.m.police],
        )
    assert "requesting_members" in exc.value.error_dict
    meeting = schedule(
        zi,
        kind=MeetingKind.EXTRAORDINARY,
        on=date(2026, 3, 30),
        today=date(2026, 3, 2),
        requested_by=Requester.MEMBERS,
        requesting_members=[zi.m.social, zi.m.police, zi.m.undeclared],
    )
    assert meeting.requesting_members.count() == 3


def test_B3_extraordinary_needs_a_requester(zi):
    with pytest.raises(ValidationError) as exc:
        schedule(zi, kind=MeetingKind.EXTRAORDINARY, on=date(2026, 3, 30), today=date(2026, 3, 2))
    assert "requested_by" in exc.value.error_dict


def test_B3_personal_notice_to_every_member_with_confirmation_link(zi):
    meeting = schedule(zi, on=date(2026, 3, 2), today=date(2026, 1, 15))
    notices = list(meeting.notices.select_related("member"))
    assert len(notices) == 5
    mail = OutboxEmail.objects.get(key=f"bluecard:notice:{notices[0].pk}")
    assert notices[0].token in mail.body_text and "02.03.2026" in mail.body_text
    assert mail.to == notices[0].member.email
    services.meeting_notice_confirm(token=notices[0].token)
    notices[0].refresh_from_db()
    first = notices[0].confirmed_at
    assert first is not None
    services.meeting_notice_confirm(token=notices[0].token)
    notices[0].refresh_from_db()
    assert notices[0].confirmed_at == first  # the first confirmation is kept
    assert meeting.notices.filter(confirmed_at__isnull=True).count() == 4


def test_B3_notices_go_to_invited_persons_too_and_by_ordinary_letter_with_a_dispatch_record(zi):
    from mopr.documents import documents_for

    meeting = schedule(
        zi,
        on=date(2026, 3, 2),
        today=date(2026, 1, 15),
        invitees=[
            {"name": "Ewa Kurator", "email": "kurator@example.pl", "address": "ul. Sądowa 1, Białystok"},
            {"name": "Jan Terapeuta", "email": "", "address": "ul. Zdrowa 2, Białystok"},
        ],
    )
    notices = list(meeting.notices.order_by("pk"))
    assert len(notices) == 7  # 5 members and 2 invited persons (004 §14 pkt 1)
    invited = {n.invitee_name: n for n in notices if n.member_id is None}
    mail = OutboxEmail.objects.get(key=f"bluecard:notice:{invited['Ewa Kurator'].pk}")
    assert mail.to == "kurator@example.pl" and "Ewa Kurator" in mail.body_text
    assert not OutboxEmail.objects.filter(key=f"bluecard:notice:{invited['Jan Terapeuta'].pk}").exists()
    # 004 §12: every notice also by ordinary letter: a printable notice on the meeting, its dispatch recorded.
    assert all(n.letter is not None for n in notices)
    assert {n.letter_id for n in notices} <= {d.pk for d in documents_for(meeting)}
    letter = invited["Jan Terapeuta"]
    with pytest.raises(PermissionDenied):
        services.meeting_notice_dispatch(letter, dispatched_on=date(2026, 1, 16), acting_user=zi.m.social.user)
    services.meeting_notice_dispatch(letter, dispatched_on=date(2026, 1, 16), acting_user=zi.chair)
    letter.refresh_from_db()
    assert letter.letter_dispatched_on == date(2026, 1, 16) and letter.letter_dispatched_by == zi.chair
    assert letter.history.filter(letter_dispatched_on=date(2026, 1, 16), history_user=zi.chair).exists()


# --- B4, B5 ---------------------------------------------------------------------------------------------


@pytest.fixture
def held(zi):
    meeting = schedule(zi, on=date(2026, 3, 2), today=date(2026, 1, 15))
    return meeting


def test_B4_guest_only_with_confidentiality_undertaking_and_without_vote(zi, held):
    with pytest.raises(ValidationError) as exc:
        services.guest_admit(held, name="Ekspert", affiliation="Poradnia", undertaking_on=None, acting_user=zi.chair)
    assert "undertaking_on" in exc.value.error_dict
    services.attendance_record(held, members=[zi.m.chair, zi.m.vice, zi.m.social], acting_user=zi.chair)
    services.guest_admit(
        held, name="Ekspert", affiliation="Poradnia", undertaking_on=date(2026, 3, 2), acting_user=zi.chair
    )
    assert Attendance.objects.filter(meeting=held).count() == 4
    with pytest.raises(ValidationError):  # 4 votes, 3 members present: the guest does not vote
        services.resolution_vote(held, subject="X", votes_for=4, votes_against=0, votes_abstain=0, acting_user=zi.chair)


def test_B5_quorum_is_at_least_half_of_the_members(zi, held):
    # 5 members: 2 present is below half; 3 is enough (3*2 >= 5)
    services.attendance_record(held, members=[zi.m.chair, zi.m.vice], acting_user=zi.chair)
    with pytest.raises(ValidationError) as exc:
        services.resolution_vote(
            held, subject="Program", votes_for=2, votes_against=0, votes_abstain=0, acting_user=zi.chair
        )
    assert "quorum" in str(exc.value)
    services.attendance_record(held, members=[zi.m.chair, zi.m.vice, zi.m.social], acting_user=zi.chair)
    resolution = services.resolution_vote(
        held, subject="Program", votes_for=2, votes_against=1, votes_abstain=0, acting_user=zi.chair
    )
    assert resolution.adopted and resolution.members_present == 3 and resolution.members_total == 5


def test_B5_exactly_half_present_is_a_quorum():
    assert services.vote_outcome(members_total=10, members_present=5, votes_for=3, votes_against=2) == (True, False)
    with pytest.raises(ValidationError):
        services.vote_outcome(members_total=10, members_present=4, votes_for=4, votes_against=0)


def test_B5_simple_majority_abstentions_do_not_count():
    assert services.vote_outcome(members_total=6, members_present=6, votes_for=2, votes_against=1) == (True, False)
    assert services.vote_outcome(members_total=6, members_present=6, votes_for=1, votes_against=2) == (False, False)


def test_B5_tie_is_decided_by_the_chairs_vote(zi, held):
    services.attendance_record(held, members=[zi.m.chair, zi.m.vice, zi.m.social, zi.m.police], acting_user=zi.chair)
    with pytest.raises(ValidationError) as exc:
        services.resolution_vote(
            held, subject="Opinia", votes_for=2, votes_against=2, votes_abstain=0, acting_user=zi.chair
        )
    assert "chair_vote" in exc.value.error_dict
    adopted = services.resolution_vote(
        held,
        subject="Opinia",
        votes_for=2,
        votes_against=2,
        votes_abstain=0,
        chair_vote=ChairVote.FOR,
        acting_user=zi.chair,
    )
    assert adopted.adopted and adopted.decided_by_chair_vote
    rejected = services.resolution_vote(
        held,
        subject="Opinia 2",
        votes_for=2,
        votes_against=2,
        votes_abstain=0,
        chair_vote=ChairVote.AGAINST,
        acting_user=zi.chair,
    )
    assert not rejected.adopted and rejected.decided_by_chair_vote


def test_B5_urgent_decision_without_resolution_needs_a_note(zi):
    with pytest.raises(ValidationError):
        services.urgent_decision_record(team=zi.team, subject="Pilne", note=" ", acting_user=zi.chair)
    decision = services.urgent_decision_record(team=zi.team, subject="Pilne", note="Zagrożenie", acting_user=zi.chair)
    assert decision.kind == "urgent" and decision.urgent_note == "Zagrożenie"


def test_B5_a_member_who_is_not_chair_cannot_record_votes(zi, held):
    with pytest.raises(PermissionDenied):
        services.resolution_vote(
            held, subject="X", votes_for=1, votes_against=0, votes_abstain=0, acting_user=zi.m.social.user
        )


# --- B6 -------------------------------------------------------------------------------------------------


def test_B6_remarks_within_7_days_across_a_holiday(zi):
    # Meeting Mon 27 Apr 2026 + 7 days = Mon 4 May 2026 (3 May is a holiday on Sunday; 4 May a working day)
    meeting = schedule(zi, on=date(2026, 4, 27), today=date(2026, 3, 2))
    assert services.remarks_deadline(meeting) == date(2026, 5, 4)
    services.protocol_remark_add(meeting, text="Uzupełnić listę", acting_user=zi.m.police.user, today=date(2026, 5, 4))
    with pytest.raises(ValidationError):
        services.protocol_remark_add(meeting, text="Za późno", acting_user=zi.m.police.user, today=date(2026, 5, 5))
    with pytest.raises(ValidationError):
        services.meeting_protocol_finalise(meeting, acting_user=zi.chair, today=date(2026, 5, 4))


def test_B6_protocol_with_attendance_and_final_protocol_signed_by_the_chair(zi, held):
    from units.models import ApprovalStep
    from units.services import approval_approve

    services.attendance_record(held, members=[zi.m.chair, zi.m.vice, zi.m.social], acting_user=zi.chair)
    flow = services.meeting_protocol_finalise(held, acting_user=zi.chair, today=date(2026, 3, 10))
    steps = list(flow.steps.order_by("order"))
    # The chair alone: nobody from the org chart sees it (004 §34, B11).
    assert [(s.kind, s.assignee) for s in steps] == [(ApprovalStep.Kind.SIGNATURE, zi.chair)]
    for step in steps:
        approval_approve(ApprovalStep.objects.get(pk=step.pk), acting_user=zi.chair)
    held.refresh_from_db()
    assert held.protocol_signed_at is not None


# --- B7 -------------------------------------------------------------------------------------------------


def test_B7_card_numbers_are_sequential_per_year(zi):
    first = make_card(zi, received_on=date(2025, 12, 30))
    second = make_card(zi, received_on=date(2026, 1, 2))
    third = make_card(zi, received_on=date(2026, 1, 5))
    assert (first.signature, second.signature, third.signature) == ("1/2025", "1/2026", "2/2026")


def test_B7_notification_due_in_3_days_moved_past_christmas(zi):
    card = make_card(zi, received_on=date(2025, 12, 21))  # +3 = 24 Dec (holiday), 25-26, Sat, Sun -> 29 Dec
    deadline = Deadline.objects.get(kind="bluecard_notification", object_id=card.pk)
    assert deadline.due == date(2025, 12, 29) and deadline.responsible_user == zi.chair
    assert "Anna" not in deadline.label and "Testowa" not in deadline.label


def test_B7_information_to_members_names_the_card_number_and_the_person_by_email(zi):
    card = make_card(zi)
    services.bluecard_notify_members(card, acting_user=zi.chair)
    mails = OutboxEmail.objects.filter(key__startswith=f"bluecard:card:{card.pk}:")
    assert mails.count() == 5
    for mail in mails:
        assert "1/2026" in mail.body_text
        assert "1/2026" not in mail.subject and "Testowa" not in mail.subject  # never in the subject
        assert "Jan Testowy" not in mail.body_text  # the suspected person: never
    declared = OutboxEmail.objects.get(key=f"bluecard:card:{card.pk}:member:{zi.m.police.pk}")
    assert "Anna Testowa" in declared.body_text  # 004 §23: at least the number and the name
    undeclared = OutboxEmail.objects.get(key=f"bluecard:card:{card.pk}:member:{zi.m.undeclared.pk}")
    assert "Anna Testowa" not in undeclared.body_text  # B11
    card.refresh_from_db()
    assert card.notification_sent_at and not Deadline.objects.open().filter(kind="bluecard_notification").exists()


def test_B7_team_may_switch_to_a_link_to_the_notice_instead_of_the_name_recorded_with_history(zi):
    from bluecard.models import NotificationContent

    assert zi.team.notification_content == NotificationContent.NAME
    with pytest.raises(PermissionDenied):
        services.team_notification_content_set(zi.team, content=NotificationContent.LINK, acting_user=zi.m.social.user)
    services.team_notification_content_set(zi.team, content=NotificationContent.LINK, acting_user=zi.chair)
    zi.team.refresh_from_db()
    assert zi.team.notification_content == NotificationContent.LINK
    assert zi.team.history.filter(notification_content=NotificationContent.LINK, history_user=zi.chair).exists()
    card = make_card(zi, person="Ewa Druga")
    services.bluecard_notify_members(card, acting_user=zi.chair)
    mail = OutboxEmail.objects.get(key=f"bluecard:card:{card.pk}:member:{zi.m.police.pk}")
    assert "Ewa Druga" not in mail.body_text and "1/2026" in mail.body_text
    assert reverse("bluecard:card", args=[card.pk]) in mail.body_text


def test_B7_only_chair_or_vice_registers_cards(zi):
    with pytest.raises(PermissionDenied):
        services.bluecard_register(
            team=zi.team,
            received_on=date(2026, 3, 2),
            initiating_institution="police",
            person_experiencing="X",
            persons_suspected="Y",
            acting_user=zi.m.social.user,
        )


# --- B8, B9 ---------------------------------------------------------------------------------------------


def test_B8_subteam_needs_two_persons_including_chair_or_vice(zi):
    card = make_card(zi)
    with pytest.raises(ValidationError) as exc:
        services.subteam_decide(
            card, members=[zi.m.chair], decision="leave_to_team", decided_on=date(2026, 3, 2), acting_user=zi.chair
        )
    assert "members" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        services.subteam_decide(
            card,
            members=[zi.m.social, zi.m.police],
            decision="leave_to_team",
            decided_on=date(2026, 3, 2),
            acting_user=zi.chair,
        )
    assert "Przewodniczący" in str(exc.value)
    services.subteam_decide(
        card,
        members=[zi.m.vice, zi.m.police],
        decision="leave_to_team",
        decided_on=date(2026, 3, 2),
        acting_user=zi.chair,
    )
    card.refresh_from_db()
    assert card.status == CardStatus.LEFT_TO_TEAM


def test_B8_cards_left_to_team_and_closures_go_on_the_next_agenda(zi):
    card = make_card(zi)
    services.subteam_decide(
        card,
        members=[zi.m.chair, zi.m.police],
        decision="leave_to_team",
        decided_on=date(2026, 3, 2),
        acting_user=zi.chair,
    )
    meeting = schedule(zi, on=date(2026, 5, 4), today=date(2026, 3, 3))
    assert "1/2026" in meeting.agenda and "Anna" not in meeting.agenda


def test_B8_working_group_needs_a_coordinator_from_the_team(zi):
    card = make_card(zi)
    with pytest.raises(ValidationError) as exc:
        services.subteam_decide(
            card,
            members=[zi.m.chair, zi.m.social],
            decision="working_group",
            decided_on=date(2026, 3, 2),
            acting_user=zi.chair,
        )
    assert "coordinator" in exc.value.error_dict
    group = with_group(zi, card)
    assert group.coordinator == zi.m.social
    assert services.open_card_counts(zi.team) == {zi.m.social.pk: 1}


def test_B9_group_meeting_elsewhere_and_third_persons_need_reasons(zi):
    card = make_card(zi)
    group = with_group(zi, card)
    coordinator_row = group.members.get()
    kwargs = dict(
        held_on=date(2026, 3, 5),
        place="Szkoła nr 1",
        attendees=[coordinator_row],
        findings="Ustalenia",
        acting_user=zi.m.social.user,
        today=date(2026, 3, 6),
    )
    with pytest.raises(ValidationError) as exc:
        services.group_meeting_record(group, at_seat=False, **kwargs)
    assert "place_reason" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        services.group_meeting_record(group, at_seat=True, third_persons="Tłumacz", **kwargs)
    assert "third_persons_reason" in exc.value.error_dict
    meeting = services.group_meeting_record(
        group,
        at_seat=False,
        place_reason="Stan zdrowia",
        third_persons="Tłumacz",
        third_persons_reason="Osoba nie mówi po polsku",
        **kwargs,
    )
    assert meeting.protocol_sent_at
    mail = OutboxEmail.objects.get(key=f"bluecard:group-protocol:{meeting.pk}")
    assert mail.to == zi.m.chair.email and "Anna" not in mail.body_text


def test_B13_2023_preset_forbids_leaving_a_card_without_a_group_and_opens_group_deadlines(zi):
    services.team_apply_preset(zi.team, preset=TerminologyPreset.REFORM_2023, acting_user=zi.chair)
    card = make_card(zi, received_on=date(2026, 4, 30))  # +3 working days: skip 1 May, 2-3 May -> 6 May
    assert Deadline.objects.get(kind="bluecard_group_assign", object_id=card.pk).due == date(2026, 5, 6)
    with pytest.raises(ValidationError):
        services.subteam_decide(
            card,
            members=[zi.m.chair, zi.m.social],
            decision="leave_to_team",
            decided_on=date(2026, 4, 30),
            acting_user=zi.chair,
            today=date(2026, 4, 30),
        )
    services.subteam_decide(
        card,
        members=[zi.m.chair, zi.m.social],
        decision="working_group",
        decided_on=date(2026, 4, 30),
        coordinator=zi.m.social,
        acting_user=zi.chair,
        today=date(2026, 4, 30),
    )
    first = Deadline.objects.get(kind="bluecard_group_first_meeting", object_id=card.pk)
    assert first.due == date(2026, 5, 8) and first.responsible_user == zi.m.social.user


# --- B10 ------------------------------------------------------------------------------------------------


def _sign(flow, user):
    from units.models import ApprovalStep
    from units.services import approval_approve

    for step in flow.steps.order_by("order"):
        approval_approve(ApprovalStep.objects.get(pk=step.pk), acting_user=user)


def test_B10_violence_stopped_requires_the_help_plan_done(zi):
    card = make_card(zi)
    with_group(zi, card)
    action = services.help_action_add(card, description="Terapia", responsible="OIK", acting_user=zi.m.social.user)
    with pytest.raises(ValidationError) as exc:
        services.closure_propose(
            card,
            reason="stopped",
            forum="group",
            decided_on=date(2026, 3, 20),
            actions_summary="Terapia",
            acting_user=zi.m.social.user,
            today=date(2026, 3, 20),
        )
    assert "reason" in exc.value.error_dict
    services.help_action_complete(
        action, done_on=date(2026, 3, 19), acting_user=zi.m.social.user, today=date(2026, 3, 20)
    )
    closure = services.closure_propose(
        card,
        reason="stopped",
        forum="group",
        decided_on=date(2026, 3, 20),
        actions_summary="Terapia",
        acting_user=zi.m.social.user,
        today=date(2026, 3, 20),
    )
    assert closure.document.sha256


def test_B10_closure_protocol_signed_by_the_chair_closes_and_notifies_institutions(zi):
    card = make_card(zi)
    group = with_group(zi, card)
    services.group_member_add(
        group,
        user=zi.police,
        institution_name="Komenda Miejska Policji",
        joined_on=date(2026, 3, 3),
        acting_user=zi.m.social.user,
    )
    closure = services.closure_propose(
        card,
        reason="groundless",
        forum="subteam",
        decided_on=date(2026, 3, 20),
        actions_summary="Rozmowy",
        acting_user=zi.m.social.user,
        today=date(2026, 3, 20),
    )
    flow = closure.document.approval_flows.get()
    assert set(flow.steps.values_list("assignee", flat=True)) == {zi.chair.pk}
    card.refresh_from_db()
    assert card.status == CardStatus.CLOSING
    _sign(flow, zi.chair)
    card.refresh_from_db()
    closure.refresh_from_db()
    assert card.status == CardStatus.CLOSED and card.closed_on == date(2026, 3, 20)
    assert closure.status == "signed" and closure.institutions_notified_at
    mails = OutboxEmail.objects.filter(key__startswith=f"bluecard:closure:{closure.pk}:")
    assert {m.to for m in mails} == {zi.police.email, zi.m.social.user.email}
    assert all("Anna" not in m.body_text and "1/2026" not in m.subject for m in mails)
    meeting = schedule(zi, on=date(2026, 5, 4), today=date(2026, 3, 23))
    closure.refresh_from_db()
    assert closure.reported_at_meeting == meeting and "1/2026" in meeting.agenda


def test_B10_nobody_but_the_chair_signs_the_closure_protocol(zi, chart):
    from units.models import ApprovalStep
    from units.services import approval_approve

    card = make_card(zi)
    with_group(zi, card)
    closure = services.closure_propose(
        card,
        reason="groundless",
        forum="team",
        decided_on=date(2026, 3, 20),
        actions_summary="Rozmowy",
        acting_user=zi.chair,
        today=date(2026, 3, 20),
    )
    flow = closure.document.approval_flows.get()
    (signature,) = flow.steps.order_by("order")
    assert flow.fixed_signatory and signature.assignee == zi.chair
    # The chart's signatory of OIK (a Deputy Director) signs OIK's documents, but not this one.
    with pytest.raises(PermissionDenied):
        approval_approve(ApprovalStep.objects.get(pk=signature.pk), acting_user=chart.zastepca2)
    card.refresh_from_db()
    assert card.status == CardStatus.CLOSING
    approval_approve(ApprovalStep.objects.get(pk=signature.pk), acting_user=zi.chair)
    card.refresh_from_db()
    assert card.status == CardStatus.CLOSED


def test_B10_returned_protocol_puts_the_card_back(zi):
    from units.models import ApprovalStep
    from units.services import approval_refuse

    card = make_card(zi)
    with_group(zi, card)
    closure = services.closure_propose(
        card,
        reason="groundless",
        forum="group",
        decided_on=date(2026, 3, 20),
        actions_summary="Rozmowy",
        acting_user=zi.m.social.user,
        today=date(2026, 3, 20),
    )
    step = closure.document.approval_flows.get().steps.order_by("order").first()
    approval_refuse(ApprovalStep.objects.get(pk=step.pk), acting_user=zi.chair, reason="Uzupełnić opis")
    card.refresh_from_db()
    closure.refresh_from_db()
    assert card.status == CardStatus.WORKING_GROUP and closure.status == "returned"


def test_B10_transfer_names_the_other_team(zi):
    card = make_card(zi)
    with pytest.raises(ValidationError) as exc:
        services.closure_propose(
            card,
            reason="transferred",
            forum="team",
            decided_on=date(2026, 3, 20),
            actions_summary="Przekazano",
            acting_user=zi.chair,
            today=date(2026, 3, 20),
        )
    assert "transferred_to" in exc.value.error_dict


# --- B11, B12 -------------------------------------------------------------------------------------------


def test_B11_breach_report_notifies_chair_and_vice_chair_at_once(zi):
    report = services.breach_report(
        team=zi.team,
        occurred_on=date(2026, 3, 1),
        description="Zgubiony pendrive",
        acting_user=zi.m.police.user,
        today=date(2026, 3, 2),
    )
    mails = OutboxEmail.objects.filter(key__startswith=f"bluecard:breach:{report.pk}:")
    assert {m.to for m in mails} == {zi.m.chair.email, zi.m.vice.email}
    assert all("pendrive" not in m.subject for m in mails)


def test_B11_breach_report_not_for_outsiders(zi, chart):
    with pytest.raises(PermissionDenied):
        services.breach_report(team=zi.team, occurred_on=date(2026, 3, 1), description="x", acting_user=chart.dyrektor)


def test_B12_K3_annual_report_due_31_january_a_fixed_date_not_moved(zi):
    make_card(zi, received_on=date(2026, 3, 2))
    deadline = Deadline.objects.get(kind="bluecard_annual_report_2026")
    assert deadline.due == date(2027, 1, 31)  # a Sunday: a fixed date set by 004 §55 is not moved (K3)
    assert deadline.responsible_user == zi.chair
    assert services.annual_report_due(2025) == date(2026, 1, 31)  # a Saturday: not moved either


def test_B12_annual_report_accepted_by_the_district_mayor_is_recorded_with_history(zi):
    report = services.annual_report_generate(zi.team, year=2025, acting_user=zi.chair)
    with pytest.raises(ValidationError) as exc:
        services.annual_report_accept(
            report, accepted_on=date(2026, 2, 5), accepted_by=" ", acting_user=zi.chair, today=date(2026, 2, 10)
        )
    assert "accepted_by" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        services.annual_report_accept(
            report,
            accepted_on=date(2026, 2, 11),
            accepted_by="Burmistrz",
            acting_user=zi.chair,
            today=date(2026, 2, 10),
        )
    assert "accepted_on" in exc.value.error_dict
    with pytest.raises(PermissionDenied):
        services.annual_report_accept(
            report, accepted_on=date(2026, 2, 5), accepted_by="Burmistrz", acting_user=zi.m.social.user
        )
    services.annual_report_accept(
        report,
        accepted_on=date(2026, 2, 5),
        accepted_by="Burmistrz Dzielnicy Bielany Jan Kowalski",
        acting_user=zi.chair,
        today=date(2026, 2, 10),
    )
    report.refresh_from_db()
    assert report.accepted_on == date(2026, 2, 5)
    assert report.accepted_by == "Burmistrz Dzielnicy Bielany Jan Kowalski"
    assert report.acceptance_recorded_by == zi.chair
    assert report.history.filter(accepted_on=date(2026, 2, 5)).exists()


def test_B12_statistics_and_annual_report_meet_the_deadline(zi):
    card = make_card(zi, received_on=date(2025, 3, 2))
    with_group(zi, card)
    make_card(zi, received_on=date(2025, 4, 2))
    from bluecard.selectors import statistics

    stats = statistics(zi.team, 2025)
    assert stats["received"] == 2 and stats["sent_to_groups"] == 1
    assert {"label": "Policja", "count": 2} in stats["by_institution"]
    report = services.annual_report_generate(zi.team, year=2025, acting_user=zi.chair)
    assert report.statistics["received"] == 2
    assert not Deadline.objects.open().filter(kind="bluecard_annual_report_2025").exists()


def test_B1_one_chair_at_a_time_and_order_number_required(zi, chart):
    with pytest.raises(ValidationError):
        services.member_appoint(
            team=zi.team,
            user=chart.dnk_pracownik,
            represented_institution="MOPR",
            email="a@b.pl",
            role="chair",
            order_number="Z/1",
            order_date=date(2026, 1, 2),
            acting_user=zi.chair,
        )
    with pytest.raises(ValidationError):
        services.member_appoint(
            team=zi.team,
            user=chart.dnk_pracownik,
            represented_institution="MOPR",
            email="a@b.pl",
            order_number=" ",
            order_date=date(2026, 1, 2),
            acting_user=zi.chair,
        )
    assert not Meeting.objects.exists()


def test_B12_K5_annual_report_in_the_chairs_digest_from_3_working_days_before(zi):
    from bluecard.tasks import bluecard_daily_checks
    from mopr.deadlines import digest_deadlines_for

    assert bluecard_daily_checks(today="2027-01-20") == 1  # no card in 2026: the deadline is still opened
    kinds = lambda day: {d.kind for d in digest_deadlines_for(zi.chair, day)}  # noqa: E731
    assert "bluecard_annual_report_2026" not in kinds(date(2027, 1, 26))
    assert "bluecard_annual_report_2026" in kinds(date(2027, 1, 27))  # 28, 29 Jan, 1 Feb: due Sun 31 Jan 2027
    bluecard_daily_checks(today="2027-01-21")
    assert Deadline.objects.open().filter(kind="bluecard_annual_report_2026").count() == 1  # idempotent
    assert zi.m.social.user not in {d.responsible_user for d in Deadline.objects.open()}


def test_B1_team_is_created_only_by_an_administrator_with_the_permission(chart):
    from django.core.management import call_command

    from bluecard.models import Team
    from tests.factories import UserFactory

    UserFactory(username="zwykly")
    with pytest.raises(PermissionDenied):
        call_command("bluecard_team_create", institution="bialystok", unit="OIK", name="ZI", seat="OIK", admin="zwykly")
    UserFactory(username="su", is_superuser=True)
    call_command(
        "bluecard_team_create", institution="bialystok", unit="OIK", name="ZI", seat="OIK", admin="su", preset="2023"
    )
    team = Team.objects.get(name="ZI")
    assert team.preset == "2023" and team.group_assign_working_days == 3
    assert team.declared_group.name == f"bluecard:team:{team.pk}:declared"


def test_B6_remarks_window_counts_7_days_from_the_day_after_the_meeting_K2(zi):
    # Wed 4 Mar 2026: the meeting day is not counted (K2), so the 7th day is Wed 11 Mar 2026.
    meeting = schedule(zi, on=date(2026, 3, 4), today=date(2026, 1, 15))
    assert services.remarks_deadline(meeting) == date(2026, 3, 11)
    services.protocol_remark_add(meeting, text="W dniu", acting_user=zi.m.police.user, today=date(2026, 3, 4))
    services.protocol_remark_add(meeting, text="Ostatni dzień", acting_user=zi.m.police.user, today=date(2026, 3, 11))
    with pytest.raises(ValidationError) as exc:
        services.protocol_remark_add(meeting, text="Dzień po", acting_user=zi.m.police.user, today=date(2026, 3, 12))
    assert "11.03.2026" in str(exc.value)
    assert meeting.remarks.count() == 2


def test_B6_remarks_window_ending_on_a_saturday_moves_to_monday_K3(zi):
    # Sat 7 Mar 2026 + 7 = Sat 14 Mar 2026 -> Mon 16 Mar 2026 (K3).
    meeting = schedule(zi, on=date(2026, 3, 7), today=date(2026, 1, 15))
    assert services.remarks_deadline(meeting) == date(2026, 3, 16)
    services.protocol_remark_add(meeting, text="Poniedziałek", acting_user=zi.m.police.user, today=date(2026, 3, 16))
    with pytest.raises(ValidationError):
        services.protocol_remark_add(meeting, text="Wtorek", acting_user=zi.m.police.user, today=date(2026, 3, 17))


def test_B6_remarks_refused_before_the_meeting_accepted_once_it_has_taken_place(zi):
    meeting = schedule(zi, on=date(2026, 3, 4), today=date(2026, 1, 15))
    with pytest.raises(ValidationError) as exc:
        services.protocol_remark_add(meeting, text="Za wcześnie", acting_user=zi.m.police.user, today=date(2026, 3, 3))
    assert "po posiedzeniu" in str(exc.value)


def test_B6_remarks_accepted_without_a_given_day_when_the_protocol_is_available(zi):
    # The page calls the service without ``today``: a meeting that has taken place (its protocol can be drawn up)
    # takes remarks for the 7 days, whatever the hour.
    today = timezone.localdate()
    meeting = schedule(zi, on=today - timedelta(days=1), today=today - timedelta(days=60))
    assert meeting.has_taken_place()
    services.protocol_remark_add(meeting, text="Uwaga", acting_user=zi.m.police.user)
    assert meeting.remarks.count() == 1


def test_B10_closure_reported_at_the_nearest_meeting_held_after_it_even_if_scheduled_before(zi):
    today = timezone.localdate()
    card = make_card(zi, received_on=today - timedelta(days=10))
    with_group(zi, card)
    later = schedule(zi, on=today + timedelta(days=70), today=today - timedelta(days=5))
    nearest = schedule(zi, on=today + timedelta(days=40), today=today - timedelta(days=5))
    closure = services.closure_propose(
        card,
        reason="groundless",
        forum="subteam",
        decided_on=today - timedelta(days=1),
        actions_summary="Rozmowy",
        acting_user=zi.m.social.user,
        today=today,
    )
    assert f"nr {card.signature}" not in nearest.agenda  # not yet closed when the meetings were scheduled
    _sign(closure.document.approval_flows.get(), zi.chair)
    closure.refresh_from_db()
    nearest.refresh_from_db()
    later.refresh_from_db()
    assert closure.reported_at_meeting == nearest
    assert f"nr {card.signature}" in nearest.agenda and f"nr {card.signature}" not in later.agenda


def test_B10_every_institution_that_took_part_including_the_opening_one_is_told_of_the_closure(zi):
    from bluecard.models import ClosureNotice
    from mopr.documents import documents_for

    card = make_card(zi, received_on=date(2026, 3, 2))  # opened by the police ("Policja"): no address on record
    group = with_group(zi, card)
    services.group_member_add(
        group,
        user=zi.teacher,
        institution_name="Szkoła Podstawowa nr 5",
        joined_on=date(2026, 3, 3),
        acting_user=zi.chair,
    )
    closure = services.closure_propose(
        card,
        reason="groundless",
        forum="subteam",
        decided_on=date(2026, 3, 20),
        actions_summary="Rozmowy",
        acting_user=zi.m.social.user,
        today=date(2026, 3, 20),
    )
    _sign(closure.document.approval_flows.get(), zi.chair)
    notices = {n.institution: n for n in ClosureNotice.objects.filter(closure=closure)}
    assert "Policja" in notices and "Szkoła Podstawowa nr 5" in notices
    letter = notices["Policja"]
    assert letter.channel == ClosureNotice.Channel.LETTER and letter.document is not None
    assert letter.document in documents_for(card)
    school = notices["Szkoła Podstawowa nr 5"]
    assert school.channel == ClosureNotice.Channel.EMAIL and school.email == zi.teacher.email
    assert OutboxEmail.objects.filter(key__startswith=f"bluecard:closure:{closure.pk}:", to=zi.teacher.email).exists()
    with pytest.raises(ValidationError):
        services.closure_letter_dispatch(school, dispatched_on=date(2026, 3, 23), acting_user=zi.chair)
    with pytest.raises(PermissionDenied):
        services.closure_letter_dispatch(letter, dispatched_on=date(2026, 3, 23), acting_user=zi.m.police.user)
    services.closure_letter_dispatch(letter, dispatched_on=date(2026, 3, 23), acting_user=zi.chair)
    letter.refresh_from_db()
    assert letter.dispatched_on == date(2026, 3, 23) and letter.dispatched_by == zi.chair
    assert letter.history.filter(dispatched_on=date(2026, 3, 23)).exists()
