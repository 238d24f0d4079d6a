"""The fixed structure of seed 003's annexes: the attachments every offer brings (003 §4.7), the formal card's
criteria (annex 3), the merit card's criteria and scales (annex 4), and the cost categories of an offer's budget.
The limits that an institution may change (percentages, rates, days) live in ``GrantsConfig``."""

from __future__ import annotations

import hashlib

from django.db import models
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 12, "decimal_places": 2}

# 003 §4.7: the attachments required with every offer (also the formal card's items a-f, annex 3).
REQUIRED_ATTACHMENTS = [
    (
        "register_extract",
        _(
            "aktualny odpis z rejestru lub wyciąg z ewidencji bądź inne dokumenty potwierdzające "
            "status prawny oferenta i umocowanie osób go reprezentujących"
        ),
    ),
    ("statute", _("statut")),
    ("powers_of_attorney", _("pełnomocnictwa niezbędne do reprezentowania oferenta")),
    (
        "no_other_funding",
        _(
            "oświadczenie oferenta o nieubieganiu się o inne środki budżetowe Miasta "
            "(Załącznik nr 2 do warunków konkursu)"
        ),
    ),
    ("premises_title", _("dokument poświadczający prawo do zajmowania lokalu, w którym realizowane ma być zadanie")),
    ("staff_qualifications", _("udokumentowane przygotowanie zawodowe osób pracujących w ramach zadania")),
]


# Annex 3 (karta oceny formalnej oferty): every criterion yes/no, in the order of the card: the general criteria,
# one line per attachment the competition requires (G1), the two budget criteria naming the configured limits
# (``formal_criteria``). The keys stay as stored in the cards' answers.
GENERAL_FORMAL_CRITERIA = [
    (
        "on_time",
        _(
            "Oferta została złożona w terminie i w miejscu, określonych w szczegółowych warunkach "
            "otwartego konkursu ofert"
        ),
    ),
    ("proper_form", _("Oferta została złożona na właściwym formularzu z jednakową sumą kontrolną")),
    ("eligible_offeror", _("Oferta została złożona przez podmiot uprawniony")),
    ("properly_filled", _("Oferta została wypełniona prawidłowo (m.in. wszystkie pola wymagane zostały wypełnione)")),
    ("right_task", _("Oferta została złożona na zadanie wskazane w ogłoszeniu o konkursie")),
    ("signed", _("Oferta została podpisana przez osoby uprawnione do reprezentacji oferenta")),
]
BUDGET_FORMAL_CRITERIA = [
    (
        "grant_max_90",
        _(
            "Złożono ofertę o przyznanie dotacji w wysokości nie większej niż %(grant_max)s %% kosztów "
            "finansowych realizacji całego zadania"
        ),
    ),
    ("own_min_10", _("Złożono ofertę, w której wkład własny wynosi co najmniej %(own_min)s %%")),
]

_SEED_ATTACHMENT_KEYS = {str(label): key for key, label in REQUIRED_ATTACHMENTS}


def attachment_key(label: str) -> str:
    """G1: the key under which an offer records a required attachment and the formal card answers it. The seed's
    six keep their names (offers and cards recorded before the competitions had their own lists keep their
    answers); any other item is keyed by its text, which cannot change once the competition is published."""
    label = " ".join(str(label).split())
    return _SEED_ATTACHMENT_KEYS.get(label) or "x" + hashlib.sha1(label.encode()).hexdigest()[:12]


def attachment_items(labels=None) -> list[tuple[str, str]]:
    """G1: (key, label) of each required attachment of a competition's list (``Competition.attachments``);
    ``None`` or an empty list: the seed's six (003 §4.7)."""
    if not labels:
        labels = [str(label) for _key, label in REQUIRED_ATTACHMENTS]
    return [(attachment_key(label), " ".join(str(label).split())) for label in labels]


def duplicate_attachments(labels) -> list[str]:
    """G1: the items of a list of required attachments given more than once (one key, one line of the card)."""
    seen, duplicates = set(), []
    for label in labels:
        key = attachment_key(label)
        if key in seen and label not in duplicates:
            duplicates.append(label)
        seen.add(key)
    return duplicates


# The card of a competition requiring the seed's six attachments.
FORMAL_CRITERIA = [
    *GENERAL_FORMAL_CRITERIA,
    *[(f"att_{key}", label) for key, label in REQUIRED_ATTACHMENTS],
    *BUDGET_FORMAL_CRITERIA,
]


def formal_criteria(limits, attachments=None) -> list[tuple[str, str]]:
    """Annex 3's criteria of a competition: one yes/no line per attachment of its list (``attachments``, G1;
    ``None``: the seed's six) and the configured budget limits in their labels (``limits``:
    ``budget.BudgetLimits``)."""
    numbers = {"grant_max": limits.fmt(limits.grant_max_percent), "own_min": limits.fmt(limits.own_min_percent)}
    criteria = [
        *GENERAL_FORMAL_CRITERIA,
        *[(f"att_{key}", label) for key, label in attachment_items(attachments)],
        *BUDGET_FORMAL_CRITERIA,
    ]
    return [(key, str(label) % numbers if "%(" in str(label) else str(label)) for key, label in criteria]


# Annex 4 (karta oceny merytorycznej oferty): (section, key, label, maximum points). Maximum 100.
MERIT_SECTIONS = [
    ("I", _("Możliwość realizacji zadania publicznego przez oferenta")),
    ("II", _("Przedstawiona kalkulacja kosztów realizacji zadania, w tym w odniesieniu do zakresu rzeczowego zadania")),
    ("III", _("Jakość wykonania przez oferenta zadania publicznego")),
    ("IV", _("Kwalifikacje osób, przy udziale których oferent będzie realizował zadanie publiczne")),
    ("V", _("Zasięg pomocy oferowanej przez podmiot")),
    (
        "VI",
        _(
            "Ocena realizacji zleconych zadań publicznych, w tym rzetelność i terminowość wykonywania "
            "dotychczas zrealizowanych przedsięwzięć finansowanych ze środków publicznych"
        ),
    ),
]
MERIT_CRITERIA = [
    ("I", "i1", _("posiada bazę lokalową umożliwiającą realizację zadania"), 5),
    ("I", "i2", _("posiada odpowiednie zasoby techniczne i wyposażenie potrzebne do realizacji zadania"), 5),
    ("I", "i3", _("zakładane cele są spójne z rezultatami"), 5),
    ("I", "i4", _("opis planowanych działań gwarantuje osiągnięcie celu zadania"), 5),
    ("II", "ii1", _("kalkulacja kosztów jest spójna z opisem działań"), 10),
    (
        "II",
        "ii2",
        _("wnioskowana dotacja jest adekwatna do planowanych działań (czy budżet jest zawyżony/ zaniżony)"),
        10,
    ),
    ("II", "ii3", _("wydatki są zasadne w odniesieniu do zakresu rzeczowego zadania"), 10),
    ("III", "iii1", _("staranność w przygotowaniu dokumentacji ofertowej"), 5),
    ("III", "iii2", _("opis proponowanych przez oferenta działań gwarantuje właściwą realizację zadania"), 5),
    ("IV", "iv1", _("kwalifikacje osób zatrudnionych przy realizacji zadania są wystarczające"), 5),
    (
        "IV",
        "iv2",
        _(
            "przewiduje się wkład osobowy, w tym pracę społeczną członków i świadczenia wolontariuszy "
            "przy realizacji zadania"
        ),
        5,
    ),
    ("V", "v1", _("ocena skali realizowanego projektu, tj. liczba osób objętych projektem"), 5),
    ("V", "v2", _("atrakcyjność i dostępność projektu dla odbiorców"), 5),
    ("VI", "vi1", _("posiada doświadczenie w realizacji zleconych zadań publicznych w latach poprzednich"), 10),
    ("VI", "vi2", _("rzetelnie i terminowo rozliczał środki pozyskane w ramach zleconych zadań publicznych"), 10),
]
MERIT_MAX = sum(points for *_ignored, points in MERIT_CRITERIA)  # 100


class CostCategory(models.TextChoices):
    PERSONNEL = "personnel", _("koszty osobowe")
    ADMINISTRATIVE = "administrative", _("koszty administracyjne")
    OTHER = "other", _("inne koszty realizacji zadania")


class EmploymentForm(models.TextChoices):
    EMPLOYMENT = "employment", _("umowa o pracę")
    MANDATE = "mandate", _("umowa zlecenie")
    SPECIFIC_WORK = "specific_work", _("umowa o dzieło")
    SECONDMENT = "secondment", _("oddelegowanie pracownika")
    OTHER = "other", _("inna")


class CostNature(models.TextChoices):
    """003 §2.15: what the grant may not pay for (ELIGIBLE is everything else)."""

    ELIGIBLE = "eligible", _("koszt kwalifikowany")
    CITY_COFUNDED = "city_cofunded", _("przedsięwzięcie dofinansowywane z budżetu Miasta")
    PRIOR_LIABILITY = "prior_liability", _("zobowiązanie powstałe przed datą umowy")
    LEASING = "leasing", _("opłaty leasingowe lub zobowiązania z tytułu kredytów")
    LAND = "land", _("nabycie lub dzierżawa gruntów")
    OFFICE_UPKEEP = "office_upkeep", _("utrzymanie biura oferenta")
    INVESTMENT = "investment", _("zadania inwestycyjne, prace remontowe i budowlane")
    BUSINESS_POLITICAL = "business_political", _("działalność gospodarcza lub polityczna")
    BUSINESS_TRIPS = "business_trips", _("wyjazdy służbowe (krajowe i zagraniczne)")
    PENALTIES = "penalties", _("kary i odsetki")
    AFTER_END = "after_end", _("opłaty poniesione po zakończeniu zadania")
    TAXES = "taxes", _("podatki, cła i opłaty skarbowe")
