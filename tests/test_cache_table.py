"""``migrate`` alone prepares a database, the shared cache's table included.

Without Redis the shared cache is a table (portal/settings.py, CACHES); a fresh demo or bench
database whose ``migrate`` skipped it answered every cached page (the catalog's facets, the API
throttle) with a server error.
"""

from __future__ import annotations

import pytest
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection

pytestmark = pytest.mark.django_db


def test_migrate_creates_the_cache_table(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "portal_test_cache",
        }
    }
    assert "portal_test_cache" not in connection.introspection.table_names()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert "portal_test_cache" in connection.introspection.table_names()
