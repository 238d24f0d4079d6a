"""The register engine's pages (R1), included from ``units/urls.py`` under ``rejestry/``."""

from django.urls import path

from . import registers_views as views

urlpatterns = [
    path("", views.registers_index, name="registers"),
    path("<int:pk>/", views.register_entries, name="register_entries"),
    path("<int:pk>/eksport.csv", views.register_export_csv, name="register_export_csv"),
    path("<int:pk>/eksport.xlsx", views.register_export_xlsx, name="register_export_xlsx"),
    path("<int:pk>/statystyka/", views.register_statistics, name="register_statistics"),
    path("<int:pk>/nowy/", views.register_entry_add, name="register_entry_add"),
    path("wpis/<int:pk>/", views.register_entry, name="register_entry"),
    path("wpis/<int:pk>/zmiana/", views.register_entry_edit, name="register_entry_edit"),
    path("wpis/<int:pk>/historia/", views.register_entry_history, name="register_entry_history"),
    path("wpis/<int:pk>/zalacznik/", views.register_attachment_add, name="register_attachment_add"),
    path("wpis/<int:pk>/karta/", views.register_entry_card, name="register_entry_card"),
    path("wpis/<int:pk>/udostepnienie/", views.public_info_answer, name="public_info_answer"),
    path("wpis/<int:pk>/przedluzenie/", views.public_info_extend, name="public_info_extend"),
    path("wpis/<int:pk>/odmowa/", views.public_info_refuse, name="public_info_refuse"),
    path("zalacznik/<int:pk>/", views.register_attachment_download, name="register_attachment_download"),
    path("dokument/<int:pk>.pdf", views.register_document, name="register_document"),
]
