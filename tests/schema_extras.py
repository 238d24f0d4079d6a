"""The test database is built from the models, not by replaying the migrations (pytest-django's
``--no-migrations``, set in pyproject.toml): replaying some 60 migrations of 180 models, most of them related to
``User`` through simple-history, made Django re-render the migration state about 20 000 times, 60-110 s for each
xdist worker before its first test. The tables, columns, constraints and indexes come out the same (the models
are what the migrations describe; ``make lint`` runs ``makemigrations --check``), and the migrations themselves
are applied to a real PostgreSQL database by ``make smoke`` (the operator's ``migrate``) and ``make
bench-smoke``.

What the models do not describe is made by the migrations' own code, run here: the append-only triggers, the
``pg_trgm`` and ``unaccent`` extensions with the IMMUTABLE ``mopr_unaccent`` and the registers' trigram indexes.
Every other data operation of a migration changes rows that an empty database does not have. Each migration
(the project's and the libraries') with a ``RunPython``, ``RunSQL`` or extension operation is named in exactly
one of the two lists below; ``tests/core/test_schema_extras.py`` fails for a new one that is in neither, so it
cannot be forgotten."""

from __future__ import annotations

import importlib

from django.apps import apps as global_apps
from django.contrib.postgres.operations import CreateExtension
from django.db import connection, migrations

# Migrations whose special operations create database objects: run on the model-built test database.
SCHEMA = [
    ("mopr", "0004_append_only_triggers"),
    ("mopr", "0007_search_functions"),
    ("complaints", "0008_search_index"),
    ("bluecard", "0008_search_index"),
    ("grants", "0011_offeror_search_index"),
    ("units", "0009_registers"),
]

# Migrations whose special operations only rewrite existing rows (nothing to do on an empty database).
DATA_ONLY = [
    ("bluecard", "0003_meeting_status_resolution_year_constraints"),
    ("bluecard", "0005_team_notification_content"),
    ("complaints", "0006_english_choice_values_data"),
    ("grants", "0003_offer_procedure"),
    ("grants", "0008_competition_attachment_list"),
    ("mopr", "0003_append_only"),
    ("units", "0003_append_only"),
    ("units", "0004_chart_admin_without_account_permissions"),
    ("units", "0008_institution_register_keeper"),
    ("units", "0009_staff"),
    # the libraries' (an upgrade that adds one makes the test fail until it is read and named here)
    ("auth", "0011_update_proxy_permissions"),
    ("contenttypes", "0002_remove_content_type_name"),
    ("axes", "0007_alter_accessattempt_unique_together"),
]

SPECIAL = (migrations.RunPython, migrations.RunSQL, CreateExtension)


def special_operations(app_label: str, name: str) -> list:
    module = importlib.import_module(f"{global_apps.get_app_config(app_label).module.__name__}.migrations.{name}")
    return [operation for operation in module.Migration.operations if isinstance(operation, SPECIAL)]


def installed() -> bool:
    """Whether the objects are there already (a database kept with ``--reuse-db``, or built by ``--migrations``)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regproc('mopr_append_only') IS NOT NULL")
        return cursor.fetchone()[0]


def install() -> None:
    """Run the SCHEMA migrations' special operations on the test database, in the migrations' order, in one
    transaction (all or nothing). PostgreSQL only: on SQLite they do nothing anyway."""
    if connection.vendor != "postgresql" or installed():
        return
    with connection.schema_editor(atomic=True) as schema_editor:
        for app_label, name in SCHEMA:
            for operation in special_operations(app_label, name):
                if isinstance(operation, migrations.RunPython):
                    operation.code(global_apps, schema_editor)
                else:  # RunSQL and CreateExtension read no model state
                    operation.database_forwards(app_label, schema_editor, None, None)
