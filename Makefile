# MOPR case management. `make help` lists the targets.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/mopr
REDIS ?= redis://127.0.0.1:6379/15
CHROMIUM ?= /usr/bin/chromium
WORKERS ?= 2

.PHONY: help install messages demo test test-fast lint check bench-smoke smoke

help: ## show this help
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/activate: requirements.lock requirements-test.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements-test.lock
	touch $(BIN)/activate

# The Polish message catalogue (plural forms): the .po is committed, the .mo is compiled here (GNU gettext's
# msgfmt) by every target that runs the application.
PO := locale/pl/LC_MESSAGES/django.po
MO := locale/pl/LC_MESSAGES/django.mo
$(MO): $(PO)
	msgfmt --check -o $@ $<

install: $(BIN)/activate $(MO) ## create .venv, install the locked dependencies, compile the message catalogue

messages: $(BIN)/activate ## re-extract the Polish catalogue from the sources (fill new plural forms by hand), compile it
	MOPR_DEMO=1 $(BIN)/python manage.py makemessages -l pl --no-location --no-obsolete \
		--ignore=.venv --ignore=bench --ignore=tests --ignore=staticfiles --ignore=media
	msgfmt --check -o $(MO) $(PO)

# DEBUG stays off, so a 404 or 500 shows the Polish error pages; plain HTTP on loopback needs non-secure cookies,
# and runserver serves the static files itself (--insecure).
demo: install ## SQLite + eager Celery: migrate, load demo data, serve on http://127.0.0.1:8000
	MOPR_DEMO=1 $(BIN)/python manage.py migrate --noinput
	MOPR_DEMO=1 $(BIN)/python manage.py seed_demo
	MOPR_DEMO=1 SECURE_COOKIES=false $(BIN)/python manage.py runserver --insecure 127.0.0.1:8000

# worksteal: a worker that runs out of tests takes half of the other's queue, so the long fuzz tests (tens of
# seconds each at 200 examples) do not leave one worker running alone at the end as the fixed chunks of `load` did.
test: install ## the whole suite on PostgreSQL and Redis, with a real worker and Chromium
	DATABASE_URL=$(PG_URL) REDIS_URL=$(REDIS) CHROMIUM_PATH=$(CHROMIUM) $(BIN)/python -m pytest -q -n $(WORKERS) --dist worksteal --durations=15 $(PYTEST_ARGS)

test-fast: install ## the suite without browser and worker tests
	DATABASE_URL=$(PG_URL) REDIS_URL=$(REDIS) $(BIN)/python -m pytest -q -m "not browser and not worker" $(PYTEST_ARGS)

smoke: install ## production-like run (DEBUG off): gunicorn, Celery worker and beat, SMTP, backup+restore (~3 min)
	$(BIN)/python ops/smoke.py

lint: install ## ruff and the Django checks CI makes
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	MOPR_DEMO=1 $(BIN)/python manage.py makemigrations --check --dry-run
	MOPR_DEMO=1 $(BIN)/python manage.py check

BENCH_DB ?= mopr_bench_smoke
bench-smoke: install ## the benchmark at 1/100 size on a throwaway database (a smoke run: prints figures, judges none)
	dropdb -h 127.0.0.1 -U postgres --if-exists $(BENCH_DB)
	createdb -h 127.0.0.1 -U postgres $(BENCH_DB)
	SECRET_KEY=bench-smoke-not-secret-0123456789abcdefghijklmnopqrstuvwxyz MANIFEST_STATIC=false \
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/$(BENCH_DB) REDIS_URL=redis://127.0.0.1:6379/13 \
	$(BIN)/python manage.py benchmark --size small --repeat 3 --load-seconds 3 --output $${TMPDIR:-/tmp}/mopr-bench
	dropdb -h 127.0.0.1 -U postgres --if-exists $(BENCH_DB)
