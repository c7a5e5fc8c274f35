# Tsuzuri — `make run` serves the app, `make test` runs every test. Both start from a bare
# Debian machine with Python 3.11, make and apt: they make the virtualenv and install what they need.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MO := locale/ja/LC_MESSAGES/django.mo
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2

.PHONY: run serve test test-pg test-fast soak browsers lint format bench clean

run: $(VENV)/.runtime $(MO)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput -v0
	@echo "Tsuzuri: http://$(HOST):$(PORT)/  (data in $${TSUZURI_DATA_DIR:-./data})"
	$(BIN)/python manage.py runserver --noreload $(HOST):$(PORT)

# Production: gunicorn, with whitenoise serving the compressed, hashed static files. Put it behind
# an HTTPS reverse proxy (README.md, "Deployment"). Access log on stdout.
serve: $(VENV)/.runtime $(MO)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/gunicorn config.wsgi --bind $(HOST):$(PORT) --workers $(WORKERS) \
		--access-logfile - --error-logfile -

test: $(VENV)/.dev $(MO) browsers
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run -v0
	$(BIN)/pytest -n 2 --create-db --screenshot=only-on-failure --output=test-artifacts/playwright
	@$(MAKE) --no-print-directory test-pg

# The suite again on PostgreSQL: scripts/ensure-postgres installs Debian's server when missing,
# starts a throwaway one on loopback (reused while it runs) and prints its DATABASE_URL. The
# browser tests of look and operation (tests/browser/conftest.py, LOOK_AND_FEEL) and the tests
# that reach no database (tests/conftest.py, database_free) run once, above.
test-pg: $(VENV)/.dev $(MO) browsers
	@echo "Running the suite on PostgreSQL…"
	url=$$(scripts/ensure-postgres) && DATABASE_URL=$$url $(BIN)/pytest -n 2 --create-db \
		-m "not look_and_feel and not database_free" --screenshot=only-on-failure \
		--output=test-artifacts/playwright-pg

# Load and kill -9 on loopback: gunicorn (2 workers), 20 clients, 60 s plain and 60 s with the
# server killed halfway; nothing acknowledged may be lost (scripts/soak.py). A short version runs
# in `make test` (tests/soak/). With DATABASE_URL set to PostgreSQL it soaks a fresh database there.
soak: $(VENV)/.runtime $(MO)
	$(BIN)/python scripts/soak.py

# Without the browser tests: seconds, for the edit-test loop.
test-fast: $(VENV)/.dev $(MO)
	$(BIN)/pytest -m "not browser"

# Is it still instant after ten years? Builds a 1- and a 10-year demo journal under data/bench/
# (kept for the next run that day), times every page in-process against a floor, search against
# LIKE, and today's first load, an inline edit and an offline reload in Chromium; prints a
# Markdown table and writes bench-results.json (scripts/bench.py). Minutes; not part of `make test`.
bench: $(VENV)/.dev $(MO) browsers
	$(BIN)/python scripts/bench.py

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

browsers:
	@scripts/ensure-browser

$(BIN)/python:
	@scripts/ensure-venv $(PYTHON) $(VENV)

$(VENV)/.runtime: pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -c requirements.lock .
	@touch $@

$(VENV)/.dev: pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -c requirements.lock ".[dev]"
	@touch $@ $(VENV)/.runtime

$(MO): locale/ja/LC_MESSAGES/django.po $(VENV)/.runtime
	$(BIN)/python scripts/compile_translations.py

clean:
	rm -rf $(VENV) staticfiles build *.egg-info $(MO)
