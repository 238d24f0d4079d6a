"""Append-only records enforced by PostgreSQL itself: the access log, the security log, sent e-mails and the
approval steps that were acted on (initials, signatures, countersignatures) can be neither changed nor
deleted, whoever writes (a bulk update, the shell, a superuser). The one change allowed is ON DELETE SET NULL
of a person's reference (their login stays as text). A maintenance job that purges rows past their retention
period sets ``SET LOCAL mopr.maintenance = 'on'`` in its transaction. SQLite (the demo) relies on the models.
"""

from django.db import migrations

FUNCTION = r"""
CREATE OR REPLACE FUNCTION mopr_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    col text;
    i integer;
    old_row jsonb;
    new_row jsonb;
BEGIN
    IF coalesce(current_setting('mopr.maintenance', true), '') = 'on' THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'mopr: rows of % cannot be deleted (append-only)', TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    old_row := to_jsonb(OLD);
    new_row := to_jsonb(NEW);
    FOR i IN 0 .. TG_NARGS - 1 LOOP
        col := TG_ARGV[i];
        IF new_row -> col = 'null'::jsonb THEN
            old_row := old_row - col;
            new_row := new_row - col;
        END IF;
    END LOOP;
    IF old_row IS DISTINCT FROM new_row THEN
        RAISE EXCEPTION 'mopr: rows of % cannot be changed (append-only)', TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$;
"""

TRIGGERS = [
    # (table, condition on OLD, columns a deleted person's reference may be cleared in)
    ("mopr_accesslog", "", ["user_id"]),
    ("mopr_securityevent", "", ["user_id"]),
    ("mopr_outboxemail", "WHEN (OLD.status = 'sent')", ["user_id"]),
    ("units_approvalstep", "WHEN (OLD.status IN ('approved', 'refused'))", []),
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    for table, condition, nullable in TRIGGERS:
        args = ", ".join(f"'{c}'" for c in nullable)
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW {condition} EXECUTE FUNCTION mopr_append_only({args})")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, _condition, _nullable in TRIGGERS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS mopr_append_only()")


class Migration(migrations.Migration):
    dependencies = [
        ("mopr", "0003_append_only"),
        ("units", "0003_append_only"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
