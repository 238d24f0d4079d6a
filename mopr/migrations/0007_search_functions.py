"""pg_trgm and unaccent, and the IMMUTABLE ``mopr_unaccent`` that search indexes are built on (mopr.search)."""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION mopr_unaccent(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;
"""
DROP = "DROP FUNCTION IF EXISTS mopr_unaccent(text);"


def create_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("mopr", "0006_otp_enrolled_event")]

    operations = [
        TrigramExtension(),
        UnaccentExtension(),
        migrations.RunPython(create_function, drop_function),
    ]
