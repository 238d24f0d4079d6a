"""Pages link only where the person may go (issue 15: a walk of every role found links answering 403/404)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_U5_chart_links_the_authorisations_register_only_for_those_who_consult_it(chart, login):
    url = reverse("units:authorizations")
    for user in (chart.sok_pracownik, chart.pracownik_socjalny, chart.iod):
        client = login(user)
        assert url not in client.get(reverse("units:chart")).content.decode()
        assert client.get(url).status_code == 403
    for user in (chart.dka_kierownik, chart.dyrektor):
        client = login(user)
        assert url in client.get(reverse("units:chart")).content.decode()
        assert client.get(url).status_code == 200
