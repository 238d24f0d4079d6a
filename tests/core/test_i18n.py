"""Polish done right (issue 15): plural forms come from the Polish message catalogue (locale/pl, compiled by
`make install` with msgfmt), never from hand-written endings; amounts and dates in the Polish form."""

import ast
from datetime import date, datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template, engines
from django.templatetags.i18n import BlockTranslateNode
from django.utils import translation
from django.utils.translation import trans_real

ROOT = Path(settings.BASE_DIR)
PO = ROOT / "locale" / "pl" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
SOURCE_PACKAGES = ("mopr", "units", "complaints", "bluecard", "grants")
NGETTEXT = {"ngettext", "ngettext_lazy", "npgettext", "npgettext_lazy"}

OPEN_DEADLINES = (
    "{% load i18n %}{% blocktranslate count n=n %}Masz {{ n }} otwarty termin.{% plural %}"
    "Masz {{ n }} otwartych terminów.{% endblocktranslate %}"
)


def _catalog():
    assert MO.exists() and MO.stat().st_mtime >= PO.stat().st_mtime, (
        f"{MO.relative_to(ROOT)} is missing or older than the .po: `make install` compiles it (msgfmt)"
    )
    trans_real._translations = {}  # a catalogue compiled after the first load
    return trans_real.translation("pl")._catalog


def _template_plurals():
    """(context, singular, plural, where) of every {% blocktranslate count %} in the project's templates."""
    engine = engines["django"].engine
    dirs = [Path(d) for d in engine.dirs] + [ROOT / app / "templates" for app in SOURCE_PACKAGES]
    found = []
    for directory in dirs:
        for path in sorted(directory.rglob("*")):
            if path.suffix not in (".html", ".txt") or not path.is_file():
                continue
            template = engine.from_string(path.read_text())
            for node in template.nodelist.get_nodes_by_type(BlockTranslateNode):
                if node.counter is None:
                    continue
                singular, _ = node.render_token_list(node.singular)
                plural, _ = node.render_token_list(node.plural)
                context = node.message_context.var if node.message_context else None
                found.append((context, singular, plural, path.relative_to(ROOT)))
    return found


def _python_plurals():
    found = []
    for package in SOURCE_PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for call in ast.walk(ast.parse(path.read_text())):
                if not isinstance(call, ast.Call):
                    continue
                name = getattr(call.func, "id", None) or getattr(call.func, "attr", None)
                if name not in NGETTEXT:
                    continue
                args = [a.value if isinstance(a, ast.Constant) else None for a in call.args]
                context = args.pop(0) if name.startswith("np") else None
                found.append((context, args[0], args[1], path.relative_to(ROOT)))
    return found


def test_polish_catalogue_declares_three_plural_forms():
    text = PO.read_text()
    assert "Language: pl\\n" in text
    assert "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<12 || n%100>14) ? 1 : 2);" in text
    assert '#, fuzzy\nmsgid ""' not in text  # a fuzzy header is dropped by msgfmt, and the plural forms with it


@pytest.mark.parametrize(
    "n, expected",
    [
        (1, "Masz 1 otwarty termin."),
        (2, "Masz 2 otwarte terminy."),
        (5, "Masz 5 otwartych terminów."),
        (12, "Masz 12 otwartych terminów."),
        (22, "Masz 22 otwarte terminy."),
        (25, "Masz 25 otwartych terminów."),
    ],
)
def test_plural_forms_follow_polish_grammar_termin_terminy_terminow(n, expected):
    _catalog()
    with translation.override("pl"):
        assert Template(OPEN_DEADLINES).render(Context({"n": n})) == expected


def test_overdue_deadlines_agree_in_number():
    _catalog()
    source = (
        "{% load i18n %}{% blocktranslate count n=n %}{{ n }} termin jest przekroczony.{% plural %}"
        "{{ n }} terminy są przekroczone.{% endblocktranslate %}"
    )
    with translation.override("pl"):
        rendered = [Template(source).render(Context({"n": n})) for n in (1, 3, 5, 24)]
    assert rendered == [
        "1 termin jest przekroczony.",
        "3 terminy są przekroczone.",
        "5 terminów jest przekroczonych.",
        "24 terminy są przekroczone.",
    ]


def test_every_plural_in_templates_and_code_has_all_three_polish_forms():
    catalog = _catalog()
    plurals = _template_plurals() + _python_plurals()
    assert len(plurals) >= 8  # the scan finds the known ones (home, outbox, complaint register, login...)
    missing = []
    for context, singular, plural, where in plurals:
        assert singular and plural, f"{where}: ngettext with non-literal messages cannot be translated"
        key = f"{context}\x04{singular}" if context else singular
        forms = [catalog.get((key, index)) for index in range(3)]
        if not all(forms):
            missing.append(f"{where}: {singular!r}")
    assert not missing, "plural forms missing in locale/pl (run `make messages` and fill them):\n" + "\n".join(missing)


@pytest.mark.parametrize(
    "value, shown",
    [
        (46000, "46\u00a0000,00\u00a0zł"),
        ("1234567.5", "1\u00a0234\u00a0567,50\u00a0zł"),
        (0, "0,00\u00a0zł"),
        (999, "999,00\u00a0zł"),
        (None, "—"),
    ],
)
def test_amounts_shown_as_polish_zloty_with_grouping_and_two_decimals(value, shown):
    assert Template("{% load polish %}{{ v|zl }}").render(Context({"v": value})) == shown


def test_access_log_actions_and_flags_shown_in_polish():
    source = "{% load polish %}{{ a|access_action }}|{{ b|access_action }}|{{ t|tak_nie }}|{{ f|tak_nie }}"
    with translation.override("pl"):
        rendered = Template(source).render(Context({"a": "view", "b": "view_identity", "t": True, "f": False}))
    assert rendered == "odczyt|odczyt z danymi tożsamości|tak|nie"


def test_dates_shown_as_dd_mm_rrrr_without_an_explicit_format():
    with translation.override("pl"):
        rendered = Template("{{ d }}|{{ d|date }}|{{ t }}").render(
            Context({"d": date(2026, 3, 7), "t": datetime(2026, 3, 7, 9, 5)})
        )
    assert rendered == "07.03.2026|07.03.2026|07.03.2026 09:05"
