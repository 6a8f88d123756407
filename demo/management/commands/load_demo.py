"""Load the A市 demo: departments, users, systems, resources and grants. Safe to run twice."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from accounts import services as account_services
from accounts.identifiers import government_uscc
from accounts.models import Department, Level, Role, User
from accounts.policies import holds_two_factor_role
from accounts.two_factor import has_confirmed_device
from catalog import services as catalog_services
from catalog.models import Category, InformationSystem, Resource
from demo import content
from demo.accountability import load_accountability_demo
from demo.datasets import demo_datasets_load
from demo.needs import load_needs_demo
from sharing import services as sharing_services
from sharing.models import Grant
from sharing.scope import default_scope

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - documented demo password
# The TOTP secret of every demo account whose role requires two-factor sign-in: the RFC 6238
# test key "12345678901234567890", base32 GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ. Published in the
# README so anyone trying the demo can add it to an authenticator app or run
# `manage.py demo_totp`. Never give a real account a published secret.
DEMO_TOTP_SECRET_HEX = "3132333435363738393031323334353637383930"  # noqa: S105 - published demo key

# username, department key, clearance, roles, full name
DEMO_USERS: list[tuple[str, str, int, tuple[str, ...], str]] = [
    ("sysadmin", "sjj", Level.L2, (Role.STAFF, Role.SYSTEM_ADMIN), "系统管理员"),
    ("security", "sjj", Level.L2, (Role.STAFF, Role.SECURITY_ADMIN), "安全管理员"),
    ("auditor", "sjj", Level.L2, (Role.STAFF, Role.AUDIT_ADMIN), "审计管理员"),
    ("coordinator", "sjj", Level.L4, (Role.STAFF, Role.COORDINATOR), "赵协调"),
    ("ga_editor", "ga", Level.L4, (Role.STAFF, Role.EDITOR), "钱编目"),
    ("ga_approver", "ga", Level.L4, (Role.STAFF, Role.APPROVER), "孙审核"),
    ("ga_admin", "ga", Level.L3, (Role.STAFF, Role.DEPARTMENT_ADMIN), "李管理"),
    ("mz_staff", "mz", Level.L2, (Role.STAFF,), "周民政"),
    ("mz_editor", "mz", Level.L3, (Role.STAFF, Role.EDITOR), "吴编目"),
    ("mz_approver", "mz", Level.L3, (Role.STAFF, Role.APPROVER), "郑审核"),
    ("rs_staff", "rs", Level.L3, (Role.STAFF,), "王人社"),
    ("rs_approver", "rs", Level.L3, (Role.STAFF, Role.APPROVER), "冯审核"),
    ("sj_staff", "sj", Level.L3, (Role.STAFF,), "陈市监"),
    ("sj_editor", "sj", Level.L3, (Role.STAFF, Role.EDITOR), "褚编目"),
    ("zr_approver", "zr", Level.L3, (Role.STAFF, Role.APPROVER), "卫审核"),
    ("qx_staff", "yh_mz", Level.L1, (Role.STAFF,), "蒋区县"),
]


class Command(BaseCommand):
    help = "Load the A市 demo data (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        # The demo's history (requests decided, corrections filed) is made up: nobody is mailed.
        # Mail goes out when the transaction commits, so the override wraps the transaction.
        quiet = override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")
        with quiet, transaction.atomic():
            self._load()

    def _load(self) -> None:
        departments = self._departments()
        self._categories(departments)
        users = self._users(departments)
        systems = self._systems(departments)
        resources = self._resources(departments, systems)
        self._grants(departments, resources, users)
        load_accountability_demo()
        load_needs_demo()
        demo_datasets_load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready: {Department.objects.count()} departments, {User.objects.count()} users, "
                f"{Resource.objects.filter(status=Resource.Status.PUBLISHED).count()} published resources, "
                f"{Grant.objects.filter(status=Grant.Status.ACTIVE).count()} active grants."
            )
        )

    def _departments(self) -> dict[str, Department]:
        districts = {d["key"]: d for d in content.DISTRICTS}
        result: dict[str, Department] = {}
        for spec in content.DEPARTMENTS:
            district = districts.get(spec["district"]) if spec["district"] else None
            name = (
                f"{district['name']}{spec['name']}"
                if district and not spec["name"].startswith(district["name"])
                else spec["name"]
            )
            existing = Department.objects.filter(name=name).first()
            if existing is None:
                region = district["region_code"] if district else content.CITY_REGION
                existing = account_services.department_create(
                    actor=None,
                    name=name,
                    short_name=spec["short_name"],
                    name_en=spec.get("name_en", ""),
                    uscc=government_uscc(region, spec["org_seq"]),
                    region_code=region,
                    parent=result.get(spec["parent"]) if spec["parent"] else None,
                    admin_level=Department.AdminLevel.DISTRICT
                    if district
                    else Department.AdminLevel.CITY,
                    vertically_managed=spec["vertical"],
                    clearance=spec["clearance"],
                )
            result[spec["key"]] = existing
        return result

    def _categories(self, departments: dict[str, Department]) -> None:
        city = [s for s in content.DEPARTMENTS if not s["district"]]
        for index, spec in enumerate(city, start=1):
            code = f"3{index:02d}"
            if not Category.objects.filter(code=code).exists():
                department = departments[spec["key"]]
                catalog_services.category_create(
                    actor=None, code=code, name=department.name, name_en=department.name_en
                )
        for spec in content.CATEGORIES:
            if not Category.objects.filter(code=spec["code"]).exists():
                catalog_services.category_create(actor=None, code=spec["code"], name=spec["name"])

    def _users(self, departments: dict[str, Department]) -> dict[str, User]:
        result: dict[str, User] = {}
        # Every demo account has the one documented password: it is hashed once (a deliberately
        # slow hash, a third of a second each) and the hash given to each new account.
        password_hash = ""
        for username, key, clearance, roles, full_name in DEMO_USERS:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = account_services.user_create(
                    actor=None,
                    username=username,
                    department=departments[key],
                    full_name=full_name,
                    email=f"{username}@portal.example",
                    clearance=clearance,
                    roles=roles,
                )
                password_hash = password_hash or make_password(DEMO_PASSWORD)
                user.password = password_hash
                user.save(update_fields=["password"])
            # Whether or not two-factor is switched on here, the roles that need it get a device.
            if holds_two_factor_role(user) and not has_confirmed_device(user):
                account_services.totp_device_create(
                    actor=None, user=user, secret_hex=DEMO_TOTP_SECRET_HEX
                )
            result[username] = user
        return result

    def _systems(self, departments: dict[str, Department]) -> dict[str, InformationSystem]:
        result: dict[str, InformationSystem] = {}
        for spec in content.SYSTEMS:
            system = InformationSystem.objects.filter(legacy_code=spec["registration_code"]).first()
            if system is None:
                # Registered before filing existed: the demo keeps the old registration code
                # as the legacy code and takes the system through filing and approval.
                system = catalog_services.system_register(
                    actor=None,
                    department=departments[spec["department"]],
                    legacy_code=spec["registration_code"],
                    name=spec["name"],
                    purpose=spec.get("purpose", ""),
                    project_name=spec.get("project_name") or f"{spec['name']}建设项目",
                    funding_stage=InformationSystem.FundingStage.OPERATION,
                )
                system = catalog_services.system_file(actor=None, system=system)
                system = catalog_services.system_approve(actor=None, system=system)
                if spec.get("status") == "retired":
                    system = catalog_services.system_retire(actor=None, system=system)
            result[spec["key"]] = system
        return result

    def _resources(
        self, departments: dict[str, Department], systems: dict[str, InformationSystem]
    ) -> dict[str, Resource]:
        result: dict[str, Resource] = {}
        categories = {c.code: c for c in Category.objects.all()}
        for spec in content.RESOURCES:
            provider = departments[spec["provider"]]
            resource = Resource.objects.filter(provider=provider, name=spec["name"]).first()
            if resource is None:
                resource = catalog_services.resource_create(
                    actor=None,
                    provider=provider,
                    items=[
                        {
                            "name": n,
                            "data_type": t,
                            "length": length,
                            "level": lv,
                            "kind": k,
                            "is_key": key,
                        }
                        for (n, t, length, lv, k, key) in spec["items"]
                    ],
                    category=categories[spec["category"]],
                    name=spec["name"],
                    summary=spec["summary"],
                    format_class=spec["format_class"],
                    format_type=spec["format_type"],
                    share_type=spec["share_type"],
                    share_condition=spec["share_condition"],
                    share_method=spec["share_method"],
                    open_type=spec["open_type"],
                    open_condition=spec["open_condition"],
                    update_cycle=spec["update_cycle"],
                    level=spec["level"],
                    # Most entries every department sees; a few whose existence is sensitive
                    # show the exception, with its reason.
                    catalog_scope=spec.get("catalog_scope", "departments"),
                    catalog_scope_reason=spec.get("catalog_scope_reason", ""),
                    source_system=systems.get(spec["system"]) if spec["system"] else None,
                    region_code=provider.region_code,
                )
                if spec["status"] in ("submitted", "published"):
                    resource = catalog_services.resource_submit(actor=None, resource=resource)
                if spec["status"] == "published":
                    resource = catalog_services.resource_publish(actor=None, resource=resource)
            result[spec["name"]] = resource
        for spec in content.RESOURCES:
            related = [result[name] for name in spec.get("related", []) if name in result]
            if related:
                result[spec["name"]].related.add(*related)
        return result

    def _grants(
        self,
        departments: dict[str, Department],
        resources: dict[str, Resource],
        users: dict[str, User],
    ) -> None:
        now = timezone.now()
        for spec in content.GRANTS:
            resource = resources[spec["resource"]]
            department = departments[spec["consumer"]]
            if Grant.objects.filter(
                resource=resource, department=department, status=Grant.Status.ACTIVE
            ).exists():
                continue
            items = list(resource.items.all())
            if spec.get("items"):
                items = [i for i in items if i.name in spec["items"]]
            sharing_services.grant_create(
                actor=None,
                resource=resource,
                department=department,
                items=items,
                valid_from=now - timedelta(days=30),
                valid_until=now + timedelta(days=30 * spec["months"]),
                purpose=spec.get("purpose", "业务协同"),
                # As an approval would: a district's grant on a city resource covers its own
                # region's rows (数据回流).
                row_scope_region=default_scope(department, resource.provider),
            )
