from django.urls import include, path

from mopr.accesslog import sensitive_view

from . import district_views, keeper_views, registers_urls, staff_urls, views

app_name = "units"

urlpatterns = [
    path("", views.chart, name="chart"),
    path("komorka/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("komorka/<int:pk>/historia/", views.unit_history, name="unit_history"),
    path("upowaznienia/", views.authorizations, name="authorizations"),
    path("upowaznienia.csv", views.authorizations_csv, name="authorizations_csv"),
    path("upowaznienia/nowe/", keeper_views.authorization_add, name="authorization_add"),
    path("upowaznienia/<int:pk>/zmiana/", keeper_views.authorization_change, name="authorization_change"),
    path("upowaznienia/<int:pk>/odwolanie/", keeper_views.authorization_revoke, name="authorization_revoke"),
    path("upowaznienia/<int:pk>/historia/", keeper_views.authorization_history, name="authorization_history"),
    path("nieobecnosci/", keeper_views.absences, name="absences"),
    path("nieobecnosci/<int:pk>/zmiana/", keeper_views.absence_change, name="absence_change"),
    path("nieobecnosci/<int:pk>/historia/", keeper_views.absence_history, name="absence_history"),
    path("rejestry/", include(registers_urls)),  # R1: the register engine
    path("rejony/", district_views.district_list, name="district_list"),
    path("rejony/nowy/", district_views.district_add, name="district_add"),
    path("rejony/<int:pk>/", district_views.district_detail, name="district_detail"),
    path("rejony/<int:pk>/ulica/", district_views.segment_add, name="district_segment_add"),
    path("rejony/<int:pk>/pracownik/", district_views.worker_add, name="district_worker_add"),
    path("rejony/pracownik/<int:pk>/koniec/", district_views.worker_end, name="district_worker_end"),
    path("obieg/<int:pk>/", views.approval_step, name="approval_step"),
    path("obieg/dokument/<int:pk>.pdf", sensitive_view(views.document_download), name="document_download"),
    path("obieg/dokument/<int:pk>/ponow/", views.document_retry, name="document_retry"),
]

urlpatterns += staff_urls.urlpatterns  # R2, R4: Ocena okresowa, regulaminy do zapoznania się
