"""Filing (备案) of information systems: the flow, the assigned code and the yearly confirmation.

Existing systems were registered before filing existed: their typed registration code becomes
their ``legacy_code``; those in service become approved (their legacy code stands in for an
assigned one, they get no new code) and count as last confirmed when they were registered, so
the yearly re-confirmation lists those registered more than a year ago; their funding stage is
operation and maintenance (运维), as they are in service. Retired ones stay retired.

The schema only: existing systems are moved on by 0009 and the constraints and the trigger
that guards the code come in 0010, each in a transaction of its own. On PostgreSQL an UPDATE of
the table leaves deferred foreign-key checks pending, and no index can be created in the
transaction that holds them (this migration's indexes are created at its end).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


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
    ]
