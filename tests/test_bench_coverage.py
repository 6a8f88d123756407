"""bench/run covers every GET page and GET API operation: a new one fails here until it has a
scenario (bench/pages.py, ``covers=``) or a written reason to be left out."""

from __future__ import annotations

from pathlib import Path

import yaml
from django.urls import URLPattern, URLResolver, get_resolver

from bench.pages import ALL_SCENARIOS

ROOT = Path(__file__).resolve().parent.parent

# URL names no scenario requests, each with why.
NOT_BENCHED = {
    "healthz": "the load balancer's probe, no user page",
    "favicon": "a static redirect",
    "set_language": "POST-only (Django's language switch)",
    "logout": "POST-only (Django's logout)",
    # POST-only endpoints: each acts on an object from a form on a page that is benched.
    "catalog:resource_submit": "POST-only",
    "catalog:resource_retire": "POST-only",
    "catalog:synonym_delete": "POST-only",
    "catalog:system_retire": "POST-only",
    "catalog:system_file": "POST-only",
    "catalog:system_approve": "POST-only",
    "catalog:system_return": "POST-only",
    "catalog:system_reconfirm": "POST-only",
    # A form that asks for a code from the user's authenticator: bench users have no device
    # (they sign in with the second factor marked done), and the page reads nothing but it.
    "accounts:recovery_codes": "needs an authenticator device; a form with no list",
    "catalog:resource_import_confirm": "POST-only",
    "sharing:basket_add": "POST-only",
    "sharing:basket_remove": "POST-only",
    "sharing:resource_follow": "POST-only",
    "sharing:request_decide": "POST-only",
    "sharing:request_settle": "POST-only",
    "sharing:request_signoff": "POST-only",
    "sharing:request_escalate": "POST-only",
    "sharing:request_withdraw": "POST-only",
    "sharing:grant_revoke": "POST-only",
    "sharing:correction_answer": "POST-only",
    "sharing:notifications_read": "POST-only",
    "needs:need_route": "POST-only",
    "needs:need_claim": "POST-only",
    "needs:need_link": "POST-only",
    "needs:need_register": "POST-only",
    "needs:need_refuse": "POST-only",
    "needs:need_request": "POST-only",
    "webhooks:subscription_rotate": "POST-only",
    "webhooks:subscription_enable": "POST-only",
    "webhooks:subscription_delete": "POST-only",
    "webhooks:delivery_replay": "POST-only",
    "accountability:item_link_compare": "POST-only",
    "accountability:item_link_delete": "POST-only",
    "accountability:conflict_correct": "POST-only",
    "accounts:user_set_active": "POST-only",
    "accounts:user_role_change": "POST-only",
    "accounts:user_clearance_change": "POST-only",
    "accounts:user_second_factor_reset": "POST-only",
    "accounts:user_password_reset": "POST-only",
    "accounts:department_set_active": "POST-only",
    "accounts:member_set_active": "POST-only",
    "accounts:member_role_change": "POST-only",
    "accounts:member_password_reset": "POST-only",
    "accounts:token_revoke": "POST-only",
    "workcalendar:enter": "POST-only (the entry form is on the year page)",
    "workcalendar:import": "POST-only (the upload form is on the year page)",
    "workcalendar:official": "POST-only",
    "workcalendar:reopen": "POST-only",
    # The API is checked by operation id against docs/openapi.yaml (below), not by URL name.
    "api:schema": "the OpenAPI document, generated from code, no data",
    "api:docs": "the schema's viewer page, no data",
    "api:redoc": "the schema's viewer page, no data",
}


def _url_names(resolver: URLResolver, namespace: str = "") -> list[str]:
    names = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            names += _url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.append(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


def page_names() -> set[str]:
    """Every named URL of the project but the admin's and the API's (those: by operation)."""
    names = set(_url_names(get_resolver()))
    return {n for n in names if not n.startswith("admin:") and not n.startswith("api:")} | {
        n for n in names if n in ("api:schema", "api:docs", "api:redoc")
    }


def get_operations() -> set[str]:
    schema = yaml.safe_load((ROOT / "docs" / "openapi.yaml").read_text())
    return {
        operation["operationId"]
        for methods in schema["paths"].values()
        for method, operation in methods.items()
        if method == "get"
    }


def covered() -> set[str]:
    return {name for scenario in ALL_SCENARIOS for name in scenario.covers}


def test_every_get_page_has_a_scenario():
    missing = sorted(page_names() - covered() - NOT_BENCHED.keys())
    assert not missing, f"GET pages no bench scenario covers (bench/pages.py): {missing}"


def test_every_get_api_operation_has_a_scenario():
    missing = sorted(get_operations() - covered())
    assert not missing, f"GET API operations no bench scenario covers: {missing}"


def test_the_lists_name_only_what_exists():
    # A renamed page must not keep a stale entry: every name covered or left out exists.
    known = page_names() | get_operations()
    assert not (covered() - known), sorted(covered() - known)
    assert not (NOT_BENCHED.keys() - known), sorted(NOT_BENCHED.keys() - known)
    assert not (NOT_BENCHED.keys() & covered()), sorted(NOT_BENCHED.keys() & covered())


def test_scenario_names_are_unique():
    names = [scenario.name for scenario in ALL_SCENARIOS]
    assert len(names) == len(set(names))
