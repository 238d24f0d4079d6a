"""Ids only in URLs: no card number, name or other card data (B11).

Every page that shows card data, or data from which a card can be inferred (the card, its scan, PDFs and
history, the subteam and group pages, meetings and their protocols, the list, statistics, breaches and the
access log), is marked ``sensitive_view``: every 403 or 404 it answers is written to the security log, so ids
cannot be probed unseen (ARCHITECTURE "Special categories")."""

from django.urls import path

from mopr.accesslog import sensitive_view

from .views import cards, meetings, reports, team

app_name = "bluecard"

S = sensitive_view

urlpatterns = [
    path("", team.home, name="home"),
    path("oswiadczenie/", team.declare, name="declare"),
    path("oswiadczenie/inna-osoba/", team.declare_other, name="declare_other"),
    path("ustawienia/", team.team_preset, name="team_preset"),
    path("ustawienia/powiadomienia/", team.team_notification_content, name="team_notification_content"),
    path("czlonkowie/nowy/", team.member_new, name="member_new"),
    path("czlonkowie/<int:pk>/odwolanie/", team.member_dismiss, name="member_dismiss"),
    path("czlonkowie/<int:pk>/historia/", S(team.member_history), name="member_history"),
    path("posiedzenia/nowe/", meetings.meeting_new, name="meeting_new"),
    path("posiedzenia/<int:pk>/", S(meetings.meeting_detail), name="meeting"),
    path("posiedzenia/<int:pk>/dokument/<int:doc>.pdf", S(meetings.meeting_document), name="meeting_document"),
    path("posiedzenia/<int:pk>/historia/", S(meetings.meeting_history), name="meeting_history"),
    path(
        "posiedzenia/<int:pk>/zawiadomienia/<int:notice_pk>/wyslano/",
        meetings.notice_letter_sent,
        name="notice_letter_sent",
    ),
    path("potwierdzenie/<str:token>/", meetings.confirm_notice, name="confirm_notice"),
    path("karty/", S(cards.card_list), name="cards"),
    path("karty/nowa/", cards.card_new, name="card_new"),
    path("karty/<int:pk>/", S(cards.card_detail), name="card"),
    path("karty/<int:pk>/skan.pdf", S(cards.card_scan), name="card_scan"),
    path("karty/<int:pk>/dokument/<int:doc>.pdf", S(cards.card_document), name="card_document"),
    path("karty/<int:pk>/historia/", S(cards.card_history), name="card_history"),
    path("karty/<int:pk>/powiadomienie/", S(cards.card_notify), name="card_notify"),
    path("karty/<int:pk>/podzespol/", S(cards.card_subteam), name="subteam"),
    path("karty/<int:pk>/grupa/", S(cards.card_group), name="group"),
    path(
        "karty/<int:pk>/grupa/<int:member_pk>/zakonczenie-udzialu/",
        S(cards.group_member_leave),
        name="group_member_leave",
    ),
    path("karty/<int:pk>/grupa/spotkanie/", S(cards.group_meeting_new), name="group_meeting_new"),
    path("karty/<int:pk>/plan/", S(cards.help_action_add), name="help_action_add"),
    path("karty/<int:pk>/plan/<int:action_pk>/wykonane/", S(cards.help_action_done), name="help_action_done"),
    path("karty/<int:pk>/zakonczenie/", S(cards.card_closure), name="closure"),
    path(
        "karty/<int:pk>/zakonczenie/pisma/<int:notice_pk>/wyslano/",
        cards.closure_letter_sent,
        name="closure_letter_sent",
    ),
    path("statystyka/", S(reports.statistics), name="statistics"),
    path("sprawozdania/<int:pk>.pdf", S(reports.report_document), name="report_document"),
    path("sprawozdania/<int:pk>/akceptacja/", S(reports.report_accept), name="report_accept"),
    path("naruszenie/", reports.breach_new, name="breach_new"),
    path("naruszenia/", S(reports.breaches), name="breaches"),
    path("rejestr-dostepu/", S(reports.access_log), name="access_log"),
]
