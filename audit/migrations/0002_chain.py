"""Make the audit trail a hash chain: sequence, level, prev_hash and hash; purge checkpoints."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from audit.chain import compute_hash

FIELDS = (
    "created_at",
    "actor_id",
    "actor_username",
    "department_id",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "level",
    "result",
    "client_address",
    "details",
)


def chain_existing(apps, schema_editor):
    """Chain the events written before the chain existed, in the order they were written."""
    AuditEvent = apps.get_model("audit", "AuditEvent")
    prev_hash = ""
    for sequence, event in enumerate(AuditEvent.objects.order_by("id").iterator(), start=1):
        values = {name: getattr(event, name) for name in FIELDS}
        values.update(sequence=sequence, prev_hash=prev_hash)
        digest = compute_hash(values)
        AuditEvent.objects.filter(pk=event.pk).update(
            sequence=sequence, prev_hash=prev_hash, hash=digest
        )
        prev_hash = digest


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("audit", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="auditevent",
            options={
                "ordering": ["-sequence"],
                "verbose_name": "audit event",
                "verbose_name_plural": "audit events",
            },
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="created_at",
            field=models.DateTimeField(
                db_index=True, default=django.utils.timezone.now, verbose_name="time"
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="user",
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="department",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.department",
                verbose_name="department",
            ),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="sequence",
            field=models.PositiveBigIntegerField(editable=False, null=True, verbose_name="sequence"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="level",
            field=models.PositiveSmallIntegerField(default=1, verbose_name="level"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(
                blank=True, default="", editable=False, max_length=64, verbose_name="previous hash"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="hash"),
            preserve_default=False,
        ),
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="auditevent",
            name="sequence",
            field=models.PositiveBigIntegerField(
                editable=False, unique=True, verbose_name="sequence"
            ),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["actor_username", "created_at"], name="audit_actor_time"),
        ),
        migrations.CreateModel(
            name="AuditCheckpoint",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="time"),
                ),
                (
                    "sequence",
                    models.PositiveBigIntegerField(
                        unique=True, verbose_name="last purged sequence"
                    ),
                ),
                ("hash", models.CharField(max_length=64, verbose_name="last purged hash")),
                ("purged_count", models.PositiveBigIntegerField(verbose_name="events purged")),
                ("cutoff", models.DateTimeField(verbose_name="purged events older than")),
            ],
            options={
                "verbose_name": "audit checkpoint",
                "verbose_name_plural": "audit checkpoints",
                "ordering": ["-sequence"],
            },
        ),
    ]
