import pytest

pytestmark = pytest.mark.django_db


def test_U1_bialystok_chart_loads_all_units(chart):
    symbols = set(chart.institution.units.values_list("symbol", flat=True))
    for symbol in [
        "DFK",
        "DI",
        "DKA",
        "DNK",
        "DOD",
        "DPI",
        "DRS",
        "SPS",
        "DSS",
        "DSR",
        "ZPZ",
        "ZRP",
        "ZP",
        "OIK",
        "KS",
        "BHP",
        "IOD",
        "SOK",
        "SOD",
        "SDD",
        "SWS",
        "SDA",
        "SDM",
        "SFS",
    ]:
        assert symbol in symbols
