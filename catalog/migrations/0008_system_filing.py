"""Filing (备案) of information systems: the flow, the assigned code and the yearly confirmation.

Existing systems were registered before filing existed: their typed registration code becomes
their ``legacy_code``; those in service become approved (their legacy code stands in for an
assigned one, they get no new code) and count as last confirmed when they were registered, so
the yearly re-confirmation lists those registered more than a year ago; their funding stage is
operation and maintenance (运维), as they are in service. Retired ones stay retired.

A trigger refuses any change of an assigned code, on SQLite and PostgreSQL alike. (SQLite drops
a table's triggers when a later migration rebuilds the table; tests/catalog/test_system_filing.py
checks that the guard is still there.)
"""

import django.db.models.deletion
from django.conf import settings
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


def existing_systems_approved(apps, schema_editor):
    InformationSystem = apps.get_model("catalog", "InformationSystem")
    systems = InformationSystem.objects.filter(status__in=["active", "retired"])
    systems.update(funding_stage="operation", confirmed_at=models.F("created_at"))
    InformationSystem.objects.filter(status="active").update(status="approved")


def existing_systems_active(apps, schema_editor):
    InformationSystem = apps.get_model("catalog", "InformationSystem")
    InformationSystem.objects.exclude(status="retired").update(status="active")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_department_filing_number"),
        ("catalog", "0007_catalog_import_lease"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="SystemCodeCounter",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("region_code", models.CharField(max_length=6)),
                ("year", models.PositiveSmallIntegerField()),
                ("last", models.PositiveIntegerField(default=0)),
            ],
        ),
        migrations.RenameField(
            model_name="informationsystem",
            old_name="registration_code",
            new_name="legacy_code",
        ),
        migrations.AlterField(
            model_name="informationsystem",
            name="legacy_code",
            field=models.CharField(
                blank=True, max_length=40, verbose_name="legacy registration code"
            ),
        ),
        migrations.AddField(
            model_name="informationsystem",
            name="code",
            field=models.CharField(
                blank=True,
                editable=False,
                max_length=18,
                null=True,
                unique=True,
                verbose_name="system code",
            ),
        ),
        migrations.AddField(
            model_name="informationsystem",
            name="confirmed_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="last confirmed"
            ),
        ),
        migrations.AddField(
            model_name="informationsystem",
            name="decided_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="decided"
            ),
        ),
        migrations.AddField(
            model_name="informationsystem",
            name="decided_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="decided by",
            ),
        ),
        migrations.AddField(
            model_name="informationsystem",
            name="filed_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="filed"),
        ),
        migrations.AddField(
            model_name="informationsystem",
            name="filed_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="filed by",
            ),
        ),
        migrations.AddField(
            model_name="informationsystem",
            name="funding_stage",
            field=models.CharField(
                choices=[
                    ("initiation", "Project approval (立项)"),
                    ("construction", "Construction (建设)"),
                    ("operation", "Operation and maintenance (运维)"),
                ],
                default="initiation",
                max_length=12,
                verbose_name="funding stage",
            ),
        ),
        migrations.AddField(
            model_name="informationsystem",
            name="project_name",
            field=models.CharField(blank=True, max_length=100, verbose_name="project name"),
        ),
        migrations.AddField(
            model_name="informationsystem",
            name="return_reason",
            field=models.TextField(blank=True, editable=False, verbose_name="reason for return"),
        ),
        migrations.AlterField(
            model_name="informationsystem",
            name="status",
            field=models.CharField(
                choices=[
                    ("draft", "Draft"),
                    ("filed", "Filed, awaiting approval"),
                    ("returned", "Returned for correction"),
                    ("approved", "Approved, in service"),
                    ("retired", "Retired"),
                ],
                default="draft",
                max_length=10,
                verbose_name="status",
            ),
        ),
        migrations.RunPython(existing_systems_approved, existing_systems_active),
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
