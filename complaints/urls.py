from django.urls import path

from mopr.accesslog import sensitive_view

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
    # C11: every whistleblower page is a special-category read; refusals (403/404) go to the security log.
    path("sygnalisci/", sensitive_view(views.wb_list), name="wb_list"),
    path("sygnalisci/nowe/", sensitive_view(views.wb_register), name="wb_register"),
    path("sygnalisci/<int:pk>/", sensitive_view(views.wb_detail), name="wb_detail"),
    path("sygnalisci/<int:pk>/<slug:action>/", sensitive_view(views.wb_action), name="wb_action"),
]
