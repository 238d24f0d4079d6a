from django.urls import path

from . import views

app_name = "grants"

urlpatterns = [
    path("", views.competition_list, name="list"),
    path("nowy/", views.competition_create, name="create"),
    path("<int:pk>/", views.competition_detail, name="detail"),
    path("<int:pk>/edycja/", views.competition_edit, name="edit"),
    path("<int:pk>/historia/", views.competition_history, name="history"),
    path("<int:pk>/ogloszenie/", views.competition_publish, name="publish"),
    path("<int:pk>/ocena/", views.competition_start_evaluation, name="start_evaluation"),
    path("<int:pk>/uniewaznienie/", views.competition_cancel, name="cancel"),
    path("<int:pk>/oferty/", views.offer_list, name="offers"),
    path("<int:pk>/oferty/nowa/", views.offer_create, name="offer_create"),
    path("<int:pk>/komisja/", views.committee_appoint, name="committee"),
    path("<int:pk>/oswiadczenie/", views.declaration, name="declaration"),
    path("<int:pk>/wyniki/", views.results, name="results"),
    path("<int:pk>/opinia/", views.opinion, name="opinion"),
    path("<int:pk>/rozstrzygniecie/", views.decision, name="decision"),
    path("<int:pk>/publikacja-wynikow/", views.results_publish, name="results_publish"),
    path("<int:pk>/dokumenty/podpis/", views.annex_request, name="annex"),
    path("<int:pk>/dokumenty/<int:doc>.pdf", views.competition_document, name="document"),
    path("oferta/<int:pk>/", views.offer_detail, name="offer_detail"),
    path("oferta/<int:pk>/edycja/", views.offer_edit, name="offer_edit"),
    path("oferta/<int:pk>/historia/", views.offer_history, name="offer_history"),
    path("oferta/<int:pk>/wycofanie/", views.offer_withdraw, name="offer_withdraw"),
    path("oferta/<int:pk>/karta-formalna/", views.formal_card, name="formal_card"),
    path("oferta/<int:pk>/karta-merytoryczna/", views.merit_card, name="merit_card"),
    path("oferta/<int:pk>/karta-czasu-pracy.pdf", views.time_sheet_pdf, name="time_sheet"),
    path("oferta/<int:pk>/oswiadczenie.pdf", views.declaration_pdf, name="declaration_pdf"),
    path("oferenci/", views.offeror_list, name="offerors"),
    path("oferenci/nowy/", views.offeror_form, name="offeror_create"),
    path("oferenci/<int:pk>/", views.offeror_form, name="offeror_edit"),
    path("publiczne/", views.public_list, name="public_list"),
    path("publiczne/<int:pk>/ogloszenie.pdf", views.public_announcement_pdf, name="public_announcement"),
    path("publiczne/<int:pk>/wyniki/", views.public_results, name="public_results"),
    path("publiczne/<int:pk>/wyniki.pdf", views.public_results_pdf, name="public_results_pdf"),
]
