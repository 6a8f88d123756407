"""The bulk load checks the rows' version key itself, then leaves the transaction as it was."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from datasets import storage
from datasets.models import DatasetRow, DatasetVersion

from .test_push import push, record
from .typed import typed_world

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's"),
]


@pytest.fixture
def world():
    return typed_world()


def setting() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('plan_cache_mode')")
        return cursor.fetchone()[0]


def test_a_row_of_a_missing_version_is_refused_by_the_load_itself(world):
    push(world, [record(1)], "replace", "first")
    missing = DatasetVersion.objects.order_by("-pk").values_list("pk", flat=True)[0] + 1000
    before = DatasetRow.objects.count()
    with pytest.raises(IntegrityError), transaction.atomic():
        storage.rows_load(version_id=missing, rows=[("k1", "340102", ["a"])])
    assert DatasetRow.objects.count() == before


def test_the_plan_setting_and_the_deferred_key_are_put_back(world):
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL plan_cache_mode = force_custom_plan")
        push(world, [record(1), record(2)], "replace", "loaded")
        assert setting() == "force_custom_plan"
        version = DatasetVersion.objects.get(status="active")
        assert DatasetRow.objects.filter(version=version).count() == 2
        # The key is deferred again: a row of a missing version waits for the commit's check.
        missing = version.pk + 1000
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO datasets_datasetrow (version_id, key, region, data)"
                    " VALUES (%s, 'x', '340102', '[]')",
                    [missing],
                )
            with pytest.raises(IntegrityError), connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            transaction.set_rollback(True)


def test_the_rows_table_is_analysed_after_a_hundredth_of_it_changes():
    # A new version is unknown to the statistics until the table is analysed (migration 0005).
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'datasets_datasetrow'")
        options = set(cursor.fetchone()[0] or [])
    assert {"autovacuum_analyze_scale_factor=0.01", "autovacuum_analyze_threshold=10000"} <= options
