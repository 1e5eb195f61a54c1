# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
OIDC_PROVIDER := tests/identity/oidc_provider

.PHONY: run worker test lint serve bench system-deps install install-dev clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(PY)
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(PY)
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

install: $(VENV)/.runtime system-deps
install-dev: $(VENV)/.dev system-deps $(OIDC_PROVIDER)/node_modules/.package-lock.json

# The single sign-on tests run a real OpenID provider (the `oidc-provider` package) with Node,
# installed from the lock file. Node and npm come from the distribution when missing.
$(OIDC_PROVIDER)/node_modules/.package-lock.json: $(OIDC_PROVIDER)/package-lock.json
	@command -v npm >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nodejs npm >/dev/null; \
	}
	npm ci --prefix $(OIDC_PROVIDER) --no-audit --no-fund --silent
	touch $@

# WeasyPrint needs Pango; PDFs need fonts for every script; browser tests need Chromium; the
# tests of a deployment on several machines start redis-server when no Redis runs.
# Installed from the distribution's packages when missing (as root, or through sudo).
SYSTEM_PACKAGES := chromium poppler-utils libpango-1.0-0 libpangoft2-1.0-0 redis-server \
	fonts-dejavu-core fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji fonts-noto-extra
system-deps:
	@missing=""; \
	for pkg in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$pkg 2>/dev/null | grep -q "ok installed" || missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

# Development server with demo data, and a background worker beside it (documents, reminders,
# webhooks); both stop together. Running it again keeps the data.
# Links in the emails the demo and the worker send point at this server, unless SITE_URL is set.
RUN_ENV = DEBUG=1 SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)}
run: install
	$(RUN_ENV) $(MANAGE) migrate --no-input
	$(RUN_ENV) $(MANAGE) load_demo
	$(RUN_ENV) $(MANAGE) create_demo_users --url http://$(HOST):$(PORT)/
	$(RUN_ENV) $(MANAGE) load_demo_documentation
	$(RUN_ENV) $(MANAGE) load_demo_assessments
	$(RUN_ENV) $(MANAGE) worker --no-reload --verbosity 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(RUN_ENV) $(MANAGE) runserver $(HOST):$(PORT)

# A background worker on its own (production: one or more per machine, see README).
worker: install
	DEBUG=$${DEBUG:-1} $(MANAGE) worker

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	DEBUG=1 $(MANAGE) makemigrations --check --dry-run

# The suite runs in one process per core (pytest-xdist), each with a test database of its own.
# TEST_WORKERS=0 runs it in a single process; `pytest tests/<file>` alone runs in one too.
# Tests are handed out one at a time in pytest-django's order, so in every process the tests
# that commit (and empty the database when they end) still come after the others; handing out
# whole files (--dist loadfile) would run later files on an emptied database.
TEST_WORKERS ?= auto
test: install-dev lint
	$(VENV)/bin/pytest -n $(TEST_WORKERS)

# The app as it runs in production: gunicorn, DEBUG off, static files by whitenoise.
# HTTPS=0 because it serves plain HTTP on this machine; behind a TLS proxy leave it on.
serve: install
	DEBUG=1 $(MANAGE) migrate --no-input
	export DEBUG=0 HTTPS=0 \
	  SECRET_KEY=$${SECRET_KEY:-$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')} \
	  ALLOWED_HOSTS=$${ALLOWED_HOSTS:-127.0.0.1,localhost}; \
	$(MANAGE) collectstatic --no-input --verbosity 0 && \
	exec $(VENV)/bin/gunicorn procurement.wsgi --bind $(HOST):$(PORT) \
	  --workers $${WEB_CONCURRENCY:-3} --access-logfile - --logger-class portal.gunicorn.Logger

# Benchmarks against PostgreSQL (127.0.0.1:5432, user postgres) with gunicorn and DEBUG off:
# seeds bench_1x and bench_10x once, then reuses them. See bench/README.md. A measurement: it
# exits 0 when a target is missed. BENCH_ARGS="--scales 1" for the small scale only.
bench: install-dev
	$(PY) -m bench.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache $(OIDC_PROVIDER)/node_modules
