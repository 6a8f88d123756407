"""Shared fixtures."""

from __future__ import annotations

import pytest

from .access_matrix import AccessMatrix, build_matrix


@pytest.fixture
def matrix(db) -> AccessMatrix:
    """Return the access matrix: departments, users, resources, grants and delegations."""
    return build_matrix()


@pytest.fixture(autouse=True)
def _english_off(settings):
    """Run tests in the portal's default language unless a test switches."""
    settings.LANGUAGE_CODE = "zh-hans"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is deliberately slow; tests that are not about hashing use a fast hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
