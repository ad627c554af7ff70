# Fondsflow developer commands. Everything runs from .venv/bin; nothing needs an activated venv.
#
#   make run      embedded default: SQLite, Celery eager, files under var/, mails to the console
#   make test     the test suite against PostgreSQL and Redis on 127.0.0.1 (make test ARGS="-k foo")
#   make lint     ruff
#   make worker   a Celery worker against real Redis (set CELERY_TASK_ALWAYS_EAGER=false for the web side)
#   make beat     Celery beat against real Redis
#   make bench    the benchmarks (bench/README.md): seeds PostgreSQL database ff_bench, serves it with gunicorn,
#                 measures against a floor; make bench BENCH_ARGS="--scale 0.05" for a quick run

VENV := .venv
PY := $(VENV)/bin/python
# The venv is (re)installed whenever pyproject.toml changes; the stamp holds the hash installed last.
STAMP := $(VENV)/.pyproject.sha256
PYPROJECT_HASH := $(shell sha256sum pyproject.toml | cut -d' ' -f1)
VAR_DIR := $(or $(FONDSFLOW_VAR_DIR),var)
ARGS ?=
BENCH_ARGS ?=

.PHONY: venv run test lint worker beat bench

venv:
	@if [ -x $(PY) ] && [ "$$(cat $(STAMP) 2>/dev/null)" = "$(PYPROJECT_HASH)" ]; then \
		echo "venv: $(VENV) is up to date with pyproject.toml"; \
	else \
		echo "venv: installing Fondsflow into $(VENV)" && \
		{ [ -x $(PY) ] || python3 -m venv $(VENV); } && \
		$(PY) -m pip install --disable-pip-version-check -e ".[dev]" && \
		echo "$(PYPROJECT_HASH)" > $(STAMP); \
	fi
	@# The English catalogue: recompiled when the .po is newer; without gettext the committed .mo serves.
	@if command -v msgfmt >/dev/null 2>&1; then \
		DJANGO_SETTINGS_MODULE=config.settings.local $(PY) manage.py compilemessages \
			--ignore=$(VENV) --ignore=$(VAR_DIR) --verbosity 0; \
	else \
		echo "venv: msgfmt (gettext) not found; using the committed locale/*/LC_MESSAGES/django.mo"; \
	fi

run: export DJANGO_SETTINGS_MODULE := config.settings.local
run: venv
	mkdir -p $(VAR_DIR)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py sync_roles
	$(PY) manage.py load_demo
	$(PY) manage.py runserver 127.0.0.1:8000

# pytest's exit code 5 means "no tests collected": named here, and a failure like any other.
# axe-core for the browser tests, from npm, at the version tests/browser/package-lock.json pins.
AXE := tests/browser/node_modules/axe-core/axe.min.js
$(AXE): tests/browser/package.json tests/browser/package-lock.json
	npm ci --prefix tests/browser --no-audit --no-fund
	@touch $(AXE)

test: export DJANGO_SETTINGS_MODULE := config.settings.test
test: venv $(AXE)
	@$(VENV)/bin/pytest -q $(ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests" >&2; fi; \
	exit $$rc

lint: venv
	$(VENV)/bin/ruff check .

worker: export DJANGO_SETTINGS_MODULE ?= config.settings.local
worker: venv
	$(VENV)/bin/celery -A config worker -l info

beat: export DJANGO_SETTINGS_MODULE ?= config.settings.local
beat: venv
	mkdir -p $(VAR_DIR)
	$(VENV)/bin/celery -A config beat -l info --schedule $(VAR_DIR)/celerybeat-schedule

# Needs PostgreSQL and Redis on 127.0.0.1 like `make test`; drops and re-creates the database ff_bench (Redis db 9).
bench: export DJANGO_SETTINGS_MODULE := config.settings.bench
bench: venv
	$(PY) -m bench.run $(BENCH_ARGS)
