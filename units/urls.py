from django.urls import path

from mopr.accesslog import sensitive_view

from . import views

app_name = "units"

urlpatterns = [
    path("", views.chart, name="chart"),
    path("komorka/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("komorka/<int:pk>/historia/", views.unit_history, name="unit_history"),
    path("upowaznienia/", views.authorizations, name="authorizations"),
    path("upowaznienia.csv", views.authorizations_csv, name="authorizations_csv"),
    path("obieg/<int:pk>/", views.approval_step, name="approval_step"),
    path("obieg/dokument/<int:pk>.pdf", sensitive_view(views.document_download), name="document_download"),
    path("obieg/dokument/<int:pk>/ponow/", views.document_retry, name="document_retry"),
]
