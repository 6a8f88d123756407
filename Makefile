# The portal's entry points. `make run` starts it with demo data; `make test` runs every test,
# the slowest crawls and property tests on a fixed sample; `make test-full` runs them in full.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# `make run` serves the demo as a deployment would: DEBUG off, the portal's own error pages.
# DJANGO_DEBUG=1 make run brings back Django's debug pages.
# runserver's "not for production" notice is left out: the README's Production section says so.
DJANGO_DEBUG ?= 0
PYTEST_ARGS ?=
# pytest-xdist workers: one per core, at most 4 (each worker builds its own test database).
# Whole files go to one worker (loadgroup, a group per file: tests/conftest.py): a module's
# shared fixtures (the access matrix, the demo) are built once, its tests run in the order the
# conftest gives them; the leak crawls' parts are spread over the workers.
TEST_WORKERS ?= auto
# The 25 slowest tests are listed after each run, to see where the suite's time goes.
PYTEST := $(BIN)/python -m pytest -n $(TEST_WORKERS) --maxprocesses=4 --dist loadgroup --durations=25

.PHONY: run banner test test-full install install-run lock lint typecheck check messages schema client contract demo serve clean

# Dependencies are declared in pyproject.toml and installed from its lock files, every file
# checked against its hash (docs/decisions.md, "Dependencies: pyproject and hashed locks").
# `make run` installs only the runtime (requirements.lock); the tests, lint and type checks add
# the rest (requirements-dev.lock, the same runtime pins with the test and dev extras). Each has
# its own stamp, so `make test` after `make run` installs only what is missing.
# The packages are installed by uv (pinned with its hashes in requirements-uv.lock, installed by
# pip run from its wheel: scripts/make_venv.py): it fetches and unpacks them in parallel and byte-compiles them on every core, where pip
# does one file after another (docs/decisions.md, "Installing with uv").
PIP_INSTALL := $(BIN)/uv pip install --quiet --native-tls --python $(BIN)/python --require-hashes \
	--compile-bytecode

$(VENV)/.installed-run: requirements.lock requirements-uv.lock
	$(PYTHON) scripts/make_venv.py $(VENV) requirements-uv.lock
	$(PIP_INSTALL) -r requirements.lock
	touch $@

$(VENV)/.installed: $(VENV)/.installed-run requirements-dev.lock
	$(PIP_INSTALL) -r requirements-dev.lock
	touch $@

# What the portal needs to run.
install-run: $(VENV)/.installed-run

# Everything: the runtime, the tests and the tools.
install: $(VENV)/.installed

# Refresh the lock files after changing a dependency in pyproject.toml: pip-tools, in a venv of
# its own, resolves from PyPI alone (this machine's pip configuration is ignored, so the pins and
# hashes are PyPI's) and keeps every pin it is not asked to change; LOCK_ARGS=--upgrade moves
# them all, LOCK_ARGS="--upgrade-package X" one.
LOCK_VENV ?= .venv-lock
LOCK_ARGS ?=
PIP_COMPILE := env -u PIP_FIND_LINKS -u PIP_CONSTRAINT PIP_CONFIG_FILE=/dev/null \
	CUSTOM_COMPILE_COMMAND="make lock" $(LOCK_VENV)/bin/pip-compile --quiet --generate-hashes \
	--strip-extras --no-emit-index-url --no-emit-find-links $(LOCK_ARGS)
lock:
	$(PYTHON) scripts/make_venv.py $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install --quiet --disable-pip-version-check pip-tools==7.6.2
	$(PIP_COMPILE) --output-file requirements.lock pyproject.toml
	$(PIP_COMPILE) --extra test --extra dev --constraint requirements.lock \
		--output-file requirements-dev.lock pyproject.toml
	$(PIP_COMPILE) --output-file requirements-uv.lock requirements-uv.in

# Start the portal on SQLite with the demo loaded, on http://$(HOST):$(PORT)/ (e.g. PORT=8123 make run).
# The system checks run once, when the server starts (they import every view).
# The catalogs compile while the database migrates.
run: install-run
	$(BIN)/python manage.py compile_translations --skip-checks & \
	$(BIN)/python manage.py migrate --noinput --skip-checks && wait $$!
	$(BIN)/python manage.py load_demo --skip-checks
	@$(MAKE) --no-print-directory banner
	DJANGO_DEBUG=$(DJANGO_DEBUG) DJANGO_RUNSERVER_HIDE_WARNING=true $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The demo accounts and the address the portal is served on.
banner:
	@sed 's|http://127.0.0.1:8000/|http://$(HOST):$(PORT)/|' docs/demo-accounts.txt

# Run every test, the leak crawls and hypothesis tests on a fixed sample (tests/sampling.py),
# in parallel (DATABASE_URL selects PostgreSQL).
test: install
	$(BIN)/python manage.py compile_translations
	$(PYTEST) $(PYTEST_ARGS)

# The same tests with every crawl pair and every hypothesis example.
test-full: install
	$(BIN)/python manage.py compile_translations
	$(PYTEST) --full $(PYTEST_ARGS)

# bench/run and bench/load are scripts without a .py suffix: name them so ruff sees them.
lint: install
	$(BIN)/ruff check . bench/run bench/load
	$(BIN)/ruff format --check . bench/run bench/load

typecheck: install
	$(BIN)/mypy kernel accounts catalog sharing datasets exchange needs audit accountability webhooks portal workcalendar demo clients/python/examples

check: lint typecheck test

# Refresh the committed OpenAPI schema (docs/openapi.yaml) after changing the API; a test fails
# while it differs from the generated one.
schema: install
	$(BIN)/python manage.py spectacular --lang zh-hans --validate --fail-on-warn --file docs/openapi.yaml

# Regenerate the Python client (clients/python/portal_client) from docs/openapi.yaml, after
# `make schema`; a test fails while the committed client differs from the generated one.
client: install
	$(BIN)/python scripts/generate_client.py

# Fuzz the API of a running portal from its schema (schemathesis, every check), e.g. with
# `make run` in another terminal: CONTRACT_USER's token (read scope unless CONTRACT_SCOPES says
# read,write; writes change the demo data). Not part of `make test` (tests/api/test_schemathesis.py
# fuzzes a sample in-process there, and follows the schema's links). The stateful phase chains
# create → read → act along the links. Every check runs, positive_data_acceptance too: a body the
# schema allows is answered or refused as 401/403/404/409/422/429, never 400 (the statuses are in
# schemathesis.toml, which the CLI reads from the working directory; --config-file says so).
CONTRACT_USER ?= mz_staff
CONTRACT_SCOPES ?= read
CONTRACT_EXAMPLES ?= 20
contract: install
	KEY=$$($(BIN)/python manage.py issue_token $(CONTRACT_USER) --scopes $(CONTRACT_SCOPES) --days 1 --name "make contract") && \
	$(BIN)/schemathesis --config-file schemathesis.toml run http://$(HOST):$(PORT)/api/v1/schema/ \
		-H "Authorization: Bearer $$KEY" --checks all -n $(CONTRACT_EXAMPLES) \
		--phases examples,coverage,fuzzing,stateful

# Refresh the gettext catalogs after changing user-facing text (needs GNU gettext).
messages: install
	$(BIN)/python manage.py makemessages -l zh_Hans -l en --ignore '.venv/*' --ignore 'static/*'
	for app in kernel accounts catalog sharing datasets exchange needs audit accountability webhooks portal workcalendar; do (cd $$app && ../$(BIN)/python ../manage.py makemessages -l zh_Hans -l en); done

clean:
	rm -rf $(VENV) $(LOCK_VENV) db.sqlite3 staticfiles .pytest_cache .mypy_cache .ruff_cache
