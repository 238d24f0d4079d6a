"""Otwarte konkursy ofert at realistic scale for ``manage.py benchmark`` (see mopr/benchmark.py).

``seed`` writes competitions, offerors, offers with their cost estimates, committees and declarations in bulk,
together with the guardian rows the services would create (``grant_unit_perms`` mirrored group rows for the
owning unit, explicit user grants for committee members who declared no conflict). ``pages`` names the pages
to measure.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

BATCH = 5000
PREFIX = "BENCH/"  # Competition.number of the benchmark's competitions
LINES_PER_OFFER = 3


def _nip(seed: int) -> str:
    """A NIP with a valid checksum, unique per ``seed`` (as tests/grants/factories.nip_for)."""
    weights = (6, 5, 7, 2, 3, 4, 5, 6, 7)
    n = seed
    while True:
        digits = f"{(700000000 + n) % 1000000000:09d}"
        check = sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
        if check != 10:
            return digits + str(check)
        n += 1_000_003


def _bulk(model, rows):
    created = []
    for start in range(0, len(rows), BATCH):
        created.extend(model.objects.bulk_create(rows[start : start + BATCH], batch_size=BATCH))
    return created


def _existing() -> list[int]:
    from grants.models import Competition

    return list(Competition.objects.filter(number__startswith=PREFIX).order_by("pk").values_list("pk", flat=True))


def _offer_counts(n_competitions: int, n_offers: int) -> list[int]:
    """One big competition (a quarter of all offers, at least 1), the rest spread evenly."""
    if n_competitions <= 0:
        return []
    big = max(1, n_offers // 4) if n_competitions > 1 else n_offers
    rest = n_offers - big
    others = n_competitions - 1
    counts = [big] + [rest // others + (1 if i < rest % others else 0) for i in range(others)] if others else [big]
    return counts


def seed(world, n_competitions: int, n_offers: int, rng: random.Random) -> list[int]:
    """Bulk-seed ``n_competitions`` competitions with ``n_offers`` offers in all; the first id is the big one.
    Skips when the benchmark's competitions are already there."""
    from grants.models import (
        FORMAL_CRITERIA,
        MERIT_CRITERIA,
        REQUIRED_ATTACHMENTS,
        Committee,
        CommitteeMember,
        Competition,
        CompetitionGroupObjectPermission,
        CompetitionStatus,
        CompetitionUserObjectPermission,
        ConflictDeclaration,
        CostLine,
        FormalCard,
        MeritCard,
        Offer,
        Offeror,
        OfferStatus,
    )
    from grants.services import decision_due_for, default_attachments, offer_deadline_for
    from units.models import Unit
    from units.permissions import unit_group

    have = _existing()
    if len(have) >= n_competitions:
        return have
    if have:  # a partial earlier run: start the grants part again
        Offer.objects.filter(competition_id__in=have).delete()
        Competition.objects.filter(pk__in=have).delete()

    dnk = Unit.objects.get(institution=world.institution, symbol="DNK")
    clerk = world.personas.get("dnk_pracownik")
    director = world.personas.get("dyrektor")
    today = timezone.localdate()
    now = timezone.now()
    attachments = default_attachments()

    # --- competitions: the big one is open for offers; the rest spread over the procedure ---------------
    cycle = [
        CompetitionStatus.RESULTS_PUBLISHED,
        CompetitionStatus.EVALUATION,
        CompetitionStatus.PUBLISHED,
        CompetitionStatus.DECIDED,
        CompetitionStatus.DRAFT,
        CompetitionStatus.CANCELLED,
    ]
    statuses = [CompetitionStatus.PUBLISHED] + [cycle[index % len(cycle)] for index in range(1, n_competitions)]
    # drafts take no offers: all ``n_offers`` go to the announced ones, a quarter to the first (big) one
    spread = iter(_offer_counts(sum(s != CompetitionStatus.DRAFT for s in statuses), n_offers))
    counts = [0 if status == CompetitionStatus.DRAFT else next(spread) for status in statuses]
    competitions = []
    for index, status in enumerate(statuses):
        if status in (CompetitionStatus.PUBLISHED, CompetitionStatus.DRAFT):
            published = today - timedelta(days=rng.randrange(0, 10))
            year = today.year + 1
        else:
            published = today - timedelta(days=rng.randrange(60, 3000))
            year = published.year + 1
        deadline = offer_deadline_for(published)
        fields = dict(
            unit=dnk,
            number=f"{PREFIX}{index + 1:05d}",
            year=year,
            title=f"Zadanie publiczne nr {index + 1}: wsparcie rodzinnej pieczy zastępczej",
            scope="wspieranie rodziny i systemu pieczy zastępczej",
            description="Udzielenie wsparcia rodzinom zastępczym oraz prowadzącym rodzinny dom dziecka.",
            addressees="Rodziny zastępcze; wychowankowie rodzinnej pieczy zastępczej.",
            place="Miasto Białystok",
            funds=Decimal(rng.randrange(20, 400)) * 1000,
            task_start=date(year, 1, 1),
            task_end=date(year, 12, 31),
            spending_start=date(year, 1, 1),
            spending_end=date(year, 12, 31),
            director_order_number=f"{index + 1}/{published.year}",
            director_order_date=published,
            attachments=attachments,
            status=status,
            created_by=clerk,
            created_at=now,
        )
        if status != CompetitionStatus.DRAFT:
            fields.update(published_on=published, offer_deadline=deadline, decision_due=decision_due_for(deadline))
        if status in (CompetitionStatus.DECIDED, CompetitionStatus.RESULTS_PUBLISHED):
            fields.update(
                results_computed_at=deadline + timedelta(days=7),
                director_opinion="Komisja pozytywnie zaopiniowała ofertę najwyżej ocenioną.",
                director_opinion_on=(deadline + timedelta(days=8)).date(),
                director_opinion_by=director,
                president_order_number=f"P/{index + 1}/{published.year}",
                president_order_date=(deadline + timedelta(days=14)).date(),
            )
        if status == CompetitionStatus.RESULTS_PUBLISHED:
            fields["results_published_on"] = (deadline + timedelta(days=15)).date()
        competitions.append(Competition(**fields))
    competitions = _bulk(Competition, competitions)

    # --- guardian rows grant_unit_perms would write: the owning unit's role groups -------------------
    perms = {
        p.codename: p
        for p in Permission.objects.filter(content_type__app_label="grants", content_type__model="competition")
    }
    group_rows = []
    for role, codenames in Competition.UNIT_ROLE_PERMS.items():
        group = unit_group(dnk, role)
        for codename in codenames:
            group_rows.extend(
                CompetitionGroupObjectPermission(group=group, permission=perms[codename], content_object_id=c.pk)
                for c in competitions
            )
    _bulk(CompetitionGroupObjectPermission, group_rows)

    # --- offerors: enough for the biggest competition (one offer per offeror and competition, G3) -----
    wanted_offerors = max(counts) if counts else 0
    offerors = list(Offeror.objects.filter(name__startswith="Fundacja Benchmark").order_by("pk"))
    forms = list(Offeror.LegalForm.values)
    new = [
        Offeror(
            name=f"Fundacja Benchmark {i + 1:05d}",
            legal_form=forms[i % len(forms)],
            krs=f"{i + 1:010d}",
            nip=_nip(i),
            regon="",
            street=f"ul. Lipowa {i % 200 + 1}",
            postal_code="15-001",
            city="Białystok",
            email=f"oferent{i}@bench.local",
            created_at=now,
            representatives="Anna Prezes – prezes zarządu",
        )
        for i in range(len(offerors), wanted_offerors)
    ]
    offerors += _bulk(Offeror, new)

    # --- offers with their cost estimates, formal cards and results ----------------------------------
    evaluated = {CompetitionStatus.EVALUATION, CompetitionStatus.DECIDED, CompetitionStatus.RESULTS_PUBLISHED}
    decided = {CompetitionStatus.DECIDED, CompetitionStatus.RESULTS_PUBLISHED}
    all_attachments = {key: True for key, _label in REQUIRED_ATTACHMENTS}
    offers = []
    for competition, count in zip(competitions, counts, strict=True):
        if competition.status == CompetitionStatus.DRAFT:
            continue
        start = competition.offer_deadline - timedelta(days=20)
        for rank, offeror in enumerate(offerors[:count], start=1):
            grant = Decimal(rng.randrange(10, 90)) * 1000
            own = (grant / 9).quantize(Decimal("0.01")) + Decimal("100.00")
            received = min(start + timedelta(hours=rng.randrange(0, 20 * 24)), competition.offer_deadline, now)
            offer = Offer(
                competition=competition,
                offeror=offeror,
                received_at=received,
                checksum=f"{rng.getrandbits(32):08X}",
                task_title=competition.title,
                recipients_count=rng.randrange(5, 300),
                attachments=all_attachments,
                requested_grant=grant,
                own_financial=own,
                registered_by=clerk,
            )
            if competition.status in evaluated:
                offer.status = OfferStatus.FORMAL_PASSED if rank % 10 else OfferStatus.FORMAL_FAILED
            if competition.status in decided and offer.status == OfferStatus.FORMAL_PASSED:
                offer.score = Decimal(rng.randrange(5000, 10000)) / 100
                offer.rank = rank
                offer.proposed_amount = offer.granted_amount = grant if rank == 1 else Decimal(0)
                offer.status = OfferStatus.CHOSEN if rank == 1 else OfferStatus.NOT_CHOSEN  # G8
            offers.append(offer)
    offers = _bulk(Offer, offers)
    lines = []
    for offer in offers:
        admin = (offer.requested_grant * Decimal("0.10")).quantize(Decimal("0.01"))
        personnel = (offer.requested_grant * Decimal("0.60")).quantize(Decimal("0.01"))
        other_total = offer.requested_grant + offer.own_financial - admin - personnel
        lines += [
            CostLine(
                offer=offer,
                order=1,
                category="personnel",
                name="Mentorzy i konsultanci",
                amount=personnel,
                from_grant=personnel,
                persons=2,
                hours=Decimal("800"),
                hourly_rate=Decimal("25.00"),
                employment_form="mandate",
            ),
            CostLine(
                offer=offer,
                order=2,
                category="administrative",
                name="Koordynacja i księgowość",
                amount=admin,
                from_grant=admin,
            ),
            CostLine(
                offer=offer,
                order=3,
                category="other",
                name="Materiały i wynajem sal",
                amount=other_total,
                from_grant=offer.requested_grant - admin - personnel,
            ),
        ]
        if len(lines) >= BATCH * 4:
            _bulk(CostLine, lines)
            lines = []
    _bulk(CostLine, lines)

    # --- committees: three people each, declared without conflict, with their explicit grants ----------
    with_committee = [c for c in competitions if c.status in evaluated]
    committees = _bulk(
        Committee,
        [
            Committee(competition=c, order_number=f"K/{c.pk}", order_date=c.published_on, appointed_by=clerk)
            for c in with_committee
        ],
    )
    people = world.users or [clerk]
    members = []
    roles = [CommitteeMember.Role.CHAIR, CommitteeMember.Role.DEPUTY_CHAIR, CommitteeMember.Role.MEMBER]
    for committee in committees:
        chosen = rng.sample(people, min(3, len(people)))
        members += [
            CommitteeMember(committee=committee, user=user, role=role)
            for user, role in zip(chosen, roles, strict=False)
        ]
    members = _bulk(CommitteeMember, members)
    _bulk(ConflictDeclaration, [ConflictDeclaration(member=m, no_conflict=True, declared_at=now) for m in members])
    competition_of = {committee.pk: committee.competition_id for committee in committees}
    _bulk(
        CompetitionUserObjectPermission,
        [
            CompetitionUserObjectPermission(
                user_id=m.user_id, permission=perms[codename], content_object_id=competition_of[m.committee_id]
            )
            for m in members
            for codename in ("view_competition", "evaluate_competition")
        ],
    )

    status_of = {c.pk: c.status for c in competitions}
    formal_yes = {key: True for key, _label in FORMAL_CRITERIA}
    cards = [
        FormalCard(
            offer=offer,
            answers=formal_yes if offer.status != OfferStatus.FORMAL_FAILED else {**formal_yes, "signed": False},
            passed=offer.status != OfferStatus.FORMAL_FAILED,
            reason="" if offer.status != OfferStatus.FORMAL_FAILED else "Brak podpisu.",
            evaluated_by=clerk,
            evaluated_at=now,
        )
        for offer in offers
        if status_of[offer.competition_id] in evaluated
    ]
    _bulk(FormalCard, cards)
    members_of: dict[int, list] = {}
    for member in members:
        members_of.setdefault(competition_of[member.committee_id], []).append(member)
    full_marks = {key: maximum for _s, key, _l, maximum in MERIT_CRITERIA}
    merit = [
        MeritCard(offer=offer, member=member, points=full_marks, total=100, submitted_at=now)
        for offer in offers
        if status_of[offer.competition_id] in decided and offer.score is not None
        for member in members_of.get(offer.competition_id, [])
    ]
    _bulk(MeritCard, merit)
    return [c.pk for c in competitions]


def _big_competition_id(world) -> int:
    from grants.models import Competition

    ids = getattr(world, "competition_ids", None) or _existing()
    if ids:
        return ids[0]
    return Competition.objects.order_by("pk").values_list("pk", flat=True).first()


def pages(world):
    """(label, persona login, url); persona "" is an anonymous visitor (the public pages)."""
    big = _big_competition_id(world)
    yield "konkursy ofert: lista", "dnk_pracownik", reverse("grants:list")
    yield "konkursy ofert: lista", "dyrektor", reverse("grants:list")
    if big:
        yield "konkursy ofert: oferty dużego konkursu", "dnk_pracownik", reverse("grants:offers", args=[big])
        yield "konkursy ofert: oferty dużego konkursu", "dyrektor", reverse("grants:offers", args=[big])
    yield "konkursy ofert: strona publiczna (bez logowania)", "", reverse("grants:public_list")
