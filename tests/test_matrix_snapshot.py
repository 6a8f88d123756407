"""The access matrix put back from its recording is the matrix the services build.

tests/matrix_snapshot.py records the rows the first build of a process writes and inserts them
again in later modules; these tests hold the copy to the build, table by table.
"""

from __future__ import annotations

import pytest
from django.db import transaction

from audit.verify import chain_verify
from tests import matrix_snapshot


def _everything() -> dict[str, dict[object, tuple[object, ...]]]:
    return {table.name: matrix_snapshot._rows(table)[1] for table in matrix_snapshot._tables()}


@pytest.fixture
def fresh_recording(monkeypatch):
    """Start with no recording, whatever this process recorded before."""
    monkeypatch.setattr(matrix_snapshot, "_recording", None)
    monkeypatch.setattr(matrix_snapshot, "_recordable", True)


@pytest.mark.django_db
def test_put_back_rows_are_the_rows_the_build_wrote(fresh_recording, monkeypatch):
    before = _everything()
    savepoint = transaction.savepoint()
    built = matrix_snapshot.matrix_rows()
    after_build = _everything()
    transaction.savepoint_rollback(savepoint)
    assert _everything() == before

    def no_build():
        raise AssertionError("the recording should have been used")

    monkeypatch.setattr(matrix_snapshot, "build_matrix", no_build)
    put_back = matrix_snapshot.matrix_rows()

    assert _everything() == after_build
    assert after_build != before
    assert {k: u.pk for k, u in put_back.users.items()} == {k: u.pk for k, u in built.users.items()}
    assert {k: r.code for k, r in put_back.resources.items()} == {
        k: r.code for k, r in built.resources.items()
    }
    # The audit trail's chain holds over the events put back (on PostgreSQL, hashed by the
    # database when they were first appended).
    report = chain_verify()
    assert report.ok, report


@pytest.mark.django_db
def test_a_different_database_state_means_a_new_build(fresh_recording, monkeypatch):
    from tests import builders

    savepoint = transaction.savepoint()
    matrix_snapshot.matrix_rows()
    transaction.savepoint_rollback(savepoint)
    builds = []
    build = matrix_snapshot.build_matrix
    monkeypatch.setattr(matrix_snapshot, "build_matrix", lambda: builds.append(1) or build())

    builders.department("矩阵之外的部门")  # a row the recording did not start from
    matrix_snapshot.matrix_rows()

    assert builds == [1]
