"""URL permission matrix entries of the Blue Card module (collected by tests/security/url_matrix.py).

The Team of tests/bluecard/conftest.py: chair oik_kierownik, vice-chair zps1_kierownik, members
pracownik_socjalny and ``policjant`` (declared), dsr_kierownik (a member WITHOUT a declaration).
Card A has a working group: coordinator pracownik_socjalny and ``pedagog`` (a declared group member who is
not in the Team). Card B has its own group coordinated by ``policjant`` — a member of another card's group,
who reads card A under 004 §51 pkt 2 (B7) but takes no step in it. ``kurator`` is a declared member in no
subteam and no group: the reader of every card, who posts nothing (``READER``). The org chart grants nothing
here: the Director and heads outside the Team are refused everywhere.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.security.url_matrix import Entry

OUTSIDERS = ["obcy", "dyrektor", "dnk_pracownik"]
LEADERS = ["oik_kierownik", "zps1_kierownik"]
READER = "kurator"  # B7 (004 §51 pkt 2): a declared Team member outside every card's subteam and group
PLAIN_PDF = {"template_name": "pdf/plain.html", "context": {"heading": "Dokument", "paragraphs": []}}


def _team(chart):
    """The Team with two cards (A: group of pracownik_socjalny and pedagog; B: group of policjant)."""
    from bluecard import services

    from .conftest import appoint_reader, build_team, make_card, with_group

    zi = build_team(chart)
    chart.people["policjant"] = zi.police
    chart.people["pedagog"] = zi.teacher
    reader = appoint_reader(zi, READER)
    chart.people[READER] = reader
    card = make_card(
        zi,
        received_on=date(2026, 3, 2),
        scan=SimpleUploadedFile("karta.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
    )
    group = with_group(zi, card)
    services.group_member_add(
        group,
        user=zi.teacher,
        institution_name="Szkoła Podstawowa nr 5",
        joined_on=date(2026, 3, 2),
        acting_user=zi.chair,
    )
    services.declaration_record(
        team=zi.team, user=zi.teacher, capacity="group_member", declared_on=date(2026, 3, 2), acting_user=zi.chair
    )
    other = make_card(zi, received_on=date(2026, 3, 3), person="Beata Inna")
    with_group(zi, other, coordinator=zi.m.police)
    action = services.help_action_add(
        card, description="Konsultacja psychologiczna", responsible="OIK", acting_user=zi.chair
    )
    return {"zi": zi, "card": card, "other": other, "action": action}


def _card_with_document(chart):
    from mopr.documents import document_render_now

    objects = _team(chart)
    objects["doc"] = document_render_now(
        objects["card"], kind="bluecard_group_protocol", title="Protokół", acting_user=objects["zi"].chair, **PLAIN_PDF
    )
    return objects


def _meeting(chart, *, document=False):
    from bluecard import services
    from mopr import calendar
    from mopr.documents import document_render_now

    objects = _team(chart)
    zi = objects["zi"]
    today = timezone.localdate()
    meeting = services.meeting_schedule(
        team=zi.team,
        kind="ordinary",
        date_=calendar.roll_to_working_day(calendar.add_months(today, 1) + timedelta(days=2)),
        time=timezone.datetime(2000, 1, 1, 10).time(),
        place="ul. Testowa 1",
        agenda="1. Sprawy bieżące.",
        acting_user=zi.chair,
        today=today,
    )
    objects["meeting"] = meeting
    objects["notice"] = meeting.notices.first()
    if document:
        objects["doc"] = document_render_now(
            meeting, kind="bluecard_meeting_protocol", title="Protokół", acting_user=zi.chair, **PLAIN_PDF
        )
    return objects


def _meeting_with_document(chart):
    return _meeting(chart, document=True)


def _report(chart):
    from bluecard.models import AnnualReport
    from mopr.documents import document_render_now

    objects = _team(chart)
    zi = objects["zi"]
    report = AnnualReport.objects.create(team=zi.team, year=2025, statistics={}, generated_by=zi.chair)
    document_render_now(report, kind="bluecard_annual_report", title="Sprawozdanie", acting_user=zi.chair, **PLAIN_PDF)
    return {**objects, "report": report}


def _card(o):
    return o["card"].pk


def _closure_notice(chart):
    from bluecard.models import Closure, ClosureNotice

    objects = _team(chart)
    zi = objects["zi"]
    closure = Closure.objects.create(
        card=objects["card"],
        reason="groundless",
        forum="subteam",
        decided_on=date(2026, 3, 20),
        actions_summary="Rozmowy",
        status=Closure.Status.SIGNED,
        recorded_by=zi.chair,
    )
    notice = ClosureNotice.objects.create(closure=closure, institution="Policja", channel="letter")
    return {**objects, "notice": notice}


def _u(name, *args):
    return lambda c, o: reverse(f"bluecard:{name}", args=[a(o) if callable(a) else a for a in args])


MATRIX: dict[str, Entry] = {
    # Team pages: members of the Team (a group member may declare and report a breach; IOD is redirected).
    "bluecard:home": Entry(
        _u("home"),
        allowed=LEADERS + ["pracownik_socjalny", "dsr_kierownik", "pedagog", READER],
        denied=OUTSIDERS,
        setup=_team,
    ),
    "bluecard:declare": Entry(
        _u("declare"), allowed=["dsr_kierownik", "pedagog"], denied=OUTSIDERS, setup=_team, method="post"
    ),
    "bluecard:declare_other": Entry(
        _u("declare_other"),
        allowed=LEADERS,
        denied=OUTSIDERS + ["pracownik_socjalny", "dsr_kierownik", "pedagog", READER],
        setup=_team,
        method="post",
        allowed_status=(302,),
    ),
    "bluecard:team_preset": Entry(
        _u("team_preset"),
        allowed=["oik_kierownik"],
        denied=OUTSIDERS + ["zps1_kierownik", "pracownik_socjalny", "dsr_kierownik", READER],
        setup=_team,
        method="post",
        allowed_status=(302,),
    ),
    "bluecard:team_notification_content": Entry(
        _u("team_notification_content"),
        allowed=["oik_kierownik"],
        denied=OUTSIDERS + ["zps1_kierownik", "pracownik_socjalny", "dsr_kierownik", READER],
        setup=_team,
        method="post",
        allowed_status=(302,),
    ),
    "bluecard:member_new": Entry(
        _u("member_new"),
        allowed=LEADERS,
        denied=OUTSIDERS + ["pracownik_socjalny", "dsr_kierownik", "pedagog", READER],
        setup=_team,
    ),
    "bluecard:member_dismiss": Entry(
        _u("member_dismiss", lambda o: o["zi"].m.police.pk),
        allowed=LEADERS,
        denied=OUTSIDERS + ["pracownik_socjalny", "dsr_kierownik", "policjant", READER],
        setup=_team,
    ),
    "bluecard:member_history": Entry(
        _u("member_history", lambda o: o["zi"].m.police.pk),
        allowed=LEADERS,
        denied=OUTSIDERS + ["pracownik_socjalny", "policjant", READER],
        setup=_team,
    ),
    # Meetings: every member of the Team sees them; leaders convene and keep the history.
    "bluecard:meeting_new": Entry(
        _u("meeting_new"),
        allowed=LEADERS,
        denied=OUTSIDERS + ["pracownik_socjalny", "dsr_kierownik", READER],
        setup=_team,
    ),
    "bluecard:meeting": Entry(
        _u("meeting", lambda o: o["meeting"].pk),
        allowed=LEADERS + ["pracownik_socjalny", "policjant", "dsr_kierownik", READER],
        denied=OUTSIDERS + ["pedagog", "iod"],
        setup=_meeting,
    ),
    "bluecard:meeting_document": Entry(
        _u("meeting_document", lambda o: o["meeting"].pk, lambda o: o["doc"].pk),
        allowed=["oik_kierownik", "policjant", READER],
        denied=OUTSIDERS + ["pedagog"],
        setup=_meeting_with_document,
    ),
    "bluecard:meeting_history": Entry(
        _u("meeting_history", lambda o: o["meeting"].pk),
        allowed=LEADERS,
        denied=OUTSIDERS + ["pracownik_socjalny", "pedagog", READER],
        setup=_meeting,
    ),
    "bluecard:notice_letter_sent": Entry(
        _u("notice_letter_sent", lambda o: o["meeting"].pk, lambda o: o["notice"].pk),
        allowed=LEADERS,
        denied=OUTSIDERS + ["pracownik_socjalny", "pedagog", "policjant", READER],
        setup=_meeting,
        method="post",
        allowed_status=(302,),
    ),
    # The link from the e-mail notice: public, shows no meeting data (B3).
    "bluecard:confirm_notice": Entry(
        _u("confirm_notice", lambda o: o["notice"].token), allowed=[], denied=[], public=True, setup=_meeting
    ),
    # Cards (B11): the list for declared members; a card for leaders, its subteam and its group only.
    "bluecard:cards": Entry(
        _u("cards"),
        allowed=LEADERS + ["pracownik_socjalny", "policjant", READER],
        denied=OUTSIDERS + ["dsr_kierownik", "pedagog", "iod"],
        setup=_team,
    ),
    "bluecard:card_new": Entry(
        _u("card_new"),
        allowed=LEADERS,
        denied=OUTSIDERS + ["pracownik_socjalny", "dsr_kierownik", "pedagog", READER],
        setup=_team,
    ),
    "bluecard:card": Entry(
        _u("card", _card),
        allowed=LEADERS + ["pracownik_socjalny", "pedagog", "policjant", READER],
        denied=OUTSIDERS + ["dsr_kierownik", "iod", "zastepca2"],
        setup=_team,
    ),
    "bluecard:card_scan": Entry(
        _u("card_scan", _card),
        allowed=["oik_kierownik", "pedagog", "policjant", READER],
        denied=OUTSIDERS + ["dsr_kierownik"],
        setup=_team,
    ),
    "bluecard:card_document": Entry(
        _u("card_document", _card, lambda o: o["doc"].pk),
        allowed=["oik_kierownik", "pracownik_socjalny", "policjant", READER],
        denied=OUTSIDERS + ["dsr_kierownik"],
        setup=_card_with_document,
    ),
    "bluecard:card_history": Entry(
        _u("card_history", _card),
        allowed=LEADERS + ["pracownik_socjalny", "pedagog", "policjant", READER],
        denied=OUTSIDERS + ["dsr_kierownik"],
        setup=_team,
    ),
    "bluecard:card_notify": Entry(
        _u("card_notify", _card),
        allowed=LEADERS,
        denied=OUTSIDERS + ["pracownik_socjalny", "pedagog", "policjant", "dsr_kierownik", READER],
        setup=_team,
        method="post",
        allowed_status=(302,),
    ),
    "bluecard:subteam": Entry(
        _u("subteam", _card),
        allowed=LEADERS,
        denied=OUTSIDERS + ["pracownik_socjalny", "pedagog", "policjant", READER],
        setup=_team,
    ),
    "bluecard:group": Entry(
        _u("group", _card),
        allowed=LEADERS + ["pracownik_socjalny"],
        denied=OUTSIDERS + ["pedagog", "policjant", "dsr_kierownik", READER],
        setup=_team,
    ),
    # Issue 15: the confirmation page of "Zakończ udział" (pedagog's place in card A's group).
    "bluecard:group_member_leave": Entry(
        _u("group_member_leave", _card, lambda o: o["card"].group.members.get(user__username="pedagog").pk),
        allowed=LEADERS + ["pracownik_socjalny"],
        denied=OUTSIDERS + ["pedagog", "policjant", "dsr_kierownik", READER],
        setup=_team,
    ),
    "bluecard:group_meeting_new": Entry(
        _u("group_meeting_new", _card),
        allowed=LEADERS + ["pracownik_socjalny"],
        denied=OUTSIDERS + ["pedagog", "policjant", READER],
        setup=_team,
    ),
    "bluecard:help_action_add": Entry(
        _u("help_action_add", _card),
        allowed=LEADERS + ["pracownik_socjalny"],
        denied=OUTSIDERS + ["pedagog", "policjant", "dsr_kierownik", READER],
        setup=_team,
        method="post",
        allowed_status=(302,),
    ),
    "bluecard:help_action_done": Entry(
        _u("help_action_done", _card, lambda o: o["action"].pk),
        allowed=["pracownik_socjalny", "oik_kierownik"],
        denied=OUTSIDERS + ["pedagog", "policjant", READER],
        setup=_team,
        method="post",
        allowed_status=(302,),
    ),
    "bluecard:closure_letter_sent": Entry(
        _u("closure_letter_sent", _card, lambda o: o["notice"].pk),
        allowed=LEADERS,
        denied=OUTSIDERS + ["pracownik_socjalny", "pedagog", "policjant", READER],
        setup=_closure_notice,
        method="post",
        allowed_status=(302,),
    ),
    "bluecard:closure": Entry(
        _u("closure", _card),
        allowed=LEADERS + ["pracownik_socjalny"],
        denied=OUTSIDERS + ["pedagog", "policjant", READER],
        setup=_team,
    ),
    # Statistics, reports, breaches and the access log.
    "bluecard:statistics": Entry(
        _u("statistics"),
        allowed=LEADERS,
        denied=OUTSIDERS + ["pracownik_socjalny", "dsr_kierownik", "iod", READER],
        setup=_team,
    ),
    "bluecard:report_document": Entry(
        _u("report_document", lambda o: o["report"].pk),
        allowed=LEADERS,
        denied=OUTSIDERS + ["pracownik_socjalny", "iod", READER],
        setup=_report,
    ),
    "bluecard:report_accept": Entry(
        _u("report_accept", lambda o: o["report"].pk),
        allowed=LEADERS,
        denied=OUTSIDERS + ["pracownik_socjalny", "iod", READER],
        setup=_report,
    ),
    "bluecard:breach_new": Entry(
        _u("breach_new"),
        allowed=LEADERS + ["pracownik_socjalny", "dsr_kierownik", "pedagog", READER],
        denied=OUTSIDERS + ["iod"],
        setup=_team,
    ),
    "bluecard:breaches": Entry(
        _u("breaches"),
        allowed=["oik_kierownik", "iod"],
        denied=OUTSIDERS + ["pracownik_socjalny", "dsr_kierownik", READER],
        setup=_team,
    ),
    "bluecard:access_log": Entry(
        _u("access_log"),
        allowed=LEADERS + ["iod"],
        denied=OUTSIDERS + ["pracownik_socjalny", "policjant", "pedagog", READER],
        setup=_team,
    ),
}
