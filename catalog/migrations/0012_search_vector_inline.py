"""Keep each resource's search vector in its row and its search document out of it (PostgreSQL).

A resource row with both the document and the vector passes PostgreSQL's 2 kB TOAST threshold,
so the vector was compressed and often moved to the TOAST table: every match recheck and every
``ts_rank`` then fetched and decompressed it (about 10 µs a row, the largest part of a search's
time at city scale). The document is never read by PostgreSQL searches (SQLite matches on it),
so it goes out of line first (EXTERNAL) and the vector stays in the row (MAIN). Existing rows
are rewritten once so the new storage applies to them (about 15 s per 100,000 resources).
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE catalog_resource ALTER COLUMN search_vector SET STORAGE MAIN,"
        " ALTER COLUMN search_document SET STORAGE EXTERNAL"
    )
    # A concatenation makes new values, which the new storage rules then place.
    schema_editor.execute(
        "UPDATE catalog_resource SET search_vector = search_vector || ''::tsvector,"
        " search_document = search_document || '' WHERE search_vector IS NOT NULL"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE catalog_resource ALTER COLUMN search_vector SET STORAGE EXTENDED,"
        " ALTER COLUMN search_document SET STORAGE EXTENDED"
    )


class Migration(migrations.Migration):
    dependencies = [("catalog", "0011_code_lists")]

    operations = [migrations.RunPython(forwards, backwards)]
