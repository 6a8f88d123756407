"""Grants carry their resource's provider (filled here from the resources)."""

import django.db.models.deletion
from django.db import migrations, models


def fill_providers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        sql = (
            "UPDATE sharing_grant AS g SET provider_id = r.provider_id"
            " FROM catalog_resource AS r WHERE r.id = g.resource_id"
        )
    else:
        sql = (
            "UPDATE sharing_grant SET provider_id = (SELECT provider_id FROM catalog_resource"
            " WHERE catalog_resource.id = sharing_grant.resource_id)"
        )
    schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_user_department_order"),
        ("catalog", "0015_list_count_indexes"),
        ("sharing", "0015_provider_recent_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="grant",
            name="provider",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.department",
                verbose_name="provider",
            ),
        ),
        migrations.RunPython(fill_providers, migrations.RunPython.noop, elidable=True),
    ]
