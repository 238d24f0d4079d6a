"""The test database is built from the models (tests/schema_extras.py): what only the migrations make is added
from the migrations' own code, and no migration's special operation can be left out unnoticed."""

import importlib
import pkgutil

import pytest
from django.apps import apps
from django.db import connection

from tests import schema_extras


def _migrations_with_special_operations():
    found = []
    for config in apps.get_app_configs():  # the libraries' too: an upgrade may add one
        try:
            package = importlib.import_module(f"{config.module.__name__}.migrations")
        except ModuleNotFoundError:
            continue
        for module in pkgutil.iter_modules(package.__path__):
            if module.name[0].isdigit() and schema_extras.special_operations(config.label, module.name):
                found.append((config.label, module.name))
    return found


def test_every_migration_with_code_or_sql_is_classified_as_schema_or_data_only():
    """A new RunPython/RunSQL/extension must be named in SCHEMA (it makes database objects the test database
    needs) or DATA_ONLY (it rewrites rows): otherwise the tests would silently run without it."""
    found = _migrations_with_special_operations()
    assert len(found) >= 16
    unclassified = [m for m in found if m not in schema_extras.SCHEMA and m not in schema_extras.DATA_ONLY]
    assert not unclassified, f"name these in tests/schema_extras.py SCHEMA or DATA_ONLY: {unclassified}"
    assert not set(schema_extras.SCHEMA) & set(schema_extras.DATA_ONLY)
    stale = [m for m in schema_extras.SCHEMA + schema_extras.DATA_ONLY if m not in found]
    assert not stale, f"no such migration with special operations: {stale}"


@pytest.mark.django_db
def test_the_test_database_has_the_migrations_triggers_extensions_and_trigram_indexes():
    assert connection.vendor == "postgresql", "the suite runs on PostgreSQL (make test)"
    with connection.cursor() as cursor:
        cursor.execute("SELECT extname FROM pg_extension WHERE extname IN ('pg_trgm', 'unaccent') ORDER BY 1")
        assert [row[0] for row in cursor.fetchall()] == ["pg_trgm", "unaccent"]
        cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE '%%_append_only' ORDER BY 1")
        assert [row[0] for row in cursor.fetchall()] == [
            "mopr_accesslog_append_only",
            "mopr_outboxemail_append_only",
            "mopr_securityevent_append_only",
            "units_approvalstep_append_only",
        ]
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE '%%_search_trgm' ORDER BY 1")
        assert [row[0] for row in cursor.fetchall()] == [
            "bluecard_search_trgm",
            "complaint_search_trgm",
            "offeror_search_trgm",
            "register_entry_search_trgm",
        ]
        cursor.execute("SELECT mopr_unaccent('Zażółć')")
        assert cursor.fetchone()[0] == "Zazolc"
