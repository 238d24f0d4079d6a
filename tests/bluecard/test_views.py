"""Pages: every read of a card is logged; the card list has a constant number of queries; no card data in
titles or URLs; forms keep input and show Polish errors."""

import re
from datetime import date, time, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from bluecard import services
from bluecard.models import BlueCard
from mopr.documents import documents_for
from mopr.models import AccessLog

from .conftest import make_card, with_group

pytestmark = pytest.mark.django_db


def _title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1)


def test_B11_every_read_of_a_card_is_logged(zi, login, django_capture_on_commit_callbacks):
    card = make_card(zi, scan=SimpleUploadedFile("k.pdf", b"%PDF-1.4 test", content_type="application/pdf"))
    group = with_group(zi, card)
    with django_capture_on_commit_callbacks(execute=True):
        services.group_meeting_record(
            group,
            held_on=date(2026, 3, 3),
            at_seat=True,
            place="",
            findings="Ustalenia",
            attendees=list(group.members.all()),
            acting_user=zi.m.social.user,
            today=date(2026, 3, 4),
        )
    client = login(zi.m.social.user)
    before = AccessLog.objects.count()
    assert client.get(reverse("bluecard:card", args=[card.pk])).status_code == 200
    assert client.get(reverse("bluecard:card_scan", args=[card.pk])).status_code == 200
    assert client.get(reverse("bluecard:card_history", args=[card.pk])).status_code == 200
    document = documents_for(card).get()
    response = client.get(reverse("bluecard:card_document", args=[card.pk, document.pk]))
    assert response.status_code == 200
    assert client.get(reverse("bluecard:group", args=[card.pk])).status_code == 200
    entries = list(AccessLog.objects.order_by("pk")[before:])
    assert [(e.user, e.object_id, e.action) for e in entries] == [
        (zi.m.social.user, card.pk, "view"),
        (zi.m.social.user, card.pk, "scan"),
        (zi.m.social.user, card.pk, "history"),
        (zi.m.social.user, card.pk, "pdf"),
        (zi.m.social.user, card.pk, "view"),
    ]
    log_page = login(zi.chair).get(reverse("bluecard:access_log") + f"?karta={card.pk}").content.decode()
    assert "Jankowska" in log_page and "pobranie skanu" in log_page


def test_B11_no_card_data_in_titles_or_urls(zi, login):
    card = make_card(zi)
    html = login(zi.chair).get(reverse("bluecard:card", args=[card.pk])).content.decode()
    assert "Anna Testowa" in html
    assert "Anna" not in _title(html) and "1/2026" not in _title(html)
    assert reverse("bluecard:card", args=[card.pk]) == f"/niebieska-karta/karty/{card.pk}/"


def test_card_list_constant_queries_10_vs_200(zi, login, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add(n):
        for _ in range(n):
            card = make_card(zi)
            if card.number % 3 == 0:
                with_group(zi, card)

    client = login(zi.m.police.user)
    add(10)
    client.get(reverse("bluecard:cards"))  # warm caches (content types, session)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("bluecard:cards")).status_code == 200
    add(190)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(reverse("bluecard:cards"))
    assert response.status_code == 200 and "200/2026" in response.content.decode()
    assert len(small.captured_queries) <= 8  # benchmark target: at most 8 queries per list page


def test_intake_form_keeps_input_and_shows_polish_error(zi, login):
    client = login(zi.chair)
    response = client.post(
        reverse("bluecard:card_new"),
        {
            "received_on": "2030-01-01",
            "initiating_institution": "police",
            "person_experiencing": "Zofia Nowa",
            "persons_suspected": "X",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200 and "Data wpływu nie może być z przyszłości" in html
    assert 'value="Zofia Nowa"' in html
    response = client.post(
        reverse("bluecard:card_new"),
        {
            "received_on": "2026-03-02",
            "initiating_institution": "police",
            "person_experiencing": "Zofia Nowa",
            "persons_suspected": "X",
        },
    )
    card = BlueCard.objects.get()
    assert response.status_code == 302 and response.url == reverse("bluecard:card", args=[card.pk])


def test_scan_must_be_a_pdf(zi, login):
    response = login(zi.chair).post(
        reverse("bluecard:card_new"),
        {
            "received_on": "2026-03-02",
            "initiating_institution": "police",
            "person_experiencing": "Z",
            "persons_suspected": "X",
            "scan": SimpleUploadedFile("a.pdf", b"MZ...", content_type="application/pdf"),
        },
    )
    assert "Plik nie jest dokumentem PDF" in response.content.decode()


def test_B3_confirmation_link_records_receipt_without_login(zi, client):
    meeting = services.meeting_schedule(
        team=zi.team,
        kind="ordinary",
        date_=date(2026, 3, 2),
        time="10:00",
        place="Siedziba",
        agenda="A",
        acting_user=zi.chair,
        today=date(2026, 1, 15),
    )
    notice = meeting.notices.first()
    url = reverse("bluecard:confirm_notice", args=[notice.token])
    page = client.get(url)
    assert page.status_code == 200 and "Siedziba" not in page.content.decode()
    notice.refresh_from_db()
    assert notice.confirmed_at is None  # GET does not confirm (link scanners)
    client.post(url)
    notice.refresh_from_db()
    assert notice.confirmed_at is not None
    assert client.get(reverse("bluecard:confirm_notice", args=["zly-token"])).status_code == 404


def test_main_pages_render_for_the_chair(zi, login):
    card = make_card(zi)
    with_group(zi, card)
    meeting = services.meeting_schedule(
        team=zi.team,
        kind="ordinary",
        date_=date(2026, 3, 2),
        time="10:00",
        place="Siedziba",
        agenda="A",
        acting_user=zi.chair,
        today=date(2026, 1, 15),
    )
    client = login(zi.chair)
    for name, args in [
        ("bluecard:home", []),
        ("bluecard:cards", []),
        ("bluecard:card_new", []),
        ("bluecard:subteam", [card.pk]),
        ("bluecard:group_meeting_new", [card.pk]),
        ("bluecard:closure", [card.pk]),
        ("bluecard:meeting", [meeting.pk]),
        ("bluecard:meeting_new", []),
        ("bluecard:statistics", []),
        ("bluecard:breach_new", []),
        ("bluecard:breaches", []),
        ("bluecard:access_log", []),
        ("bluecard:member_new", []),
        ("bluecard:meeting_history", [meeting.pk]),
        ("bluecard:member_history", [zi.m.social.pk]),
    ]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
        assert response.content.decode().count("<h1") == 1, name


def test_B5_meeting_page_records_attendance_and_vote(zi, login):
    meeting = services.meeting_schedule(
        team=zi.team,
        kind="ordinary",
        date_=date(2026, 3, 2),
        time="10:00",
        place="Siedziba",
        agenda="A",
        acting_user=zi.chair,
        today=date(2026, 1, 15),
    )
    client = login(zi.chair)
    url = reverse("bluecard:meeting", args=[meeting.pk])
    client.post(url, {"action": "attendance", "members": [zi.m.chair.pk]})
    response = client.post(
        url, {"action": "resolution", "subject": "Plan", "votes_for": "1", "votes_against": "0", "votes_abstain": "0"}
    )
    assert "Brak quorum" in response.content.decode()
    client.post(url, {"action": "attendance", "members": [zi.m.chair.pk, zi.m.vice.pk, zi.m.social.pk]})
    response = client.post(
        url, {"action": "resolution", "subject": "Plan", "votes_for": "2", "votes_against": "1", "votes_abstain": "0"}
    )
    assert response.status_code == 302
    assert meeting.resolutions.get().adopted


def test_B11_breach_form_reaches_chair_and_vice_chair(zi, login):
    from mopr.models import OutboxEmail

    client = login(zi.teacher)  # neither a Team member nor in any group: cannot report
    assert client.get(reverse("bluecard:breach_new")).status_code == 403
    client = login(zi.m.police.user)
    response = client.post(reverse("bluecard:breach_new"), {"occurred_on": "2026-03-01", "description": ""})
    assert "To pole jest wymagane" in response.content.decode() or "Opisz" in response.content.decode()
    response = client.post(
        reverse("bluecard:breach_new"), {"occurred_on": "2026-03-01", "description": "Wydruk karty zostawiony w sali"}
    )
    assert response.status_code == 302
    assert set(OutboxEmail.objects.filter(key__startswith="bluecard:breach:").values_list("to", flat=True)) == {
        zi.m.chair.email,
        zi.m.vice.email,
    }
    assert "Wydruk karty" in login(zi.vice).get(reverse("bluecard:breaches")).content.decode()
    assert login(zi.m.social.user).get(reverse("bluecard:breaches")).status_code == 403


def test_B11_iod_is_sent_to_the_access_log_not_to_cards(zi, chart, login):
    card = make_card(zi)
    client = login(chart.iod)
    response = client.get(reverse("bluecard:home"))
    assert response.status_code == 302 and response.url == reverse("bluecard:access_log")
    assert client.get(reverse("bluecard:card", args=[card.pk])).status_code == 404
    assert client.get(reverse("bluecard:cards")).status_code == 403


def test_B13_chair_switches_to_the_2023_preset(zi, login):
    client = login(zi.vice)
    assert client.post(reverse("bluecard:team_preset"), {"preset": "2023"}).status_code == 403
    client = login(zi.chair)
    client.post(reverse("bluecard:team_preset"), {"preset": "2023"})
    zi.team.refresh_from_db()
    assert zi.team.preset == "2023" and zi.team.ordinary_interval_months == 2
    assert zi.team.group_first_meeting_working_days == 5
    card = make_card(zi)
    with_group(zi, card)
    assert (
        "grupa diagnostyczno-pomocowa" in client.get(reverse("bluecard:card", args=[card.pk])).content.decode().lower()
    )


def test_B6_protocol_pdf_with_attendance_for_members_only(zi, chart, login, django_capture_on_commit_callbacks):
    meeting = services.meeting_schedule(
        team=zi.team,
        kind="ordinary",
        date_=date(2026, 3, 2),
        time="10:00",
        place="Siedziba",
        agenda="A",
        acting_user=zi.chair,
        today=date(2026, 1, 15),
    )
    client = login(zi.chair)
    url = reverse("bluecard:meeting", args=[meeting.pk])
    response = client.post(url, {"action": "protocol"})
    assert "Najpierw zapisz listę obecności" in response.content.decode()
    client.post(url, {"action": "attendance", "members": [zi.m.chair.pk, zi.m.vice.pk, zi.m.social.pk]})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "protocol"})
    document = documents_for(meeting).get(kind="bluecard_meeting_protocol")  # the letters of B3 are beside it
    assert document.status == "ready"
    pdf = reverse("bluecard:meeting_document", args=[meeting.pk, document.pk])
    assert login(zi.m.undeclared.user).get(pdf).status_code == 200  # every member may read the protocol (004 §20)
    assert login(chart.dyrektor).get(pdf).status_code == 404
    assert login(chart.dyrektor).get(url).status_code == 404


def test_B11_declaration_form_shows_errors_next_to_fields(zi, login):
    client = login(zi.m.undeclared.user)
    response = client.post(reverse("bluecard:declare"), {"declared_on": "2030-01-01"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Data oświadczenia nie może być z przyszłości" in html or "To pole jest wymagane" in html
    response = client.post(reverse("bluecard:declare"), {"declared_on": "2030-01-01", "confirm": "on"})
    assert "Data oświadczenia nie może być z przyszłości" in response.content.decode()
    assert 'value="2030-01-01"' in response.content.decode()


def test_card_list_same_queries_for_10_and_2000_cards(zi, login, django_assert_num_queries):
    """The issue's scale: 2 000 cards inserted in bulk with their guardian group rows (the services' grants)."""
    from django.contrib.auth.models import Permission
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bluecard.models import BlueCardGroupObjectPermission

    perm = Permission.objects.get(codename="list_bluecard")

    def bulk(start, n):
        cards = BlueCard.objects.bulk_create(
            BlueCard(
                team=zi.team,
                year=2025,
                number=start + i,
                received_on=date(2025, 6, 1),
                initiating_institution="health",
                person_experiencing="X",
                persons_suspected="Y",
                registered_by=zi.chair,
            )
            for i in range(n)
        )
        BlueCardGroupObjectPermission.objects.bulk_create(
            BlueCardGroupObjectPermission(
                group=zi.team.declared_group, permission=perm, content_object=card, explicit=True
            )
            for card in cards
        )

    client = login(zi.m.police.user)
    bulk(1, 10)
    client.get(reverse("bluecard:cards"))
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("bluecard:cards"))
    bulk(11, 1990)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(reverse("bluecard:cards") + "?page=40")
    assert "2000/2025" in client.get(reverse("bluecard:cards")).content.decode()
    assert "Strona 40 z 40" in response.content.decode()


def test_scan_follows_the_configured_upload_limit(zi, login, settings):
    """One upload rule (mopr.uploads): the scan's limit is settings.ATTACHMENT_MAX_BYTES, not a number in the form."""
    settings.ATTACHMENT_MAX_BYTES = 1024
    client = login(zi.chair)
    data = {
        "received_on": "2026-03-02",
        "initiating_institution": "police",
        "person_experiencing": "Zofia Nowa",
        "persons_suspected": "X",
    }
    big = SimpleUploadedFile("k.pdf", b"%PDF-" + b"x" * 2048, content_type="application/pdf")
    html = client.post(reverse("bluecard:card_new"), {**data, "scan": big}).content.decode()
    assert "Plik jest za duży" in html and "1,0\xa0KB" in html and not BlueCard.objects.exists()
    small = SimpleUploadedFile("k.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    assert client.post(reverse("bluecard:card_new"), {**data, "scan": small}).status_code == 302


def test_pages_read_the_teams_configured_deadlines(zi, login):
    """B2, B3, B7: the home page and the meeting form show the Team's values (editable in the admin)."""
    team = zi.team
    team.notification_days, team.ordinary_interval_months, team.extraordinary_notice_working_days = 4, 5, 9
    team.save()
    make_card(zi)
    services.meeting_schedule(
        team=team,
        kind="ordinary",
        date_=date(2025, 6, 2),
        time=time(10, 0),
        place="Sala",
        agenda="Program",
        acting_user=zi.chair,
        today=date(2025, 4, 1),
    )
    client = login(zi.chair)
    home = client.get(reverse("bluecard:home")).content.decode()
    assert "termin 4 dni" in home and "w ciągu 5 mies." in home
    form = client.get(reverse("bluecard:meeting_new")).content.decode()
    assert "mniej niż 9 dni roboczych" in form and "7 dni roboczych" not in form


def test_B12_chair_records_the_district_mayors_acceptance_of_the_annual_report(zi, login):
    from bluecard.models import AnnualReport

    report = AnnualReport.objects.create(team=zi.team, year=2025, statistics={}, generated_by=zi.chair)
    client = login(zi.chair)
    url = reverse("bluecard:report_accept", args=[report.pk])
    assert url in client.get(reverse("bluecard:statistics")).content.decode()
    response = client.post(url, {"accepted_on": "2026-02-05", "accepted_by": ""})
    assert response.status_code == 200 and "accepted_by" in response.context["form"].errors
    response = client.post(url, {"accepted_on": "2026-02-05", "accepted_by": "Burmistrz Dzielnicy Bielany"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.accepted_on, report.accepted_by, report.acceptance_recorded_by) == (
        date(2026, 2, 5),
        "Burmistrz Dzielnicy Bielany",
        zi.chair,
    )
    page = client.get(reverse("bluecard:statistics")).content.decode()
    assert "zaakceptowane 05.02.2026" in page


def test_B3_meeting_form_takes_invited_persons_and_the_page_records_the_letters_dispatch(zi, login):
    from bluecard.models import Meeting

    client = login(zi.chair)
    day = timezone.localdate() + timedelta(days=45)
    response = client.post(
        reverse("bluecard:meeting_new"),
        {
            "kind": "ordinary",
            "date_": day.isoformat(),
            "time": "10:00",
            "place": "Siedziba",
            "agenda": "Sprawy bieżące",
            "invitees": "Ewa Kurator; zly-adres; ul. Sądowa 1",
        },
    )
    assert response.status_code == 200 and "Wiersz 1" in response.content.decode()
    response = client.post(
        reverse("bluecard:meeting_new"),
        {
            "kind": "ordinary",
            "date_": day.isoformat(),
            "time": "10:00",
            "place": "Siedziba",
            "agenda": "Sprawy bieżące",
            "invitees": "Ewa Kurator; kurator@example.pl; ul. Sądowa 1\nJan Terapeuta;; ul. Zdrowa 2",
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    invited = meeting.notices.get(invitee_name="Jan Terapeuta")
    assert invited.invitee_address == "ul. Zdrowa 2" and invited.letter is not None
    page = client.get(reverse("bluecard:meeting", args=[meeting.pk])).content.decode()
    assert "Jan Terapeuta" in page
    sent = reverse("bluecard:notice_letter_sent", args=[meeting.pk, invited.pk])
    assert client.post(sent).status_code == 302
    invited.refresh_from_db()
    assert invited.letter_dispatched_on == timezone.localdate()
