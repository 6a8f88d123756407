"""The city-scale data generator behind ``manage.py bench_seed``.

At scale 1: 500 departments, 20,000 users, 100,000 resources with 1,000,000 data items,
200,000 grants (with their guardian rows), 100,000 share requests in every state and 500,000
audit events. Deterministic: one seeded ``random.Random`` drives every choice, so two runs with
the same seed and scale give the same rows (timestamps are relative to the day of the run, so
grants stay in force and open requests stay recent).

Speed: rows are generated as tuples with explicit ids and written with COPY on PostgreSQL
(``bench.bulk``). Hashing is done once: every bench user shares one password hash.

The data respects the invariants the services enforce one row at a time: valid USCCs and
region codes, resource codes ``<category>/<sequence>`` unique per category and only on
published or retired resources, item level <= resource level <= provider clearance, personal
items only at L3+, grants only on published conditional / not-shared resources for another
department whose clearance covers the level, one active grant per (resource, department), one
guardian group permission row per active grant; share requests to one provider for resources
of one kind within the requester's clearance, with the times, deadlines and reasons each state
requires.

Adding a table is one more step in ``bench.steps.STEPS``.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from django.contrib.auth.models import Group
from django.db import connection, models, transaction
from django.utils import timezone

from accountability.models import FiguresRun
from accounts.models import Department, RoleAssignment, User
from audit.models import AuditEvent
from audit.services import record
from catalog.models import Category, DataItem, InformationSystem, Resource
from catalog.models import ResourceGroupObjectPermission as GroupPermission
from sharing.models import Grant, RequestLine, ShareRequest

from .bulk import BulkWriter
from .steps import STEPS, dataset_profile
from .world import (
    BENCH_MARK,
    BENCH_USERNAME_PREFIX,
    SEED_ACTION,
    Plan,
    SeedRefused,
    World,
)

__all__ = ["BENCH_MARK", "SEED_ACTION", "STEPS", "Plan", "SeedRefused", "World", "seed"]

# --- guards ---------------------------------------------------------------------------------


def foreign_data() -> list[str]:
    """Return what the database holds that the generator did not make (empty: safe to seed)."""
    found = []
    departments = Department.objects.exclude(name_en__startswith=BENCH_MARK)
    if departments.exists():
        found.append(f"{departments.count()} departments")
    users = User.objects.exclude(username__startswith=BENCH_USERNAME_PREFIX)
    if users.exists():
        found.append(f"{users.count()} users")
    resources = Resource.objects.exclude(provider__name_en__startswith=BENCH_MARK)
    if resources.exists():
        found.append(f"{resources.count()} resources")
    return found


def bench_data_present() -> bool:
    """Return whether an earlier bench seed left rows behind."""
    return Department.objects.filter(name_en__startswith=BENCH_MARK).exists()


def bench_data_wipe() -> None:
    """Remove an earlier bench seed from a database that holds nothing else."""
    tables_first: list[type[models.Model]] = [
        FiguresRun,
        RequestLine.items.through,
        RequestLine,
        Grant.items.through,
        GroupPermission,
        Grant,
        ShareRequest,
        AuditEvent,
        DataItem,
        Resource.related.through,
        Resource,
        InformationSystem,
        RoleAssignment,
        User.groups.through,
        User.user_permissions.through,
        User,
        Department,
    ]
    if connection.vendor == "postgresql":
        # CASCADE also empties tables that later features hang off these (requests, datasets):
        # the guard established that the database holds bench data only.
        names = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in tables_first)
        with connection.cursor() as cursor:
            # The trigger of audit/0002 refuses TRUNCATE of the audit trail but with the owner's
            # own switch, set for this statement's session only.
            cursor.execute(
                "SELECT coalesce(current_setting('audit.truncate', true), ''),"
                " set_config('audit.truncate', 'on', false)"
            )
            before = cursor.fetchone()[0]
            # Rows written earlier in the same transaction with deferred foreign-key checks
            # (the stored evaluation figures) leave trigger events TRUNCATE refuses to skip:
            # run them first.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            try:
                cursor.execute(f"TRUNCATE {names} CASCADE")
            finally:
                cursor.execute("SELECT set_config('audit.truncate', %s, false)", [before])
    else:
        for model in tables_first:
            if model is AuditEvent:
                # The ORM refuses to delete audit events; this database holds bench data only
                # (the guard checked), so the bench's own trail goes with a plain DELETE.
                with connection.cursor() as cursor:
                    cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
                continue
            model._default_manager.all().delete()
    Group.objects.filter(name__startswith="department:").delete()
    # The migration seeds 类 and the 项 of 基础/主题; the bench adds 部门 项 and every 目.
    Category.objects.filter(depth__gte=3).delete()
    Category.objects.filter(depth=2, code__startswith="3").delete()
    Category.objects.filter(depth=2).update(last_sequence=0)
    # TRUNCATE … CASCADE reaches the calendar through the user who made a year official; the
    # migration's years come back, so deadlines keep counting from the official calendar.
    from workcalendar.models import CalendarDay, CalendarYear
    from workcalendar.seeding import seed_from_package

    seed_from_package(CalendarYear, CalendarDay)


def seed(
    *,
    scale: float,
    random_seed: int = 2026,
    force: bool = False,
    log: Callable[[str], None] = lambda message: None,
) -> dict[str, int]:
    """Fill the database with the bench world at ``scale``; return the row counts written.

    Refuses (``SeedRefused``) when the database holds data the generator did not make, unless
    ``force``; an earlier bench seed in an otherwise empty database is wiped first.
    """
    if scale <= 0:
        raise SeedRefused("the scale must be positive")
    foreign = foreign_data()
    if foreign and not force:
        raise SeedRefused(
            "the database already holds data that is not from bench_seed ("
            + ", ".join(foreign)
            + "); use an empty database, or --force to add the bench data beside it"
        )
    if bench_data_present():
        if foreign:
            raise SeedRefused("the database mixes bench and other data; recreate it")
        log("wiping the previous bench seed")
        bench_data_wipe()
    plan = Plan.for_scale(scale)
    world = World(
        plan=plan,
        rng=random.Random(random_seed),
        writer=BulkWriter(),
        now=timezone.now().replace(microsecond=0),
    )
    with transaction.atomic():
        if world.writer.postgres:
            with connection.cursor() as cursor:
                # Check foreign keys row by row instead of queueing millions of deferred checks.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        for name, step in STEPS:
            began = time.monotonic()
            world.counts[name] = step(world)
            log(f"{name}: {world.counts[name]} rows in {time.monotonic() - began:.1f} s")
        world.writer.sequences_reset()
        began = time.monotonic()
        dataset_profile(world)
        log(f"dataset profile: {time.monotonic() - began:.1f} s")
        record(
            actor=None,
            action=SEED_ACTION,
            details={"scale": scale, "seed": random_seed, "counts": world.counts},
        )
        if world.writer.postgres:
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    began = time.monotonic()
    world.writer.analyze()
    log(f"analyze: {time.monotonic() - began:.1f} s")
    began = time.monotonic()
    stored = evaluation_figures()
    log(f"evaluation figures: {len(stored)} runs in {time.monotonic() - began:.1f} s")
    began = time.monotonic()
    reports = duplicate_reports()
    log(f"duplicate reports: {len(reports)} in {time.monotonic() - began:.1f} s")
    return world.counts


def evaluation_figures() -> list[str]:
    """Store the current periods' evaluation figures at the coordinators' clearances.

    What the nightly ``figures_refresh`` does in production: the evaluation pages read them.
    """
    from accountability.services import figures_refresh_due

    return figures_refresh_due(levels=_coordinator_levels())


def duplicate_reports() -> list[str]:
    """Store the duplicate-collection reports at the coordinators' clearances (as nightly)."""
    from accountability.services import duplicates_refresh_due

    return duplicates_refresh_due(levels=_coordinator_levels())


def _coordinator_levels() -> list[int]:
    from accounts.models import Role, User

    return sorted(
        set(
            User.objects.filter(role_assignments__role=Role.COORDINATOR).values_list(
                "clearance", flat=True
            )
        )
    )
