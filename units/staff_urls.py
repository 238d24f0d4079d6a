"""URLs of the staff registers (R2, R4), in the units namespace (included by units/urls.py)."""

from django.urls import path

from mopr.accesslog import sensitive_view

from . import staff_views as v

urlpatterns = [
    path("ocena-okresowa/", v.evaluations, name="staff_evaluations"),
    path("ocena-okresowa/rundy/", v.rounds, name="staff_rounds"),
    path("ocena-okresowa/rundy/<int:pk>/", v.round_detail, name="staff_round"),
    path("ocena-okresowa/<int:pk>/", sensitive_view(v.evaluation_detail), name="staff_evaluation"),
    path("ocena-okresowa/<int:pk>/kwestionariusz/", v.evaluation_fill, name="staff_evaluation_fill"),
    path("ocena-okresowa/<int:pk>/przekaz/", v.evaluation_hand, name="staff_evaluation_hand"),
    path("ocena-okresowa/<int:pk>/zapoznanie/", v.evaluation_acknowledge, name="staff_evaluation_acknowledge"),
    path("ocena-okresowa/<int:pk>/odwolanie/", v.evaluation_appeal, name="staff_evaluation_appeal"),
    path("ocena-okresowa/<int:pk>/rozstrzygniecie/", v.evaluation_decide, name="staff_evaluation_decide"),
    path("ocena-okresowa/<int:pk>.pdf", sensitive_view(v.evaluation_pdf), name="staff_evaluation_pdf"),
    path("ocena-okresowa/<int:pk>/historia/", v.evaluation_history, name="staff_evaluation_history"),
    path("regulaminy/", v.regulations, name="staff_regulations"),
    path("regulaminy/nowy/", v.regulation_publish, name="staff_regulation_publish"),
    path("regulaminy/<int:pk>/", v.regulation_detail, name="staff_regulation"),
    path("regulaminy/<int:pk>/zapoznalem-sie/", v.regulation_acknowledge, name="staff_regulation_acknowledge"),
]
