"""Ids only in URLs: no card number, name or other card data (B11).

Every page that shows card data, or data from which a card can be inferred (the card, its scan, PDFs and
history, the subteam and group pages, meetings and their protocols, the list, statistics, breaches and the
access log), is marked ``sensitive_view``: every 403 or 404 it answers is written to the security log, so ids
cannot be probed unseen (ARCHITECTURE "Special categories")."""

from django.urls import path

from mopr.accesslog import sensitive_view

from . import views

app_name = "bluecard"

S = sensitive_view

urlpatterns = [
    path("", views.home, name="home"),
    path("oswiadczenie/", views.declare, name="declare"),
    path("oswiadczenie/inna-osoba/", views.declare_other, name="declare_other"),
    path("ustawienia/", views.team_preset, name="team_preset"),
    path("czlonkowie/nowy/", views.member_new, name="member_new"),
    path("czlonkowie/<int:pk>/odwolanie/", views.member_dismiss, name="member_dismiss"),
    path("czlonkowie/<int:pk>/historia/", S(views.member_history), name="member_history"),
    path("posiedzenia/nowe/", views.meeting_new, name="meeting_new"),
    path("posiedzenia/<int:pk>/", S(views.meeting_detail), name="meeting"),
    path("posiedzenia/<int:pk>/dokument/<int:doc>.pdf", S(views.meeting_document), name="meeting_document"),
    path("posiedzenia/<int:pk>/historia/", S(views.meeting_history), name="meeting_history"),
    path("potwierdzenie/<str:token>/", views.confirm_notice, name="confirm_notice"),
    path("karty/", S(views.card_list), name="cards"),
    path("karty/nowa/", views.card_new, name="card_new"),
    path("karty/<int:pk>/", S(views.card_detail), name="card"),
    path("karty/<int:pk>/skan.pdf", S(views.card_scan), name="card_scan"),
    path("karty/<int:pk>/dokument/<int:doc>.pdf", S(views.card_document), name="card_document"),
    path("karty/<int:pk>/historia/", S(views.card_history), name="card_history"),
    path("karty/<int:pk>/powiadomienie/", S(views.card_notify), name="card_notify"),
    path("karty/<int:pk>/podzespol/", S(views.card_subteam), name="subteam"),
    path("karty/<int:pk>/grupa/", S(views.card_group), name="group"),
    path("karty/<int:pk>/grupa/spotkanie/", S(views.group_meeting_new), name="group_meeting_new"),
    path("karty/<int:pk>/plan/", S(views.help_action_add), name="help_action_add"),
    path("karty/<int:pk>/plan/<int:action_pk>/wykonane/", S(views.help_action_done), name="help_action_done"),
    path("karty/<int:pk>/zakonczenie/", S(views.card_closure), name="closure"),
    path("statystyka/", S(views.statistics), name="statistics"),
    path("sprawozdania/<int:pk>.pdf", S(views.report_document), name="report_document"),
    path("naruszenie/", views.breach_new, name="breach_new"),
    path("naruszenia/", S(views.breaches), name="breaches"),
    path("rejestr-dostepu/", S(views.access_log), name="access_log"),
]
