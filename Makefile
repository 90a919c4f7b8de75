# Two commands on a fresh Debian machine: `make run` and `make test`.
# Without DATABASE_URL the project runs its own PostgreSQL cluster under var/pg (scripts/pg.sh).
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test db stop install migrate demo bench backup restore messages check-deploy clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev,bench]'
	touch $(STAMP)

install: $(STAMP)

db:
ifeq ($(DATABASE_URL),)
	@scripts/pg.sh start
endif

stop:
	@scripts/pg.sh stop

migrate: install db
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable

demo: migrate
	$(PY) manage.py load_gazetteer --if-empty
	$(PY) manage.py load_demo
	$(PY) manage.py first_start_import

run: demo
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install
	@scripts/system-packages.sh --with-browser
	@$(MAKE) --no-print-directory db
	$(PY) -m pytest -n 2 --dist loadgroup

bench: migrate
	@scripts/system-packages.sh --with-bench
	$(PY) bench/run.py

backup: db
	scripts/backup.sh backup $(or $(FILE),var/backup.dump)

restore: db
	scripts/backup.sh restore $(or $(FILE),var/backup.dump)

messages: install
	$(PY) manage.py makemessages -l ru -l en --ignore '.venv/*' --ignore 'var/*' --ignore 'node_modules/*' --ignore 'tests/*' --ignore 'bench/*'
	$(PY) manage.py compilemessages --ignore '.venv/*'

check-deploy: install
	DJANGO_ENV=production SECRET_KEY=check-deploy-$$RANDOM-0123456789abcdefghijklmnopqrstuvwxyz ALLOWED_HOSTS=example.org $(PY) manage.py check --deploy --fail-level WARNING

clean: stop
	rm -rf var $(VENV)
