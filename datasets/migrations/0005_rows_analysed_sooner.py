"""Analyse the rows table after a hundredth of it changes, not a tenth (PostgreSQL).

A new version's rows are unknown to the table's statistics until it is analysed; plans made
for its values then take it for a handful of rows. Autovacuum analyses a table after
``autovacuum_analyze_threshold + autovacuum_analyze_scale_factor * rows`` changes (50 and
10 % by default): with ten million rows kept, a million-row version did not reach it.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE datasets_datasetrow SET"
        " (autovacuum_analyze_scale_factor = 0.01, autovacuum_analyze_threshold = 10000)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE datasets_datasetrow RESET"
        " (autovacuum_analyze_scale_factor, autovacuum_analyze_threshold)"
    )


class Migration(migrations.Migration):
    dependencies = [("datasets", "0004_version_quality")]

    operations = [migrations.RunPython(forwards, backwards)]
