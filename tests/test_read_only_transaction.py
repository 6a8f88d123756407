"""kernel.db.read_only_transaction: reads go through, writes are refused, the caller goes on."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, transaction

from accounts.models import Department
from kernel.db import read_only_transaction

from . import builders

pytestmark = pytest.mark.django_db


def test_reads_pass_writes_are_refused_and_the_connection_writes_again_after():
    dept = builders.department("只读测试局")
    with read_only_transaction():
        assert Department.objects.filter(pk=dept.pk).exists()
        with pytest.raises(DatabaseError), transaction.atomic():
            Department.objects.filter(pk=dept.pk).update(name="改名")
    assert Department.objects.get(pk=dept.pk).name == "只读测试局"
    Department.objects.filter(pk=dept.pk).update(name="改名")
    assert Department.objects.get(pk=dept.pk).name == "改名"


def test_an_error_inside_leaves_the_connection_writable():
    dept = builders.department("只读测试局")
    with pytest.raises(ValueError), read_only_transaction():
        raise ValueError("stop")
    Department.objects.filter(pk=dept.pk).update(name="改名")
    assert Department.objects.get(pk=dept.pk).name == "改名"
