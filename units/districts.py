"""Finding the care district of an address (R3; 001 §21.1-2).

``parse_address("ul. Lipowa 12A/3")`` splits a typed address into the street, the house number, its letter and
the flat; ``district_for(institution, text, on=day)`` finds the district and its responsible social workers on
a day (today by default); ``district_on(street, number, day)`` answers for a known street. The street's name is
matched without regard to case, diacritics or its prefix ("ul.", "al.", "pl."), by its full name ("Marii
Skłodowskiej-Curie") or its main part alone ("Skłodowskiej-Curie"); the number by the segment's side (odd or even)
and range."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from django.db.models import Q
from django.utils import timezone

from mopr.search import fold

from .models import CareDistrict, DistrictWorker, Institution, Street, StreetSegment, active_on

# Street-kind prefixes (TERYT "CECHA" and their spelled-out forms), folded.
PREFIXES = (
    "ulica",
    "ul",
    "aleja",
    "aleje",
    "al",
    "plac",
    "pl",
    "osiedle",
    "os",
    "rondo",
    "skwer",
    "bulwar",
    "bulw",
    "park",
    "wybrzeze",
    "wyb",
    "droga",
    "dr",
)
_PREFIX_RE = re.compile(r"^(?:" + "|".join(PREFIXES) + r")(?:\.\s*|\s+)")
_ADDRESS_RE = re.compile(
    r"^(?P<street>.*?\D)\s*(?<![\d/])(?P<number>\d{1,5})\s*(?P<suffix>[a-zA-Z]?)"
    r"(?:\s*(?:/|m\.?|lok\.?|mieszk\.?)\s*(?P<flat>[\w-]{1,8}))?\s*$"
)
_POSTCODE_RE = re.compile(r"\b\d{2}-\d{3}\b")


class ParsedAddress(NamedTuple):
    street: str
    number: int | None
    suffix: str
    flat: str


def parse_address(text: str | None) -> ParsedAddress | None:
    """The street and house number of a typed address ("ul. Lipowa 12A/3" -> ("ul. Lipowa", 12, "A", "3")).

    The address may span lines or hold the postcode and town ("15-950 Białystok, ul. Lipowa 12"): the first part
    that ends with a house number is taken, else the first part that is not a postcode and town. None when
    nothing looks like a street."""
    if not text:
        return None
    parts = [part.strip() for part in re.split(r"[\n\r,;]+", str(text)[:500]) if part.strip()]
    parts = [part for part in parts if not _POSTCODE_RE.search(part)] or []
    for part in parts:
        match = _ADDRESS_RE.match(part)
        if match and match.group("street").strip(" .-"):
            return ParsedAddress(
                match.group("street").strip(),
                int(match.group("number")),
                match.group("suffix").upper(),
                match.group("flat") or "",
            )
    if parts and re.search(r"[^\W\d_]", parts[0]):
        return ParsedAddress(parts[0], None, "", "")
    return None


def street_key(name: str) -> str:
    """A street's name as matched: folded, prefix ("ul.", "al.") dropped, spaces and hyphens normalised."""
    key = fold(name or "").strip()
    key = re.sub(r"\s*-\s*", "-", key)
    key = re.sub(r"\s+", " ", key)
    return _PREFIX_RE.sub("", key, count=1).strip(" .")


def streets_named(institution: Institution | int, name: str) -> list[Street]:
    """The streets whose full name or main part is ``name`` (exact full-name matches first). One query."""
    key = street_key(name)
    if not key:
        return []
    keys = {key}
    # "M. Skłodowskiej-Curie": an initial before the main part.
    initial = re.match(r"^\w{1,3}\.\s*(.+)$", key)
    if initial:
        keys.add(initial.group(1))
    institution_id = getattr(institution, "pk", institution)
    streets = list(
        Street.objects.filter(institution_id=institution_id).filter(Q(name_folded__in=keys) | Q(main_folded__in=keys))
    )
    return sorted(streets, key=lambda street: (street.name_folded != key, street.pk))


def segment_on(street: Street, number: int | None, day: date) -> StreetSegment | None:
    """The segment of ``street`` covering ``number`` on ``day``."""
    for segment in StreetSegment.objects.filter(active_on(day), street=street).select_related("district"):
        if segment.covers(number):
            return segment
    return None


def district_on(street: Street, number: int | None, day: date | None = None) -> CareDistrict | None:
    """R3: the district of a house on ``street`` as it was (or will be) on ``day``."""
    segment = segment_on(street, number, day or timezone.localdate())
    return segment.district if segment else None


def workers_on(district: CareDistrict, day: date) -> list[DistrictWorker]:
    return list(
        DistrictWorker.objects.filter(active_on(day), district=district)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )


@dataclass
class DistrictMatch:
    address: ParsedAddress
    street: Street
    segment: StreetSegment
    district: CareDistrict
    day: date
    workers: list[DistrictWorker] = field(default_factory=list)

    @property
    def people(self) -> list:
        return [assignment.user for assignment in self.workers]


def district_for(institution: Institution | int | None, address_text: str | None, on: date | None = None):
    """R3: the district and responsible workers of a typed address on ``on`` (today), or None when the street is
    unknown or no segment covers the number. ``institution`` may be given by its id."""
    if institution is None:
        return None
    parsed = parse_address(address_text)
    if parsed is None:
        return None
    day = on or timezone.localdate()
    for street in streets_named(institution, parsed.street):
        segment = segment_on(street, parsed.number, day)
        if segment is not None:
            return DistrictMatch(parsed, street, segment, segment.district, day, workers_on(segment.district, day))
    return None
