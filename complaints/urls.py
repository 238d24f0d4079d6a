from django.urls import path

from . import views

app_name = "complaints"

urlpatterns = [
    path("", views.complaint_list, name="list"),
    path("rejestr.csv", views.complaint_export_csv, name="export_csv"),
    path("rejestr.xlsx", views.complaint_export_xlsx, name="export_xlsx"),
    path("nowa/", views.complaint_register, name="register"),
    path("<int:pk>/", views.complaint_detail, name="detail"),
    path("<int:pk>/historia/", views.complaint_history, name="history"),
    path("<int:pk>/<slug:action>/", views.complaint_action, name="action"),
    path("wyjasnienia/<int:pk>/", views.explanation_submit, name="explanation_submit"),
    path("zalacznik/<int:pk>/", views.attachment_download, name="attachment"),
    path("godziny-przyjec/", views.reception_hours, name="reception"),
    path("statystyki/", views.statistics, name="statistics"),
    path("statystyki/sprawozdanie.pdf", views.annual_summary_pdf, name="annual_pdf"),
    path("sygnalisci/", views.wb_list, name="wb_list"),
    path("sygnalisci/nowe/", views.wb_register, name="wb_register"),
    path("sygnalisci/<int:pk>/", views.wb_detail, name="wb_detail"),
    path("sygnalisci/<int:pk>/<slug:action>/", views.wb_action, name="wb_action"),
]
