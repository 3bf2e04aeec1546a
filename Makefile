# One command to try the platform, one to test it. Both set everything up on a fresh machine
# (Python 3.11, Java 17, Maven): virtual environment, PostgreSQL, Elasticsearch, the shared store
# (Valkey: page cache, invalidation, rate limits), migrations.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
export GOVSITE_ES_PORT ?= 9250
export GOVSITE_PG_PORT ?= 54329
export GOVSITE_STORE_PORT ?= 56379
# The demo has accounts with a published password: it answers this machine only, unless asked.
DEMO_ADDRESS ?= 127.0.0.1:8000

.PHONY: install system-packages test-packages services stop-services migrate demo test bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed

# Java and Maven (for Elasticsearch); the browser and CJK fonts the browser tests need. Installed with
# apt when run as root, otherwise one message says what to install.
system-packages:
	$(PYTHON) services/system_packages.py demo

test-packages:
	$(PYTHON) services/system_packages.py test

services: system-packages install
	$(PY) services/postgres.py start
	$(PY) services/elasticsearch.py start
	$(PY) services/store.py start

stop-services:
	-$(PY) services/store.py stop
	-$(PY) services/elasticsearch.py stop
	-$(PY) services/postgres.py stop

migrate: services
	$(PY) manage.py migrate_schemas --shared
	$(PY) manage.py setup_platform

# The background worker pushes published changes to the search index while the site is served;
# the scheduler runs the daily digests, the inspection and the availability probes.
demo: migrate
	$(PY) manage.py load_demo
	$(PY) manage.py search_rebuild
	$(PY) manage.py db_worker --backend background & worker=$$!; \
	$(PY) manage.py run_scheduler & scheduler=$$!; \
	trap 'kill $$worker $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(DEMO_ADDRESS)

# Services are started once for the whole run and stopped at the end, whatever the result.
test: test-packages services
	$(PY) -m pytest $(PYTEST_ARGS); status=$$?; $(MAKE) --no-print-directory stop-services; exit $$status

bench: migrate
	$(PY) benchmarks/run_all.py

clean: stop-services
	rm -rf .services media
