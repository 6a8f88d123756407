"""Settings for the portal, configured by environment variables.

One module for every environment: development defaults are safe to run on a laptop, and
``PORTAL_PRODUCTION=1`` switches on the hardening a deployment needs (see docs/operations.md).
"""

from __future__ import annotations

import json
import os
import warnings
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    """Return an environment variable read as a boolean."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    """Return an environment variable read as an integer."""
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: str = "") -> list[str]:
    """Return a comma-separated environment variable as a list."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = env_bool("PORTAL_PRODUCTION")
DEBUG = env_bool("DJANGO_DEBUG", default=not PRODUCTION)

if PRODUCTION:
    SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
else:
    # A fixed key is fine for development and tests only; production must set its own.
    SECRET_KEY = os.environ.get(
        "DJANGO_SECRET_KEY", "dev-only-insecure-key-0f3a9c2e-do-not-use-in-production-7b1d"
    )

# Earlier keys, newest first, while what they signed must still verify: sessions and password
# reset links during a rotation, and the audit trail's digests of parameters (audit_digest).
SECRET_KEY_FALLBACKS = env_list("DJANGO_SECRET_KEY_FALLBACKS")

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver"
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# Trust X-Forwarded-For for the audit trail's client address only behind a known proxy.
PORTAL_TRUST_X_FORWARDED_FOR = env_bool("PORTAL_TRUST_X_FORWARDED_FOR")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "kernel",
    "portal",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "accounts",
    "workcalendar",
    "catalog",
    "sharing",
    "datasets",
    "exchange",
    "needs",
    "audit",
    "accountability",
    "webhooks",
    # The demo loader, on top of every product app; no product app imports it.
    "demo",
    # The benchmark's bench_seed command; like the demo, nothing in the product imports it.
    "bench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "kernel.security_headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Below the language (its refusal is translated), above everything that reads the body.
    "kernel.request_size.RequestSizeLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Below WhiteNoise, so static files keep their caching; above the rest, so their answers
    # (sign-in and two-factor redirects included) are covered.
    "kernel.security_headers.PrivateCacheMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "audit.middleware.AuditContextMiddleware",
    # After the audit context, so sign-outs they cause carry the client's address.
    "accounts.middleware.IdleTimeoutMiddleware",
    # A service account's session, however it came about, is ended before any page.
    "accounts.middleware.ServiceAccountSessionMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
    # After the two-factor gate: a reset password is changed once the second factor is passed.
    "accounts.middleware.PasswordChangeRequiredMiddleware",
    # What is kept of the user's work (badges, "My work") is dropped after their own changes.
    "portal.middleware.ForgetKeptWorkMiddleware",
    # Last, as django-axes requires: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.navigation",
            ],
        },
    },
]

# Selects written in Python (kernel/renderers.py): a form of a thousand options rendered in
# milliseconds, not a hundred.
FORM_RENDERER = "kernel.renderers.FormRenderer"

WSGI_APPLICATION = "portal.wsgi.application"


def conn_max_age() -> int | None:
    """Seconds a database connection is reused (``DATABASE_CONN_MAX_AGE``); empty or ``none``:
    for the life of the thread (the default), each reuse checked first (conn_health_checks).

    Opening a PostgreSQL connection took 36–88 ms on a busy machine; reopened once a minute in
    every worker thread, it made single health checks and pages miss 100 ms
    (docs/performance.md, "Crafted uploads").
    """
    value = os.environ.get("DATABASE_CONN_MAX_AGE", "").strip().lower()
    return None if value in ("", "none") else int(value)


# SQLite by default (zero set-up); PostgreSQL when DATABASE_URL points at one.
# On PostgreSQL the portal connects as a runtime role that may not rewrite the audit trail;
# migrations, `db_roles` and `audit_purge` run as the tables' owner: PORTAL_DB_AS_OWNER=1 makes
# this process connect with DATABASE_OWNER_URL instead (docs/operations.md, "Database roles").
DATABASE_ENV = "DATABASE_URL"
if env_bool("PORTAL_DB_AS_OWNER"):
    if not os.environ.get("DATABASE_OWNER_URL"):
        raise ImproperlyConfigured("PORTAL_DB_AS_OWNER is set but DATABASE_OWNER_URL is not")
    DATABASE_ENV = "DATABASE_OWNER_URL"
DATABASES = {
    "default": dj_database_url.config(
        env=DATABASE_ENV,
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=conn_max_age(),
        conn_health_checks=True,
    )
}
# PostgreSQL: the read-only role (`db_roles --readonly`) the audit export reads as, switching
# to it for the export's transaction (kernel/db.py); empty: the runtime role, read-only mode.
DATABASE_READONLY_ROLE = os.environ.get("DATABASE_READONLY_ROLE", "")
# Tests on PostgreSQL may copy their database from an already migrated one (CI's `portal`):
# CREATE DATABASE ... TEMPLATE, so each test worker does not run every migration again.
if os.environ.get("DATABASE_TEST_TEMPLATE"):
    DATABASES["default"]["TEST"] = {"TEMPLATE": os.environ["DATABASE_TEST_TEMPLATE"]}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web process and the task worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT compilation pays off for long analytical scans, not for a portal's short queries:
    # the policy filters' correlated subqueries carry high cost estimates that cross the JIT
    # threshold, and compiling them took seconds where executing them takes milliseconds.
    # Prepared statements are planned for their values each time (force_custom_plan): a plan
    # made once for "a department" is the plan for an average one, and read the largest
    # department's 25,000 resources to sort them (docs/decisions.md).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = os.environ.get(
        "DATABASE_PG_OPTIONS", "-c jit=off -c plan_cache_mode=force_custom_plan"
    )
    # Server-side binding lets psycopg prepare the statements a connection repeats (from the
    # fifth execution), so PostgreSQL plans a request's policy queries once per connection
    # instead of on every request. Behind a transaction-pooling PgBouncer older than 1.21,
    # which cannot carry prepared statements, set DATABASE_PG_SERVER_SIDE_BINDING=0.
    if env_bool("DATABASE_PG_SERVER_SIDE_BINDING", True):
        DATABASES["default"]["OPTIONS"]["server_side_binding"] = True
        # Django turns psycopg's automatic preparation off unless a threshold is given.
        DATABASES["default"]["OPTIONS"]["prepare_threshold"] = 5

# A PostgreSQL streaming replica for the reads of safe requests (docs/operations.md, "Read
# replica"): the `replica` alias and its router (kernel/db_router.py). Unset: every query goes to
# `default`, no router. Writes, transactions, the requests of a user who wrote in the last
# PORTAL_REPLICA_PIN_SECONDS, commands and the task worker, and the security decisions' rows
# stay on the primary; so does everything while the replica is down or more than
# PORTAL_REPLICA_MAX_LAG_SECONDS behind (checked per process every PORTAL_REPLICA_CHECK_SECONDS).
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
PORTAL_REPLICA_PIN_SECONDS = env_int("PORTAL_REPLICA_PIN_SECONDS", 5)
PORTAL_REPLICA_MAX_LAG_SECONDS = env_int("PORTAL_REPLICA_MAX_LAG_SECONDS", 5)
PORTAL_REPLICA_CHECK_SECONDS = env_int("PORTAL_REPLICA_CHECK_SECONDS", 2)
if DATABASE_REPLICA_URL:
    replica = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=conn_max_age(), conn_health_checks=True
    )
    if not (DATABASES["default"]["ENGINE"] == replica["ENGINE"] == "django.db.backends.postgresql"):
        raise ImproperlyConfigured("DATABASE_REPLICA_URL needs PostgreSQL for both databases")
    # A replica that does not answer within seconds is taken as down: reads go to the primary.
    replica["OPTIONS"] = {
        **DATABASES["default"]["OPTIONS"],
        "connect_timeout": env_int("DATABASE_REPLICA_CONNECT_TIMEOUT", 2),
    }
    # Tests: the replica carries the primary's test database by physical replication, so none
    # is created (nor flushed) on it. MIRROR gives the alias the test database's NAME and keeps
    # its own host and port: its connection is to the replica server (tests/test_replica.py).
    replica["TEST"] = {"MIRROR": "default"}
    DATABASES["replica"] = replica
    DATABASE_ROUTERS = ["kernel.db_router.ReplicaRouter"]
    # Outermost: every read of a request, the session's included, sees the request's state.
    MIDDLEWARE.insert(0, "kernel.db_router.ReplicaMiddleware")

# The cache every worker shares: API rate limits, failed sign-in counts, facet counts and the
# calendar's schedule live in it, so it must be one for all processes (docs/operations.md,
# "Cache"). Redis when REDIS_URL is set (production); otherwise a table in the portal's own
# database (created by `manage.py createcachetable`), which needs nothing more to run.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES: dict[str, dict[str, object]]
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "kernel.cache.RedisCache",  # Django's, keeping its clients
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("PORTAL_CACHE_KEY_PREFIX", "portal"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "portal_cache",
            "OPTIONS": {"MAX_ENTRIES": env_int("PORTAL_CACHE_MAX_ENTRIES", 50000)},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # django-axes' lockout check, first: a locked-out account+address is refused before the
    # password is checked. (AxesBackend rather than the standalone one because force_login and
    # session loading use the first backend's get_user.)
    "axes.backends.AxesBackend",
    # The model backend checks passwords and answers model-level permissions (the Django admin);
    # object permissions come from the access policy (portal.backends.PolicyBackend).
    "django.contrib.auth.backends.ModelBackend",
    "portal.backends.PolicyBackend",
]
# guardian's own backend is deliberately absent: the policy backend consults guardian's tables
# together with clearance and grant validity, so has_perm and the selectors cannot disagree.
SILENCED_SYSTEM_CHECKS = ["guardian.W001"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # models.W040: catalog.Resource's resource_visibility index carries the facet columns along
    # (INCLUDE, a covering index) so PostgreSQL counts a catalog page from the index alone.
    # SQLite has no covering indexes and builds it on the key columns only, which is all the
    # demo and the tests need; the warning would otherwise greet every `make run`.
    SILENCED_SYSTEM_CHECKS.append("models.W040")
GUARDIAN_RAISE_403 = False
ANONYMOUS_USER_NAME = None

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        # The portal keeps a person's name in full_name, not Django's first and last names.
        "OPTIONS": {"user_attributes": ("username", "full_name", "email")},
    },
    {
        # Django's, with its message translated (accounts/validators.py says why).
        "NAME": "accounts.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Internationalisation: Chinese first, English complete.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Outside production whitenoise serves the static files straight from the source folders, so the
# demo (`make run`, DEBUG off) needs no collectstatic; a deployment serves the collected copies.
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    # Nor does it need the collected folder, which whitenoise would warn of on every start.
    warnings.filterwarnings("ignore", message="No directory at: ", category=UserWarning)

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "portal@localhost")

# The integrator API (docs/api.md). Tokens for systems, the session for the browsable API.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api.authentication.ApiTokenAuthentication",
        # The session, for the browsable API; DRF enforces CSRF on unsafe methods.
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "accounts.api.permissions.TokenScope",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "kernel.api.pagination.CursorPage",
    "DEFAULT_THROTTLE_CLASSES": ["accounts.api.throttling.PerTokenThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api": os.environ.get("PORTAL_API_THROTTLE_RATE", "600/min")},
    "EXCEPTION_HANDLER": "kernel.api.errors.exception_handler",
    # JSON only: a form-encoded or multipart body is 415 Unsupported Media Type. An endpoint
    # that takes files names its own parsers (none does in v1: data comes as JSON rows).
    "DEFAULT_PARSER_CLASSES": ["kernel.api.parsers.SafeJSONParser"],
    "DEFAULT_SCHEMA_CLASS": "kernel.api.schema.PortalAutoSchema",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
# Limits of a JSON body sent to the API (kernel.api.parsers); beyond any of them the answer is
# 400 before the body reaches a serializer. The array limit must allow a full data push batch.
PORTAL_API_MAX_BODY_BYTES = env_int("PORTAL_API_MAX_BODY_BYTES", 16 * 1024 * 1024)
PORTAL_API_MAX_STRING_LENGTH = env_int("PORTAL_API_MAX_STRING_LENGTH", 20_000)
PORTAL_API_MAX_ARRAY_LENGTH = env_int("PORTAL_API_MAX_ARRAY_LENGTH", 10_000)
SPECTACULAR_SETTINGS = {
    "TITLE": "A市 government information resource catalog and sharing API",
    "DESCRIPTION": "Version 1 of the integrator API. See docs/api.md for tokens, paging and errors.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # The default enum hook, one that leaves out the integer bounds each database derives
    # from its column types, so the committed schema is the same on SQLite and PostgreSQL.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "kernel.api.schema.drop_database_integer_bounds",
        # The links from an answer to the operations its id feeds (kernel/api/links.py).
        "kernel.api.links.add_links",
    ],
    "ENUM_NAME_OVERRIDES": {
        "LevelEnum": "accounts.models.Level",
        "NotificationKindEnum": "sharing.api.statuses.NOTIFICATION_KINDS",
        "KindEnum": "catalog.api.serializers.ITEM_KINDS",
        "DecisionEnum": "sharing.api.serializers.CORRECTION_DECISIONS",
        "SettleDecisionEnum": "sharing.api.serializers.SETTLE_DECISIONS",
        "WebhookEventEnum": "webhooks.models.EventKind",
        "WebhookDeliveryStateEnum": "webhooks.models.DeliveryState",
        # Interfaces go through the same four states as resources: one enum for both.
        "ResourceStatusEnum": "catalog.models.Resource.Status",
    },
}
# API tokens: the longest validity a token may be given, and the default.
API_TOKEN_MAX_DAYS = env_int("PORTAL_API_TOKEN_MAX_DAYS", 365)
API_TOKEN_DEFAULT_DAYS = env_int("PORTAL_API_TOKEN_DEFAULT_DAYS", 90)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}

# --- Domain settings (DOMAIN.md marks these configurable) -------------------------------
# Working days the provider has to answer a share request (国发〔2016〕51号: 10).
SHARE_REPLY_WORKING_DAYS = env_int("PORTAL_SHARE_REPLY_WORKING_DAYS", 10)
# The statutory calendar is data in the portal (workcalendar app, kept by the coordinator at
# /calendar/); each year's schedule is cached this long in the shared cache. From this day of
# the year (MM-DD) the portal warns while next year's schedule is not official.
PORTAL_CALENDAR_CACHE_SECONDS = env_int("PORTAL_CALENDAR_CACHE_SECONDS", 300)
PORTAL_CALENDAR_WARN_FROM = os.environ.get("PORTAL_CALENDAR_WARN_FROM", "11-01")
# Working days the provider has to answer a correction (校核纠错).
CORRECTION_REPLY_WORKING_DAYS = env_int("PORTAL_CORRECTION_REPLY_WORKING_DAYS", 10)
# Working days a provider has to answer a data need routed to it (需求清单).
NEED_REPLY_WORKING_DAYS = env_int("PORTAL_NEED_REPLY_WORKING_DAYS", 10)
# The region code (GB/T 2260) of the city that runs the portal.
PORTAL_REGION_CODE = os.environ.get("PORTAL_REGION_CODE", "340100")
PORTAL_CITY_NAME = os.environ.get("PORTAL_CITY_NAME", "A市")
# Accountability (考核): the weight of each scorecard component in the overall score; a JSON
# object in the environment may override some of them (accountability/rules.py defines them).
PORTAL_SCORE_WEIGHTS = {
    "catalog": 20,
    "freshness": 25,
    "timeliness": 25,
    "corrections": 10,
    "use": 10,
    "reuse": 10,
    **json.loads(os.environ.get("PORTAL_SCORE_WEIGHTS", "{}")),
}
# Months without a data update after which an information system counts as a zombie (僵尸系统).
PORTAL_ZOMBIE_MONTHS = env_int("PORTAL_ZOMBIE_MONTHS", 6)
# Days after its last (re-)confirmation by which an approved information system must be
# re-confirmed by its department (年度确认); past it, the zombie report lists it.
PORTAL_SYSTEM_RECONFIRM_DAYS = env_int("PORTAL_SYSTEM_RECONFIRM_DAYS", 365)
# Seconds the catalog's facet and home-page counts are cached per visibility (0: not cached).
PORTAL_FACET_CACHE_SECONDS = env_int("PORTAL_FACET_CACHE_SECONDS", 60)
# Seconds past that minute the counts are still shown while the task worker recounts them
# (kernel/stale.py); without a worker, the request after them recounts. 0: recount on the request.
PORTAL_FACET_STALE_SECONDS = env_int("PORTAL_FACET_STALE_SECONDS", 300)
# Seconds the city-wide part of the unfiltered counts (what every user of a clearance sees, one
# scan of the catalog) is kept per clearance and roles; a department's own entries are counted
# apart, within PORTAL_FACET_CACHE_SECONDS (catalog/selectors/browse.py).
PORTAL_FACET_SHARED_SECONDS = env_int("PORTAL_FACET_SHARED_SECONDS", 300)
# How long the navigation's badges and the home page's "My work" are kept per user in the
# shared cache (portal/kept.py); the user's own changes clear them. 0: built on every page.
PORTAL_WORK_KEPT_SECONDS = env_int("PORTAL_WORK_KEPT_SECONDS", 20)
# The evaluation's figures are stored per period and clearance (accountability.FiguresRun) and
# refreshed by the task worker this many seconds after a write (a burst makes one refresh),
# and nightly by `manage.py figures_refresh`. With REFRESH_ON_READ a page recomputes a run
# that is behind the audit trail when it reads it: for development and tests, where no worker
# runs; in production a page would then pay for the whole city.
PORTAL_FIGURES_REFRESH_DELAY = env_int("PORTAL_FIGURES_REFRESH_DELAY", 300)
PORTAL_FIGURES_REFRESH_ON_READ = env_bool("PORTAL_FIGURES_REFRESH_ON_READ", DEBUG)
# How many matches of a catalog query a page counts, ranks and lists at most (catalog.selectors
# .browse.resources_listing): a broader query says "more than N" and asks to be narrowed.
PORTAL_SEARCH_LISTED_MAX = env_int("PORTAL_SEARCH_LISTED_MAX", 1000)
# Catalog exports (/catalog/export/): the resources read at a time (each chunk's items and
# related codes are read with an id list of this size), and the most resources an xlsx holds
# (a workbook is built whole before it is sent; CSV streams and has no limit).
PORTAL_EXPORT_CHUNK = env_int("PORTAL_EXPORT_CHUNK", 2000)
PORTAL_EXPORT_XLSX_MAX_RESOURCES = env_int("PORTAL_EXPORT_XLSX_MAX_RESOURCES", 20_000)
# Largest catalog workbook (xlsx) an editor may upload for import, in bytes.
PORTAL_IMPORT_MAX_BYTES = env_int("PORTAL_IMPORT_MAX_BYTES", 5 * 1024 * 1024)
# Uploaded workbooks are refused from their zip directory, before any parser opens them
# (kernel/files.py): number of parts, a part's and the whole's inflated size, and how many
# times a part (over 1 MiB) expands. CSV lines longer than the limit are refused while reading.
PORTAL_XLSX_MAX_PARTS = env_int("PORTAL_XLSX_MAX_PARTS", 1000)
PORTAL_XLSX_MAX_PART_BYTES = env_int("PORTAL_XLSX_MAX_PART_BYTES", 512 * 1024 * 1024)
PORTAL_XLSX_MAX_INFLATED_BYTES = env_int("PORTAL_XLSX_MAX_INFLATED_BYTES", 512 * 1024 * 1024)
PORTAL_XLSX_MAX_RATIO = env_int("PORTAL_XLSX_MAX_RATIO", 100)
PORTAL_CSV_MAX_LINE_BYTES = env_int("PORTAL_CSV_MAX_LINE_BYTES", 1024 * 1024)
PORTAL_DATA_MAX_COLUMNS = env_int("PORTAL_DATA_MAX_COLUMNS", 500)
# Every uploaded file is parsed in a child process stopped at these limits (kernel/sandbox.py):
# seconds of CPU, and bytes of memory beyond what the process held when it forked.
PORTAL_PARSE_CPU_SECONDS = env_int("PORTAL_PARSE_CPU_SECONDS", 240)
PORTAL_PARSE_MEMORY_BYTES = env_int("PORTAL_PARSE_MEMORY_BYTES", 1024 * 1024 * 1024)

# Background tasks (file imports, figures; the catalog's facet recounts on "counts"): the
# database backend, worked by `manage.py db_worker --queue-name default,counts`.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("PORTAL_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "counts"],
    }
}

# --- Data delivery (datasets) ---------------------------------------------------------
# Largest file a provider may upload.
PORTAL_DATA_UPLOAD_MAX_BYTES = env_int("PORTAL_DATA_UPLOAD_MAX_BYTES", 200 * 1024 * 1024)
# Uploads are parsed a mebibyte at a time (kernel/upload_handlers.py): a quarter of the CPU of
# Django's 64 KiB chunks for a large file; small files stay in memory, large ones go to disk.
FILE_UPLOAD_HANDLERS = [
    "kernel.upload_handlers.MemoryFileUploadHandler1M",
    "kernel.upload_handlers.TemporaryFileUploadHandler1M",
]
# Largest request body read at all (kernel/request_size.py): a longer declared Content-Length
# is answered 413 before any of it is read. The largest upload, plus 1 MiB for the form's other
# fields and the multipart framing; 0 turns the check off.
PORTAL_REQUEST_MAX_BYTES = env_int(
    "PORTAL_REQUEST_MAX_BYTES",
    max(PORTAL_DATA_UPLOAD_MAX_BYTES, PORTAL_IMPORT_MAX_BYTES) + 1024 * 1024,
)
# Seconds an import job's lease lasts: the task worker renews it as it validates; a job whose
# lease ran out is failed by `manage.py import_jobs_sweep` (its worker died).
PORTAL_IMPORT_LEASE_SECONDS = env_int("PORTAL_IMPORT_LEASE_SECONDS", 300)
# Hours after which a queued import job that no worker started is deleted with its file.
PORTAL_IMPORT_STALE_HOURS = env_int("PORTAL_IMPORT_STALE_HOURS", 24)
# Hours after which a catalog Excel upload never confirmed (a valid preview, or one no worker
# ran) loses its workbook: `manage.py import_jobs_sweep` fails the job and removes the file.
PORTAL_UNCONFIRMED_UPLOAD_HOURS = env_int("PORTAL_UNCONFIRMED_UPLOAD_HOURS", 24)
# Errors listed in an import report; the rest are counted.
PORTAL_DATA_ERROR_LIMIT = env_int("PORTAL_DATA_ERROR_LIMIT", 1000)
# Dataset versions kept per resource (the active one included).
PORTAL_DATA_VERSIONS_KEPT = env_int("PORTAL_DATA_VERSIONS_KEPT", 2)
# Data quality (docs/data-quality.md): a new version whose score is more than this many points
# below the previous one's, or one of whose items lost more than this share of completeness
# (0–1), warns the provider, the grant holders and the followers.
PORTAL_QUALITY_DROP_POINTS = env_int("PORTAL_QUALITY_DROP_POINTS", 10)
PORTAL_QUALITY_COMPLETENESS_DROP = float(os.environ.get("PORTAL_QUALITY_COMPLETENESS_DROP", "0.05"))
# Items with more distinct values than this have no "most frequent values" in their profile.
PORTAL_QUALITY_TOP_MAX_DISTINCT = env_int("PORTAL_QUALITY_TOP_MAX_DISTINCT", 1000)
# Dates before 1 January of this year are not valid in a profile (nor more than a year ahead).
PORTAL_QUALITY_EARLIEST_YEAR = env_int("PORTAL_QUALITY_EARLIEST_YEAR", 1900)
# Most rows in one pushed batch.
PORTAL_DATA_PUSH_MAX_ROWS = env_int("PORTAL_DATA_PUSH_MAX_ROWS", 10_000)
# Largest page of rows and largest download.
PORTAL_DATA_PAGE_MAX = env_int("PORTAL_DATA_PAGE_MAX", 1000)
PORTAL_DATA_EXPORT_MAX_ROWS = env_int("PORTAL_DATA_EXPORT_MAX_ROWS", 1_000_000)
# The data item whose value is a row's region code (GB/T 2260), for grants scoped by region.
PORTAL_DATA_REGION_ITEM = os.environ.get("PORTAL_DATA_REGION_ITEM", "行政区划代码")
# Masking per personal-data kind: (characters kept at the start, characters kept at the end).
PORTAL_DATA_MASKING = {
    "id_number": (6, 4),
    "mobile": (3, 4),
    "name": (1, 0),
    "bank_card": (6, 4),
    "address": (6, 0),
}

# --- Webhooks (docs/api.md, "Webhooks") ------------------------------------------------
# The key the subscriptions' signing secrets are encrypted under (any string; a key is derived
# from it); empty: derived from SECRET_KEY, so changing SECRET_KEY then loses every secret.
PORTAL_WEBHOOK_KEY = os.environ.get("PORTAL_WEBHOOK_KEY", "")
# Seconds a delivery's POST may take (connecting: at most 5 of them).
PORTAL_WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("PORTAL_WEBHOOK_TIMEOUT_SECONDS", "10"))
# Minutes to wait before each retry of a failed delivery; after the last, the portal gives up.
PORTAL_WEBHOOK_RETRY_MINUTES = [
    int(m) for m in env_list("PORTAL_WEBHOOK_RETRY_MINUTES", "1,5,30,120,360")
]
# Failed deliveries in a row after which a subscription is disabled (its department's
# administrators are told); and the most subscriptions a department may have.
PORTAL_WEBHOOK_DISABLE_AFTER = env_int("PORTAL_WEBHOOK_DISABLE_AFTER", 10)
PORTAL_WEBHOOK_MAX_PER_DEPARTMENT = env_int("PORTAL_WEBHOOK_MAX_PER_DEPARTMENT", 20)

# --- Production hardening ------------------------------------------------------------
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Browsers keep the session cookie only for the browser session on shared machines.
    SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Headers every environment sends, so development sees what production enforces.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("PORTAL_SESSION_COOKIE_AGE", 8 * 3600)
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# --- Security baseline (等级保护 2.0 level 3; docs/security.md) ---------------------------
# Audit records are kept at least 180 days (网络安全法 Art. 21); audit_purge refuses less.
PORTAL_AUDIT_RETENTION_DAYS = env_int("PORTAL_AUDIT_RETENTION_DAYS", 365)
# Signed anchors of the audit chain (audit/anchors.py; docs/operations.md, "Audit anchors"):
# the Ed25519 private key manage.py audit_anchor signs with (a file only the anchor's OS user
# reads; the web process need not), the append-only file the anchors go to, and the public
# keys (base64, comma-separated: old ones stay after a rotation) audit_verify checks them with.
PORTAL_AUDIT_ANCHOR_KEY = os.environ.get("PORTAL_AUDIT_ANCHOR_KEY", "")
PORTAL_AUDIT_ANCHOR_FILE = os.environ.get("PORTAL_AUDIT_ANCHOR_FILE", "")
PORTAL_AUDIT_ANCHOR_PUBLIC_KEYS = env_list("PORTAL_AUDIT_ANCHOR_PUBLIC_KEYS")
# Sign-in lockout (django-axes): this many failures for one account from one address lock
# that pair for the cool-off time.
PORTAL_LOGIN_FAILURE_LIMIT = env_int("PORTAL_LOGIN_FAILURE_LIMIT", 5)
PORTAL_LOGIN_COOLOFF_MINUTES = env_int("PORTAL_LOGIN_COOLOFF_MINUTES", 30)
AXES_FAILURE_LIMIT = PORTAL_LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=PORTAL_LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "audit.middleware.client_address"
AXES_VERBOSE = False
# Failed sign-ins and refused API tokens are counted per client address and minute in the
# default cache; past this many in a minute, one summary event stands for the rest
# (audit/failures.py).
PORTAL_AUTH_FAILURE_AUDIT_LIMIT = env_int("PORTAL_AUTH_FAILURE_AUDIT_LIMIT", 5)
# Signed-in sessions end after this many minutes without a request.
PORTAL_IDLE_TIMEOUT_MINUTES = env_int("PORTAL_IDLE_TIMEOUT_MINUTES", 30)
# Roles that must complete TOTP two-factor sign-in before any page.
PORTAL_TWO_FACTOR_ROLES = env_list(
    "PORTAL_TWO_FACTOR_ROLES", "approver,coordinator,system_admin,security_admin,audit_admin"
)
PORTAL_TWO_FACTOR_REQUIRED = env_bool("PORTAL_TWO_FACTOR_REQUIRED", True)
# A holder of a privileged role creates an API token only within this many seconds of passing
# the second factor (accounts.policies.token_creation_refusal).
PORTAL_TOKEN_FRESH_2FA_SECONDS = env_int("PORTAL_TOKEN_FRESH_2FA_SECONDS", 600)
# An API token may be limited to at most this many client networks (CIDR).
API_TOKEN_MAX_NETWORKS = 20
OTP_TOTP_ISSUER = PORTAL_CITY_NAME
# The Content-Security-Policy of every response (kernel.security_headers): no inline script
# or style, no third-party origin, no framing.
PORTAL_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
)
PORTAL_PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
)

# The live exchange (exchange/, docs/api.md "Interfaces"). Interface secrets are encrypted with
# a key derived from PORTAL_EXCHANGE_SECRET_KEY (SECRET_KEY when unset; docs/operations.md).
PORTAL_EXCHANGE_SECRET_KEY = os.environ.get("PORTAL_EXCHANGE_SECRET_KEY", "")
# Calls through the broker per consumer department and interface, in the shared cache.
PORTAL_EXCHANGE_CALL_RATE = os.environ.get("PORTAL_EXCHANGE_CALL_RATE", "600/min")
# The circuit opens after this many consecutive failed calls, for this many seconds.
PORTAL_EXCHANGE_BREAKER_FAILURES = env_int("PORTAL_EXCHANGE_BREAKER_FAILURES", 5)
PORTAL_EXCHANGE_BREAKER_SECONDS = env_int("PORTAL_EXCHANGE_BREAKER_SECONDS", 60)
# Each process reads the outgoing-network allowlist again for a call after this many seconds
# (a change saved in the process is seen at once; exchange/egress.py). 0: on every call.
PORTAL_EXCHANGE_ALLOWLIST_SECONDS = env_int("PORTAL_EXCHANGE_ALLOWLIST_SECONDS", 5)
# An upstream answer larger than this is refused, not read.
PORTAL_EXCHANGE_MAX_RESPONSE_BYTES = env_int("PORTAL_EXCHANGE_MAX_RESPONSE_BYTES", 1_048_576)
# The certificate authorities (a PEM file) the portal's outgoing https calls trust, interfaces
# and webhooks alike: instead of the public ones (certifi) when set (exchange/transport.py).
PORTAL_EGRESS_CA_BUNDLE = os.environ.get("PORTAL_EGRESS_CA_BUNDLE", "")
