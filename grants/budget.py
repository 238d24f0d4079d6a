"""G4: the budget rules of an offer, one named function each, each with its own Polish message and figures.

All arithmetic is Decimal. Comparisons are exact (``grant * 100 <= limit * total``), so a share of exactly
the limit passes and a grosz above it fails; the rounded percentage appears only in the message. The limits are
the institution's configuration (``GrantsConfig.limits``); each message names the configured figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal

from django.utils.translation import gettext as _

# the submodule, not the package: grants.models.offers imports this module while the package is loading
from .models.criteria import CostCategory, CostNature, EmploymentForm

CENT = Decimal("0.01")


def money(value) -> Decimal:
    return Decimal(value or 0).quantize(CENT, rounding=ROUND_HALF_UP)


def fmt_money(value) -> str:
    """Polish notation: 63 000,00 zł."""
    text = f"{money(value):,.2f}".replace(",", " ").replace(".", ",")
    return f"{text} zł"


def fmt_percent(value: Decimal, limit: Decimal | None = None) -> str:
    """One decimal place; a share beyond the limit that would round to the limit itself is shown rounded
    away from it (90.00002% -> "90,01%"), so the message never shows the permitted figure as the offence."""
    shown = value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if limit is not None and shown == limit and value != limit:
        shown = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if shown == limit:
            shown = value.quantize(Decimal("0.01"), rounding=ROUND_UP if value > limit else ROUND_DOWN)
    return f"{shown}".replace(".", ",") + "%"


def share(part: Decimal, whole: Decimal) -> Decimal:
    return (Decimal(part) * 100 / Decimal(whole)) if whole else Decimal(0)


def volunteer_value(hours, rate) -> Decimal:
    """Wkład osobowy: hours x rate, rounded to grosze (half up)."""
    return money(Decimal(hours or 0) * Decimal(rate or 0))


def fmt_number(value) -> str:
    """A configured figure in Polish notation, without trailing zeros: 90 -> "90", 12.5 -> "12,5"."""
    text = f"{Decimal(value).normalize():f}"
    return text.replace(".", ",")


@dataclass(frozen=True)
class BudgetLimits:
    """G4's limits; the defaults are seed 003's, an institution's own come from ``GrantsConfig.limits``."""

    grant_max_percent: Decimal = Decimal("90")  # 003 §2.6
    own_min_percent: Decimal = Decimal("10")  # 003 §2.7
    admin_max_percent: Decimal = Decimal("15")  # 003 §2.11
    volunteer_max_rate: Decimal = Decimal("25.00")  # 003 §2.9 lit. d

    fmt = staticmethod(fmt_number)

    def as_text(self) -> dict[str, str]:
        """The figures for messages and templates (JSON-serialisable, e.g. for a PDF's stored context)."""
        return {
            "grant_max_percent": fmt_number(self.grant_max_percent),
            "own_min_percent": fmt_number(self.own_min_percent),
            "admin_max_percent": fmt_number(self.admin_max_percent),
            "volunteer_max_rate": fmt_money(self.volunteer_max_rate),
        }


DEFAULT_LIMITS = BudgetLimits()


@dataclass
class LineData:
    category: str
    name: str = ""
    amount: Decimal = Decimal(0)
    from_grant: Decimal = Decimal(0)
    nature: str = CostNature.ELIGIBLE
    persons: int | None = None
    hours: Decimal | None = None
    hourly_rate: Decimal | None = None
    employment_form: str = ""
    fte: str = ""


@dataclass
class BudgetData:
    requested_grant: Decimal
    own_financial: Decimal = Decimal(0)
    volunteer_hours: Decimal = Decimal(0)
    volunteer_rate: Decimal = Decimal(0)
    volunteer_qualified: bool = False
    lines: list[LineData] = field(default_factory=list)

    @property
    def own_personal(self) -> Decimal:
        return volunteer_value(self.volunteer_hours, self.volunteer_rate)

    @property
    def own_contribution(self) -> Decimal:
        return money(self.own_financial) + self.own_personal

    @property
    def total(self) -> Decimal:
        return money(self.requested_grant) + self.own_contribution

    @property
    def admin_from_grant(self) -> Decimal:
        return sum(
            (money(line.from_grant) for line in self.lines if line.category == CostCategory.ADMINISTRATIVE), Decimal(0)
        )

    @classmethod
    def from_offer(cls, offer) -> BudgetData:
        return cls(
            requested_grant=offer.requested_grant,
            own_financial=offer.own_financial,
            volunteer_hours=offer.volunteer_hours,
            volunteer_rate=offer.volunteer_rate,
            volunteer_qualified=offer.volunteer_qualified,
            lines=[
                LineData(
                    category=line.category,
                    name=line.name,
                    amount=line.amount,
                    from_grant=line.from_grant,
                    nature=line.nature,
                    persons=line.persons,
                    hours=line.hours,
                    hourly_rate=line.hourly_rate,
                    employment_form=line.employment_form,
                    fte=line.fte,
                )
                for line in offer.cost_lines.all()
            ],
        )


@dataclass
class BudgetProblem:
    field: str  # the form field it belongs next to ("lines" for the cost estimate as a whole)
    rule: str
    message: str
    line: int | None = None  # index of the cost line, if it is about one


# --- the rules ------------------------------------------------------------------------------------


def check_total_positive(total: Decimal) -> str | None:
    if total <= 0:
        return _("Koszt całkowity zadania musi być większy od zera (jest %(total)s).") % {"total": fmt_money(total)}
    return None


def check_grant_at_most_90_percent(
    grant: Decimal, total: Decimal, limit: Decimal = DEFAULT_LIMITS.grant_max_percent
) -> str | None:
    """003 §2.6: the grant is at most 90% (the configured limit) of the total cost."""
    if total > 0 and Decimal(grant) * 100 > Decimal(limit) * total:
        return _(
            "Dotacja stanowi %(share)s kosztów całkowitych; dopuszczalne %(limit)s%% (003 §2.6). "
            "Dotacja %(grant)s, koszt całkowity %(total)s."
        ) % {
            "share": fmt_percent(share(grant, total), Decimal(limit)),
            "limit": fmt_number(limit),
            "grant": fmt_money(grant),
            "total": fmt_money(total),
        }
    return None


def check_own_contribution_at_least_10_percent(
    own: Decimal, total: Decimal, limit: Decimal = DEFAULT_LIMITS.own_min_percent
) -> str | None:
    """003 §2.7: own contribution is at least 10% (the configured limit) of the total cost."""
    if total > 0 and Decimal(own) * 100 < Decimal(limit) * total:
        return _(
            "Wkład własny stanowi %(share)s kosztów całkowitych; wymagane co najmniej %(limit)s%% (003 §2.7). "
            "Wkład własny %(own)s, koszt całkowity %(total)s."
        ) % {
            "share": fmt_percent(share(own, total), Decimal(limit)),
            "limit": fmt_number(limit),
            "own": fmt_money(own),
            "total": fmt_money(total),
        }
    return None


def check_own_contribution_not_above_grant(own: Decimal, grant: Decimal) -> str | None:
    """003 §2.8: own contribution may not be higher than the requested grant."""
    if Decimal(own) > Decimal(grant):
        return _(
            "Wkład własny %(own)s jest wyższy od wnioskowanej dotacji %(grant)s; nie może być wyższy (003 §2.8)."
        ) % {"own": fmt_money(own), "grant": fmt_money(grant)}
    return None


def check_administrative_costs_at_most_15_percent(
    admin_from_grant: Decimal, grant: Decimal, limit: Decimal = DEFAULT_LIMITS.admin_max_percent
) -> str | None:
    """003 §2.11: administrative costs financed from the grant are at most 15% (the configured limit) of it."""
    if Decimal(admin_from_grant) * 100 > Decimal(limit) * Decimal(grant):
        return _(
            "Koszty administracyjne z dotacji stanowią %(share)s dotacji; dopuszczalne %(limit)s%% "
            "(003 §2.11). Koszty administracyjne %(admin)s, dotacja %(grant)s."
        ) % {
            "share": fmt_percent(share(admin_from_grant, grant), Decimal(limit)),
            "limit": fmt_number(limit),
            "admin": fmt_money(admin_from_grant),
            "grant": fmt_money(grant),
        }
    return None


def check_volunteer_rate(
    rate: Decimal, qualified: bool, limit: Decimal = DEFAULT_LIMITS.volunteer_max_rate
) -> str | None:
    """003 §2.9 lit. d-e: volunteer work at most 25 zł/h (the configured rate) unless the volunteer has the staff's
    qualifications."""
    if not qualified and Decimal(rate) > Decimal(limit):
        return _(
            "Stawka pracy wolontariusza %(rate)s/godz. przekracza %(limit)s/godz.; wyższa stawka tylko dla "
            "wolontariuszy z kwalifikacjami stałego personelu (003 §2.9)."
        ) % {"rate": fmt_money(rate), "limit": fmt_money(limit)}
    return None


def check_personnel_line(line: LineData) -> dict[str, str]:
    """003 §2.14: a personnel cost line states persons, hours, hourly rate and form of employment
    (for an employment contract also the part of the full-time post)."""
    if line.category != CostCategory.PERSONNEL:
        return {}
    problems = {}
    if not line.persons:
        problems["persons"] = _("Koszty osobowe: podaj liczbę zatrudnionych osób (003 §2.14).")
    if not line.hours:
        problems["hours"] = _("Koszty osobowe: podaj liczbę godzin (003 §2.14).")
    if not line.hourly_rate:
        problems["hourly_rate"] = _("Koszty osobowe: podaj stawkę godzinową (003 §2.14).")
    if not line.employment_form:
        problems["employment_form"] = _("Koszty osobowe: podaj formę zatrudnienia (003 §2.14).")
    elif line.employment_form == EmploymentForm.EMPLOYMENT and not (line.fte or "").strip():
        problems["fte"] = _("Przy umowie o pracę podaj, na jaką część etatu zatrudniona jest osoba (003 §2.14).")
    return problems


def check_eligible_category(line: LineData) -> str | None:
    """003 §2.15: categories the grant may not be used for."""
    if line.nature and line.nature != CostNature.ELIGIBLE and Decimal(line.from_grant or 0) > 0:
        return _(
            "Pozycja „%(name)s” (%(nature)s) nie może być finansowana z dotacji (003 §2.15); "
            "z dotacji wpisano %(amount)s."
        ) % {"name": line.name, "nature": CostNature(line.nature).label, "amount": fmt_money(line.from_grant)}
    return None


def check_line_split(line: LineData) -> str | None:
    if Decimal(line.from_grant or 0) > Decimal(line.amount or 0):
        return _("Z dotacji (%(grant)s) nie może pochodzić więcej niż koszt pozycji (%(amount)s).") % {
            "grant": fmt_money(line.from_grant),
            "amount": fmt_money(line.amount),
        }
    return None


def check_lines_match_grant(lines: list[LineData], grant: Decimal) -> str | None:
    from_grant = sum((money(line.from_grant) for line in lines), Decimal(0))
    if lines and from_grant != money(grant):
        return _(
            "Suma kosztów z dotacji w kosztorysie (%(lines)s) nie jest równa wnioskowanej dotacji (%(grant)s)."
        ) % {"lines": fmt_money(from_grant), "grant": fmt_money(grant)}
    return None


def check_lines_match_total(lines: list[LineData], total: Decimal) -> str | None:
    amount = sum((money(line.amount) for line in lines), Decimal(0))
    if lines and amount != money(total):
        return _(
            "Suma pozycji kosztorysu (%(lines)s) nie jest równa kosztowi całkowitemu: dotacja + wkład własny "
            "(%(total)s)."
        ) % {"lines": fmt_money(amount), "total": fmt_money(total)}
    return None


def budget_problems(data: BudgetData, limits: BudgetLimits = DEFAULT_LIMITS) -> list[BudgetProblem]:
    """Every G4 rule on one offer's budget, with the institution's ``limits``; empty list when it is in order."""
    problems: list[BudgetProblem] = []
    grant, own, total = money(data.requested_grant), data.own_contribution, data.total

    def add(field_name, rule, message, line=None):
        if message:
            problems.append(BudgetProblem(field_name, rule, message, line))

    add("requested_grant", "G4", check_total_positive(total))
    add("requested_grant", "G4 (003 §2.6)", check_grant_at_most_90_percent(grant, total, limits.grant_max_percent))
    add(
        "own_financial", "G4 (003 §2.7)", check_own_contribution_at_least_10_percent(own, total, limits.own_min_percent)
    )
    add("own_financial", "G4 (003 §2.8)", check_own_contribution_not_above_grant(own, grant))
    add(
        "volunteer_rate",
        "G4 (003 §2.9)",
        check_volunteer_rate(money(data.volunteer_rate), data.volunteer_qualified, limits.volunteer_max_rate),
    )
    add(
        "lines",
        "G4 (003 §2.11)",
        check_administrative_costs_at_most_15_percent(data.admin_from_grant, grant, limits.admin_max_percent),
    )
    for index, line in enumerate(data.lines):
        for field_name, message in check_personnel_line(line).items():
            add(field_name, "G4 (003 §2.14)", message, index)
        add("nature", "G4 (003 §2.15)", check_eligible_category(line), index)
        add("from_grant", "G4", check_line_split(line), index)
    add("lines", "G4", check_lines_match_grant(data.lines, grant))
    add("lines", "G4", check_lines_match_total(data.lines, total))
    return problems


def budget_messages(data: BudgetData, limits: BudgetLimits = DEFAULT_LIMITS) -> list[str]:
    return [problem.message for problem in budget_problems(data, limits)]


# G2/G5 (003 §4.8, §5.1.3): the budget rules on the formal card (annex 3). An offer breaking them is registered,
# with a warning naming the figures, and rejected on the formal card, not turned away at registration.
FORMAL_CARD_RULES = frozenset({"G4 (003 §2.6)", "G4 (003 §2.7)"})
