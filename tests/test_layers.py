"""House rule: the apps form a stack, and every import points down it.

Layers, bottom to top (a module may import its own layer and those below):

0. ``kernel``: compiled queries, the API's base classes, form helpers, admin mixins,
   ``require()``, security headers — what every app uses; it imports no app;
1. the audit trail: ``audit``'s models, ``record()`` and the chain (every app records events);
2. ``accounts``; 3. ``audit.policies`` (who reads the trail);
4. ``workcalendar``; 5. ``catalog``; 6. ``sharing`` (grants, and what a grant lets one read);
7. ``datasets`` (data delivery); 8. ``exchange`` (live interfaces and the broker);
9. ``needs`` (data needs, 需求清单); 10. ``accountability``;
11. ``webhooks`` (the portal's events pushed to the departments' systems);
12. the auditors' screens (``audit``'s views, selectors, forms, urls);
13. the project shell: ``portal`` (settings, URLs, context processors, the policy backend);
14. ``demo``; 15. ``bench``.

An app below reaches one above only through a registry it owns and the upper app fills in its
``ready()`` (``catalog.panels``: the resource page's data and access panels). ``KNOWN_UPWARD``
lists imports that still point up, each with the change that removes it; the test fails on any
other, and on a listed one that has gone (so the list only shrinks).
"""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = (
    "kernel",
    "portal",
    "accounts",
    "audit",
    "workcalendar",
    "catalog",
    "sharing",
    "datasets",
    "exchange",
    "needs",
    "accountability",
    "webhooks",
)
AUDIT_SCREENS = ("audit.views", "audit.selectors", "audit.forms", "audit.urls")
RANK = {
    "kernel": 0,
    "trail": 1,
    "accounts": 2,
    "audit rules": 3,
    "workcalendar": 4,
    "catalog": 5,
    "sharing": 6,
    "datasets": 7,
    "exchange": 8,
    "needs": 9,
    "accountability": 10,
    "webhooks": 11,
    "audit screens": 12,
    "shell": 13,
    "demo": 14,
    "bench": 15,
}
# (importing module, imported module) -> why it is still there and what removes it.
KNOWN_UPWARD: dict[tuple[str, str], str] = {}


def _within(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def layer_of(module: str) -> str | None:
    top = module.split(".")[0]
    if top == "kernel":
        return "kernel"
    if top == "portal":
        return "shell"
    if top == "audit":
        if module == "audit.policies":
            return "audit rules"
        return "audit screens" if _within(module, AUDIT_SCREENS) else "trail"
    return top if top in RANK else None


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _type_checking_only(tree: ast.AST) -> set[int]:
    """Return the ids of import nodes under ``if TYPE_CHECKING:`` (annotations, not run time)."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            skipped |= {id(child) for stmt in node.body for child in ast.walk(stmt)}
    return skipped


def upward_imports(
    source: str, module: str, *, is_package: bool = False
) -> list[tuple[str, str, int]]:
    """Return (module, imported module, line) for each import that points up the stack."""
    here = layer_of(module)
    if here is None:
        return []
    package = module if is_package else module.rpartition(".")[0]
    tree = ast.parse(source)
    skipped = _type_checking_only(tree)
    found = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        names: list[str] = []
        if isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the package
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                names = [".".join([*base, *([node.module] if node.module else [])])]
            elif node.module:
                names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            there = layer_of(name)
            if there is not None and RANK[there] > RANK[here]:
                found.append((module, name, node.lineno))
    return found


def _all_upward() -> dict[tuple[str, str], int]:
    result = {}
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            module = _module_name(path)
            for source_module, target, line in upward_imports(
                path.read_text(encoding="utf-8"), module, is_package=path.name == "__init__.py"
            ):
                result[(source_module, target)] = line
    return result


def test_every_import_points_down_the_stack():
    found = _all_upward()
    unexpected = sorted(
        f"{a} imports {b} (line {n})" for (a, b), n in found.items() if (a, b) not in KNOWN_UPWARD
    )
    assert unexpected == [], "\n".join(unexpected)
    gone = sorted(f"{a} -> {b}" for a, b in KNOWN_UPWARD if (a, b) not in found)
    assert gone == [], "remove from KNOWN_UPWARD: " + ", ".join(gone)


def test_the_rule_catches_an_upward_import():
    assert upward_imports("from sharing.models import Grant\n", "accounts.services") == [
        ("accounts.services", "sharing.models", 1)
    ]
    assert upward_imports("from catalog import policies\n", "kernel.compiled") == [
        ("kernel.compiled", "catalog", 1)
    ]
    assert upward_imports("from datasets import selectors\n", "sharing.services.grants") == [
        ("sharing.services.grants", "datasets", 1)
    ]
    assert upward_imports("from accounts.models import User\n", "sharing.services.requests") == []
    assert upward_imports("from audit.services import record\n", "accounts.services") == []
    assert upward_imports("from sharing import selectors\n", "portal.context_processors") == []
    typed = "if TYPE_CHECKING:\n    from sharing.models import Grant\n"
    assert upward_imports(typed, "accounts.services") == []
    # Relative imports resolve against the package: the trail's command may not use the screens.
    assert upward_imports("from ..selectors import x\n", "audit.management.commands") == [
        ("audit.management.commands", "audit.selectors", 1)
    ]
    assert upward_imports("from .models import x\n", "catalog.policies", is_package=True) == []
    assert upward_imports("from .selectors import x\n", "audit.services") == [
        ("audit.services", "audit.selectors", 1)
    ]
