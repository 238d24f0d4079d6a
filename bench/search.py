"""Realistic Polish text for the seeded register, and the search measurements.

The seeded complaints get names, streets, subjects and descriptions of a few sentences from fixed word lists
(deterministic with the run's seed), so that searching has the shape it has in an office: a few common words
in thousands of entries, a rare surname in a handful, signs.
"""

from __future__ import annotations

import random
from urllib.parse import urlencode

from django.db import connection
from django.urls import reverse

FIRST = ["Anna", "Maria", "Katarzyna", "Małgorzata", "Agnieszka", "Barbara", "Ewa", "Krystyna", "Elżbieta",
         "Zofia", "Jan", "Andrzej", "Piotr", "Krzysztof", "Stanisław", "Tomasz", "Paweł", "Józef", "Marcin",
         "Marek", "Michał", "Grzegorz", "Jerzy", "Tadeusz", "Łukasz", "Żaneta", "Jadwiga", "Bożena"]  # fmt: skip
LAST = ["Nowak", "Kowalska", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamińska", "Lewandowski", "Zielińska",
        "Szymański", "Woźniak", "Dąbrowska", "Kozłowski", "Jankowska", "Mazur", "Kwiatkowski", "Krawczyk",
        "Piotrowska", "Grabowski", "Nowakowska", "Pawłowski", "Michalska", "Król", "Wieczorek", "Jabłońska",
        "Wróbel", "Nowicki", "Majewska", "Olszewski", "Stępień", "Malinowska", "Jaworski", "Adamczyk",
        "Dudek", "Zając", "Wilczyńska", "Sikora", "Baran", "Szewczyk", "Tomaszewska", "Pietrzak"]  # fmt: skip
STREETS = ["Lipowa", "Sienkiewicza", "Mickiewicza", "Warszawska", "Zwierzyniecka", "Świętojańska", "Żelazna",
           "Legionowa", "Piłsudskiego", "Słonimska", "Wiejska", "Świerkowa", "Łąkowa", "Dojlidy Fabryczne",
           "Antoniuk Fabryczny", "Wasilkowska", "Kościelna", "Branickiego", "Żeromskiego", "Pogodna"]  # fmt: skip
SUBJECTS = ["Przewlekłe rozpatrywanie wniosku o zasiłek okresowy", "Odmowa przyznania zasiłku celowego",
            "Niegrzeczne zachowanie pracownika w okienku", "Opieszałość w sprawie dodatku mieszkaniowego",
            "Brak odpowiedzi na pismo w sprawie usług opiekuńczych", "Wniosek o zmianę godzin pracy punktu",
            "Nieprawidłowe wyliczenie świadczenia rodzinnego", "Skarga na pracownika socjalnego",
            "Wniosek o uproszczenie formularzy", "Zwłoka w wypłacie świadczenia wychowawczego",
            "Odmowa skierowania do domu pomocy społecznej", "Wniosek o dodatkowy dyżur w piątki"]  # fmt: skip
SENTENCES = ["Wnoszący podnosi, że sprawa trwa ponad dwa miesiące.", "Do pisma dołączono kopię decyzji.",
             "Pracownik nie udzielił informacji o terminie załatwienia.", "Wnioskodawczyni mieszka z dwojgiem dzieci.",
             "Sprawa dotyczy rodziny objętej wsparciem asystenta.", "Wnoszący prosi o pilne rozpatrzenie.",
             "Wskazano na trudną sytuację materialną gospodarstwa domowego.", "Skarżący był dwukrotnie wzywany.",
             "Pismo wpłynęło drogą elektroniczną przez ePUAP.", "Załączono zaświadczenie lekarskie.",
             "Wnoszący zarzuca brak uzasadnienia odmowy.",
             "Sprawa była już przedmiotem wcześniejszej skargi."]  # fmt: skip
RARE_NAME = "Zofia Kowalczykówna"  # one entry in about 50 000: the clerk's "the complaint from Kowalczykówna"
RARE_EVERY = 50_000


def complaint_text(i: int, rng: random.Random) -> dict:
    """The searchable fields of the i-th seeded complaint."""
    name = RARE_NAME if i % RARE_EVERY == 7 else f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    description = " ".join(rng.sample(SENTENCES, 3))
    return {
        "complainant_name": name,
        "complainant_address": f"ul. {rng.choice(STREETS)} {rng.randrange(1, 120)}, "
        f"15-{rng.randrange(1, 999):03d} Białystok",
        "subject": rng.choice(SUBJECTS),
        "description": description,
    }


def queries(world) -> list[tuple[str, str]]:
    """(what, term): a rare name typed without diacritics, a common word, a fragment of a street, a sign."""
    from complaints.models import Complaint

    sign = Complaint.objects.order_by("-year", "-number").values_list("sign", flat=True)[100]
    return [
        ("rzadkie nazwisko bez polskich znaków", "kowalczykowna"),
        ("częste słowo", "zasilku"),
        ("fragment treści", "epuap"),
        ("znak sprawy", sign),
    ]


def measure(world, repeat: int) -> list:
    """The register searched by a dense reader (DNK, sees everything) and a sparse one (the head of DSR)."""
    from bench.core import Row, client_for, measure_page

    rows = []
    for label, login in (("pracownik DNK", "dnk_pracownik"), ("kierownik DSR", "dsr_kierownik")):
        client = client_for(world.personas[login])
        for what, term in queries(world):
            url = reverse("complaints:list") + "?" + _query(term)
            q, median, p95, raw = measure_page(client, url, repeat)
            rows.append(Row(f"wyszukiwanie: {what}", label, q, round(median, 1), round(p95, 1), round(raw, 2)))
    return rows


def _query(term: str) -> str:
    return urlencode({"q": term})


def explain(world) -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of the register's search for the rare name as DNK: the trigram index."""
    from complaints.forms import ComplaintFilter
    from complaints.models import Complaint
    from units.permissions import visible

    plans = []
    for login in ("dnk_pracownik", "dsr_kierownik"):
        base = visible(world.personas[login], Complaint.objects.all(), "view_complaint")
        qs = ComplaintFilter({"q": "kowalczykowna"}, queryset=base).qs.order_by("-year", "-number")[:25]
        sql, params = qs.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            cursor.fetchall()
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            plans.append(f"-- {login}\n" + "\n".join(row[0] for row in cursor.fetchall()))
    return "\n\n".join(plans)
