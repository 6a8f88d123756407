"""Constraints of information system filing, and the trigger that keeps an assigned code.

Separate from 0009 so that they run in a transaction of their own: on PostgreSQL, 0009's
UPDATE leaves deferred foreign-key checks pending, and CREATE INDEX refuses to run beside them.

A trigger refuses any change of an assigned code, on SQLite and PostgreSQL alike. (SQLite drops
a table's triggers when a later migration rebuilds the table; tests/catalog/test_system_filing.py
checks that the guard is still there.)
"""

from django.db import migrations, models

SQLITE_GUARD = """
CREATE TRIGGER catalog_system_code_immutable
BEFORE UPDATE OF code ON catalog_informationsystem
FOR EACH ROW WHEN OLD.code IS NOT NULL AND (NEW.code IS NULL OR NEW.code <> OLD.code)
BEGIN SELECT RAISE(ABORT, 'information system code is immutable'); END;
"""

POSTGRES_GUARD = """
CREATE OR REPLACE FUNCTION catalog_system_code_guard() RETURNS trigger AS $$
BEGIN
    IF OLD.code IS NOT NULL AND NEW.code IS DISTINCT FROM OLD.code THEN
        RAISE EXCEPTION 'information system code is immutable';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS catalog_system_code_immutable ON catalog_informationsystem;
CREATE TRIGGER catalog_system_code_immutable BEFORE UPDATE ON catalog_informationsystem
    FOR EACH ROW EXECUTE FUNCTION catalog_system_code_guard();
"""

DROP = {
    "sqlite": "DROP TRIGGER IF EXISTS catalog_system_code_immutable;",
    "postgresql": (
        "DROP TRIGGER IF EXISTS catalog_system_code_immutable ON catalog_informationsystem;"
        " DROP FUNCTION IF EXISTS catalog_system_code_guard();"
    ),
}


def _run(schema_editor, sql):
    # A plain cursor: the schema editor would read a '%' as a query parameter.
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(sql)


def code_guard_create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_GUARD)
    elif vendor == "postgresql":
        _run(schema_editor, POSTGRES_GUARD)


def code_guard_drop(apps, schema_editor):
    sql = DROP.get(schema_editor.connection.vendor)
    if sql:
        _run(schema_editor, sql)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0009_existing_systems_approved"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="informationsystem",
            constraint=models.UniqueConstraint(
                condition=models.Q(("legacy_code", ""), _negated=True),
                fields=("legacy_code",),
                name="system_legacy_code_unique",
            ),
        ),
        migrations.AddConstraint(
            model_name="informationsystem",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("code__isnull", True), ("code__regex", "^[0-9]{17}[0-9X]$"), _connector="OR"
                ),
                name="system_code_format",
            ),
        ),
        migrations.AddConstraint(
            model_name="informationsystem",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("code__isnull", True), ("status__in", ["draft", "filed", "returned"])
                    ),
                    models.Q(
                        ("status__in", ["approved", "retired"]),
                        models.Q(
                            ("code__isnull", False),
                            models.Q(("legacy_code", ""), _negated=True),
                            _connector="OR",
                        ),
                    ),
                    _connector="OR",
                ),
                name="system_code_iff_approved",
            ),
        ),
        migrations.AddConstraint(
            model_name="systemcodecounter",
            constraint=models.UniqueConstraint(
                fields=("region_code", "year"), name="system_counter_unique"
            ),
        ),
        migrations.RunPython(code_guard_create, code_guard_drop),
    ]
