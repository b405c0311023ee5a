# The one place the project's commands live. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

# A Python >= 3.12: a working python3.13 / python3.12 / python3 on the PATH first
# (a pyenv shim that cannot run counts as missing), then any under pyenv.
define find_python
for candidate in python3.13 python3.12 python3; do \
  if command -v $$candidate >/dev/null 2>&1 && \
     $$candidate -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
    command -v $$candidate; exit 0; \
  fi; \
done; \
root=$$(pyenv root 2>/dev/null || echo "$$HOME/.pyenv"); \
for candidate in $$(ls -d "$$root"/versions/3.* 2>/dev/null | sort -rV); do \
  if "$$candidate/bin/python3" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
    echo "$$candidate/bin/python3"; exit 0; \
  fi; \
done; \
exit 1
endef

.PHONY: help install messages run test lint format bench bench-peer bench-images bench-writers bench-live eval-importer clean

help:
	@echo "make run    set up, load the demo content and serve on http://$(HOST):$(PORT)/"
	@echo "make test   set up, then run the linters and the whole test suite"
	@echo "make lint   ruff check and ruff format --check"
	@echo "make format ruff format and ruff check --fix"
	@echo "make messages  the interface text into locale/*/django.po (needs GNU gettext)"
	@echo "make bench  seed (or reuse) 100,000 articles, serve them with gunicorn, load with wrk"
	@echo "make bench-peer   uncached pages beside the Wagtail peer, in one run (PEER_SCRIPT=...)"
	@echo "make bench-images  time and memory of processing a 24-megapixel picture"
	@echo "make bench-writers readers and two editors saving through the admin for 60 s: no 5xx, no lost save"
	@echo "make bench-live   500 readers polling a live page, 3 writers posting, 2 min: no 5xx, no lost update"
	@echo "make eval-importer the importer on the wire-copy corpus: quotes, speakers, roles, events"

$(VENV)/.installed: pyproject.toml
	@python=$$($(find_python)) || { \
	  echo "Newsroom needs Python 3.12 or newer, and none was found on the PATH or under pyenv."; \
	  echo "Install one, e.g. 'apt-get install python3.12 python3.12-venv' or 'pyenv install 3.12', then run make again."; \
	  exit 1; }; \
	if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	  echo "Creating $(VENV) with $$python"; rm -rf $(VENV); "$$python" -m venv $(VENV); \
	fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

# The catalogues of the interface text compiled (Babel: no system package needed).
install: $(VENV)/.installed
	@$(PY) -m newsroom.catalogues

messages: install
	$(PY) -m newsroom.catalogues extract

# The demo site in English and French (its seed article has a French translation).
run: export SITE_LANGUAGES ?= en-gb,fr
run: install
	$(MANAGE) migrate --no-input
	$(MANAGE) load_demo
	@echo
	@SITE_URL=http://$(HOST):$(PORT) $(MANAGE) demo_login
	@echo "Site: http://$(HOST):$(PORT)/"
	@echo
	$(MANAGE) runserver $(HOST):$(PORT)

test: install lint
	$(MANAGE) check --fail-level WARNING
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

BENCH_ARTICLES ?= 100000

# DATABASE_URL=postgres://... to measure PostgreSQL; SQLite (bench/data/) by default.
bench: install
	@command -v wrk >/dev/null 2>&1 || { \
	  echo "Installing wrk, the load generator"; \
	  if [ "$$(id -u)" -eq 0 ]; then apt-get install -y -qq wrk; else sudo apt-get install -y -qq wrk; fi; }
	$(PY) bench/run.py --articles $(BENCH_ARTICLES)
	@if [ -f "$(PEER_SCRIPT)" ]; then $(MAKE) --no-print-directory bench-peer; \
	else echo "No peer to compare with: PEER_SCRIPT=path/to/side_by_side.sh for the side-by-side"; fi

# Cold pages beside the Wagtail peer (its script builds the peer the first time: minutes).
PEER_SCRIPT ?= ../shared/peers/side_by_side.sh
PEER_ROUNDS ?= 3
PEER_DURATION ?= 10s

bench-peer: install
	@command -v wrk >/dev/null 2>&1 || { echo "wrk is needed: apt-get install wrk"; exit 1; }
	@# The script serves our pages in production mode, which needs the hashed static files.
	env NEWSROOM_ENV=production SECRET_KEY=bench-$$(printf 'x%.0s' {1..60}) ALLOWED_HOSTS=127.0.0.1 \
	  SINGLE_MACHINE=true $(MANAGE) collectstatic --noinput -v0
	$(PY) bench/side_by_side.py --script "$(PEER_SCRIPT)" --rounds $(PEER_ROUNDS) --duration $(PEER_DURATION)

bench-images: install
	$(PY) bench/images.py --runs 5

# DATABASE_URL=postgres://... to measure PostgreSQL; a fresh SQLite file by default.
bench-writers: install
	$(PY) bench/writers.py --seconds $(or $(SECONDS),60)

# DATABASE_URL=postgres://... to measure PostgreSQL; a fresh SQLite file by default.
bench-live: install
	$(PY) bench/live.py --seconds $(or $(SECONDS),120)

# Scores the importer against the hand-checked keys of bench/importer/corpus/ (dev and
# held-out) and writes the figures to bench/importer.md.
eval-importer: install
	$(PY) bench/importer_eval.py --set all --write

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles
