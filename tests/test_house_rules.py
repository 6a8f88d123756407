"""House rule: only ``policies`` modules (and the selectors built on them) decide access.

The test parses every module of the product apps and fails on an access decision written
anywhere else:

- a role test: a call of ``.has_role(...)``, or a comparison involving ``.roles``;
- a clearance comparison: a comparison involving ``.clearance``, a keyword filter on
  ``clearance__…``, or a keyword filter whose value is ``….clearance`` (``level__lte=user.clearance``);
- a guardian call: ``get_perms``, ``get_objects_for_user``, ``ObjectPermissionChecker``; the
  guardian *writes* (``assign_perm``/``remove_perm``) only in the services that own those rows.

Models may state constraints on clearances; migrations and tests are not product code.
docs/decisions.md shows the test failing on a role test added to a view.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = (
    "kernel",
    "accounts",
    "catalog",
    "sharing",
    "datasets",
    "needs",
    "audit",
    "exchange",
    "accountability",
    "webhooks",
    "workcalendar",
    "portal",
)
GUARDIAN_READS = {"get_perms", "get_objects_for_user", "ObjectPermissionChecker", "get_user_perms"}
GUARDIAN_WRITES = {"assign_perm", "remove_perm"}
# The services that write guardian rows (grants; stewardship delegations).
GUARDIAN_WRITERS = {"sharing/services/grants.py", "catalog/services/__init__.py"}


def _deciding_module(relative: str) -> bool:
    parts = Path(relative).parts
    stem = Path(relative).stem
    return "policies" in parts or stem in ("policies", "selectors") or "selectors" in parts


def _product_modules(app: str) -> list[Path]:
    return sorted(
        p
        for p in (ROOT / app).rglob("*.py")
        if "migrations" not in p.parts and p.name != "models.py"
    )


def _attribute_names(node: ast.AST) -> set[str]:
    return {n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute)}


def violations_in(source: str, relative: str) -> list[str]:
    """Return the access decisions written in a module that is not a policy or selector."""
    if _deciding_module(relative):
        return []
    found = []
    for node in ast.walk(ast.parse(source)):
        where = f"{relative}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name == "has_role":
                found.append(f"{where} role test (.has_role)")
            if name in GUARDIAN_READS:
                found.append(f"{where} guardian call ({name})")
            if name in GUARDIAN_WRITES and relative not in GUARDIAN_WRITERS:
                found.append(f"{where} guardian write ({name}) outside the services that own it")
            for keyword in node.keywords:
                key = keyword.arg or ""
                value = keyword.value
                if key.startswith("clearance__") or (
                    "__" in key and isinstance(value, ast.Attribute) and value.attr == "clearance"
                ):
                    found.append(f"{where} clearance filter ({key})")
        elif isinstance(node, ast.Compare):
            names = _attribute_names(node)
            if "clearance" in names:
                found.append(f"{where} clearance comparison")
            if "roles" in names:
                found.append(f"{where} role comparison (.roles)")
    return found


@pytest.mark.parametrize("app", APPS)
def test_only_policies_decide_access(app):
    problems = []
    for path in _product_modules(app):
        relative = path.relative_to(ROOT).as_posix()
        problems += violations_in(path.read_text(encoding="utf-8"), relative)
    assert problems == [], "\n".join(problems)


def test_the_rule_catches_a_role_test_in_a_view():
    view = (
        "def retire(request, pk):\n"
        "    if not request.user.has_role(Role.EDITOR):\n"
        "        raise PermissionDenied\n"
    )
    assert violations_in(view, "catalog/views/browse.py") == [
        "catalog/views/browse.py:2 role test (.has_role)"
    ]
    assert violations_in(view, "catalog/policies.py") == []
    clearance = (
        "items = resource.items.filter(level__lte=user.clearance)\nok = user.clearance >= 3\n"
    )
    assert len(violations_in(clearance, "sharing/services/requests.py")) == 2
    assert violations_in(clearance, "catalog/selectors/__init__.py") == []
    guardian = "assign_perm('x', user, obj)\nget_perms(user, obj)\n"
    assert len(violations_in(guardian, "accounts/services/__init__.py")) == 2
    assert len(violations_in(guardian, "sharing/services/grants.py")) == 1


# House rule: the demo and the benchmark sit on top of the stack. They may import every product
# app; no product app (nor the project package) imports them.
TOP_OF_STACK = {"demo", "bench"}


def upward_imports(source: str, relative: str) -> list[str]:
    """Return the imports of ``demo`` or ``bench`` in a module."""
    found = []
    for node in ast.walk(ast.parse(source)):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            names = [node.args[0].value]
        for name in names:
            if name.split(".")[0] in TOP_OF_STACK:
                found.append(f"{relative}:{node.lineno} imports {name}")
    return found


@pytest.mark.parametrize("app", APPS)
def test_no_product_app_imports_the_demo_or_the_benchmark(app):
    problems = []
    for path in sorted((ROOT / app).rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        problems += upward_imports(path.read_text(encoding="utf-8"), relative)
    assert problems == [], "\n".join(problems)


def test_the_rule_catches_an_import_of_the_demo():
    source = (
        "import bench.seed\n"
        "from demo import content\n"
        "from demo.datasets import demo_datasets_load\n"
        "from . import demo\n"
        "import_module('bench.scenarios')\n"
        "import demographics\n"
    )
    assert upward_imports(source, "catalog/views/browse.py") == [
        "catalog/views/browse.py:1 imports bench.seed",
        "catalog/views/browse.py:2 imports demo",
        "catalog/views/browse.py:3 imports demo.datasets",
        "catalog/views/browse.py:5 imports bench.scenarios",
    ]
