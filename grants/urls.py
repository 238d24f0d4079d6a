from django.urls import path

from .views import committee, competitions, offers, public, results

app_name = "grants"

urlpatterns = [
    path("", competitions.competition_list, name="list"),
    path("nowy/", competitions.competition_create, name="create"),
    path("<int:pk>/", competitions.competition_detail, name="detail"),
    path("<int:pk>/edycja/", competitions.competition_edit, name="edit"),
    path("<int:pk>/historia/", competitions.competition_history, name="history"),
    path("<int:pk>/ogloszenie/", competitions.competition_publish, name="publish"),
    path("<int:pk>/ocena/", competitions.competition_start_evaluation, name="start_evaluation"),
    path("<int:pk>/uniewaznienie/", competitions.competition_cancel, name="cancel"),
    path("<int:pk>/oferty/", offers.offer_list, name="offers"),
    path("<int:pk>/oferty/nowa/", offers.offer_create, name="offer_create"),
    path("<int:pk>/komisja/", committee.committee_appoint, name="committee"),
    path("<int:pk>/oswiadczenie/", committee.declaration, name="declaration"),
    path("<int:pk>/wyniki/", results.results, name="results"),
    path("<int:pk>/opinia/", results.opinion, name="opinion"),
    path("<int:pk>/rozstrzygniecie/", results.decision, name="decision"),
    path("<int:pk>/publikacja-wynikow/", competitions.results_publish, name="results_publish"),
    path("<int:pk>/miejsce-publikacji/", competitions.results_publication, name="results_publication"),
    path("<int:pk>/dokumenty/podpis/", competitions.annex_request, name="annex"),
    path("<int:pk>/dokumenty/<int:doc>.pdf", competitions.competition_document, name="document"),
    path("oferta/<int:pk>/", offers.offer_detail, name="offer_detail"),
    path("oferta/<int:pk>/edycja/", offers.offer_edit, name="offer_edit"),
    path("oferta/<int:pk>/historia/", offers.offer_history, name="offer_history"),
    path("oferta/<int:pk>/wycofanie/", offers.offer_withdraw, name="offer_withdraw"),
    path("oferta/<int:pk>/wezwanie-do-poprawienia/", committee.correction_request, name="correction_request"),
    path("oferta/<int:pk>/doreczenie/", offers.offer_reduction_receipt, name="offer_reduction_receipt"),
    path("oferta/<int:pk>/karta-formalna/", committee.formal_card, name="formal_card"),
    path("oferta/<int:pk>/karta-merytoryczna/", committee.merit_card, name="merit_card"),
    path("oferta/<int:pk>/karta-czasu-pracy.pdf", offers.time_sheet_pdf, name="time_sheet"),
    path("oferta/<int:pk>/oswiadczenie.pdf", offers.declaration_pdf, name="declaration_pdf"),
    path("oferenci/", offers.offeror_list, name="offerors"),
    path("oferenci/nowy/", offers.offeror_form, name="offeror_create"),
    path("oferenci/<int:pk>/", offers.offeror_form, name="offeror_edit"),
    path("publiczne/", public.public_list, name="public_list"),
    path("publiczne/<int:pk>/ogloszenie.pdf", public.public_announcement_pdf, name="public_announcement"),
    path("publiczne/<int:pk>/wyniki/", public.public_results, name="public_results"),
    path("publiczne/<int:pk>/wyniki.pdf", public.public_results_pdf, name="public_results_pdf"),
]
