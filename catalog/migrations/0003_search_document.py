"""Full-text search: the resources' search document and, on PostgreSQL, its indexed tsvector.

catalog/search.py explains the document; docs/decisions.md why a stored jieba/bigram tsvector.
"""

import django.contrib.postgres.search
from django.db import migrations, models

INDEX_NAME = "resource_search_gin"


def backfill(apps, schema_editor):
    from catalog.search import document_build

    Resource = apps.get_model("catalog", "Resource")
    for resource in Resource.objects.select_related("provider").iterator():
        provider = resource.provider
        resource.search_document = document_build(
            name=resource.name,
            code=resource.code,
            summary=resource.summary,
            provider_name=provider.name,
            provider_short_name=provider.short_name,
            provider_uscc=provider.uscc,
            item_names=resource.items.filter(level__lte=resource.level).values_list(
                "name", flat=True
            ),
        )
        resource.save(update_fields=["search_document"])
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "UPDATE catalog_resource "
            "SET search_vector = to_tsvector('simple'::regconfig, search_document)"
        )


def _index():
    from django.contrib.postgres.indexes import GinIndex

    return GinIndex(fields=["search_vector"], name=INDEX_NAME)


def create_index(apps, schema_editor):
    # PostgreSQL only: SQLite searches the text document with LIKE (no index type fits it).
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.add_index(apps.get_model("catalog", "Resource"), _index())


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.remove_index(apps.get_model("catalog", "Resource"), _index())


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_national_category_tree")]

    operations = [
        migrations.AddField(
            model_name="resource",
            name="search_document",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="resource",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
    ]
