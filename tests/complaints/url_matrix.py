"""URL permission matrix entries of the complaints app (collected by tests/security/url_matrix.py)."""

from __future__ import annotations

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from complaints.models import AttachmentKind, Channel, Kind, WhistleblowerChannel
from tests.security.url_matrix import Entry


def _setup(chart):
    from complaints import services

    complaint = services.complaint_register(
        acting_user=chart.dnk_pracownik,
        kind=Kind.COMPLAINT,
        received_on=date(2026, 3, 2),
        channel=Channel.LETTER,
        subject="Obsługa w SOK",
        complainant_name="Adam Skarżący",
        complainant_address="ul. Lipowa 1, Białystok",
        units_concerned=[chart.unit("SOK")],
    )
    explanation = services.complaint_request_explanation(
        complaint, acting_user=chart.dnk_pracownik, unit=chart.unit("SOK")
    )
    attachment = services.complaint_add_attachment(
        complaint,
        acting_user=chart.dnk_pracownik,
        kind=AttachmentKind.LETTER,
        file=SimpleUploadedFile("skarga.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
    )
    report = services.whistleblower_register(
        acting_user=chart.dnk_pracownik,
        received_on=date(2026, 3, 2),
        channel=WhistleblowerChannel.WRITTEN,
        subject="Naruszenie",
        reporter_name="Zofia Sygnalistka",
    )
    return {"complaint": complaint, "explanation": explanation, "attachment": attachment, "report": report}


def _c(o):
    return o["complaint"].pk


NOBODY = ["obcy", "pracownik_socjalny", "sok_pracownik", "zps1_kierownik", "iod"]
VIEWERS = ["dnk_pracownik", "dnk_kierownik", "dyrektor", "zastepca2", "zastepca1", "sok_kierownik"]

MATRIX: dict[str, Entry] = {
    "complaints:list": Entry(lambda c, o: reverse("complaints:list"), allowed=VIEWERS, denied=NOBODY, setup=_setup),
    "complaints:export_csv": Entry(
        lambda c, o: reverse("complaints:export_csv"), allowed=VIEWERS, denied=NOBODY, setup=_setup
    ),
    "complaints:export_xlsx": Entry(
        lambda c, o: reverse("complaints:export_xlsx"),
        allowed=["dnk_pracownik", "zastepca1"],
        denied=NOBODY,
        setup=_setup,
    ),
    "complaints:register": Entry(
        lambda c, o: reverse("complaints:register"),
        allowed=["dnk_pracownik", "dnk_kierownik"],
        denied=["obcy", "dyrektor", "zastepca2", "sok_kierownik"],
    ),
    "complaints:detail": Entry(
        lambda c, o: reverse("complaints:detail", args=[_c(o)]),
        allowed=VIEWERS,
        denied=NOBODY + ["dka_kierownik", "ksiegowa"],
        setup=_setup,
    ),
    "complaints:history": Entry(
        lambda c, o: reverse("complaints:history", args=[_c(o)]), allowed=VIEWERS, denied=NOBODY, setup=_setup
    ),
    "complaints:action": Entry(
        lambda c, o: reverse("complaints:action", args=[_c(o), "zalacznik"]),
        allowed=["dnk_pracownik", "dnk_kierownik"],
        denied=NOBODY + ["sok_kierownik", "dyrektor", "zastepca1", "zastepca2"],
        setup=_setup,
    ),
    "complaints:explanation_submit": Entry(
        lambda c, o: reverse("complaints:explanation_submit", args=[o["explanation"].pk]),
        allowed=["sok_kierownik", "dsr_kierownik"],
        denied=NOBODY + ["dnk_pracownik", "zastepca1", "dyrektor"],
        setup=_setup,
    ),
    "complaints:attachment": Entry(
        lambda c, o: reverse("complaints:attachment", args=[o["attachment"].pk]),
        allowed=["dnk_pracownik", "sok_kierownik"],
        denied=NOBODY,
        setup=_setup,
    ),
    "complaints:reception": Entry(
        lambda c, o: reverse("complaints:reception"), allowed=["obcy", "dyrektor"], denied=[], public=True
    ),
    "complaints:statistics": Entry(
        lambda c, o: reverse("complaints:statistics"), allowed=VIEWERS, denied=NOBODY, setup=_setup
    ),
    "complaints:annual_pdf": Entry(
        lambda c, o: reverse("complaints:annual_pdf"), allowed=["dnk_kierownik"], denied=NOBODY, setup=_setup
    ),
    "complaints:wb_list": Entry(
        lambda c, o: reverse("complaints:wb_list"),
        allowed=["dnk_pracownik", "dnk_kierownik"],
        denied=["obcy", "dyrektor", "zastepca2", "sok_kierownik", "iod"],
        setup=_setup,
    ),
    "complaints:wb_register": Entry(
        lambda c, o: reverse("complaints:wb_register"),
        allowed=["dnk_pracownik"],
        denied=["obcy", "dyrektor", "sok_kierownik"],
    ),
    "complaints:wb_detail": Entry(
        lambda c, o: reverse("complaints:wb_detail", args=[o["report"].pk]),
        allowed=["dnk_pracownik", "dnk_kierownik"],
        denied=["obcy", "dyrektor", "zastepca2", "iod", "sok_kierownik"],
        setup=_setup,
    ),
    "complaints:wb_action": Entry(
        lambda c, o: reverse("complaints:wb_action", args=[o["report"].pk, "potwierdz"]),
        allowed=["dnk_pracownik"],
        denied=["obcy", "dnk_kierownik", "dyrektor", "zastepca2", "iod"],
        setup=_setup,
    ),
}
