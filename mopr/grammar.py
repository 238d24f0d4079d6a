"""Titles that agree with the person ("Przewodnicząca" for a woman).

Staff records hold no grammatical gender, and the product must not ask for one it does not need; Polish first
names tell it reliably: feminine names end in "-a", with a handful of masculine exceptions (Kuba, Barnaba...).
A title with a feminine form is shown in that form for a person whose first name is feminine.
"""

MASCULINE_IN_A = frozenset({"kuba", "barnaba", "bonawentura", "jarema", "kosma", "dyzma", "sasza", "ezdrasz"})


def is_feminine(user) -> bool:
    first = (getattr(user, "first_name", "") or "").strip().split(" ")[0].lower()
    return first.endswith("a") and first not in MASCULINE_IN_A


def title_for(user, masculine: str, feminine: str | None) -> str:
    """The title in the form that agrees with ``user`` (the masculine one where no feminine form is given)."""
    return str(feminine) if feminine and is_feminine(user) else str(masculine)
