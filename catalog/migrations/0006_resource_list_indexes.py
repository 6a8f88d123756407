"""Indexes for the catalog's lists at city scale (docs/performance.md).

- resource_visibility: the visibility filter's columns with the facets' columns included
  (INCLUDE is PostgreSQL only; elsewhere a plain index), so counts and facet counts read the
  index alone.
- resource_published_order (PostgreSQL only): the default order, newest first with drafts last.
  SQLite cannot declare NULLS LAST in an index.
"""

from django.db import migrations, models

ORDER_INDEX = "resource_published_order"


def _order_index_create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'CREATE INDEX "{ORDER_INDEX}" ON "catalog_resource"'
            ' ("published_at" DESC NULLS LAST, "id" DESC)'
        )


def _order_index_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{ORDER_INDEX}"')


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0005_merge_datasets"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="resource",
            index=models.Index(
                fields=["level", "status", "provider"],
                include=("category", "share_type", "format_class", "update_cycle", "open_type"),
                name="resource_visibility",
            ),
        ),
        migrations.RunPython(_order_index_create, _order_index_drop),
    ]
