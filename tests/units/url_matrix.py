"""URL permission matrix entries of the units app's keeper pages (U4, U5), collected by
tests/security/url_matrix.py. Negative cases first: everyone outside the keeper unit (DKA) is refused, the
Director and the heads of other units included; the register's readers may only read its history."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from tests.security.url_matrix import Entry

# Not DKA: refused on every keeper page (the Director consults the register, but DKA keeps it).
OUTSIDERS = ["obcy", "dnk_pracownik", "dnk_kierownik", "dyrektor", "zastepca1", "iod"]


def _authorization(chart):
    from units import services

    return {
        "authorization": services.authorization_register(
            institution=chart.institution,
            number="U/7/2026",
            kind="upowaznienie",
            holder=chart.dnk_pracownik,
            scope=["letter"],
            legal_basis="art. 268a KPA",
            issuer=chart.dyrektor,
            valid_from=date(2026, 1, 2),
        )
    }


def _absence(chart):
    from units import services

    return {
        "absence": services.absence_register(
            user=chart.zastepca1, date_from=date(2026, 7, 1), date_to=date(2026, 7, 14)
        )
    }


MATRIX: dict[str, Entry] = {
    "units:authorization_add": Entry(
        lambda c, o: reverse("units:authorization_add"), allowed=["dka_kierownik"], denied=OUTSIDERS
    ),
    "units:authorization_change": Entry(
        lambda c, o: reverse("units:authorization_change", args=[o["authorization"].pk]),
        allowed=["dka_kierownik"],
        denied=OUTSIDERS,
        setup=_authorization,
    ),
    "units:authorization_revoke": Entry(
        lambda c, o: reverse("units:authorization_revoke", args=[o["authorization"].pk]),
        allowed=["dka_kierownik"],
        denied=OUTSIDERS,
        setup=_authorization,
    ),
    "units:authorization_history": Entry(
        lambda c, o: reverse("units:authorization_history", args=[o["authorization"].pk]),
        allowed=["dka_kierownik", "dyrektor"],
        denied=["obcy", "dnk_pracownik", "dnk_kierownik", "iod"],
        setup=_authorization,
    ),
    "units:absences": Entry(lambda c, o: reverse("units:absences"), allowed=["dka_kierownik"], denied=OUTSIDERS),
    "units:absence_change": Entry(
        lambda c, o: reverse("units:absence_change", args=[o["absence"].pk]),
        allowed=["dka_kierownik"],
        denied=OUTSIDERS,
        setup=_absence,
    ),
    "units:absence_history": Entry(
        lambda c, o: reverse("units:absence_history", args=[o["absence"].pk]),
        allowed=["dka_kierownik"],
        denied=OUTSIDERS,
        setup=_absence,
    ),
}

# R2, R4: the staff registers' pages (tests/units/url_matrix_staff.py).
from tests.units.url_matrix_staff import MATRIX as _STAFF_MATRIX  # noqa: E402

MATRIX.update(_STAFF_MATRIX)


# --- the register engine (R1): /struktura/rejestry/ ------------------------------------------------------------------
# Orders are kept by DKA: DKA works, its oversight (the Director) reads, everyone else is refused. The IOD's
# processing register is confidential: the IOD and the Director only, the Deputies and other heads refused.


def _register(chart, code):
    from units.registers import register_for

    return register_for(chart.institution, code)


def _order_entry(chart):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from units.registers import register_attachment_add, register_entry_create

    entry = register_entry_create(
        _register(chart, "orders"),
        values={
            "issued_on": date(2026, 1, 5),
            "title": "w sprawie regulaminu pracy",
            "in_force_from": date(2026, 1, 6),
        },
        acting_user=chart.dka_kierownik,
    )
    attachment = register_attachment_add(
        entry,
        kind="scan",
        title="skan zarządzenia",
        file=SimpleUploadedFile("zarzadzenie.pdf", b"%PDF-1.4 test"),
        acting_user=chart.dka_kierownik,
    )
    return {"entry": entry, "attachment": attachment, "register": entry.register}


def _order_card(chart):
    from mopr.documents import document_render
    from units.registers import register_entry_card_request

    objects = _order_entry(chart)
    document = register_entry_card_request(objects["entry"], acting_user=chart.dka_kierownik)
    document_render(document.pk)
    return {**objects, "document": document}


def _public_info_request(chart):
    from django.utils import timezone

    from units.registers import register_entry_create

    entry = register_entry_create(
        _register(chart, "public_info"),
        values={
            "received_on": timezone.localdate(),
            "requester": "Jan Kowalski",
            "channel": "email",
            "subject": "wykaz umów z 2025 r.",
        },
        acting_user=chart.iod,
    )
    return {"entry": entry}


REGISTER_READERS = ["dka_kierownik", "dyrektor"]
REGISTER_OUTSIDERS = ["obcy", "dnk_pracownik", "iod"]
REGISTER_NOT_KEEPERS = ["obcy", "dyrektor", "dnk_pracownik"]
CONFIDENTIAL_OUTSIDERS = ["obcy", "zastepca1", "zastepca2", "dka_kierownik", "dnk_kierownik"]
PUBLIC_INFO_OUTSIDERS = ["obcy", "dyrektor", "dnk_kierownik"]

MATRIX.update(
    {
        "units:registers": Entry(lambda c, o: reverse("units:registers"), allowed=["obcy", "dka_kierownik"], denied=[]),
        "units:register_entries": Entry(
            lambda c, o: reverse("units:register_entries", args=[_register(c, "orders").pk]),
            allowed=REGISTER_READERS,
            denied=REGISTER_OUTSIDERS,
        ),
        "units:register_export_csv": Entry(
            lambda c, o: reverse("units:register_export_csv", args=[_register(c, "processing").pk]),
            allowed=["iod", "dyrektor"],
            denied=CONFIDENTIAL_OUTSIDERS,
        ),
        "units:register_export_xlsx": Entry(
            lambda c, o: reverse("units:register_export_xlsx", args=[_register(c, "processing").pk]),
            allowed=["iod", "dyrektor"],
            denied=CONFIDENTIAL_OUTSIDERS,
        ),
        "units:register_statistics": Entry(
            lambda c, o: reverse("units:register_statistics", args=[_register(c, "data_authorisations").pk]),
            allowed=["iod", "dyrektor"],
            denied=CONFIDENTIAL_OUTSIDERS,
        ),
        "units:register_entry_add": Entry(
            lambda c, o: reverse("units:register_entry_add", args=[_register(c, "orders").pk]),
            allowed=["dka_kierownik"],
            denied=REGISTER_NOT_KEEPERS,
        ),
        "units:register_entry": Entry(
            lambda c, o: reverse("units:register_entry", args=[o["entry"].pk]),
            allowed=REGISTER_READERS,
            denied=REGISTER_OUTSIDERS,
            setup=_order_entry,
        ),
        "units:register_entry_edit": Entry(
            lambda c, o: reverse("units:register_entry_edit", args=[o["entry"].pk]),
            allowed=["dka_kierownik"],
            denied=REGISTER_NOT_KEEPERS,
            setup=_order_entry,
        ),
        "units:register_entry_history": Entry(
            lambda c, o: reverse("units:register_entry_history", args=[o["entry"].pk]),
            allowed=REGISTER_READERS,
            denied=REGISTER_OUTSIDERS,
            setup=_order_entry,
        ),
        "units:register_attachment_add": Entry(
            lambda c, o: reverse("units:register_attachment_add", args=[o["entry"].pk]),
            allowed=["dka_kierownik"],
            denied=REGISTER_NOT_KEEPERS,
            setup=_order_entry,
        ),
        "units:register_entry_card": Entry(
            lambda c, o: reverse("units:register_entry_card", args=[o["entry"].pk]),
            allowed=["dka_kierownik"],
            denied=REGISTER_NOT_KEEPERS,
            setup=_order_entry,
            method="post",
            allowed_status=(302,),
        ),
        "units:register_attachment_download": Entry(
            lambda c, o: reverse("units:register_attachment_download", args=[o["attachment"].pk]),
            allowed=REGISTER_READERS,
            denied=REGISTER_OUTSIDERS,
            setup=_order_entry,
        ),
        "units:register_document": Entry(
            lambda c, o: reverse("units:register_document", args=[o["document"].pk]),
            allowed=REGISTER_READERS,
            denied=REGISTER_OUTSIDERS,
            setup=_order_card,
        ),
        "units:public_info_answer": Entry(
            lambda c, o: reverse("units:public_info_answer", args=[o["entry"].pk]),
            allowed=["iod"],
            denied=PUBLIC_INFO_OUTSIDERS,
            setup=_public_info_request,
        ),
        "units:public_info_extend": Entry(
            lambda c, o: reverse("units:public_info_extend", args=[o["entry"].pk]),
            allowed=["iod"],
            denied=PUBLIC_INFO_OUTSIDERS,
            setup=_public_info_request,
        ),
        "units:public_info_refuse": Entry(
            lambda c, o: reverse("units:public_info_refuse", args=[o["entry"].pk]),
            allowed=["iod"],
            denied=PUBLIC_INFO_OUTSIDERS,
            setup=_public_info_request,
        ),
    }
)


# --- care districts (R3): readers are the institution's staff; keepers the Director and the heads of the ZPS teams.
DISTRICT_KEEPERS = ["dyrektor", "zps1_kierownik"]
DISTRICT_READERS_ONLY = ["pracownik_socjalny", "dnk_kierownik", "dnk_pracownik", "zastepca1"]


def _districts(chart):
    from units import district_demo

    seeded = district_demo.seed(chart.institution, chart.people)
    district = seeded["districts"][0]
    return {"district": district, "worker": district.workers.first()}


MATRIX.update(
    {
        "units:district_list": Entry(
            lambda c, o: reverse("units:district_list") + "?adres=Lipowa+7",
            allowed=["pracownik_socjalny", "dnk_pracownik", "dyrektor", "zps1_kierownik"],
            denied=["obcy"],
            setup=_districts,
        ),
        "units:district_detail": Entry(
            lambda c, o: reverse("units:district_detail", args=[o["district"].pk]),
            allowed=["pracownik_socjalny", "dnk_pracownik", "dyrektor"],
            denied=["obcy"],
            setup=_districts,
        ),
        "units:district_add": Entry(
            lambda c, o: reverse("units:district_add"),
            allowed=DISTRICT_KEEPERS,
            denied=["obcy", *DISTRICT_READERS_ONLY],
        ),
        "units:district_segment_add": Entry(
            lambda c, o: reverse("units:district_segment_add", args=[o["district"].pk]),
            allowed=DISTRICT_KEEPERS,
            denied=["obcy", *DISTRICT_READERS_ONLY],
            setup=_districts,
        ),
        "units:district_worker_add": Entry(
            lambda c, o: reverse("units:district_worker_add", args=[o["district"].pk]),
            allowed=DISTRICT_KEEPERS,
            denied=["obcy", *DISTRICT_READERS_ONLY],
            setup=_districts,
        ),
        "units:district_worker_end": Entry(
            lambda c, o: reverse("units:district_worker_end", args=[o["worker"].pk]),
            allowed=DISTRICT_KEEPERS,
            denied=["obcy", *DISTRICT_READERS_ONLY],
            setup=_districts,
        ),
    }
)
