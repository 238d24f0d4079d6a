"""Care districts (R3; 001 §21.1-2): streets from TERYT ULIC, districts with dated street segments and workers
appointed by internal orders, an address finding its district, history and the district as of a past date."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from tests.concurrency import errors, oks, race
from units import district_demo
from units import district_services as services
from units.districts import district_for, district_on, parse_address, street_key
from units.models import Absence, CareDistrict, DistrictWorker, Parity, Street, StreetSegment
from units.permissions import may_keep_districts

pytestmark = pytest.mark.django_db

JUNE, JULY = date(2026, 6, 30), date(2026, 7, 1)


@pytest.fixture
def demo(chart):
    return district_demo.seed(chart.institution, chart.people, acting_user=chart.dyrektor)


def _district(chart, number, name=""):
    return services.district_create(institution=chart.institution, number=number, name=name, acting_user=chart.dyrektor)


# --- parsing and matching -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ul. Lipowa 12A/3", ("ul. Lipowa", 12, "A", "3")),
        ("Lipowa 12 m. 3", ("Lipowa", 12, "", "3")),
        ("al. Jana Pawła II 15", ("al. Jana Pawła II", 15, "", "")),
        ("15-950 Białystok, ul. Lipowa 12", ("ul. Lipowa", 12, "", "")),
        ("ul. Lipowa 12/3\n15-001 Białystok", ("ul. Lipowa", 12, "", "3")),
        ("ul. 3 Maja 5", ("ul. 3 Maja", 5, "", "")),
        ("ul. 11 Listopada", ("ul. 11 Listopada", None, "", "")),
        ("15-001 Białystok", None),
        ("", None),
    ],
)
def test_R3_parse_address(text, expected):
    assert parse_address(text) == (tuple(expected) if expected else None)


def test_R3_street_name_matched_without_case_diacritics_or_prefix():
    assert street_key("AL. Jana  Pawła II") == "jana pawla ii"
    assert street_key("ul.Skłodowskiej - Curie") == "sklodowskiej-curie"
    assert street_key("Plac Niepodległości") == "niepodleglosci"


def test_R3_address_finds_district_and_responsible_worker(chart, demo):
    first, second, third = demo["districts"]
    for text in ("ul. LIPOWA 7", "lipowa 7/2", "Lipowa 7a", "15-001 Białystok, ul. Lipowa 7"):
        match = district_for(chart.institution, text, on=JUNE)
        assert match.district == first, text
        assert match.people == [chart.pracownik_socjalny]
    assert district_for(chart.institution, "ul. Marii Skłodowskiej-Curie 2", on=JUNE).district == first
    assert district_for(chart.institution, "Sklodowskiej-Curie 2", on=JUNE).district == first
    assert district_for(chart.institution, "M. Skłodowskiej-Curie 2", on=JUNE).district == first
    assert district_for(chart.institution, "aleja jana pawla ii 15", on=JUNE).district == second
    assert district_for(chart.institution, "ul. Nieznana 4", on=JUNE) is None
    assert district_for(chart.institution, "", on=JUNE) is None


def test_R3_odd_and_even_sides_of_a_split_street(chart, demo):
    first, second, _third = demo["districts"]
    assert district_for(chart.institution, "Lipowa 1", on=JUNE).district == first
    assert district_for(chart.institution, "Lipowa 12A/3", on=JUNE).district == second
    # A split street without a house number has no single district.
    assert district_for(chart.institution, "Lipowa", on=JUNE) is None


def test_R3_house_number_ranges(chart, demo):
    first, _second, third = demo["districts"]
    assert district_for(chart.institution, "Warszawska 49", on=JUNE).district == first
    assert district_for(chart.institution, "Warszawska 50", on=JUNE).district == third
    assert district_for(chart.institution, "Warszawska 250", on=JUNE).district == third


# --- moves are dated, the past stays visible ------------------------------------------------------------------


def test_R3_move_is_dated_and_the_district_as_of_a_past_date_is_shown(chart, demo):
    first, second, _third = demo["districts"]
    street = demo["streets"]["Mickiewicza"]
    assert district_on(street, 3, JUNE) == first
    assert district_on(street, 3, JULY) == second
    assert district_on(street, 3, date(2025, 12, 1)) is None  # before the first order
    ended = StreetSegment.objects.get(street=street, district=first)
    assert ended.valid_to == JUNE
    assert ended.history.count() == 2  # created, then ended by the move
    assert ended.history.first().history_user == chart.dyrektor
    assert "ZW.021.14.2026" in ended.history.first().history_change_reason


def test_R3_moving_one_side_keeps_the_other_in_its_district(chart, demo):
    first, _second, third = demo["districts"]
    street = demo["streets"]["Wiejska"]
    services.street_assign(
        street=street, district=first, parity=Parity.ODD, valid_from=JULY, acting_user=chart.dyrektor
    )
    assert district_on(street, 5, JULY) == first
    assert district_on(street, 6, JULY) == third
    assert district_on(street, 5, JUNE) == third


def test_R3_moving_a_range_keeps_the_rest_of_the_street(chart, demo):
    _first, second, third = demo["districts"]
    street = demo["streets"]["Zwierzyniecka"]
    services.street_assign(
        street=street, district=second, number_from=10, number_to=20, valid_from=JULY, acting_user=chart.dyrektor
    )
    assert [district_on(street, n, JULY) for n in (9, 10, 20, 21)] == [third, second, second, third]


def test_R3_overlapping_segments_on_the_same_date_are_refused(chart, demo):
    first, second, _third = demo["districts"]
    street = demo["streets"]["Lipowa"]
    with pytest.raises(ValidationError, match="nie mogą się pokrywać"):
        services.street_assign(
            street=street,
            district=second,
            parity=Parity.ODD,
            number_from=1,
            number_to=9,
            valid_from=date(2026, 1, 2),
            acting_user=chart.dyrektor,
        )
    before = StreetSegment.objects.count()
    services.street_assign(
        street=demo["streets"]["Jana Pawła II"], district=first, valid_from=JULY, acting_user=chart.dyrektor
    )
    with pytest.raises(ValidationError):
        services.street_assign(
            street=demo["streets"]["Jana Pawła II"], district=second, valid_from=JULY, acting_user=chart.dyrektor
        )
    assert StreetSegment.objects.count() == before + 1  # the move: the old segment ended, one new segment


def test_R3_a_range_ending_before_it_starts_is_refused(chart, demo):
    with pytest.raises(ValidationError):
        services.street_assign(
            street=demo["streets"]["Wiejska"],
            district=demo["districts"][0],
            number_from=9,
            number_to=3,
            valid_from=JULY,
            acting_user=chart.dyrektor,
        )


@pytest.mark.django_db(transaction=True)
def test_R3_two_concurrent_assignments_of_the_same_numbers_give_one_segment(chart):
    district = _district(chart, 7)
    other = _district(chart, 8)
    street = Street.objects.create(institution=chart.institution, sym="0922410", sym_ul="99999", name_1="Testowa")
    targets = [district, other]

    def assign(i):
        return services.street_assign(
            street=street, district=targets[i], parity=Parity.EVEN, valid_from=JULY, acting_user=chart.dyrektor
        )

    results = race(2, assign)
    assert len(oks(results)) == 1
    assert len(errors(results)) == 1 and isinstance(errors(results)[0], ValidationError)
    assert StreetSegment.objects.filter(street=street).count() == 1


# --- workers by internal order ------------------------------------------------------------------------------------


def test_R3_worker_appointed_by_a_dated_internal_order_with_history(chart):
    district = _district(chart, 5)
    assignment = services.district_worker_assign(
        district=district,
        user=chart.pracownik_socjalny,
        valid_from=date(2026, 2, 1),
        order_number="ZW.021.3.2026",
        order_date=date(2026, 1, 28),
        acting_user=chart.zps1_kierownik,
    )
    assert (assignment.order_number, assignment.order_date) == ("ZW.021.3.2026", date(2026, 1, 28))
    record = assignment.history.get()
    assert record.history_user == chart.zps1_kierownik and "ZW.021.3.2026" in record.history_change_reason
    services.district_worker_end(
        assignment,
        on=date(2026, 8, 31),
        order_number="ZW.021.20.2026",
        order_date=date(2026, 8, 20),
        acting_user=chart.dyrektor,
    )
    assignment.refresh_from_db()
    assert assignment.valid_to == date(2026, 8, 31)
    assert assignment.history.count() == 2
    street = Street.objects.create(institution=chart.institution, sym="0922410", sym_ul="99998", name_1="Polna")
    services.street_assign(street=street, district=district, valid_from=date(2026, 2, 1), acting_user=chart.dyrektor)
    assert district_for(chart.institution, "Polna 1", on=date(2026, 8, 31)).people == [chart.pracownik_socjalny]
    assert district_for(chart.institution, "Polna 1", on=date(2026, 9, 1)).people == []


def test_R3_worker_rules(chart):
    district = _district(chart, 6)
    base = {"district": district, "valid_from": date(2026, 2, 1), "acting_user": chart.dyrektor}
    with pytest.raises(ValidationError, match="nie jest zatrudniona"):
        services.district_worker_assign(user=chart.obcy, order_number="1/2026", order_date=date(2026, 1, 1), **base)
    with pytest.raises(ValidationError, match="najpóźniej"):
        services.district_worker_assign(
            user=chart.pracownik_socjalny, order_number="1/2026", order_date=date(2026, 3, 1), **base
        )
    with pytest.raises(ValidationError, match="numer zarządzenia"):
        services.district_worker_assign(
            user=chart.pracownik_socjalny, order_number="  ", order_date=date(2026, 1, 1), **base
        )
    services.district_worker_assign(
        user=chart.pracownik_socjalny, order_number="1/2026", order_date=date(2026, 1, 1), **base
    )
    with pytest.raises(ValidationError, match="już przydzielona"):
        services.district_worker_assign(
            user=chart.pracownik_socjalny, order_number="2/2026", order_date=date(2026, 1, 1), **base
        )
    assert DistrictWorker.objects.filter(district=district).count() == 1


def test_R3_district_numbers_are_unique_per_institution(chart):
    _district(chart, 1)
    with pytest.raises(ValidationError, match="już istnieje"):
        _district(chart, 1)


# --- who may -----------------------------------------------------------------------------------------------------


def test_R3_who_keeps_the_districts_negative_first(chart):
    for persona in ("obcy", "pracownik_socjalny", "dnk_kierownik", "dsr_kierownik", "zastepca1", "iod"):
        assert not may_keep_districts(chart.people[persona], chart.institution), persona
    for persona in ("dyrektor", "zps1_kierownik"):
        assert may_keep_districts(chart.people[persona], chart.institution), persona


def test_R3_whoever_acts_for_the_absent_director_keeps_the_districts(chart):
    today = date.today()
    Absence.objects.create(user=chart.dyrektor, date_from=today, date_to=today, substitute=chart.zastepca1)
    assert may_keep_districts(chart.zastepca1, chart.institution)


def test_R3_services_refuse_people_who_do_not_keep_districts(chart):
    with pytest.raises(PermissionDenied):
        services.district_create(institution=chart.institution, number=3, acting_user=chart.pracownik_socjalny)
    district = _district(chart, 3)
    with pytest.raises(PermissionDenied):
        services.district_worker_assign(
            district=district,
            user=chart.pracownik_socjalny,
            valid_from=JULY,
            order_number="1",
            order_date=JULY,
            acting_user=chart.dnk_kierownik,
        )
    assert not DistrictWorker.objects.exists()


# --- TERYT ULIC import --------------------------------------------------------------------------------------------


def test_R3_teryt_ulic_import_is_idempotent_and_updates_names_by_sym_ul(chart, tmp_path, capsys):
    call_command("import_teryt_ulic", str(district_demo.SAMPLE), "--institution", "bialystok")
    assert Street.objects.filter(institution=chart.institution).count() == 13  # Kraśnik's row filtered out by SYM
    assert not Street.objects.filter(name_1="Lubelska").exists()
    street = Street.objects.get(sym_ul="20417")
    assert (street.cecha, street.name_2, street.name_1) == ("ul.", "Marii", "Skłodowskiej-Curie")
    call_command("import_teryt_ulic", str(district_demo.SAMPLE), "--institution", "bialystok")
    assert "nowe 0, zmienione 0, bez zmian 13" in capsys.readouterr().out
    renamed = tmp_path / "ulic.csv"
    renamed.write_text(
        "WOJ;POW;GMI;RODZ_GMI;SYM;SYM_UL;CECHA;NAZWA_1;NAZWA_2;STAN_NA\n"
        "20;61;01;1;0922410;12305;al.;Lipowa;Nowa;2026-11-02\n",
        encoding="utf-8",
    )
    call_command("import_teryt_ulic", str(renamed), "--institution", "bialystok", "--sym", "0922410")
    street = Street.objects.get(sym_ul="12305")
    assert str(street) == "al. Nowa Lipowa" and street.state_on == date(2026, 11, 2)
    assert street.history.count() == 2


def test_R3_import_refuses_a_file_that_is_not_teryt_ulic(chart, tmp_path):
    from django.core.management.base import CommandError

    bad = tmp_path / "x.csv"
    bad.write_text("a;b\n1;2\n", encoding="utf-8")
    with pytest.raises(CommandError, match="TERYT ULIC"):
        call_command("import_teryt_ulic", str(bad), "--institution", "bialystok")


# --- pages --------------------------------------------------------------------------------------------------------


def test_R3_list_page_answers_an_address_as_of_a_date(chart, demo, login):
    client = login(chart.pracownik_socjalny)
    page = client.get(reverse("units:district_list"), {"adres": "ul. Mickiewicza 3", "na_dzien": "2026-06-30"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Rejon nr 1 – Centrum" in text and "Magdalena Jankowska" in text
    page = client.get(reverse("units:district_list"), {"adres": "ul. Mickiewicza 3", "na_dzien": "2026-07-01"})
    second_url = reverse("units:district_detail", args=[demo["districts"][1].pk])
    assert f'Rejon opiekuńczy: <a href="{second_url}">Rejon nr 2' in page.content.decode()


def test_R3_list_page_queries_do_not_grow_with_districts(chart, demo, login, django_assert_num_queries):
    client = login(chart.pracownik_socjalny)
    url = reverse("units:district_list")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # the session and the per-process caches warmed
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for number in range(10, 30):
        district = _district(chart, number)
        street = Street.objects.create(
            institution=chart.institution, sym="0922410", sym_ul=f"9{number}", name_1=f"U{number}"
        )
        services.street_assign(street=street, district=district, valid_from=JUNE, acting_user=chart.dyrektor)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)


def test_R3_detail_shows_history_and_past_assignments(chart, demo, login):
    client = login(chart.dnk_pracownik)
    first = demo["districts"][0]
    text = client.get(reverse("units:district_detail", args=[first.pk]), {"na_dzien": "2026-06-30"}).content.decode()
    assert "Adama Mickiewicza" in text and "30.06.2026" in text
    assert "ZW.021.14.2026" in text  # the move's order in the history
    assert "Przypisz ulicę" not in text  # a reader


def test_R3_keeper_assigns_a_street_through_the_form_and_errors_stay_next_to_the_field(chart, demo, login):
    client = login(chart.zps1_kierownik)
    first = demo["districts"][0]
    url = reverse("units:district_segment_add", args=[first.pk])
    street = demo["streets"]["Lipowa"]
    page = client.post(
        url, {"street": street.pk, "parity": "odd", "number_from": "9", "number_to": "3", "valid_from": "2026-07-01"}
    )
    assert page.status_code == 200
    assert "Numer końcowy nie może być mniejszy" in page.content.decode()
    page = client.post(url, {"street": street.pk, "parity": "even", "valid_from": "2026-01-02"})
    assert page.status_code == 200 and "nie mogą się pokrywać" in page.content.decode()
    page = client.post(url, {"street": street.pk, "parity": "even", "valid_from": "2026-08-01", "reason": "ZW 30/2026"})
    assert page.status_code == 302
    assert district_on(street, 12, date(2026, 8, 1)) == first


def test_R3_keeper_creates_a_district_and_appoints_a_worker(chart, login):
    client = login(chart.dyrektor)
    page = client.post(reverse("units:district_add"), {"number": "4", "name": "Antoniuk"})
    assert page.status_code == 302
    district = CareDistrict.objects.get(number=4)
    page = client.post(
        reverse("units:district_worker_add", args=[district.pk]),
        {
            "user": chart.pracownik_socjalny.pk,
            "valid_from": "2026-03-01",
            "order_number": "ZW 5/2026",
            "order_date": "2026-02-20",
        },
    )
    assert page.status_code == 302
    assert district.workers.get().order_number == "ZW 5/2026"


def test_R3_complaint_page_shows_the_district_next_to_the_address(chart, demo, login):
    from complaints import services as complaint_services

    first = demo["districts"][0]
    services.district_worker_assign(
        district=first,
        user=chart.zps1_kierownik,
        valid_from=date(2026, 1, 2),
        order_number="ZW 2/2026",
        order_date=date(2026, 1, 2),
        acting_user=chart.dyrektor,
    )
    complaint = complaint_services.complaint_register(
        acting_user=chart.dnk_pracownik,
        kind="complaint",
        received_on=date(2026, 3, 2),
        channel="letter",
        subject="Skarga na pracownika",
        complainant_name="Adam Skarżący",
        complainant_address="ul. Lipowa 1, 15-001 Białystok",
    )
    text = login(chart.dnk_pracownik).get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert "Rejon opiekuńczy" in text and str(first) in text and "Paweł Kozłowski" in text


def test_R3_blue_card_shows_the_district_next_to_the_family_address(chart, demo):
    from django.template import Context, Template

    second = demo["districts"][1]
    html = Template("{% load units_districts %}{% district_of institution address %}").render(
        Context({"institution": chart.institution.pk, "address": "ul. Lipowa 14/5, 15-427 Białystok"})
    )
    assert str(second) in html and "Tomasz Grabowski" in html
    html = Template("{% load units_districts %}{% district_of institution address %}").render(
        Context({"institution": chart.institution.pk, "address": "ul. Nieznana 1"})
    )
    assert "nie ustalono" in html
