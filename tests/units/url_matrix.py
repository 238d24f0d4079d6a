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
