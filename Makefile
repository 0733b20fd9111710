# Needlepoint: `make run` (demo clinic on SQLite at http://127.0.0.1:8000; `make run PORT=9000`), `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
PYTEST_WORKERS ?= 2
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test test-sqlite test-postgres fuzz lint typecheck importlint migrations-check openapi openapi-check check bench loadtest loadtest-sqlite clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: install
	$(PY) -m needlepoint migrate --noinput
	NEEDLEPOINT_HOST=$(HOST) PORT=$(PORT) $(PY) -m needlepoint demo
	$(PY) -m needlepoint serve --host $(HOST) --port $(PORT) --with-worker

# The whole suite on SQLite, then everything that touches a database again on PostgreSQL.
test: install test-sqlite test-postgres

test-sqlite:
	DATABASE_URL= NEEDLEPOINT_ENV=test $(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadfile

test-postgres:
	DATABASE_URL=$(TEST_DATABASE_URL) NEEDLEPOINT_ENV=test NEEDLEPOINT_TEST_PASS=postgres \
		$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadfile --ignore=tests/domain -m "not browser"

# The long fuzz run: schemathesis (every check) over the API and hypothesis over every page's
# query parameters, on both databases, with many more examples than `make test` runs.
FUZZ_EXAMPLES ?= 300
FUZZ_TESTS := tests/api/test_fuzz_openapi.py tests/site/test_fuzz_pages.py

fuzz: install
	DATABASE_URL= NEEDLEPOINT_ENV=test NEEDLEPOINT_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) \
		$(PY) -m pytest -p no:randomly $(FUZZ_TESTS)
	DATABASE_URL=$(TEST_DATABASE_URL) NEEDLEPOINT_ENV=test NEEDLEPOINT_TEST_PASS=postgres \
		NEEDLEPOINT_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(PY) -m pytest -p no:randomly $(FUZZ_TESTS)

lint: install
	$(VENV)/bin/ruff check needlepoint tests
	$(VENV)/bin/ruff format --check needlepoint tests

# The whole project, then the domain core under --strict.
typecheck: install
	$(VENV)/bin/mypy needlepoint
	$(VENV)/bin/mypy --strict needlepoint/domain

importlint: install
	$(VENV)/bin/lint-imports

migrations-check: install
	NEEDLEPOINT_ENV=test $(PY) -m needlepoint makemigrations --check --dry-run

openapi: install
	NEEDLEPOINT_ENV=test $(PY) -m needlepoint export_openapi > openapi.json

openapi-check: install
	NEEDLEPOINT_ENV=test $(PY) -m needlepoint export_openapi > $(VENV)/openapi.current.json
	@diff -u openapi.json $(VENV)/openapi.current.json || \
		(echo "openapi.json is out of date: run 'make openapi' and commit it" && exit 1)

check: lint typecheck importlint migrations-check openapi-check

bench: install
	NEEDLEPOINT_ENV=test $(PY) -m needlepoint bench
	NEEDLEPOINT_ENV=test $(PY) -m tests.domain.photo_measures.bench
	NEEDLEPOINT_ENV=test $(PY) -m needlepoint bench_export
	NEEDLEPOINT_ENV=test $(PY) -m needlepoint bench_reports
	NEEDLEPOINT_ENV=test $(PY) -m needlepoint bench_load

# Locust against gunicorn servers and `needlepoint worker`s (docs/performance.md, decisions
# 0680, 0681). Default: issue #16's configuration on PostgreSQL (2 servers, 2 workers,
# 4 locations, 200 users, 5 minutes) on a throwaway database (LOAD_DATABASE names it).
# `make loadtest DB=sqlite` (or `make loadtest-sqlite`): 1 server, 1 worker, 1 clinic, 25 users.
DB ?= postgres
LOAD_DURATION ?= 5m
LOAD_USERS ?=
LOAD_DATABASE ?=
LOAD_SETTLE ?= 180
loadtest: install
	$(PY) -m pip install --quiet -e '.[load]'
	NEEDLEPOINT_ENV=test $(PY) -m needlepoint loadtest --db $(DB) --duration $(LOAD_DURATION) \
		--settle $(LOAD_SETTLE) $(if $(LOAD_USERS),--users $(LOAD_USERS)) $(if $(LOAD_DATABASE),--database $(LOAD_DATABASE))

loadtest-sqlite:
	$(MAKE) loadtest DB=sqlite

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
