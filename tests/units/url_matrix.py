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
