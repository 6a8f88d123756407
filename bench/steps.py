"""The generator's steps, one per table group, in dependency order (``STEPS``).

Each step reads what earlier steps left in the ``World`` and returns how many rows it wrote.
"""

from __future__ import annotations

import itertools
from bisect import bisect
from collections.abc import Callable, Iterator
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.models import F

from accounts.identifiers import government_uscc
from accounts.models import Department, Role, RoleAssignment, User
from audit.actions import DATA_READ_ACTIONS
from audit.chain import compute_hash
from audit.models import AuditEvent
from catalog.models import Category, DataItem, InformationSystem, Resource
from catalog.models import ResourceGroupObjectPermission as GroupPermission
from sharing.models import Grant, RequestLine, RequestStatus, ShareRequest

from . import vocabulary as vocab
from .world import (
    BASE_COUNTS,
    BENCH_MARK,
    BENCH_PASSWORD,
    BENCH_USERNAME_PREFIX,
    USCC_SEQUENCE_BASE,
    SeedRefused,
    World,
    days,
    weighted,
    zipf_cumulative,
)

# --- steps ----------------------------------------------------------------------------------


def seed_departments(w: World) -> int:
    """Departments of the city and its districts, each with its permission group."""
    rng, n = w.rng, w.plan.departments
    group_start, dept_start = w.writer.next_id(Group), w.writer.next_id(Department)
    taken = set(Department.objects.values_list("name", flat=True))
    groups, depts = [], []
    per_round = len(vocab.REGIONS) * len(vocab.BUREAUS)
    for i in range(n):
        bureau = i % len(vocab.BUREAUS)
        region_code, prefix, admin_level = vocab.REGIONS[(i // len(vocab.BUREAUS)) % 10]
        full, short = vocab.BUREAUS[bureau]
        name = f"{prefix}{full}"
        if i >= per_round:
            name += f"（{i // per_round + 1}）"
        while name in taken:
            name += "·基准"
        taken.add(name)
        uscc = government_uscc(region_code, USCC_SEQUENCE_BASE + i)
        clearance = 4 if i == 0 else weighted(rng, [(2, 25), (3, 45), (4, 30)], 1)[0]
        if admin_level == "district":
            clearance = min(clearance, 3)
        group_id, dept_id = group_start + i, dept_start + i
        groups.append((group_id, f"department:{uscc}"))
        created = w.now - days(rng, 400, 1500)
        depts.append(
            (
                dept_id,
                name,
                (prefix if prefix != "市" else "") + short,
                f"{BENCH_MARK} {i}",
                uscc,
                region_code,
                admin_level,
                clearance,
                group_id,
                created,
            )
        )
        w.dept_ids.append(dept_id)
        w.dept_group_ids.append(group_id)
        w.dept_clearance.append(clearance)
        w.dept_region.append(region_code)
        w.dept_short.append(short)
    w.writer.insert(Group, ["id", "name"], groups)
    fields = [
        "id",
        "name",
        "short_name",
        "name_en",
        "uscc",
        "region_code",
        "admin_level",
        "clearance",
        "group_id",
        "created_at",
    ]
    return w.writer.insert(Department, fields, depts)


def seed_users(w: World) -> int:
    """Users in every department (one shared password hash) and their roles."""
    rng, plan = w.rng, w.plan
    password = make_password(BENCH_PASSWORD)
    # Every department gets an editor, an approver and an administrator; the data bureau also
    # the coordinators and the three administrators (三员); the rest is spread at random.
    dept_of = [d for d in range(plan.departments) for _ in range(3)] + [0] * 5
    extra = plan.users - len(dept_of)
    if extra < 0:
        raise SeedRefused(f"scale too small: {plan.users} users for {plan.departments} departments")
    cumulative = zipf_cumulative(plan.departments, 20)
    dept_of += rng.choices(range(plan.departments), cum_weights=cumulative, k=extra)
    user_start = w.writer.next_id(User)
    role_start = w.writer.next_id(RoleAssignment)
    seen: dict[int, int] = {}
    users: list[tuple] = []
    roles: list[tuple] = []
    role_id = itertools.count(role_start)
    for i, d in enumerate(dept_of):
        uid = user_start + i
        rank = seen.get(d, 0)
        seen[d] = rank + 1
        username = f"{BENCH_USERNAME_PREFIX}u{i:06d}"
        top = w.dept_clearance[d]
        # Role holders carry their department's top clearance: a coordinator at L2 would not
        # see most of what they review.
        clearance = top if rank < 3 or (d == 0 and rank < 8) else rng.randint(1, top)
        given = rng.choice(vocab.GIVEN) + (rng.choice(vocab.GIVEN) if rng.random() < 0.6 else "")
        joined = w.now - days(rng, 1, 1200)
        users.append(
            (
                uid,
                password,
                username,
                rng.choice(vocab.SURNAMES) + given,
                f"{username}@bench.example",
                True,
                joined,
                w.dept_ids[d],
                clearance,
            )
        )
        w.user_ids.append(uid)
        w.user_dept.append(d)
        w.user_names.append(username)
        held = [Role.STAFF]
        if rank == 0:
            held.append(Role.EDITOR)
            w.editor_of[d] = i
        elif rank == 1:
            held.append(Role.APPROVER)
            w.approver_of[d] = i
        elif rank == 2:
            held.append(Role.DEPARTMENT_ADMIN)
        elif d == 0 and rank in (3, 4):
            held.append(Role.COORDINATOR)
            w.coordinators.append(i)
        elif d == 0 and rank == 5:
            held.append(Role.SYSTEM_ADMIN)
        elif d == 0 and rank == 6:
            held.append(Role.SECURITY_ADMIN)
        elif d == 0 and rank == 7:
            held.append(Role.AUDIT_ADMIN)
        roles.extend((next(role_id), uid, role, joined) for role in held)
    fields = [
        "id",
        "password",
        "username",
        "full_name",
        "email",
        "is_active",
        "date_joined",
        "department_id",
        "clearance",
    ]
    count = w.writer.insert(User, fields, users)
    w.counts["role_assignments"] = w.writer.insert(
        RoleAssignment, ["id", "user_id", "role", "granted_at"], roles
    )
    return count


def seed_systems(w: World) -> int:
    """Two registered information systems per department."""
    start = w.writer.next_id(InformationSystem)
    rows = []
    for d, dept_id in enumerate(w.dept_ids):
        ids = [start + 2 * d, start + 2 * d + 1]
        w.systems_of[d] = ids
        for k, sid in enumerate(ids, start=1):
            registered = w.now - days(w.rng, 300, 1500)
            rows.append(
                (
                    sid,
                    f"BENCH-{w.dept_region[d]}-{dept_id}-{k}",
                    f"{w.dept_short[d]}业务系统{k}",
                    dept_id,
                    "approved",
                    "operation",
                    registered,
                    registered,
                )
            )
    # Registered before filing existed, as the migration treats such systems: approved under a
    # legacy code, last confirmed when registered.
    fields = [
        "id",
        "legacy_code",
        "name",
        "department_id",
        "status",
        "funding_stage",
        "created_at",
        "confirmed_at",
    ]
    return w.writer.insert(InformationSystem, fields, rows)


def seed_categories(w: World) -> int:
    """部门 项 per bureau kind and 目 under every 项 (the national 类/项 come from migrations)."""
    existing = set(Category.objects.values_list("code", flat=True))
    items = list(Category.objects.filter(depth=2).values_list("id", "code", "name"))
    start = w.writer.next_id(Category)
    next_id = itertools.count(start)
    rows = []
    department_class = Category.objects.get(code="3")
    free_codes = (f"3{k:02d}" for k in range(1, 100) if f"3{k:02d}" not in existing)
    for full, _short in vocab.BUREAUS:
        code = next(free_codes, None)
        if code is None:
            break
        cid = next(next_id)
        rows.append((cid, code, full, department_class.pk, 2))
        items.append((cid, code, full))
    for parent_id, parent_code, parent_name in items:
        for k, suffix in enumerate(vocab.CATEGORY_SUFFIXES, start=1):
            code = f"{parent_code}{k:03d}"
            if code in existing:
                continue
            cid = next(next_id)
            rows.append((cid, code, f"{parent_name}{suffix}"[:50], parent_id, 3))
            w.leaf_ids.append(cid)
            w.leaf_codes.append(code)
    return w.writer.insert(Category, ["id", "code", "name", "parent_id", "depth"], rows)


def seed_resources(w: World) -> int:
    """Resources spread over providers (a few large ones), levels, share types and states."""
    rng, plan = w.rng, w.plan
    n = plan.resources
    start = w.writer.next_id(Resource)
    cumulative = zipf_cumulative(plan.departments, 5)
    providers = rng.choices(range(plan.departments), cum_weights=cumulative, k=n)
    levels = weighted(rng, [(1, 40), (2, 30), (3, 20), (4, 10)], n)
    shares = weighted(rng, [("unconditional", 40), ("conditional", 50), ("none", 10)], n)
    states = weighted(rng, [("published", 90), ("draft", 4), ("submitted", 3), ("retired", 3)], n)
    subjects = weighted(rng, vocab.SUBJECTS, n)
    suffixes = weighted(rng, vocab.SUFFIXES, n)
    formats = list(vocab.FORMAT_TYPES.items())
    cycles = ["realtime", "daily", "weekly", "monthly", "quarterly", "yearly", "irregular"]
    methods = ["api", "api", "file", "database", "email"]
    sequence = w.leaf_sequence
    rows = []
    for i in range(n):
        d = providers[i]
        level = min(levels[i], w.dept_clearance[d])
        share, status = shares[i], states[i]
        leaf = rng.randrange(len(w.leaf_ids))
        code = None
        if status in ("published", "retired"):
            sequence[leaf] = sequence.get(leaf, 0) + 1
            code = f"{w.leaf_codes[leaf]}/{sequence[leaf]:06d}"
        name = f"{subjects[i]}{suffixes[i]}"
        created = w.now - days(rng, 30, 1500)
        published = created + days(rng, 1, 20) if code else None
        condition = {
            "unconditional": "无条件",
            "conditional": rng.choice(vocab.SHARE_CONDITIONS),
            "none": rng.choice(vocab.LEGAL_BASES),
        }[share]
        format_class, format_type = rng.choice(formats)
        systems = w.systems_of[d]
        rows.append(
            (
                start + i,
                w.leaf_ids[leaf],
                name,
                code,
                w.dept_ids[d],
                f"{w.dept_short[d]}{name}，按{vocab.REGIONS[0][1]}级目录规范编制，供各部门共享使用。",
                format_class,
                format_type,
                share,
                condition,
                rng.choice(methods),
                "not_open",
                rng.choice(cycles),
                published,
                level,
                status,
                systems[i % 2] if i % 5 else None,
                w.dept_region[d],
                1,
                created,
                published or created,
                published,
            )
        )
        w.res_ids.append(start + i)
        w.res_provider.append(d)
        w.res_level.append(level)
        w.res_status.append(status)
        w.res_share.append(share)
        w.res_label.append(f"{code or ''} {name}".strip())
    fields = [
        "id",
        "category_id",
        "name",
        "code",
        "provider_id",
        "summary",
        "format_class",
        "format_type",
        "share_type",
        "share_condition",
        "share_method",
        "open_type",
        "update_cycle",
        "published_at",
        "level",
        "status",
        "source_system_id",
        "region_code",
        "version",
        "created_at",
        "updated_at",
        "data_updated_at",
    ]
    count = w.writer.insert(Resource, fields, rows)
    updates = [Category(pk=w.leaf_ids[leaf], last_sequence=seq) for leaf, seq in sequence.items()]
    Category.objects.bulk_update(updates, ["last_sequence"], batch_size=1000)
    return count


def seed_items(w: World) -> int:
    """Data items: ten per resource on average, each at or below its resource's level."""
    rng = w.rng
    start = w.writer.next_id(DataItem)
    by_level = {level: [spec for spec in vocab.ITEMS if spec[4] <= level] for level in (1, 2, 3, 4)}
    per = BASE_COUNTS["items_per_resource"]

    def rows() -> Iterator[tuple]:
        next_id = start
        n = len(w.res_ids)
        for i in range(n):
            # Pairs (per - s, per + s) keep the total exactly resources x per.
            if i % 2 == 0:
                spread = rng.randint(0, 7) if i + 1 < n else 0
                count = per - spread
            else:
                count = per + spread
            level = w.res_level[i]
            specs = rng.sample(by_level[level], count)
            w.res_first_item.append(next_id)
            w.res_item_count.append(count)
            for position, (name, data_type, length, kind, low) in enumerate(specs, start=1):
                yield (
                    next_id,
                    w.res_ids[i],
                    position,
                    name,
                    data_type,
                    length,
                    rng.randint(low, level),
                    kind,
                    position == 1,
                )
                next_id += 1

    fields = [
        "id",
        "resource_id",
        "position",
        "name",
        "data_type",
        "length",
        "level",
        "kind",
        "is_key",
    ]
    return w.writer.insert(DataItem, fields, rows())


def seed_grants(w: World) -> int:
    """Grants on conditional and not-shared resources, skewed so a few departments hold many."""
    rng, plan = w.rng, w.plan
    eligible = [
        i
        for i, (status, share) in enumerate(zip(w.res_status, w.res_share, strict=True))
        if status == "published" and share != "unconditional"
    ]
    if not eligible:
        return 0
    order = list(range(plan.departments))
    rng.shuffle(order)  # the biggest consumers are not the biggest providers
    cumulative = zipf_cumulative(plan.departments, 3)
    total = cumulative[-1]
    start = w.writer.next_id(Grant)
    pairs: set[tuple[int, int]] = set()
    grants: list[tuple] = []
    links: list[tuple] = []
    guardian_pairs: list[tuple[int, int]] = []
    link_id = itertools.count(w.writer.next_id(Grant.items.through))
    attempts = 0
    while len(grants) < plan.grants:
        attempts += 1
        if attempts > plan.grants * 50:
            raise SeedRefused("cannot place the grants: too few eligible resources")
        r = eligible[rng.randrange(len(eligible))]
        d = order[bisect(cumulative, rng.random() * total)]
        if d == w.res_provider[r] or w.dept_clearance[d] < w.res_level[r] or (r, d) in pairs:
            continue
        pairs.add((r, d))
        gid = start + len(grants)
        valid_from = w.now - days(rng, 1, 700)
        roll = rng.random()
        revoked_at, revoked_by, reason = None, None, ""
        if roll < 0.72:
            status, valid_until = "active", w.now + days(rng, 30, 730)
        elif roll < 0.75:  # past its end, not yet swept by grants_expire
            status, valid_until = "active", w.now - days(rng, 0, 0) - timedelta(hours=1)
        elif roll < 0.90:
            status, valid_until = "expired", w.now - days(rng, 0, 60) - timedelta(hours=1)
        else:
            status, valid_until = "revoked", w.now + days(rng, 30, 730)
            revoked_at = w.now - days(rng, 0, 30) - timedelta(hours=1)
            revoked_by = w.user_ids[w.approver_of[w.res_provider[r]]]
            reason = "用途已结束"
        valid_from = min(valid_from, valid_until - timedelta(days=1))
        if revoked_at is not None:
            revoked_at = max(revoked_at, valid_from)
        provider_approver = w.user_ids[w.approver_of[w.res_provider[r]]]
        grants.append(
            (
                gid,
                w.res_ids[r],
                w.dept_ids[d],
                w.dept_ids[w.res_provider[r]],
                valid_from,
                valid_until,
                status,
                "业务协同",
                provider_approver,
                valid_from,
                revoked_at,
                revoked_by,
                reason,
            )
        )
        w.grant_ids.append(gid)
        first, count = w.res_first_item[r], w.res_item_count[r]
        for offset in rng.sample(range(count), min(count, rng.randint(1, 5))):
            links.append((next(link_id), gid, first + offset))
        if status == "active":  # grant_create writes the guardian row; expiry removes it
            guardian_pairs.append((w.dept_group_ids[d], w.res_ids[r]))
    fields = [
        "id",
        "resource_id",
        "department_id",
        "provider_id",
        "valid_from",
        "valid_until",
        "status",
        "purpose",
        "granted_by_id",
        "created_at",
        "revoked_at",
        "revoked_by_id",
        "revoke_reason",
    ]
    count = w.writer.insert(Grant, fields, grants)
    w.counts["grant_items"] = w.writer.insert(
        Grant.items.through, ["id", "grant_id", "dataitem_id"], links
    )
    permission = Permission.objects.get(
        codename="read_resource_data", content_type__app_label="catalog"
    )
    guardian_start = w.writer.next_id(GroupPermission)
    guardian = (
        (guardian_start + k, permission.pk, group_id, resource_id)
        for k, (group_id, resource_id) in enumerate(guardian_pairs)
    )
    w.counts["guardian_rows"] = w.writer.insert(
        GroupPermission, ["id", "permission_id", "group_id", "content_object_id"], guardian
    )
    return count


# Share requests by status: (status, weight) for requests to the provider, and for requests of
# not-shared resources, which go to the coordinator (协调). Most are long decided; the open ones
# are recent, a few past their deadline.
_REQUEST_MIX = [
    (RequestStatus.APPROVED, 52),
    (RequestStatus.REJECTED, 7),
    (RequestStatus.SUBMITTED, 10),
    (RequestStatus.SIGNOFF, 3),
    (RequestStatus.CHANGES_REQUESTED, 4),
    (RequestStatus.WITHDRAWN, 6),
    (RequestStatus.NEGOTIATION, 1),  # rejected, then escalated
    (RequestStatus.REFUSED, 1),  # rejected, escalated, refused
]
_COORDINATION_MIX = [
    (RequestStatus.NEGOTIATION, 3),
    (RequestStatus.APPROVED, 3),
    (RequestStatus.REFUSED, 3),
    (RequestStatus.SIGNOFF, 1),
]
_OPEN = {RequestStatus.SUBMITTED, RequestStatus.SIGNOFF, RequestStatus.CHANGES_REQUESTED}
# The statutory 10 working days, as calendar days: the seed does not consult the calendar.
_REPLY_DAYS = timedelta(days=14)


def seed_share_requests(w: World) -> int:
    """Share requests with their lines and items, in every state of the workflow.

    Like the service, a request asks one provider for resources of one kind (shared on
    conditions, or not shared and so sent to the coordinator), each line within the requesting
    department's clearance; the requester is the department's editor, the decision its
    provider's approver (or a coordinator after coordination).
    """
    rng, plan = w.rng, w.plan
    pools: dict[tuple[int, bool], list[int]] = {}
    for r, (status, share) in enumerate(zip(w.res_status, w.res_share, strict=True)):
        if status == "published" and share != "unconditional":
            pools.setdefault((w.res_provider[r], share == "none"), []).append(r)
    eligible = [r for pool in pools.values() for r in pool]
    if not eligible:
        return 0
    order = list(range(plan.departments))
    rng.shuffle(order)
    cumulative = zipf_cumulative(plan.departments, 5)
    total = cumulative[-1]
    start = w.writer.next_id(ShareRequest)
    line_id = itertools.count(w.writer.next_id(RequestLine))
    item_id = itertools.count(w.writer.next_id(RequestLine.items.through))
    requests: list[tuple] = []
    lines: list[tuple] = []
    items: list[tuple] = []
    attempts = 0
    while len(requests) < plan.share_requests:
        attempts += 1
        if attempts > plan.share_requests * 50:
            raise SeedRefused("cannot place the share requests: too few eligible resources")
        d = order[bisect(cumulative, rng.random() * total)]
        first = eligible[rng.randrange(len(eligible))]
        provider, clearance = w.res_provider[first], w.dept_clearance[d]
        if provider == d or w.res_level[first] > clearance:
            continue
        not_shared = w.res_share[first] == "none"
        pool = pools[(provider, not_shared)]
        chosen = [first]
        for _ in range(rng.choice((0, 0, 0, 1, 1, 2))):  # most requests name one resource
            other = pool[rng.randrange(len(pool))]
            if other not in chosen and w.res_level[other] <= clearance:
                chosen.append(other)
        rid = start + len(requests)
        status = weighted(rng, _COORDINATION_MIX if not_shared else _REQUEST_MIX, 1)[0]
        if status in _OPEN:
            created = w.now - days(rng, 0, 25) - timedelta(hours=1)
        else:
            created = w.now - days(rng, 15, 700)
        submitted = created + timedelta(minutes=rng.randint(5, 600))
        due = None if not_shared else (submitted + _REPLY_DAYS).date()
        decided_at = decided_by = None
        reason = changes = escalation = ""
        if status in (RequestStatus.APPROVED, RequestStatus.REJECTED, RequestStatus.REFUSED):
            decided_at = min(submitted + days(rng, 0, 18), w.now - timedelta(minutes=1))
            by_coordinator = not_shared or status == RequestStatus.REFUSED
            decided_by = w.user_ids[
                rng.choice(w.coordinators) if by_coordinator else w.approver_of[provider]
            ]
            if status != RequestStatus.APPROVED:
                reason = "不符合共享条件"
        if status == RequestStatus.SIGNOFF:
            due = None
        elif status == RequestStatus.CHANGES_REQUESTED:
            changes = "请补充使用依据"
        if not_shared or status in (RequestStatus.NEGOTIATION, RequestStatus.REFUSED):
            escalation = "业务确需，申请协调"
        valid_from = created.date()
        requests.append(
            (
                rid,
                w.dept_ids[d],
                w.user_ids[w.editor_of[d]],
                w.dept_ids[provider],
                status,
                not_shared,
                "依据《政务信息资源共享管理暂行办法》",
                "collaboration",
                "业务协同办理",
                valid_from,
                valid_from + timedelta(days=365),
                created,
                submitted,
                due,
                decided_at,
                decided_by,
                reason,
                changes,
                escalation,
            )
        )
        for r in chosen:
            lid = next(line_id)
            lines.append((lid, rid, w.res_ids[r]))
            first_item, count = w.res_first_item[r], w.res_item_count[r]
            for offset in rng.sample(range(count), min(count, rng.randint(1, 5))):
                items.append((next(item_id), lid, first_item + offset))
    fields = [
        "id",
        "requester_department_id",
        "requested_by_id",
        "provider_id",
        "status",
        "to_coordinator",
        "legal_basis",
        "purpose",
        "scenario",
        "valid_from",
        "valid_until",
        "created_at",
        "submitted_at",
        "due_date",
        "decided_at",
        "decided_by_id",
        "decision_reason",
        "changes_comment",
        "escalation_reason",
    ]
    count = w.writer.insert(ShareRequest, fields, requests)
    w.counts["request_lines"] = w.writer.insert(
        RequestLine, ["id", "request_id", "resource_id"], lines
    )
    w.counts["request_line_items"] = w.writer.insert(
        RequestLine.items.through, ["id", "requestline_id", "dataitem_id"], items
    )
    return count


def seed_audit_events(w: World) -> int:
    """Audit events over the last 180 days, oldest first."""
    rng, n = w.rng, w.plan.audit_events
    start = w.writer.next_id(AuditEvent)
    span = timedelta(days=180).total_seconds()
    begin = w.now - timedelta(days=180)
    actions = weighted(rng, [((a, k), wt) for a, k, wt in vocab.AUDIT_ACTIONS], n)
    details = w.writer.json({"channel": "web"})
    object_types = {
        "resource": "catalog.resource",
        "grant": "sharing.grant",
        "user": "accounts.user",
        "none": "",
    }

    # The events form one valid hash chain (audit.chain), continuing any chain already there,
    # so ``manage.py audit_verify`` accepts the seeded trail.
    last = AuditEvent.objects.order_by("-sequence").values_list("sequence", "hash").first()
    sequence0, prev_hash = last if last else (0, "")
    plain_details = {"channel": "web"}

    def rows() -> Iterator[tuple]:
        nonlocal prev_hash
        for i in range(n):
            action, kind = actions[i]
            u = rng.randrange(len(w.user_ids))
            level = 1
            event_details = plain_details
            if kind == "resource":
                r = rng.randrange(len(w.res_ids))
                object_id, label = str(w.res_ids[r]), w.res_label[r]
                level = w.res_level[r]
                if action in DATA_READ_ACTIONS:
                    # What the providers' "who read our data" page finds a department's reads by.
                    event_details = {
                        "channel": "web",
                        "provider": w.dept_ids[w.res_provider[r]],
                        "items": [],
                        "rows": rng.randint(1, 200),
                        "grant": None,
                    }
            elif kind == "grant" and w.grant_ids:
                object_id = str(w.grant_ids[rng.randrange(len(w.grant_ids))])
                label = f"grant {object_id}"
            elif kind == "user":
                object_id, label = str(w.user_ids[u]), w.user_names[u]
            else:
                object_id, label = "", ""
            values = {
                "sequence": sequence0 + i + 1,
                "created_at": begin + timedelta(seconds=span * i / n),
                "actor_id": w.user_ids[u],
                "actor_username": w.user_names[u],
                "department_id": w.dept_ids[w.user_dept[u]],
                "action": action,
                "object_type": object_types[kind] if object_id else "",
                "object_id": object_id,
                "object_repr": label[:200],
                "level": level,
                "result": "failure" if action == "user.login_failed" else "success",
                "client_address": (
                    f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
                ),
                "details": event_details,
                "prev_hash": prev_hash,
            }
            digest = compute_hash(values)
            stored = details if event_details is plain_details else w.writer.json(event_details)
            row = (stored if f == "details" else values[f] for f in fields[1:-1])
            yield (start + i, *row, digest)
            prev_hash = digest

    fields = [
        "id",
        "sequence",
        "created_at",
        "actor_id",
        "actor_username",
        "department_id",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "level",
        "result",
        "client_address",
        "details",
        "prev_hash",
        "hash",
    ]
    if not w.writer.postgres:
        return w.writer.insert(AuditEvent, fields, rows())
    # The trigger of audit/0002 refuses rows not inserted by audit_append(); the benchmark's
    # owner writes a whole chain of format 1 at once, deliberately, with the owner's switch.
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('audit.appending', 'on', false)")
    try:
        return w.writer.insert(AuditEvent, fields, rows())
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('audit.appending', '', false)")


def seed_search_documents(w: World) -> int:
    """The search document (and on PostgreSQL the tsvector) and the pinyin name key of every
    resource, as the services write them: ``catalog.search.document_build`` over the same
    fields, items within the level, and ``name_sort_key``."""
    from itertools import groupby

    from catalog.search import SEARCH_CONFIG, document_build, name_sort_key

    items = (
        DataItem.objects.filter(level__lte=F("resource__level"))
        .order_by("resource_id", "position", "id")
        .values_list("resource_id", "name")
        .iterator(chunk_size=20_000)
    )
    names = {rid: [n for _r, n in group] for rid, group in groupby(items, key=lambda t: t[0])}
    resources = Resource.objects.order_by("id").values_list(
        "id", "name", "code", "summary", "provider__name", "provider__short_name", "provider__uscc"
    )
    documents = [
        (
            pk,
            name_sort_key(name),
            document_build(
                name=name,
                code=code,
                summary=summary,
                provider_name=p_name,
                provider_short_name=p_short,
                provider_uscc=p_uscc,
                item_names=names.get(pk, []),
            ),
        )
        for pk, name, code, summary, p_name, p_short, p_uscc in resources.iterator(chunk_size=5_000)
    ]
    if not w.writer.postgres:
        Resource.objects.bulk_update(
            [Resource(pk=pk, search_document=doc, name_pinyin=key) for pk, key, doc in documents],
            ["search_document", "name_pinyin"],
            batch_size=1_000,
        )
        return len(documents)
    # One COPY into a scratch table and one UPDATE: row-by-row updates would take minutes.
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE bench_search_doc (id bigint, pinyin text, doc text) ON COMMIT DROP"
        )
        with cursor.cursor.copy("COPY bench_search_doc (id, pinyin, doc) FROM STDIN") as copy:
            for row in documents:
                copy.write_row(row)
        cursor.execute(
            "UPDATE catalog_resource r SET search_document = t.doc, name_pinyin = t.pinyin,"
            " search_vector = to_tsvector(%s::regconfig, t.doc)"
            " FROM bench_search_doc t WHERE t.id = r.id",
            [SEARCH_CONFIG],
        )
        cursor.execute("DROP TABLE bench_search_doc")
    return len(documents)


# The dataset's resource gets these first items (the rest keep their generated names): a
# citizen ID number as the key, a masked name, and the region code that scopes rows.
# Personal items are L3 or above (as everywhere in the seed), so the resource is too.
DATASET_ITEMS = [
    ("公民身份号码", "C", 18, "id_number", True, 3),
    ("姓名", "C", 50, "name", False, 3),
    ("行政区划代码", "C", 6, "none", False, 1),
]


def _citizen_id(serial: int, region: str) -> str:
    """Return a valid GB 11643 number, distinct for each serial below 3,650,000 (born 1990-2000)."""
    from datetime import date

    born = date(1990, 1, 1) + timedelta(days=serial // 1000)
    body = f"{region}{born:%Y%m%d}{serial % 1000:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = (12 - sum(int(c) * f for c, f in zip(body, weights, strict=True)) % 11) % 11
    return body + ("X" if check == 10 else str(check))


def _cell(data_type: str, length: int, kind: str, n: int) -> str:
    """Return a value of the item's type and kind as the upload validators would store it."""
    if kind == "id_number":
        return _citizen_id(n, "340102")
    if kind == "mobile":
        return f"138{n % 10**8:08d}"
    if kind == "name":
        return f"居民{n}"[:length]
    if kind == "uscc":
        return government_uscc("340100", n % 10**8)
    if data_type == "D":
        return f"{2000 + n % 25:04d}-{1 + n % 12:02d}-{1 + n % 28:02d}"
    if data_type == "T":
        return f"{2000 + n % 25:04d}-{1 + n % 12:02d}-{1 + n % 28:02d}T08:00:00"
    if data_type in ("N", "I"):
        return str(n % 10 ** min(length, 9))
    if data_type in ("Y", "F", "B"):
        return f"{n % 100000}.{n % 100:02d}"
    if data_type == "L":
        return "true" if n % 2 else "false"
    return f"值{n}"[: max(length, 1)]


def dataset_profile(w: World) -> None:
    """Profile the seeded dataset's version, as the task worker does after an activation.

    Run after the sequences are reset: the profile is stored and audited through the service.
    """
    from datasets.models import DatasetVersion
    from datasets.services.quality import version_profile

    if not w.dataset_resource_id:
        return
    version = DatasetVersion.objects.get(resource_id=w.dataset_resource_id, number=1)
    version_profile(version_id=version.pk)


def seed_dataset_rows(w: World) -> int:
    """The dataset of one published unconditional resource (1,000,000 rows at scale 1).

    Every department may read it (unconditional, L3), so the row lookup is measured for each
    subject of clearance 3 and 4; its first items are fixed (``DATASET_ITEMS``) so the rows carry a key, a masked
    personal item and a region. Rows go through ``datasets.storage.rows_load`` (COPY on
    PostgreSQL), the loader the upload service uses, so their format is the service's own.
    """
    from datasets.models import DatasetRow, DatasetVersion
    from datasets.services import plan_for
    from datasets.storage import rows_load

    if w.plan.dataset_rows <= 0:
        return 0
    candidates = [
        i
        for i in range(len(w.res_ids))
        if w.res_status[i] == "published"
        and w.res_share[i] == "unconditional"
        and w.res_level[i] == 3
        and w.res_item_count[i] >= len(DATASET_ITEMS)
    ]
    index = candidates[0]
    resource = Resource.objects.get(pk=w.res_ids[index])
    items = list(resource.items.order_by("position", "id"))
    fixed = {name for name, *_rest in DATASET_ITEMS}
    # Names are unique per resource and checked row by row: clear them first, then rename.
    DataItem.objects.bulk_update([DataItem(pk=i.pk, name=f"#{i.pk}") for i in items], ["name"])
    for item, (name, data_type, length, kind, is_key, level) in zip(
        items, DATASET_ITEMS, strict=False
    ):
        item.name, item.data_type, item.length = name, data_type, length
        item.kind, item.is_key, item.level = kind, is_key, level
    for item in items[len(DATASET_ITEMS) :]:
        item.is_key = False
        if item.name in fixed:
            item.name = f"{item.name}{item.position}"
    DataItem.objects.bulk_update(items, ["name", "data_type", "length", "kind", "is_key", "level"])
    plan = plan_for(resource)
    version = DatasetVersion.objects.create(
        resource=resource,
        number=1,
        status=DatasetVersion.Status.BUILDING,
        source=DatasetVersion.Source.UPLOAD,
        columns=plan.columns,
        key_columns=plan.key_columns,
        file_name="bench.csv",
    )
    regions = [code for code, _name, _kind in vocab.REGIONS]
    tail = [(i.data_type, i.length or 10, i.kind) for i in items[len(DATASET_ITEMS) :]]

    def rows() -> Iterator[tuple[str, str, list[str | None]]]:
        for n in range(w.plan.dataset_rows):
            region = regions[n % len(regions)]
            # Born in an old district (codes created later fail the birth-place check).
            key = _citizen_id(n, "340102")
            values: list[str | None] = [key, f"居民{n}", region]
            values += [_cell(data_type, length, kind, n) for data_type, length, kind in tail]
            yield key, region, values

    count = rows_load(version_id=version.pk, rows=rows())
    version.status = DatasetVersion.Status.ACTIVE
    version.row_count = count
    version.save(update_fields=["status", "row_count", "updated_at"])
    Resource.objects.filter(pk=resource.pk).update(data_updated_at=w.now)
    w.dataset_resource_id = resource.pk
    w.writer.written += [DatasetVersion, DatasetRow]  # sequences reset and ANALYZE at the end
    return count


# (name, function): run in this order; each returns how many rows it wrote.
STEPS: list[tuple[str, Callable[[World], int]]] = [
    ("departments", seed_departments),
    ("users", seed_users),
    ("information_systems", seed_systems),
    ("categories", seed_categories),
    ("resources", seed_resources),
    ("data_items", seed_items),
    ("grants", seed_grants),
    ("share_requests", seed_share_requests),
    ("audit_events", seed_audit_events),
    # After the dataset step: it renames the dataset resource's first items.
    ("dataset_rows", seed_dataset_rows),
    ("search_documents", seed_search_documents),
]
