"""Existing information systems, registered before filing existed, become approved.

Their typed registration code is now their ``legacy_code`` (0008); those in service become
approved (the legacy code stands in for an assigned one: they get no new code) and count as last
confirmed when they were registered; their funding stage is operation and maintenance (运维).
Retired ones stay retired. A migration of its own: see 0008.
"""

from django.db import migrations, models


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
        ("catalog", "0008_system_filing"),
    ]

    operations = [
        migrations.RunPython(existing_systems_approved, existing_systems_active),
    ]
