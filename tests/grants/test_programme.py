"""G13: the annual programme of cooperation with NGOs and its report (UDPP art. 5a; 002 §II.3.3-4).

The report for a year must match the sum of that year's grants: the tests build a year's competitions and
grants and compute the figures independently of ``grants.selectors``."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from grants import services
from grants.models import CooperationProgramme, Offer, OfferStatus, ProgrammeStatus
from grants.procedures import PROGRAMME
from grants.selectors import programme_figures, year_grants
from mopr.models import Deadline

from .factories import make_competition, make_offeror, published_competition, register
from .programme_factories import decided_competition, make_programme

pytestmark = pytest.mark.django_db
D = Decimal


# --- negative cases first: who may not -----------------------------------------------------------------------


def test_G13_only_the_units_that_run_competitions_create_a_programme(chart):
    institution = chart.unit("DNK").institution
    for outsider in (chart.sok_pracownik, chart.dyrektor, chart.zastepca1, chart.obcy):
        with pytest.raises(PermissionDenied):
            services.programme_create(acting_user=outsider, institution=institution, year=2023)
    assert not CooperationProgramme.objects.exists()


def test_G13_director_and_deputies_read_but_do_not_edit(chart, login):
    programme, (task,) = make_programme(chart)
    for reader in (chart.dyrektor, chart.zastepca1, chart.zastepca2):
        client = login(reader)
        assert client.get(reverse("grants:programme_detail", args=[programme.pk])).status_code == 200
        page = client.post(
            reverse("grants:programme_adopt", args=[programme.pk]),
            {"resolution_number": "X/1/22", "resolution_date": "2022-11-20"},
        )
        assert page.status_code == 403
        with pytest.raises(PermissionDenied):
            services.programme_task_save(
                programme, acting_user=reader, task=task, name="x", priority="", area="other", planned_amount=D(1)
            )
    detail = reverse("grants:programme_detail", args=[programme.pk])
    assert login(chart.pracownik_socjalny).get(detail).status_code == 404
    assert login(chart.sok_pracownik).get(reverse("grants:programmes")).status_code == 403
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.DRAFT


def test_G13_one_programme_per_year_with_a_polish_message(chart, login):
    make_programme(chart)
    page = login(chart.dnk_pracownik).post(reverse("grants:programme_create"), {"year": "2023", "priorities": ""})
    assert page.status_code == 200
    assert "Program współpracy na rok 2023 już istnieje." in page.content.decode()
    assert CooperationProgramme.objects.count() == 1


def test_G13_adoption_needs_a_task_a_number_and_a_date_not_in_the_future(chart):
    programme = services.programme_create(
        acting_user=chart.dnk_pracownik, institution=chart.unit("DNK").institution, year=2023
    )
    with pytest.raises(ValidationError, match="co najmniej jedno zadanie"):
        services.programme_adopt(
            programme, acting_user=chart.dnk_pracownik, resolution_number="LX/1/22", resolution_date=date(2022, 11, 20)
        )
    programme, _tasks = make_programme(chart, year=2024)
    with pytest.raises(ValidationError):
        services.programme_adopt(
            programme, acting_user=chart.dnk_pracownik, resolution_number=" ", resolution_date=date(2023, 11, 20)
        )
    with pytest.raises(ValidationError):
        services.programme_adopt(
            programme, acting_user=chart.dnk_pracownik, resolution_number="1", resolution_date=date(2099, 1, 1)
        )
    with pytest.raises(ValidationError):
        services.programme_adopt(
            programme, acting_user=chart.dnk_pracownik, resolution_number="1", resolution_date=date(2025, 1, 1)
        )
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.DRAFT


def test_G13_the_report_is_submitted_only_after_the_programme_year(chart):
    programme, _tasks = make_programme(chart)
    services.programme_adopt(
        programme, acting_user=chart.dnk_pracownik, resolution_number="LX/1/22", resolution_date=date(2022, 11, 28)
    )
    with pytest.raises(ValidationError, match="po zakończeniu tego roku"):
        services.programme_report_submit(programme, acting_user=chart.dnk_pracownik, submitted_on=date(2023, 12, 1))
    assert not hasattr(CooperationProgramme.objects.get(pk=programme.pk), "report")


def test_G13_a_task_takes_only_competitions_of_the_programme_year(chart):
    programme, (task,) = make_programme(chart)
    other_year = make_competition(chart, year=2024)
    with pytest.raises(ValidationError, match="tylko konkursy ośrodka na rok 2023"):
        services.programme_task_save(
            programme,
            acting_user=chart.dnk_pracownik,
            task=task,
            name=task.name,
            priority="",
            area="family_foster_care",
            planned_amount=D("1.00"),
            competitions=[other_year],
        )
    other_year.refresh_from_db()
    assert other_year.programme_task is None


# --- the statutory dates as deadlines ------------------------------------------------------------------------------


def test_G13_statutory_dates_are_deadlines_of_the_responsible_clerk(chart):
    programme, _tasks = make_programme(chart)
    assert (programme.adoption_due, programme.report_due) == (date(2022, 11, 30), date(2024, 5, 31))
    adoption = Deadline.objects.get(kind=services.DL_PROGRAMME_ADOPTION, object_id=programme.pk)
    assert adoption.due == date(2022, 11, 30) and adoption.responsible_user == chart.dnk_pracownik
    assert adoption.met_at is None
    # late resolution: recorded and flagged
    services.programme_adopt(
        programme, acting_user=chart.dnk_pracownik, resolution_number="LXI/2/22", resolution_date=date(2022, 12, 5)
    )
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.ADOPTED and programme.adopted_late
    adoption.refresh_from_db()
    assert adoption.met_at is not None
    report = Deadline.objects.get(kind=services.DL_PROGRAMME_REPORT, object_id=programme.pk)
    assert report.due == date(2024, 5, 31) and report.met_at is None
    # the configured date moves the open deadline (editable, with history)
    services.programme_update(
        programme,
        acting_user=chart.dnk_pracownik,
        priorities="Rodzina",
        adoption_due=programme.adoption_due,
        report_due=date(2024, 5, 29),
    )
    report.refresh_from_db()
    assert report.due == date(2024, 5, 29)
    assert programme.history.filter(report_due=date(2024, 5, 31)).exists()
    services.programme_report_submit(programme, acting_user=chart.dnk_pracownik, submitted_on=date(2024, 5, 20))
    report.refresh_from_db()
    assert report.met_at is not None


def test_G13_procedure_refuses_a_second_adoption(chart):
    programme, _tasks = make_programme(chart)
    services.programme_adopt(
        programme, acting_user=chart.dnk_pracownik, resolution_number="LX/1/22", resolution_date=date(2022, 11, 28)
    )
    with pytest.raises(ValidationError, match="nie jest możliwa"):
        services.programme_adopt(
            programme, acting_user=chart.dnk_pracownik, resolution_number="LX/1/22", resolution_date=date(2022, 11, 28)
        )
    assert [a.name for a in PROGRAMME.available(programme, chart.dnk_pracownik)] == ["edit", "task", "submit_report"]
    assert PROGRAMME.available(programme, chart.dyrektor) == []


# --- the report equals the year's grants ---------------------------------------------------------------------------


def _build_year(chart):
    """2023: task A carried out by two competitions, task B by one, one competition linked to no task; noise
    that must not count: a 2024 competition, an undecided 2023 competition, offers not chosen."""
    x, y, z, w, v = (make_offeror(name=f"Organizacja {letter}") for letter in "XYZWV")
    c1, _o1 = decided_competition(chart, year=2023, grants=[(x, "30000.00"), (y, "20000.00"), (z, "0")])
    c2, _o2 = decided_competition(chart, year=2023, grants=[(x, "15000.00")])
    c3, _o3 = decided_competition(chart, year=2023, grants=[(w, "40000.00"), (y, "0")])
    c4, _o4 = decided_competition(chart, year=2023, grants=[(v, "10000.00")])
    c5, _o5 = decided_competition(chart, year=2024, grants=[(x, "5000.00")])
    undecided = published_competition(chart, year=2023, title="Nierozstrzygnięty")
    register(chart, undecided, offeror=z)
    programme, (task_a, task_b) = make_programme(
        chart, tasks=(("Wspieranie rodzinnej pieczy zastępczej", "70000.00"), ("Przeciwdziałanie przemocy", "50000.00"))
    )
    for task, competitions in ((task_a, [c1, c2]), (task_b, [c3, undecided])):
        services.programme_task_save(
            programme,
            acting_user=chart.dnk_pracownik,
            task=task,
            name=task.name,
            priority=task.priority,
            area=task.area,
            planned_amount=task.planned_amount,
            competitions=competitions,
        )
    return programme, {"x": x, "y": y, "z": z, "w": w, "v": v}


def _independent(programme):
    """The figures computed straight from the offers, without the selector."""
    rows = {}
    for task in programme.tasks.all():
        offers = Offer.objects.filter(
            competition__programme_task=task, competition__status__in=["decided", "results_published"]
        )
        chosen = [o for o in offers if o.status == OfferStatus.CHOSEN]
        rows[task.name] = (
            sum((o.granted_amount for o in chosen), D("0")),
            len({o.competition_id for o in offers}),
            offers.count(),
            len({o.offeror_id for o in chosen}),
        )
    return rows


def test_G13_report_matches_the_sum_of_the_years_grants(chart):
    programme, _orgs = _build_year(chart)
    figures = programme_figures(programme)
    by_name = {row["name"]: row for row in figures["tasks"]}
    # worked out by hand from _build_year
    assert by_name["Wspieranie rodzinnej pieczy zastępczej"] == {
        "name": "Wspieranie rodzinnej pieczy zastępczej",
        "area": "wspieranie rodziny i systemu pieczy zastępczej",
        "planned": "70000.00",
        "granted": "65000.00",  # 30 000 + 20 000 + 15 000
        "competitions": 2,
        "offers": 4,  # 3 + 1
        "ngos": 2,  # X (twice) and Y
    }
    assert by_name["Przeciwdziałanie przemocy"]["granted"] == "40000.00"
    assert (by_name["Przeciwdziałanie przemocy"]["competitions"], by_name["Przeciwdziałanie przemocy"]["offers"]) == (
        1,
        2,
    )
    assert by_name["Konkursy poza zadaniami programu"]["granted"] == "10000.00"
    # and computed independently of the selector, task by task
    for name, (granted, competitions, offers, ngos) in _independent(programme).items():
        row = by_name[name]
        assert (D(row["granted"]), row["competitions"], row["offers"], row["ngos"]) == (
            granted,
            competitions,
            offers,
            ngos,
        )
    # the totals are the year's grants: every chosen 2023 offer of a decided competition, and nothing else
    granted_2023 = sum(
        (
            o.granted_amount
            for o in Offer.objects.filter(
                competition__year=2023, status=OfferStatus.CHOSEN, competition__status="decided"
            )
        ),
        D("0"),
    )
    assert granted_2023 == D("115000.00")
    assert figures["totals"] == {
        "planned": "120000.00",
        "granted": "115000.00",
        "competitions": 4,
        "offers": 7,
        "ngos": 4,  # X, Y, W, V – X counted once across its two competitions
    }
    assert sum((o.granted_amount for o in year_grants(programme.institution, 2023)), D("0")) == granted_2023


def test_G13_submitted_report_freezes_its_figures(chart, login):
    programme, orgs = _build_year(chart)
    services.programme_adopt(
        programme, acting_user=chart.dnk_pracownik, resolution_number="LX/1/22", resolution_date=date(2022, 11, 28)
    )
    client = login(chart.dnk_pracownik)
    response = client.post(
        reverse("grants:programme_report_submit", args=[programme.pk]), {"submitted_on": "2024-05-20"}
    )
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.REPORT_SUBMITTED
    assert programme.report.figures["totals"]["granted"] == "115000.00"
    # a later grant of 2023 does not change the submitted report
    decided_competition(chart, year=2023, grants=[(orgs["z"], "1000.00")])
    page = client.get(reverse("grants:programme_report", args=[programme.pk])).content.decode()
    assert 'data-total-granted="115000.00"' in page
    assert programme_figures(programme)["totals"]["granted"] == "116000.00"
    # publication in BIP, not before the submission
    refused = client.post(
        reverse("grants:programme_report_publish", args=[programme.pk]), {"published_on": "2024-05-01"}
    )
    assert "publikuje się po jego złożeniu" in refused.content.decode()
    client.post(reverse("grants:programme_report_publish", args=[programme.pk]), {"published_on": "2024-05-27"})
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.PUBLISHED and programme.report.published_on == date(2024, 5, 27)


def test_G13_report_xlsx_and_pdf(chart, login):
    programme, _orgs = _build_year(chart)
    client = login(chart.zastepca1)
    response = client.get(reverse("grants:programme_report_xlsx", args=[programme.pk]))
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Zadanie" and rows[-1][0] == "Razem"
    assert D(str(rows[-1][3])) == D("115000.00")
    assert sum(D(str(row[3])) for row in rows[1:-1]) == D("115000.00")
    pdf = client.get(reverse("grants:programme_report_pdf", args=[programme.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_G13_programme_pages_flow_through_the_forms(chart, login):
    client = login(chart.dnk_pracownik)
    response = client.post(reverse("grants:programme_create"), {"year": "2023", "priorities": "Rodzina"})
    programme = CooperationProgramme.objects.get()
    assert response.status_code == 302 and response["Location"] == programme.get_absolute_url()
    competition = make_competition(chart, year=2023)
    response = client.post(
        reverse("grants:programme_task_create", args=[programme.pk]),
        {
            "name": "Wspieranie rodzinnej pieczy zastępczej",
            "priority": "Rodzina",
            "area": "family_foster_care",
            "planned_amount": "63000",
            "competitions": [competition.pk],
        },
    )
    assert response.status_code == 302
    competition.refresh_from_db()
    assert competition.programme_task.programme == programme
    assert competition.history.filter(programme_task__isnull=True).exists()
    page = client.post(
        reverse("grants:programme_adopt", args=[programme.pk]), {"resolution_number": "", "resolution_date": "x"}
    ).content.decode()
    assert "To pole jest wymagane" in page or "wymagane" in page
    client.post(
        reverse("grants:programme_adopt", args=[programme.pk]),
        {"resolution_number": "LX/812/22", "resolution_date": "2022-11-24"},
    )
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.ADOPTED and not programme.adopted_late
    detail = client.get(programme.get_absolute_url()).content.decode()
    assert "LX/812/22" in detail and "24.11.2022" in detail


def test_G13_publication_before_the_report_is_refused_in_polish(chart):
    """Found by the fuzz tests: recording the BIP publication of a report not yet submitted was a 500."""
    programme, _tasks = make_programme(chart)
    with pytest.raises(ValidationError, match="nie jest możliwa"):
        services.programme_report_publish(programme, acting_user=chart.dnk_pracownik, published_on=date(2024, 5, 27))


def test_G13_demo_shows_each_step_of_the_programme_once(chart):
    from django.utils import timezone

    from grants import demo

    demo.seed(chart.institution, chart.people)
    demo.seed(chart.institution, chart.people)
    today = timezone.localdate()
    programmes = {p.year: p for p in CooperationProgramme.objects.all()}
    assert sorted(programmes) == [today.year - 1, today.year, today.year + 1]
    previous = programmes[today.year - 1]
    assert previous.status == ProgrammeStatus.PUBLISHED
    assert previous.report.figures["totals"]["granted"] == "55000.00"
    assert programmes[today.year].status == ProgrammeStatus.ADOPTED
    draft = programmes[today.year + 1]
    assert draft.status == ProgrammeStatus.DRAFT
    assert draft.tasks.first().competitions.count() == 2


def test_G13_G12_the_years_small_grants_are_in_the_report_in_their_own_row(chart):
    from django.utils import timezone

    from grants.models import SmallGrantOffer, SmallGrantStatus

    from .factories_after import granted_small, published_small

    year = timezone.localdate().year
    programme = services.programme_create(
        acting_user=chart.dnk_pracownik, institution=chart.institution, year=year, priorities="Rodzina"
    )
    first, second = make_offeror(name="Stowarzyszenie Bojary"), make_offeror(name="Fundacja Dojlidy")
    granted_small(chart, offeror=first)
    granted_small(chart, offeror=second, amount=D("7500.00"))
    published_small(chart, offeror=first)  # not decided yet: an offer, not a grant
    figures = programme_figures(programme)
    row = {r["name"]: r for r in figures["tasks"]}["Małe granty poza konkursem (art. 19a)"]
    # computed independently: the granted small offers of the year, straight from the table
    granted = sum(
        (
            o.granted_amount
            for o in SmallGrantOffer.objects.filter(status=SmallGrantStatus.GRANTED, task_start__year=year)
        ),
        D("0"),
    )
    assert granted == D("16500.00")  # 9 000 + 7 500
    assert (D(row["granted"]), row["offers"], row["ngos"], row["competitions"]) == (granted, 3, 2, 0)
    assert D(figures["totals"]["granted"]) == granted and figures["totals"]["ngos"] == 2
