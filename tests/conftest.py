"""Shared fixtures."""

from __future__ import annotations

import copy
import importlib
import os
import uuid
from collections.abc import Iterator

import pytest
from django.db import transaction
from django.test import override_settings
from hypothesis import settings as hypothesis_settings

from . import sampling
from .access_matrix import AccessMatrix
from .matrix_snapshot import matrix_rows

# Tests that name no number of examples: hypothesis's default under --full, fewer without.
hypothesis_settings.register_profile("full", max_examples=100)
hypothesis_settings.register_profile("quick", max_examples=100 // sampling.EXAMPLES_DIVISOR)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--full",
        action="store_true",
        help="crawl every (viewer, route) pair and draw every hypothesis example "
        "(make test-full); without it a fixed sample (tests/sampling.py)",
    )


def pytest_configure(config: pytest.Config) -> None:
    sampling.FULL = bool(config.getoption("full"))
    _find_static_files_once()
    # An explicit --hypothesis-profile wins.
    if not config.getoption("hypothesis_profile", None):
        hypothesis_settings.load_profile("full" if sampling.FULL else "quick")


def _find_static_files_once() -> None:
    """Let WhiteNoise look for the static files once per test process, not once per client.

    Every test client loads the middleware anew, and WhiteNoise's middleware, serving from the
    source folders outside production (``WHITENOISE_USE_FINDERS``), lists and stats every
    static file when it is created: about 70 ms per client, some thousands of clients a run.
    The files do not change during a run, so the first listing is kept (per set of header
    settings) and handed to every later middleware; a request is served exactly as before.
    """
    from whitenoise.middleware import WhiteNoiseMiddleware

    find = WhiteNoiseMiddleware.add_files_from_finders
    found: dict[tuple[object, ...], dict[str, object]] = {}

    def add_files_from_finders(self: WhiteNoiseMiddleware) -> None:
        key = (
            self.static_prefix,
            self.max_age,
            self.charset,
            self.allow_all_origins,
            # The default test is a method: its function, not the bound method, is the setting.
            getattr(self.immutable_file_test, "__func__", self.immutable_file_test),
            self.add_headers_function,
        )
        if key not in found:
            before = dict(self.files)
            find(self)
            found[key] = {url: file for url, file in self.files.items() if url not in before}
        for url, file in found[key].items():
            self.files.setdefault(url, file)

    WhiteNoiseMiddleware.add_files_from_finders = add_files_from_finders  # type: ignore[method-assign]


# Files whose tests are independent heavy crawls: their tests (and parts) go to any worker.
SPREAD_MODULES = {"test_leaks.py", "test_leaks_writes.py"}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Keep each module on one worker, and run its tests that use the access matrix last.

    (The accountability tests' city and the exchange tests' world, built once per module like
    the matrix, likewise.)

    The matrix is built once per module and its rows stay until the module's last test
    (``_matrix_built``): a test that expects an empty catalog must come before it, on the same
    worker. The Makefile runs xdist with ``--dist loadgroup``; every module is a group, except
    the crawls (``SPREAD_MODULES``), whose parts are spread over the workers one by one.
    """
    modules: dict[object, int] = {}
    for item in items:
        module = getattr(item, "module", None)
        modules.setdefault(module, len(modules))
        if module is not None and item.path.name not in SPREAD_MODULES:
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))
    items.sort(
        key=lambda item: (
            modules[getattr(item, "module", None)],
            bool(
                {"matrix", "city", "city_once", "world_once"}
                & set(getattr(item, "fixturenames", ()))
            ),
        )
    )


def pytest_report_header(config: pytest.Config) -> str:
    if sampling.FULL:
        return "full run: every crawl pair, every hypothesis example"
    return (
        f"sampled run: matrix pairs 1 in {sampling.CRAWL_STRIDE}, leak-crawl pairs 1 in "
        f"{sampling.LEAK_STRIDE}, hypothesis examples "
        f"1 in {sampling.EXAMPLES_DIVISOR} (--full for all)"
    )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Let the transactional tests' flush empty the audit tables on PostgreSQL.

    The trigger of audit/0002 refuses TRUNCATE of the audit trail unless ``audit.truncate`` is
    on; the test database (and only it) turns it on for every session, so the flush that ends a
    transactional test goes through. tests/audit/test_db_roles.py shows the refusal without it.
    """
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                name = connection.ops.quote_name(connection.settings_dict["NAME"])
                cursor.execute(f"ALTER DATABASE {name} SET audit.truncate = 'on'")
            connection.close()  # the next session starts with the setting


@pytest.fixture(scope="module")
def _matrix_built(django_db_setup, django_db_blocker) -> Iterator[AccessMatrix]:
    """Build the access matrix once per module, in a transaction rolled back after its last test.

    Each test runs in its own savepoint inside it (``db``), so what a test writes is undone
    before the next; the tests of the module that come after the first one using the matrix
    see its rows too. No module mixing the matrix with transactional tests may use it.
    The rows are built through the services once per process and put back in later modules
    (tests/matrix_snapshot.py).
    """
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=hashers),
        transaction.atomic(),
    ):
        restore_seeds()
        yield matrix_rows()
        transaction.set_rollback(True)


@pytest.fixture
def matrix(_matrix_built: AccessMatrix, db) -> AccessMatrix:
    """Return the access matrix: departments, users, resources, grants and delegations.

    A copy of the module's matrix: a test may change its objects in memory (and, within its
    savepoint, in the database) without touching the next test's.
    """
    return copy.deepcopy(_matrix_built)


@pytest.fixture
def redis_cache(settings):
    """The default cache on the Redis server .ci/run starts (PORTAL_TEST_REDIS_URL), as in
    production, under a key prefix of this test's own; skipped where no server is named."""
    url = os.environ.get("PORTAL_TEST_REDIS_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("PORTAL_TEST_REDIS_URL is not set: .ci/run starts redis-server for it")
        pytest.skip("no PORTAL_TEST_REDIS_URL: start redis-server and name it to run this test")
    prefix = f"test-{uuid.uuid4().hex}"  # nothing shared with another run
    settings.CACHES = {
        "default": {"BACKEND": "kernel.cache.RedisCache", "LOCATION": url, "KEY_PREFIX": prefix}
    }
    yield
    from django.core.cache import cache

    client = cache._cache.get_client(write=True)  # type: ignore[attr-defined]
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


@pytest.fixture(autouse=True)
def _english_off(settings):
    """Run tests in the portal's default language unless a test switches."""
    settings.LANGUAGE_CODE = "zh-hans"


# Tests count queries: they run on a per-process cache, which asks nothing of the database.
# Tests marked ``shared_cache`` keep the configured one (the database table, or Redis).
LOCAL_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture(autouse=True)
def _empty_cache(request, settings):
    """Start every test with an empty cache (facet counts, API throttles are cached).

    A ``shared_cache`` test keeps the configured cache and clears what it uses itself.
    """
    from django.core.cache import cache

    from workcalendar.workdays import forget_all

    if request.node.get_closest_marker("shared_cache") is None:
        settings.CACHES = LOCAL_CACHE
        cache.clear()
    forget_all()


@pytest.fixture(autouse=True)
def _figures_current(request, settings):
    """Evaluation pages recompute stored figures that a write has outdated (no worker runs).

    Tests marked ``stored_figures`` read the stored runs as production does.
    """
    settings.PORTAL_FIGURES_REFRESH_ON_READ = (
        request.node.get_closest_marker("stored_figures") is None
    )


@pytest.fixture(autouse=True)
def _work_kept_off(settings):
    """Badges counted on every page, so a test sees each change at once (the keeping of them
    is tested on its own, tests/sharing/test_nav_counts_kept.py)."""
    settings.PORTAL_WORK_KEPT_SECONDS = 0


@pytest.fixture(autouse=True)
def _allowlist_read_each_call(settings):
    """The broker reads the allowlist on every call, so a test sees each change at once (the
    keeping of it is tested on its own, tests/exchange/test_broker_overhead.py)."""
    settings.PORTAL_EXCHANGE_ALLOWLIST_SECONDS = 0


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is deliberately slow; tests that are not about hashing use a fast hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _two_factor_gate(request, settings):
    """Treat force_login as a completed sign-in, second factor included.

    Page tests sign in with ``client.force_login``; for approvers, coordinators and the three
    administrators the gate would send every request to the two-factor page. The gate itself is
    tested with the ``two_factor`` marker (tests/accounts/test_login_security.py) and by the
    leak crawler, which signs in with a verified device.
    """
    if request.node.get_closest_marker("two_factor") is None:
        settings.PORTAL_TWO_FACTOR_REQUIRED = False


@pytest.fixture(autouse=True)
def _seeds_after_flush(request):
    """Give every database test what the migrations seed: calendar, category tree, synonyms,
    permissions.

    A transactional test (the browser journeys, the concurrency test) ends with a flush of every
    table, which takes the migrations' rows with it (with ``serialized_rollback`` even the
    permissions, as the flush then skips post_migrate). On an xdist worker, later tests may run
    on that flushed database: without the years every deadline would count as provisional, an
    import would find no category, a grant no permission to assign.
    """
    names = set(request.fixturenames)
    marker = request.node.get_closest_marker("django_db")
    if not ({"db", "transactional_db", "live_server"} & names or marker is not None):
        return
    request.getfixturevalue(
        "transactional_db"
        if {"transactional_db", "live_server"} & names
        or (marker is not None and marker.kwargs.get("transaction"))
        else "db"
    )
    restore_seeds()


def restore_seeds() -> None:
    """Put back the rows the migrations seed, where a flush took them."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.management import create_contenttypes
    from django.contrib.contenttypes.models import ContentType

    from catalog.models import Category, CodeList, SynonymTerm
    from workcalendar.models import CalendarDay, CalendarYear
    from workcalendar.seeding import seed_from_package

    if not CalendarYear.objects.filter(official=True).exists():
        seed_from_package(CalendarYear, CalendarDay)
    if not Category.objects.filter(code="3").exists():
        importlib.import_module("catalog.migrations.0001_initial").seed(apps, None)
    if not SynonymTerm.objects.exists():
        importlib.import_module("catalog.migrations.0002_synonym_groups").seed(apps, None)
    if not CodeList.objects.exists():
        importlib.import_module("catalog.migrations.0011_code_lists").seed(apps, None)
    if not Permission.objects.filter(codename="read_resource_data").exists():
        ContentType.objects.clear_cache()
        for app_config in apps.get_app_configs():
            create_contenttypes(app_config, verbosity=0)
            create_permissions(app_config, verbosity=0)
