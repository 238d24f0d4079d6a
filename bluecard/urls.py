"""Ids only in URLs: no card number, name or other card data (B11)."""

from django.urls import path

from . import views

app_name = "bluecard"

urlpatterns = [
    path("", views.home, name="home"),
    path("oswiadczenie/", views.declare, name="declare"),
    path("oswiadczenie/inna-osoba/", views.declare_other, name="declare_other"),
    path("ustawienia/", views.team_preset, name="team_preset"),
    path("czlonkowie/nowy/", views.member_new, name="member_new"),
    path("czlonkowie/<int:pk>/odwolanie/", views.member_dismiss, name="member_dismiss"),
    path("czlonkowie/<int:pk>/historia/", views.member_history, name="member_history"),
    path("posiedzenia/nowe/", views.meeting_new, name="meeting_new"),
    path("posiedzenia/<int:pk>/", views.meeting_detail, name="meeting"),
    path("posiedzenia/<int:pk>/dokument/<int:doc>.pdf", views.meeting_document, name="meeting_document"),
    path("posiedzenia/<int:pk>/historia/", views.meeting_history, name="meeting_history"),
    path("potwierdzenie/<str:token>/", views.confirm_notice, name="confirm_notice"),
    path("karty/", views.card_list, name="cards"),
    path("karty/nowa/", views.card_new, name="card_new"),
    path("karty/<int:pk>/", views.card_detail, name="card"),
    path("karty/<int:pk>/skan.pdf", views.card_scan, name="card_scan"),
    path("karty/<int:pk>/dokument/<int:doc>.pdf", views.card_document, name="card_document"),
    path("karty/<int:pk>/historia/", views.card_history, name="card_history"),
    path("karty/<int:pk>/powiadomienie/", views.card_notify, name="card_notify"),
    path("karty/<int:pk>/podzespol/", views.card_subteam, name="subteam"),
    path("karty/<int:pk>/grupa/", views.card_group, name="group"),
    path("karty/<int:pk>/grupa/spotkanie/", views.group_meeting_new, name="group_meeting_new"),
    path("karty/<int:pk>/plan/", views.help_action_add, name="help_action_add"),
    path("karty/<int:pk>/plan/<int:action_pk>/wykonane/", views.help_action_done, name="help_action_done"),
    path("karty/<int:pk>/zakonczenie/", views.card_closure, name="closure"),
    path("statystyka/", views.statistics, name="statistics"),
    path("sprawozdania/<int:pk>.pdf", views.report_document, name="report_document"),
    path("naruszenie/", views.breach_new, name="breach_new"),
    path("naruszenia/", views.breaches, name="breaches"),
    path("rejestr-dostepu/", views.access_log, name="access_log"),
]
