"""After the results in the browser (G11) and small grants (G12): a demo-like competition's chosen offer gets its
contract (signed with the Chief Accountant's countersignature), a tranche, the final report recorded and accepted,
the unused remainder returned and paid; a 19a offer refused above 10 000 zł and above 90 days with the limit named,
published in three places, commented, granted, its contract and report; a grant refused above 20 000 zł a year for
one organisation. axe checks the new pages."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _submit(page, name):
    page.get_by_role("button", name=name).click()
    page.wait_for_load_state()


def _sign(contract_or_source):
    """The approval flow (initials, signature, countersignature) taken by its people through the service."""
    from tests.grants.factories_after import approve_all, flow_of

    approve_all(flow_of(contract_or_source))


def _report(page, contract, ratio):
    for line in contract.lines.all():
        page.fill(f"#id_l{line.pk}_grant", str((line.from_grant * ratio).quantize(Decimal("0.01"))))
        page.fill(f"#id_l{line.pk}_own_financial", str(line.amount - line.from_grant))
    first = contract.lines.first()
    page.fill(f"#id_l{first.pk}_own_personal", str(contract.own_personal))
    page.fill(f"#id_l{first.pk}_hours", str(contract.volunteer_hours))
    last = contract.lines.last()
    page.fill(f"#id_l{last.pk}_own_financial", str(last.amount - last.from_grant - contract.own_personal))
    page.fill("#id_results_achieved", "120 rodzin objętych wsparciem, 40 superwizji.")
    page.fill("#id_actions", "Grupy wsparcia, superwizje, szkolenia.")


def test_G11_competition_to_accepted_final_report_and_recorded_return(chart, page, browser_login, assert_accessible):
    from grants.models import Contract
    from tests.grants.factories_after import chosen_offer

    offer = chosen_offer(chart)
    browser_login(chart.dnk_pracownik)
    page.goto(offer.get_absolute_url())
    page.get_by_role("link", name="Projekt umowy (G11)").click()
    page.wait_for_url("**/umowa/")
    assert_accessible(page)
    page.fill("#id_partial_report_due", "")
    page.fill("#id_final_report_due", "2024-01-30")
    _submit(page, "Sporządź projekt umowy")
    contract = Contract.objects.get(offer=offer)
    page.wait_for_url(f"**{contract.get_absolute_url()}")
    _submit(page, "Skieruj umowę do podpisu i kontrasygnaty")
    assert "w obiegu do podpisu i kontrasygnaty" in page.content()
    _sign(contract)
    page.reload()
    assert "Anna" in page.content() or "kontrasygnata" in page.content()
    assert_accessible(page)

    page.get_by_role("link", name="Odnotuj transzę").click()
    page.wait_for_url("**/transza/")
    page.fill("#id_amount", "63000")
    _submit(page, "Odnotuj transzę")
    page.wait_for_url(f"**{contract.get_absolute_url()}")

    page.get_by_role("link", name="Sprawozdanie końcowe").click()
    page.wait_for_url("**/sprawozdanie/*/")
    page.get_by_role("link", name="Odnotuj złożenie sprawozdania").click()
    page.wait_for_url("**/zlozenie/")
    assert_accessible(page)
    _report(page, contract, Decimal("0.98"))
    _submit(page, "Odnotuj złożenie sprawozdania")
    page.wait_for_url("**/sprawozdanie/*/")
    assert "Kwoty faktyczne spełniają zasady budżetu (G4)." in page.content()
    assert_accessible(page)
    page.get_by_role("link", name="Oceń sprawozdanie").click()
    page.wait_for_url("**/ocena/")
    page.get_by_label("przyjmij sprawozdanie").check()
    _submit(page, "Zapisz ocenę")
    assert "przyjęte" in page.content()

    page.goto(contract.get_absolute_url())
    page.get_by_role("link", name="Zwrot dotacji").click()
    page.wait_for_url("**/zwrot/")
    assert page.input_value("#id_amount") == "1260.00"  # the unused remainder: 63 000 paid, 61 740 accepted
    page.fill("#id_due", (timezone.localdate() + timedelta(days=14)).isoformat())
    _submit(page, "Odnotuj zwrot")
    page.wait_for_url(f"**{contract.get_absolute_url()}")
    page.get_by_role("link", name="Odnotuj wpłatę").click()
    page.wait_for_url("**/wplata/")
    _submit(page, "Odnotuj wpłatę")
    page.wait_for_url(f"**{contract.get_absolute_url()}")
    page.goto(f"/konkursy/{offer.competition_id}/rozliczenie/")
    assert_accessible(page)
    row = page.get_by_role("row").filter(has_text=contract.number).inner_text().replace("\xa0", " ")
    assert "63 000,00 zł" in row and "61 740,00 zł" in row and "1 260,00 zł" in row and "0,00 zł" in row


def test_G12_small_grant_limits_publication_comments_decision_and_report(chart, page, browser_login, assert_accessible):
    from grants.models import Contract, SmallGrantOffer
    from tests.grants.factories import make_offeror
    from tests.grants.factories_after import granted_small, year_budget

    year_budget(chart)
    offeror = make_offeror(name="Fundacja Pierwsze Mieszkanie")
    today = timezone.localdate()
    browser_login(chart.dnk_pracownik)
    page.goto("/konkursy/male-granty/")
    assert_accessible(page)
    page.get_by_role("link", name="Zarejestruj ofertę w trybie art. 19a").click()
    page.wait_for_url("**/male-granty/nowa/")

    def fill(grant, total, days):
        page.select_option("#id_offeror", str(offeror.pk))
        page.fill("#id_received_at", f"{today - timedelta(days=14)}T09:00")
        page.fill("#id_task_title", "Warsztaty kulinarne dla usamodzielnianych wychowanków")
        page.fill("#id_description", "Osiem spotkań w mieszkaniu treningowym.")
        page.fill("#id_task_start", (today + timedelta(days=10)).isoformat())
        page.fill("#id_task_end", (today + timedelta(days=9 + days)).isoformat())
        page.fill("#id_requested_grant", grant)
        page.fill("#id_own_financial", str(Decimal(total) - Decimal(grant)))
        page.select_option("#id_lines-0-category", "other")
        page.fill("#id_lines-0-name", "Produkty i materiały")
        page.fill("#id_lines-0-amount", total)
        page.fill("#id_lines-0-from_grant", grant)

    fill("10500.00", "11700.00", 60)
    _submit(page, "Zarejestruj ofertę")
    assert "W trybie art. 19a dotacja wynosi najwyżej 10 000,00 zł (art. 19a ust. 1)" in page.content()
    fill("9000.00", "10000.00", 91)
    _submit(page, "Zarejestruj ofertę")
    assert "W trybie art. 19a zadanie trwa najwyżej 90 dni (art. 19a ust. 1); podano 91 dni" in page.content()
    assert_accessible(page)
    fill("9000.00", "10000.00", 60)
    _submit(page, "Zarejestruj ofertę")
    offer = SmallGrantOffer.objects.get()
    page.wait_for_url(f"**{offer.get_absolute_url()}")
    text = page.content().replace("\xa0", " ").replace("&nbsp;", " ")
    assert "Pozostałe limity roku" in text and "20 000,00 zł" in text

    published = (today - timedelta(days=12)).isoformat()  # the 7 days end on a working day (K3)
    for place in ("bip", "website", "notice_board"):
        page.get_by_role("link", name="Odnotuj publikację oferty").click()
        page.wait_for_url("**/publikacja/")
        page.select_option("#id_place", place)
        page.fill("#id_published_on", published)
        _submit(page, "Odnotuj publikację")
        page.wait_for_url(f"**{offer.get_absolute_url()}")
    page.get_by_role("link", name="Odnotuj uwagę").click()
    page.wait_for_url("**/uwaga/")
    page.fill("#id_received_on", (today - timedelta(days=5)).isoformat())
    page.fill("#id_author", "Rada Osiedla Centrum")
    page.fill("#id_content", "Prosimy o udział mieszkańców osiedla.")
    _submit(page, "Odnotuj uwagę")
    page.wait_for_url(f"**{offer.get_absolute_url()}")
    assert_accessible(page)
    page.get_by_role("link", name="Decyzja", exact=True).click()
    page.wait_for_url("**/decyzja/")
    page.get_by_label("przyznać dotację").check()
    page.fill("#id_reason", "Uwagę uwzględniono: dwa miejsca dla mieszkańców.")
    _submit(page, "Zapisz decyzję")
    page.wait_for_url(f"**{offer.get_absolute_url()}")
    assert "przyznano dotację" in page.content()

    page.get_by_role("link", name="Projekt umowy", exact=True).click()
    page.wait_for_url("**/umowa/")
    page.fill("#id_final_report_due", (today + timedelta(days=100)).isoformat())
    _submit(page, "Sporządź projekt umowy")
    contract = Contract.objects.get(small_offer=offer)
    page.wait_for_url(f"**{contract.get_absolute_url()}")
    _submit(page, "Skieruj umowę do podpisu i kontrasygnaty")
    _sign(contract)
    page.goto(contract.reports.get(kind="final").get_absolute_url())
    page.get_by_role("link", name="Odnotuj złożenie sprawozdania").click()
    page.wait_for_url("**/zlozenie/")
    contract.refresh_from_db()
    _report(page, contract, Decimal("1"))
    _submit(page, "Odnotuj złożenie sprawozdania")
    page.wait_for_url("**/sprawozdanie/*/")
    assert "złożone – do oceny" in page.content()

    # two more grants for the same organisation: the third decision would take it above 20 000 zł this year
    granted_small(chart, offeror=offeror, amount=Decimal("9000.00"))
    from grants import services
    from tests.grants.factories_after import published_small

    third = published_small(chart, offeror=offeror)
    assert services.year_limits(chart.institution, offeror, today.year).org_remaining == Decimal("2000.00")
    page.goto(f"/konkursy/male-granty/{third.pk}/decyzja/")
    page.get_by_label("przyznać dotację").check()
    page.fill("#id_amount", "9000.00")
    _submit(page, "Zapisz decyzję")
    content = page.content().replace("\xa0", " ").replace("&nbsp;", " ")
    assert "Jednej organizacji w trybie art. 19a można przyznać w roku" in content
    assert "najwyżej 20 000,00 zł (art. 19a ust. 4)" in content
