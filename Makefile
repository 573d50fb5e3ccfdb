PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DJANGO_SETTINGS_MODULE := backend.settings

.PHONY: setup run test checks lint format schema migrations bench-permissions bench clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is required"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet ".[dev]"
	touch $@

setup: $(STAMP)

## Serve the API with demo data on http://127.0.0.1:8000/graphql/ (SQLite unless DATABASE_URL is set).
run: export DEBUG ?= 1
run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --scale 1
	$(BIN)/python manage.py runserver 127.0.0.1:8000

## Serve the API as in production: DEBUG off, static files collected, migrations applied, gunicorn on
## BIND (127.0.0.1:8000). Needs SECRET_KEY; SQLite unless DATABASE_URL is set.
.PHONY: serve
serve: export DEBUG = 0
serve: $(STAMP)
	@[ -n "$$SECRET_KEY" ] || { echo "make serve needs SECRET_KEY in the environment (a long random string, kept secret)." >&2; exit 1; }
	$(BIN)/python manage.py collectstatic --noinput
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python -m gunicorn -c backend/gunicorn_config.py backend.wsgi:application

## Lint, Django checks, migration drift and the whole test suite on a throwaway PostgreSQL, then the
## money flows on SQLite.
test: $(STAMP)
	.ci/with-postgres $(MAKE) --no-print-directory checks

checks:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 $(BIN)/python manage.py check
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run
	SECRET_KEY=test-only-key $(BIN)/pytest
	@# The money flows again, on the quick start's SQLite database (tests marked `sqlite`).
	DATABASE_URL=sqlite:///$(CURDIR)/.venv/sqlite-tests.sqlite3 SECRET_KEY=test-only-key $(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## Write the committed SDL from the code.
schema: $(STAMP)
	DEBUG=1 $(BIN)/python manage.py export_schema schema.schema --path schema/schema.graphql

## The visibility filter at 200,000 jobs and 500,000 grants: EXPLAIN plans and timings (a few minutes).
bench-permissions: $(STAMP)
	SECRET_KEY=bench-only-key .ci/with-postgres sh -c '$(BIN)/python manage.py migrate -v0 && $(BIN)/python manage.py permissions_scale'

## Nested reads over HTTP against the production server and their SQL floor, at 1,000 projects (JSON on
## stdout, a table on stderr; about half an hour). Options: make bench BENCH_ARGS="--scale 0.1 --out b.json".
bench: $(STAMP)
	SECRET_KEY=bench-only-key .ci/with-postgres sh -c '$(BIN)/python manage.py migrate -v0 && $(BIN)/python manage.py bench $(BENCH_ARGS)'

## Money mutations racing over HTTP against the production server: 50 clients for 60 s on a few shared
## invoices and payments, a worker killed with SIGKILL and PostgreSQL restarted mid-run, then an audit
## (JSON on stdout, exit 1 when it fails; about 2 minutes). Options: make race RACE_ARGS="--duration 10
## --no-restart-postgres --out race.json".
.PHONY: race
race: $(STAMP)
	SECRET_KEY=race-only-key .ci/with-postgres sh -c '$(BIN)/python manage.py migrate -v0 && $(BIN)/python manage.py race $(RACE_ARGS)'

migrations: $(STAMP)
	DEBUG=1 $(BIN)/python manage.py makemigrations

clean:
	rm -rf $(VENV) db.sqlite3
