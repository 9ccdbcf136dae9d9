# Klimanetz: `make run` serves the demo portal, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# make test: pytest-xdist workers, each with its own test database and cache prefix (tests/conftest.py groups
# the tests that must not run beside each other); PYTEST_WORKERS=0 runs in one process. One worker more than the
# machine has cores: a worker spends a third of its time waiting for the servers, browsers and services its tests
# start (on 2 cores, 3 workers ran the suite in 850 s where 2 took 957 s).
PYTEST_WORKERS ?= $(shell echo $$(( $$(nproc 2>/dev/null || echo 1) + 1 )))

.PHONY: run test test-schema setup lint check messages clean bench bench-channel bench-knowledge bench-apps bench-markdown bench-national load backup restore lighthouse

# The venv's packages: uv (its pin in requirements.txt) installs requirements.txt, several times faster than pip
# (CI: ~25 s instead of ~60-150 s from an empty cache), compiled to bytecode once (--compile-bytecode, ~20 s): uv
# leaves them as source, and where PYTHONDONTWRITEBYTECODE is set (CI's machines) every process compiled what it
# imported again: Django and the portal took 7.4 s to start instead of 3.4 s, in each of the suite's workers,
# servers and Celery workers.
$(VENV)/.installed: requirements.txt
	@command -v msgfmt >/dev/null || { echo "msgfmt is missing: install gettext (Debian: apt-get install gettext)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet "$$(grep -oE '^uv==[^ ]+' requirements.txt)"
	$(VENV)/bin/uv pip install --quiet --compile-bytecode --python $(PY) -r requirements.txt
	touch $@

# The portal's own modules and the rewritten test modules are cached as bytecode too (__pycache__, ignored by git):
# the suite starts many processes of the same code (pytest's workers, the servers and workers the tests start).
unexport PYTHONDONTWRITEBYTECODE

setup: $(VENV)/.installed
	$(PY) manage.py compilemessages --ignore=.venv -v 0
	$(PY) manage.py migrate --noinput -v 0

run: setup
	$(PY) manage.py load_demo
	$(PY) manage.py runserver $(HOST):$(PORT)

# compilemessages first (pytest needs the compiled messages); the other three checks (each one process) run beside
# pytest's start, where its collection and the test database's migration leave a core idle for half a minute; their
# output and seconds follow pytest's. make test fails when any of them or pytest failed.
TEST_CHECKS = ruff makemigrations bandit
test: $(VENV)/.installed
	@d=$$(mktemp -d); trap 'rm -rf "$$d"' EXIT; \
	step() { n=$$1; shift; s=$$(date +%s%N); "$$@" >"$$d/$$n.out" 2>&1; echo "$$? $$(( ($$(date +%s%N) - s) / 100000000 ))" >"$$d/$$n.rc"; }; \
	report() { read rc ds <"$$d/$$1.rc"; cat "$$d/$$1.out"; echo "--- $$1: $$((ds / 10)).$$((ds % 10)) s, exit status $$rc"; [ "$$rc" = 0 ]; }; \
	step compilemessages $(PY) manage.py compilemessages --ignore=.venv -v 0; \
	report compilemessages || { echo "!!! failed: compilemessages"; exit 1; }; \
	step ruff $(VENV)/bin/ruff check . & \
	step makemigrations $(PY) manage.py makemigrations --check --dry-run -v 1 & \
	step bandit $(VENV)/bin/bandit -q -r config networks events measures monitoring opendata -x '*/migrations/*' --severity-level medium & \
	echo "--- ruff, makemigrations and bandit run beside pytest; their output follows pytest's"; \
	s=$$(date +%s); rc=0; $(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS) || rc=$$?; \
	echo "--- pytest: $$(( $$(date +%s) - s )) s, exit status $$rc"; \
	wait; failed=""; [ "$$rc" = 0 ] || failed=" pytest"; \
	for n in $(TEST_CHECKS); do report $$n || failed="$$failed $$n"; done; \
	[ -z "$$failed" ] || { echo "!!! failed:$$failed"; exit 1; }

# test-schema: tests/schema.sql again after a new or changed migration (tests/schema.py): the suite's template database
# is loaded from it instead of being migrated (64 s of CPU). Needs PostgreSQL (DATABASE_URL), as CI runs the suite.
test-schema: $(VENV)/.installed
	$(PY) -m tests.schema

# lighthouse: Lighthouse (pinned in tools/lighthouse) on every public page shape of a throwaway demo served by
# gunicorn with DEBUG off; prints the SEO and accessibility scores and fails below 1.00 (scripts/lighthouse.py).
lighthouse: $(VENV)/.installed
	@command -v node >/dev/null || { echo "lighthouse needs Node.js 18+ (Debian: apt-get install nodejs npm)"; exit 1; }
	[ -d tools/lighthouse/node_modules ] || (cd tools/lighthouse && npm ci --no-audit --no-fund --silent)
	$(PY) manage.py compilemessages --ignore=.venv -v 0
	$(PY) scripts/lighthouse.py

# Performance figures (not a test): PostgreSQL from DATABASE_URL, or a throwaway PostgreSQL 15 cluster.
# bench: the portal at scale under gunicorn and wrk, writes docs/performance.md (about seven minutes).
# bench-apps: the apps' own benchmarks (query counts at two sizes, EXPLAIN, report stages; about seven more).
bench: $(VENV)/.installed
	$(PY) manage.py compilemessages --ignore=.venv -v 0
	bash bench/with_postgres.sh $(PY) -m bench.scale_bench
	bash bench/with_postgres.sh $(PY) -m bench.api_bench
	$(MAKE) --no-print-directory bench-channel
	$(MAKE) --no-print-directory bench-knowledge

# bench-channel: the network's channel (issue 15): thread page at 500 posts and list at 10,000 threads, sending
# an announcement, 1,000 replies by email through a throwaway Dovecot (installed with apt-get when missing and
# run as root), digests for 50,000 people on 2 workers, search over 1,000,000 items at 20 clients (about 20 min).
bench-channel: $(VENV)/.installed
	$(PY) manage.py compilemessages --ignore=.venv -v 0
	@command -v dovecot >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dovecot-imapd >/dev/null; } || \
		{ echo "bench-channel needs dovecot-imapd (apt-get install dovecot-imapd)" >&2; exit 1; }
	bash bench/with_postgres.sh sh -c '$(PY) -m bench.channel_bench && $(PY) -m bench.announcements_bench && \
		$(PY) -m bench.inbound_bench && $(PY) -m bench.digest_bench && $(PY) -m bench.search_bench'

# bench-knowledge: issue 17 at 11,000 organisations, 200,000 measures: the measure library (2,000 entries) and the
# comparison pages, under gunicorn at 20 clients without and with the caches, query counts at two sizes; matching
# every open-funding measure against 500 programmes, the funding pages and a network's Förderradar. Each writes its
# section of docs/performance.md (after bench.scale_bench has written the file; about 25 min).
bench-knowledge: $(VENV)/.installed
	$(PY) manage.py compilemessages --ignore=.venv -v 0
	bash bench/with_postgres.sh sh -c '$(PY) -m bench.catalogue_bench && $(PY) -m bench.comparison_bench && \
		$(PY) -m bench.funding_bench'

bench-apps: $(VENV)/.installed
	$(PY) manage.py compilemessages --ignore=.venv -v 0
	bash bench/with_postgres.sh sh -c '$(PY) -m bench.events_bench && $(PY) -m bench.measures_bench && $(PY) -m bench.monitoring_bench'
	bash bench/with_postgres.sh $(PY) -m bench.opendata_bench  # the DCAT-AP.de catalogue of 30 roadmaps: under 1 s
	$(MAKE) --no-print-directory bench-markdown

# bench-markdown: every accepted Markdown text under 50 ms, the moderation queue of worst cases under 200 ms.
bench-markdown: $(VENV)/.installed
	$(PY) manage.py compilemessages --ignore=.venv -v 0
	bash bench/with_postgres.sh $(PY) -m bench.markdown_bench

# bench-national (issue 19 §6; about an hour, not a test): generate_scale_data --national at a tenth and at the
# whole (11,000 municipalities, 200,000 measures, 2,000,000 indicator values, 1,000,000 registrations), every page
# cold at both sizes, the page table under gunicorn, EXPLAIN, jobs, worker RSS. NATIONAL_SCALE=0.1 for a tenth.
NATIONAL_SCALE ?= 1.0
bench-national: $(VENV)/.installed
	$(PY) manage.py compilemessages --ignore=.venv -v 0
	WITH_POSTGRES_SHARED_BUFFERS=$${WITH_POSTGRES_SHARED_BUFFERS:-1GB} \
		bash bench/with_postgres.sh $(PY) -m bench.national_bench --scale $(NATIONAL_SCALE)

# 50 simulated users for 60 s against gunicorn, PostgreSQL, Redis and a Celery worker (started if needed).
load: $(VENV)/.installed
	$(PY) manage.py compilemessages --ignore=.venv -v 0
	bash bench/with_postgres.sh $(PY) -m bench.load

# Backup and restore: pg_dump/pg_restore on PostgreSQL (DATABASE_URL), a file copy on SQLite. FILE=path
backup: $(VENV)/.installed
	bash scripts/backup.sh $(FILE)

restore: $(VENV)/.installed
	bash scripts/restore.sh $(FILE)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

messages: $(VENV)/.installed
	$(PY) manage.py makemessages -l de -l en --ignore=.venv --ignore=tests --ignore=bench --no-obsolete
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles db.sqlite3*
