"""G13: every new form of the cooperation programme and the NGO database fuzzed with Hypothesis through its real
view (as in tests/grants/test_fuzz.py): no HTTP 500, Polish messages only, nothing half-written."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from grants.models import Competition, CooperationProgramme, Offeror, OfferorArea, ProgrammeStatus, ProgrammeTask
from tests.security.fuzz import dates, integers, text

from .factories import make_competition, make_offeror
from .programme_factories import make_programme
from .test_fuzz import FUZZ, OFFEROR, V, checked, counts, form_data, rolled_back

pytestmark = pytest.mark.django_db

AREAS = st.lists(st.one_of(st.sampled_from(["seniors", "charity", "sport"]), text), max_size=3)


def test_fuzz_programme_create_form(chart, login):
    make_programme(chart, year=2024)
    client = login(chart.dnk_pracownik)
    url = reverse("grants:programme_create")

    @FUZZ
    @given(data=form_data({"year": V("2025", st.one_of(integers, text)), "priorities": V("Rodzina", text)}))
    def run(data):
        with rolled_back():
            before = counts(CooperationProgramme)
            response = client.post(url, data)
            checked(response)
            if response.status_code == 200:
                assert counts(CooperationProgramme) == before
            else:
                assert response.status_code == 302
                programme = CooperationProgramme.objects.latest("pk")
                assert programme.status == ProgrammeStatus.DRAFT
                assert programme.adoption_due.year == programme.year - 1
                assert CooperationProgramme.objects.filter(year=programme.year).count() == 1

    run()


def test_fuzz_programme_edit_and_task_forms(chart, login):
    programme, (task,) = make_programme(chart)
    competition = make_competition(chart, year=2023)
    other = make_competition(chart, year=2024)
    client = login(chart.dnk_pracownik)
    edit = reverse("grants:programme_edit", args=[programme.pk])
    new_task = reverse("grants:programme_task_create", args=[programme.pk])
    task_url = reverse("grants:programme_task_edit", args=[programme.pk, task.pk])
    competitions = st.lists(st.one_of(st.sampled_from([str(competition.pk), str(other.pk)]), text), max_size=3)

    @FUZZ
    @given(
        edit_data=form_data(
            {
                "priorities": V("Rodzina", text),
                "adoption_due": V("2022-11-30", st.one_of(dates, text)),
                "report_due": V("2024-05-31", st.one_of(dates, text)),
            }
        ),
        task_data=form_data(
            {
                "name": V("Wspieranie rodziny", text),
                "priority": V("", text),
                "area": V("family_foster_care", text),
                "planned_amount": V("63000.00", st.one_of(integers, text)),
                "competitions": V([str(competition.pk)], competitions),
            }
        ),
        which=st.sampled_from([new_task, task_url]),
    )
    def run(edit_data, task_data, which):
        with rolled_back():
            response = client.post(edit, edit_data)
            checked(response)
            programme.refresh_from_db()
            assert programme.adoption_due.year < 2024 and programme.report_due.year > 2023
            before = counts(ProgrammeTask)
            response = client.post(which, task_data)
            checked(response)
            if response.status_code == 200:
                assert counts(ProgrammeTask) == before
            else:
                assert response.status_code == 302
                assert not Competition.objects.filter(pk=other.pk, programme_task__isnull=False).exists()
                assert all(t.planned_amount >= 0 for t in ProgrammeTask.objects.all())

    run()


def test_fuzz_programme_adoption_and_report_forms(chart, login):
    programme, _tasks = make_programme(chart)
    client = login(chart.dnk_pracownik)
    adopt = reverse("grants:programme_adopt", args=[programme.pk])
    submit = reverse("grants:programme_report_submit", args=[programme.pk])
    publish = reverse("grants:programme_report_publish", args=[programme.pk])

    @FUZZ
    @given(
        adopt_data=form_data(
            {"resolution_number": V("LX/1/22", text), "resolution_date": V("2022-11-28", st.one_of(dates, text))}
        ),
        submitted_on=st.one_of(st.just("2024-05-20"), dates, text),
        published_on=st.one_of(st.just("2024-05-27"), dates, text),
    )
    def run(adopt_data, submitted_on, published_on):
        with rolled_back():
            checked(client.post(adopt, adopt_data))
            checked(client.post(submit, {"submitted_on": submitted_on}))
            checked(client.post(publish, {"published_on": published_on}))
            programme.refresh_from_db()
            if programme.status != ProgrammeStatus.DRAFT:
                assert programme.resolution_number.strip() and programme.resolution_date
            if programme.status in (ProgrammeStatus.REPORT_SUBMITTED, ProgrammeStatus.PUBLISHED):
                assert programme.report.submitted_on.year > programme.year and programme.report.figures["totals"]
            if programme.status == ProgrammeStatus.PUBLISHED:
                assert programme.report.published_on >= programme.report.submitted_on

    run()


def test_fuzz_offeror_form_with_areas(chart, login):
    existing = make_offeror(name="Istniejący")
    client = login(chart.dnk_pracownik)
    edit = reverse("grants:offeror_edit", args=[existing.pk])

    @FUZZ
    @given(data=form_data({**OFFEROR, "areas": V(["seniors"], AREAS)}))
    def run(data):
        with rolled_back():
            before = counts(Offeror, OfferorArea)
            response = client.post(edit, data)
            checked(response)
            if response.status_code == 200:
                assert counts(Offeror, OfferorArea) == before
            else:
                assert response.status_code == 302
                areas = set(OfferorArea.objects.filter(offeror=existing).values_list("area", flat=True))
                assert areas == set(data["areas"])

    run()


def test_fuzz_ngo_list_query_strings(chart, login):
    make_offeror()
    client = login(chart.dnk_pracownik)

    @FUZZ
    @given(q=text, area=text, legal_form=text, page=st.one_of(integers, text))
    def run(q, area, legal_form, page):
        response = client.get(
            reverse("grants:offerors"), {"q": q, "area": area, "legal_form": legal_form, "page": page}
        )
        assert response.status_code == 200
        checked(response)

    run()
