"""bench_seed refuses to mix with real data, and a re-run replaces its own earlier seed."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Department
from bench.seed import BENCH_MARK, seed
from catalog.models import Resource

from .. import builders


def test_refuses_a_database_with_other_data(db):
    real = builders.department("市公安局")
    with pytest.raises(CommandError, match="not from bench_seed"):
        call_command("bench_seed", "--scale", "0.001")
    assert list(Department.objects.all()) == [real]


def test_force_adds_beside_other_data(db):
    real = builders.department("市公安局")
    builders.resource(real, level=1)
    seed(scale=0.001, force=True)
    assert Department.objects.filter(pk=real.pk).exists()
    assert Department.objects.filter(name_en__startswith=BENCH_MARK).count() == 10
    assert Resource.objects.filter(provider=real).count() == 1
    # The id sequences were moved past the explicit keys: ordinary inserts still work.
    later = builders.resource(builders.department("后来新建的部门"), level=1)
    assert later.pk > max(Resource.objects.exclude(pk=later.pk).values_list("pk", flat=True))


def test_a_second_run_replaces_the_first_and_is_deterministic(db):
    seed(scale=0.001, random_seed=5)
    first = list(Resource.objects.order_by("pk").values_list("name", "code", "level", "status"))
    seed(scale=0.001, random_seed=5)
    second = list(Resource.objects.order_by("pk").values_list("name", "code", "level", "status"))
    assert Resource.objects.count() == 200
    assert first == second
