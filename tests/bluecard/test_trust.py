"""Trust on every path, Blue Card part: one procedure table per register with who and why in the
history, database constraints proved by concurrent requests on PostgreSQL, B11 and time on every recording
path, an admin without side doors, and Blue Cards as a special category (ARCHITECTURE "State changes",
"Special categories", "Time and identity")."""

from datetime import date, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import get_resolver, reverse
from django.utils import timezone

from bluecard import permissions as perms
from bluecard import services
from bluecard.models import (
    Attendance,
    BlueCard,
    BlueCardUserObjectPermission,
    CardStatus,
    Closure,
    GroupMeeting,
    MeetingKind,
    MeetingStatus,
    Resolution,
    TeamMember,
)
from bluecard.procedures import CARD, MEETING
from mopr.documents import documents_for
from mopr.models import SecurityEvent
from tests.concurrency import errors, oks, post_concurrently, race

from .conftest import build_team, make_card, with_group

pytestmark = pytest.mark.django_db

MEETING_DAY = date(2026, 3, 2)


def schedule(zi, *, on=MEETING_DAY, today=date(2026, 1, 15)):
    return services.meeting_schedule(
        team=zi.team,
        kind=MeetingKind.ORDINARY,
        date_=on,
        time=time(10, 0),
        place="Siedziba",
        agenda="Sprawy bieżące",
        acting_user=zi.chair,
        today=today,
    )


def close(card, user, **kwargs):
    return services.closure_propose(
        card,
        reason="groundless",
        forum="team",
        decided_on=date(2026, 3, 20),
        actions_summary="Rozmowy z rodziną",
        acting_user=user,
        **kwargs,
    )


def _sign(flow, user):
    from units.models import ApprovalStep
    from units.services import approval_approve

    for step in flow.steps.order_by("order"):
        approval_approve(ApprovalStep.objects.get(pk=step.pk), acting_user=user)


# --- 1. one procedure table per register, who and why in the history ----------------------------------


def test_card_procedure_table_is_the_one_source_of_the_card_states():
    assert CARD.transitions() == {
        CardStatus.REGISTERED: {
            CardStatus.REGISTERED,
            CardStatus.LEFT_TO_TEAM,
            CardStatus.WORKING_GROUP,
            CardStatus.CLOSING,
        },
        CardStatus.LEFT_TO_TEAM: {CardStatus.LEFT_TO_TEAM, CardStatus.WORKING_GROUP, CardStatus.CLOSING},
        CardStatus.WORKING_GROUP: {CardStatus.WORKING_GROUP, CardStatus.CLOSING},
        CardStatus.CLOSING: {
            CardStatus.CLOSING,
            CardStatus.CLOSED,
            CardStatus.REGISTERED,
            CardStatus.LEFT_TO_TEAM,
            CardStatus.WORKING_GROUP,
        },
        CardStatus.CLOSED: set(),
    }
    assert MEETING.transitions()[MeetingStatus.SCHEDULED] == {MeetingStatus.SCHEDULED, MeetingStatus.HELD}
    assert MEETING.transitions()[MeetingStatus.SIGNED] == set()
    assert not hasattr(services, "bluecard_transition")


def test_card_state_change_records_who_and_why(zi):
    card = make_card(zi)
    with_group(zi, card)
    record = card.history.latest()
    assert record.status == CardStatus.WORKING_GROUP
    assert record.history_user == zi.chair
    assert record.history_change_reason == str(CARD["powolaj-grupe"].label)


def test_card_page_buttons_are_drawn_from_the_procedure_table(zi, login):
    card = make_card(zi)
    client = login(zi.chair)
    page = client.get(reverse("bluecard:card", args=[card.pk])).content.decode()
    for action in CARD.available(card, zi.chair):
        if action.url_name:
            assert reverse(action.url_name, args=[card.pk]) in page, action.name
    close(card, zi.chair, today=date(2026, 3, 20))
    card.refresh_from_db()
    assert [a.name for a in CARD.available(card, zi.chair) if a.url_name] == ["powiadom"]
    page = client.get(reverse("bluecard:card", args=[card.pk])).content.decode()
    assert reverse("bluecard:closure", args=[card.pk]) not in page
    assert reverse("bluecard:subteam", args=[card.pk]) not in page


def test_B10_replayed_closure_with_a_stale_card_is_refused_in_polish(zi):
    card = make_card(zi)
    stale = BlueCard.objects.get(pk=card.pk)  # what a second browser tab still holds
    close(card, zi.chair, today=date(2026, 3, 20))
    with pytest.raises(ValidationError, match="została już wykonana"):
        close(stale, zi.chair, today=date(2026, 3, 20))
    assert Closure.objects.filter(card=card).count() == 1
    assert documents_for(card).count() == 1


def test_B6_replayed_final_protocol_starts_one_signature(zi):
    meeting = schedule(zi)
    services.attendance_record(meeting, members=[zi.m.chair, zi.m.vice, zi.m.social], acting_user=zi.chair)
    stale = type(meeting).objects.get(pk=meeting.pk)
    services.meeting_protocol_finalise(meeting, acting_user=zi.chair, today=date(2026, 3, 10))
    with pytest.raises(ValidationError):
        services.meeting_protocol_finalise(stale, acting_user=zi.chair, today=date(2026, 3, 10))
    assert documents_for(meeting).filter(kind="bluecard_meeting_protocol").count() == 1  # B3 letters beside


def test_B6_meeting_lifecycle_scheduled_held_in_signature_signed_with_who(zi):
    meeting = schedule(zi)
    assert meeting.status == MeetingStatus.SCHEDULED
    services.attendance_record(meeting, members=[zi.m.chair, zi.m.vice, zi.m.social], acting_user=zi.chair)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    assert meeting.history.latest().history_user == zi.chair
    flow = services.meeting_protocol_finalise(meeting, acting_user=zi.chair, today=date(2026, 3, 10))
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.IN_SIGNATURE
    _sign(flow, zi.chair)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SIGNED and meeting.protocol_signed_at
    assert meeting.history.latest().history_user == zi.chair


def test_B6_returned_protocol_goes_back_to_preparation(zi):
    from units.models import ApprovalStep
    from units.services import approval_refuse

    meeting = schedule(zi)
    services.attendance_record(meeting, members=[zi.m.chair, zi.m.vice, zi.m.social], acting_user=zi.chair)
    flow = services.meeting_protocol_finalise(meeting, acting_user=zi.chair, today=date(2026, 3, 10))
    step = flow.steps.order_by("order").first()
    approval_refuse(ApprovalStep.objects.get(pk=step.pk), acting_user=zi.chair, reason="Poprawić listę")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD and meeting.protocol_final_at is None


# --- 2. database constraints ---------------------------------------------------------------------------


def test_B10_database_keeps_one_pending_closure_per_card(zi):
    card = make_card(zi)
    close(card, zi.chair, today=date(2026, 3, 20))
    with pytest.raises(IntegrityError), transaction.atomic():
        Closure.objects.create(
            card=card,
            reason="groundless",
            forum="team",
            decided_on=date(2026, 3, 20),
            actions_summary="x",
            recorded_by=zi.chair,
        )


def test_B5_database_keeps_a_resolution_number_once_per_team_and_year(zi):
    meeting = schedule(zi)
    services.attendance_record(meeting, members=[zi.m.chair, zi.m.vice, zi.m.social], acting_user=zi.chair)
    services.resolution_vote(
        meeting, number="1/2026", subject="Plan", votes_for=3, votes_against=0, votes_abstain=0, acting_user=zi.chair
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Resolution.objects.create(
            team=zi.team, number="1/2026", subject="Inna", decided_on=date(2026, 5, 4), recorded_by=zi.chair
        )
    # another year may use the number again; a resolution without a number is not numbered
    Resolution.objects.create(
        team=zi.team, number="1/2026", subject="Inna", decided_on=date(2027, 1, 4), recorded_by=zi.chair
    )


def test_B5_same_resolution_number_again_is_refused_in_polish(zi):
    meeting = schedule(zi)
    services.attendance_record(meeting, members=[zi.m.chair, zi.m.vice, zi.m.social], acting_user=zi.chair)
    services.resolution_vote(
        meeting, number="1/2026", subject="Plan", votes_for=3, votes_against=0, votes_abstain=0, acting_user=zi.chair
    )
    with pytest.raises(ValidationError) as exc:
        services.resolution_vote(
            meeting,
            number="1/2026",
            subject="Program",
            votes_for=2,
            votes_against=1,
            votes_abstain=0,
            acting_user=zi.chair,
        )
    assert "number" in exc.value.error_dict and "już zapisana" in str(exc.value)


def test_B5_replayed_vote_post_stores_one_resolution(zi, login):
    meeting = schedule(zi)
    services.attendance_record(meeting, members=[zi.m.chair, zi.m.vice, zi.m.social], acting_user=zi.chair)
    client = login(zi.chair)
    url = reverse("bluecard:meeting", args=[meeting.pk])
    data = {
        "action": "resolution",
        "subject": "Plan pracy",
        "votes_for": "3",
        "votes_against": "0",
        "votes_abstain": "0",
    }
    assert client.post(url, data).status_code == 302
    again = client.post(url, data)
    assert again.status_code == 200 and "już zapisana" in again.content.decode()
    assert meeting.resolutions.count() == 1


def _concurrent_world():
    from tests.conftest import build_chart

    chart = build_chart()
    return chart, build_team(chart)


@pytest.mark.django_db(transaction=True)
def test_B10_three_concurrent_closure_posts_make_one_closure_protocol():
    _chart, zi = _concurrent_world()
    card = make_card(zi)
    with_group(zi, card)
    url = reverse("bluecard:closure", args=[card.pk])
    codes = post_concurrently(
        3,
        zi.chair,
        url,
        {
            "reason": "groundless",
            "forum": "group",
            "decided_on": "2026-03-20",
            "actions_summary": "Rozmowy",
            "confirm-reason": "Brak podstaw do dalszych działań",
        },
    )
    assert 500 not in codes and sorted(codes).count(302) == 1, codes
    card.refresh_from_db()
    assert card.status == CardStatus.CLOSING
    assert Closure.objects.filter(card=card).count() == 1
    assert documents_for(card).filter(kind=services.CLOSURE_DOCUMENT_KIND).count() == 1
    assert card.history.filter(status=CardStatus.CLOSING).count() == 1


@pytest.mark.django_db(transaction=True)
def test_B10_three_concurrent_closures_in_the_service_one_wins_the_others_get_polish_refusals():
    _chart, zi = _concurrent_world()
    card = make_card(zi)
    results = race(3, lambda i: close(BlueCard.objects.get(pk=card.pk), zi.chair).pk)
    assert len(oks(results)) == 1
    assert all(isinstance(e, ValidationError) for e in errors(results)), errors(results)
    assert Closure.objects.filter(card=card).count() == 1


@pytest.mark.django_db(transaction=True)
def test_B5_four_concurrent_vote_posts_store_one_resolution():
    _chart, zi = _concurrent_world()
    meeting = schedule(zi)
    services.attendance_record(meeting, members=[zi.m.chair, zi.m.vice, zi.m.social], acting_user=zi.chair)
    url = reverse("bluecard:meeting", args=[meeting.pk])
    codes = post_concurrently(
        4,
        zi.chair,
        url,
        {
            "action": "resolution",
            "number": "7/2026",
            "subject": "Program",
            "votes_for": "3",
            "votes_against": "0",
            "votes_abstain": "0",
        },
    )
    assert 500 not in codes and codes.count(302) == 1, codes
    assert list(Resolution.objects.filter(team=zi.team).values_list("number", flat=True)) == ["7/2026"]
    assert meeting.history.count() == 3  # created, attendance, one vote


# --- 3. B11 and time on every recording path -------------------------------------------------------------


def test_B11_undeclared_member_refused_as_attendee(zi):
    meeting = schedule(zi)
    with pytest.raises(ValidationError) as exc:
        services.attendance_record(meeting, members=[zi.m.chair, zi.m.vice, zi.m.undeclared], acting_user=zi.chair)
    assert "members" in exc.value.error_dict and "oświadczenia" in str(exc.value)
    assert not Attendance.objects.filter(meeting=meeting).exists()


def test_B11_undeclared_group_member_refused_as_group_meeting_attendee(zi):
    card = make_card(zi)
    group = with_group(zi, card)
    teacher = services.group_member_add(
        group, user=zi.teacher, institution_name="Szkoła", joined_on=date(2026, 3, 3), acting_user=zi.chair
    )  # no declaration (004 §44)
    coordinator = group.members.get(user=zi.m.social.user)
    with pytest.raises(ValidationError) as exc:
        services.group_meeting_record(
            group,
            held_on=date(2026, 3, 5),
            at_seat=True,
            place="",
            attendees=[coordinator, teacher],
            findings="Rozmowa",
            acting_user=zi.chair,
        )
    assert "attendees" in exc.value.error_dict
    assert not GroupMeeting.objects.filter(group=group).exists()


def test_B11_nobody_without_a_declaration_is_printed_in_the_protocols(zi):
    meeting = schedule(zi)
    services.attendance_record(meeting, members=[zi.m.chair, zi.m.vice, zi.m.social], acting_user=zi.chair)
    Attendance.objects.create(meeting=meeting, member=zi.m.undeclared)  # a row from before the rule was enforced
    Attendance.objects.create(meeting=meeting, guest_name="Późny Gość", undertaking_on=date(2026, 3, 9))
    context = services._meeting_protocol_context(meeting)
    assert str(zi.m.undeclared) not in context["present"] and len(context["present"]) == 3
    assert not any("Późny Gość" in g for g in context["guests"])

    card = make_card(zi)
    group = with_group(zi, card)
    teacher = services.group_member_add(
        group, user=zi.teacher, institution_name="Szkoła", joined_on=date(2026, 3, 3), acting_user=zi.chair
    )
    group_meeting = services.group_meeting_record(
        group,
        held_on=date(2026, 3, 5),
        at_seat=True,
        place="",
        attendees=list(group.members.filter(user=zi.m.social.user)),
        findings="Rozmowa",
        acting_user=zi.chair,
    )
    group_meeting.attendees.add(teacher)  # likewise
    assert "Szkoła" not in " ".join(services._group_protocol_context(group_meeting)["attendees"])


def test_B4_guest_undertaking_confidentiality_after_the_meeting_is_refused(zi):
    meeting = schedule(zi)
    with pytest.raises(ValidationError) as exc:
        services.guest_admit(
            meeting, name="Ekspert", affiliation="Poradnia", undertaking_on=date(2026, 3, 3), acting_user=zi.chair
        )
    assert "undertaking_on" in exc.value.error_dict


def test_B11_undeclared_member_cannot_add_a_remark_to_the_protocol(zi):
    meeting = schedule(zi)
    with pytest.raises(ValidationError):
        services.protocol_remark_add(meeting, text="Uwaga", acting_user=zi.m.undeclared.user, today=MEETING_DAY)


def test_time_nothing_is_recorded_for_a_meeting_before_it_takes_place(zi):
    meeting = schedule(zi)
    before = date(2026, 3, 1)
    attempts = [
        lambda: services.attendance_record(
            meeting, members=[zi.m.chair, zi.m.vice, zi.m.social], acting_user=zi.chair, today=before
        ),
        lambda: services.guest_admit(
            meeting, name="Ekspert", affiliation="Poradnia", undertaking_on=before, acting_user=zi.chair, today=before
        ),
        lambda: services.urgent_decision_record(
            team=zi.team, meeting=meeting, subject="Pilne", note="Zagrożenie", acting_user=zi.chair, today=before
        ),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError, match="jeszcze się nie odbyło"):
            attempt()
    services.attendance_record(
        meeting, members=[zi.m.chair, zi.m.vice, zi.m.social], acting_user=zi.chair, today=MEETING_DAY
    )
    for attempt in [
        lambda: services.resolution_vote(
            meeting, subject="Plan", votes_for=3, votes_against=0, votes_abstain=0, acting_user=zi.chair, today=before
        ),
        lambda: services.meeting_protocol_generate(meeting, acting_user=zi.chair, today=before),
    ]:
        with pytest.raises(ValidationError, match="jeszcze się nie odbyło"):
            attempt()
    assert not meeting.resolutions.exists()


def test_time_meeting_page_refuses_attendance_for_a_future_meeting(zi, login):
    today = timezone.localdate()
    meeting = schedule(zi, on=today + timedelta(days=40), today=today)
    client = login(zi.chair)
    url = reverse("bluecard:meeting", args=[meeting.pk])
    response = client.post(url, {"action": "attendance", "members": [zi.m.chair.pk, zi.m.vice.pk]})
    assert response.status_code == 200 and "jeszcze się nie odbyło" in response.content.decode()
    assert not Attendance.objects.filter(meeting=meeting).exists()


# --- 4. admin without side doors -----------------------------------------------------------------------


def test_B1_dismissal_entered_in_the_admin_revokes_groups_and_card_grants_at_once(zi, login):
    card = make_card(zi)
    with_group(zi, card)  # pracownik_socjalny coordinates: per-card grants
    social = zi.m.social
    assert BlueCardUserObjectPermission.objects.filter(user=social.user, content_object=card).exists()
    client = login(zi.admin)
    url = reverse("admin:bluecard_teammember_change", args=[social.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"dismissing_order_number": "Zarz. 99/2026", "dismissing_order_date": "2026-04-01", "_save": "Zapisz"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    social.refresh_from_db()
    assert social.dismissing_order_number == "Zarz. 99/2026" and not social.is_active
    assert not zi.team.declared_group.user_set.filter(pk=social.user_id).exists()
    assert not BlueCardUserObjectPermission.objects.filter(user=social.user, content_object=card).exists()
    assert not perms.can_view_card(social.user, card)
    assert social.history.latest().history_user == zi.admin


def test_procedure_records_are_read_only_in_the_admin_for_superusers(zi, login):
    from bluecard.models import AnnualReport, BreachReport, ConfidentialityDeclaration

    meeting = schedule(zi)
    services.attendance_record(meeting, members=[zi.m.chair, zi.m.vice, zi.m.social], acting_user=zi.chair)
    services.resolution_vote(
        meeting, number="1/2026", subject="Plan", votes_for=3, votes_against=0, votes_abstain=0, acting_user=zi.chair
    )
    card = make_card(zi)
    close(card, zi.chair, today=date(2026, 3, 20))
    services.breach_report(team=zi.team, occurred_on=date(2026, 3, 1), description="Wydruk", acting_user=zi.chair)
    records = {
        "meeting": meeting,
        "resolution": meeting.resolutions.get(),
        "confidentialitydeclaration": ConfidentialityDeclaration.objects.first(),
        "closure": Closure.objects.get(),
        "bluecard": card,
        "breachreport": BreachReport.objects.get(),
        "annualreport": AnnualReport.objects.create(team=zi.team, year=2025, generated_by=zi.chair),
    }
    client = login(zi.admin)
    for model, obj in records.items():
        before = type(obj).objects.filter(pk=obj.pk).values().get()
        assert client.get(reverse(f"admin:bluecard_{model}_add")).status_code == 403, model
        response = client.post(
            reverse(f"admin:bluecard_{model}_change", args=[obj.pk]),
            {"place": "Gdzie indziej", "status": "signed", "number": "9/2026"},
        )
        assert response.status_code in (302, 403), model
        response = client.post(reverse(f"admin:bluecard_{model}_delete", args=[obj.pk]), {"post": "yes"})
        assert response.status_code in (302, 403), model
        history = obj.history.first()
        revert = reverse(f"admin:bluecard_{model}_simple_history", args=[obj.pk, history.history_id])
        assert client.post(revert, {}).status_code == 403, model
        assert type(obj).objects.filter(pk=obj.pk).values().get() == before, model


# --- 5. Blue Cards are a special category ----------------------------------------------------------------


def test_B11_superuser_outside_the_procedure_opens_no_card_data(zi, login):
    from mopr.documents import document_render_now

    card = make_card(zi)
    with_group(zi, card)
    document = document_render_now(
        card,
        kind=services.GROUP_PROTOCOL_KIND,
        title="Protokół",
        template_name="pdf/plain.html",
        context={"heading": "P", "paragraphs": []},
        acting_user=zi.chair,
    )
    superuser = zi.admin
    assert superuser.is_superuser and superuser.has_perm("bluecard.view_bluecard", card)  # guardian's shortcut
    assert not perms.can_view_card(superuser, card) and not perms.can_manage_card(superuser, card)
    assert not perms.visible_cards(superuser).exists() and not perms.my_cards(superuser).exists()
    client = login(superuser)
    assert client.get(reverse("bluecard:cards")).status_code == 403
    for name, args in [
        ("card", [card.pk]),
        ("card_history", [card.pk]),
        ("card_scan", [card.pk]),
        ("card_document", [card.pk, document.pk]),
        ("group", [card.pk]),
        ("closure", [card.pk]),
    ]:
        assert client.get(reverse(f"bluecard:{name}", args=args)).status_code == 404, name
    assert "Anna Testowa" not in client.get(reverse("admin:bluecard_bluecard_changelist")).content.decode()
    assert client.get(reverse("admin:bluecard_bluecard_changelist")).context["cl"].result_count == 0


def test_every_card_data_page_is_marked_sensitive():
    from bluecard import urls

    names = {p.name: p for p in urls.urlpatterns}
    for name in [
        "card",
        "card_scan",
        "card_document",
        "card_history",
        "subteam",
        "group",
        "group_meeting_new",
        "closure",
        "cards",
        "meeting",
        "meeting_document",
        "meeting_history",
        "access_log",
        "report_document",
        "statistics",
        "breaches",
        "help_action_add",
        "help_action_done",
        "card_notify",
    ]:
        assert getattr(names[name].callback, "sensitive_read", False), name
    assert get_resolver().resolve(reverse("bluecard:card", args=[1])).func.sensitive_read


def test_B11_probing_a_card_id_writes_a_refused_read_event(zi, login):
    client = login(zi.chair)
    url = reverse("bluecard:card", args=[987654])
    assert client.get(url).status_code == 404
    event = SecurityEvent.objects.get(kind="refused_read")
    assert (event.user, event.path) == (zi.chair, url)
    scan = reverse("bluecard:card_scan", args=[987654])
    assert client.get(scan).status_code == 404
    assert SecurityEvent.objects.filter(kind="refused_read", user=zi.chair, path=scan).count() == 1


def test_B11_refused_card_pages_write_one_security_event_each(zi, login):
    card = make_card(zi)
    with_group(zi, card)
    superuser = login(zi.admin)  # outside the procedure
    url = reverse("bluecard:card", args=[card.pk])
    assert superuser.get(url).status_code == 404
    assert SecurityEvent.objects.filter(kind="refused_read", user=zi.admin, path=url).count() == 1
    listing = reverse("bluecard:cards")
    assert superuser.get(listing).status_code == 403
    assert SecurityEvent.objects.filter(user=zi.admin, path=listing).count() == 1
    subteam = reverse("bluecard:subteam", args=[card.pk])  # the coordinator reads the card, the subteam is the chair's
    assert login(zi.m.social.user).get(subteam).status_code == 403
    assert SecurityEvent.objects.filter(user=zi.m.social.user, path=subteam).count() == 1
    group = reverse("bluecard:group", args=[card.pk])
    # a declared member outside this card reads it (B7, 004 §51 pkt 2) but its steps are refused
    assert login(zi.m.police.user).get(group).status_code == 403
    assert SecurityEvent.objects.filter(user=zi.m.police.user, path=group).count() == 1


def test_B1_administrator_does_not_appoint_himself(zi):
    with pytest.raises(PermissionDenied):
        services.member_appoint(
            team=zi.team,
            user=zi.admin,
            represented_institution="MOPR",
            email="a@a.pl",
            order_number="Zarz. 1/2026",
            order_date=date(2026, 1, 5),
            acting_user=zi.admin,
        )
    assert not TeamMember.objects.filter(user=zi.admin).exists()


def test_B11_a_place_in_the_closure_flow_does_not_outlive_the_dismissal(zi, login, django_capture_on_commit_callbacks):
    """The generic document view (units) asks the card's rule, not the flow: a coordinator who proposed a closure
    and was then dismissed from the Team no longer opens its protocol, and the refusal is logged."""
    card = make_card(zi)
    with_group(zi, card)
    social = zi.m.social
    with django_capture_on_commit_callbacks(execute=True):
        close(card, social.user)
    document = documents_for(card).filter(status="ready").first()
    assert document is not None
    url = reverse("units:document_download", args=[document.pk])
    assert login(social.user).get(url).status_code == 200
    services.member_dismiss(social, order_number="Zarz. 100/2026", order_date=date(2026, 4, 1), acting_user=zi.admin)
    assert login(social.user).get(url).status_code == 404
    assert SecurityEvent.objects.filter(kind="refused_read", user=social.user, path=url).exists()
