"""How much of the slowest checks a run does: a fixed sample (`make test`) or all (`make test-full`).

``pytest --full`` (``make test-full``) sets ``FULL``: every crawl visits every (viewer, route)
pair and every hypothesis test draws its full number of examples. Without it:

* the access-matrix cases (tests/access_matrix.py ``cases``, the catalog action matrix, the
  sharing API's refusals), the page tests that request a page for every (user, resource) pair
  of the access matrix (tests/catalog/test_pages_access.py,
  tests/catalog/test_maintenance_access.py) and the per-object half of the check that the API
  and the portal's selectors agree (tests/api/test_api_agrees_with_portal.py) visit the pairs
  whose indexes plus the database's offset add up to a multiple of ``CRAWL_STRIDE``
  (``page_pair_sampled``): every user and every object among them, different pairs on SQLite
  and PostgreSQL;
* the leak crawls (tests/test_leaks.py, tests/test_leaks_writes.py) visit the (viewer, route)
  pairs whose indexes plus the database's offset add up to a multiple of ``LEAK_STRIDE``:
  every viewer crawls one route in ``LEAK_STRIDE`` and every route is crawled by one viewer in
  ``LEAK_STRIDE``. SQLite takes offset 0 and PostgreSQL offset ``LEAK_STRIDE // 2``, so the
  two runs of CI crawl different pairs and together cover twice what either does. The same
  pairs on every run of one database (no randomness: a failure reproduces);
* hypothesis tests draw ``examples(n)`` = ``n // EXAMPLES_DIVISOR`` examples (at least
  ``EXAMPLES_FLOOR``); the ``quick`` hypothesis profile does the same for tests that name no
  number, and ``full`` keeps hypothesis's default.
"""

from __future__ import annotations

FULL = False

CRAWL_STRIDE = 5
LEAK_STRIDE = 16
# The crawls split their viewers into this many parts, each a test of its own, so the workers
# share them (every part always runs; FULL or not).
CRAWL_PARTS = 3
EXAMPLES_DIVISOR = 4
EXAMPLES_FLOOR = 5


def _database_offset(stride: int) -> int:
    from django.db import connection

    return 0 if connection.vendor == "sqlite" else stride // 2


def page_pair_sampled(user_index: int, resource_index: int) -> bool:
    """Return whether a page-per-pair test requests this (user, resource) pair this run.

    One pair in ``CRAWL_STRIDE``, every user and every resource among them, and SQLite and
    PostgreSQL request different pairs (always all under ``--full``).
    """
    if FULL:
        return True
    offset = _database_offset(CRAWL_STRIDE)
    return (user_index + resource_index + offset) % CRAWL_STRIDE == 0


def leak_crawled(viewer_index: int, route_index: int) -> bool:
    """Return whether this run's leak crawls visit the pair (always, under ``--full``)."""
    if FULL:
        return True
    offset = _database_offset(LEAK_STRIDE)
    return (viewer_index + route_index + offset) % LEAK_STRIDE == 0


def examples(full: int) -> int:
    """Return the number of hypothesis examples to draw for a test that draws ``full`` in full."""
    return full if FULL else max(EXAMPLES_FLOOR, full // EXAMPLES_DIVISOR)


def in_part(viewer_index: int, part: int) -> bool:
    """Return whether the viewer belongs to this part of a crawl."""
    return viewer_index % CRAWL_PARTS == part
