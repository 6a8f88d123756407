"""Helpers for the catalog page tests."""

from __future__ import annotations

from django.test import Client

from accounts.models import User

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def login(client: Client, user: User) -> Client:
    """Sign the user in and make one request, so the session's first-activity write is done."""
    client.logout()
    client.force_login(user, backend=MODEL_BACKEND)
    client.get("/healthz")
    return client


def page_pks(response) -> set[int]:
    """Return the primary keys of the resources listed on a paginated page."""
    return {r.pk for r in response.context["resources"]}


def facet_counts(response, key: str) -> dict[str, int]:
    """Return {value: count} of one facet, flattening the category tree."""
    facet = next(f for f in response.context["facets"] if f.key == key)
    counts: dict[str, int] = {}

    def walk(options):
        for option in options:
            counts[option.value] = option.count
            walk(option.children)

    walk(facet.options)
    return counts
