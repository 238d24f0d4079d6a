"""R3 on the Blue Card: the family's address finds its care district and social worker, shown on the card page."""

import pytest
from django.urls import reverse

from units import district_demo

from .conftest import make_card

pytestmark = pytest.mark.django_db


def test_R3_card_page_shows_the_district_next_to_the_family_address(zi, chart, login):
    seeded = district_demo.seed(chart.institution, chart.people, acting_user=chart.dyrektor)
    card = make_card(zi, family_address="ul. Lipowa 14/5, 15-427 Białystok")
    assert card.family_address == "ul. Lipowa 14/5, 15-427 Białystok"
    page = login(zi.chair).get(reverse("bluecard:card", args=[card.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "ul. Lipowa 14/5" in text and str(seeded["districts"][1]) in text and "Tomasz Grabowski" in text
