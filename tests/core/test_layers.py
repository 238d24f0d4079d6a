"""mopr's two layers (issue 13): the core modules that units and the domains build on import no app; the
site shell (mopr/site, the management commands, urls and settings) may. And no domain imports another."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ("units", "complaints", "bluecard", "grants")
SHELL = {"settings.py", "urls.py", "celery.py", "wsgi.py"}


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


CORE = sorted(p for p in (ROOT / "mopr").glob("*.py") if p.name not in SHELL)


@pytest.mark.parametrize("path", CORE, ids=lambda p: p.name)
def test_core_module_imports_no_app(path):
    assert not _imports(path) & set(APPS), f"mopr/{path.name} is core: move what needs an app to mopr/site"


@pytest.mark.parametrize("app", APPS[1:])
def test_no_domain_imports_another(app):
    others = set(APPS[1:]) - {app}
    for path in (ROOT / app).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        assert not _imports(path) & others, f"{path.relative_to(ROOT)} imports another domain"


def test_units_imports_no_domain():
    for path in (ROOT / "units").rglob("*.py"):
        if "migrations" not in path.parts:
            assert not _imports(path) & set(APPS[1:]), path


def test_benchmark_lives_in_bench_not_in_the_apps():
    assert not [p for app in APPS for p in (ROOT / app).glob("benchmark.py")]
    assert (ROOT / "bench" / "core.py").exists()
