# SME Ladder — the two set-up commands are `make run` and `make test`.
SHELL := /bin/bash
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
export SMELADDER_DATA_DIR ?= $(CURDIR)/var

# Test databases: SQLite always; PostgreSQL and MariaDB as on the project's machines.
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
MYSQL_URL ?= mysql://root@127.0.0.1:3306/test

.PHONY: run test test-sqlite test-postgres test-mariadb bench lint format env clean messages

env: $(STAMP)

$(STAMP): pyproject.toml requirements.lock scripts/bootstrap-system.sh
	bash scripts/bootstrap-system.sh
	test -x $(BIN)/python || $(shell command -v $(PY) || echo python3) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

run: $(STAMP)
	@mkdir -p $(SMELADDER_DATA_DIR)
	$(BIN)/smeladder migrate --no-input -v 0
	$(BIN)/smeladder demo --if-empty
	$(BIN)/smeladder refresh_counts
	$(BIN)/smeladder demo_accounts
	@echo "SME Ladder 中小企业梯度培育平台: http://$(HOST):$(PORT)/  (后台 /admin/)"
	@echo "后台任务 worker: 日志 $(SMELADDER_DATA_DIR)/worker.log；定时任务 scheduler: 日志 $(SMELADDER_DATA_DIR)/scheduler.log"
	@$(BIN)/smeladder db_worker --no-reload --interval 1 --no-startup-delay > $(SMELADDER_DATA_DIR)/worker.log 2>&1 & \
	  worker=$$!; \
	  $(BIN)/smeladder scheduler > $(SMELADDER_DATA_DIR)/scheduler.log 2>&1 & \
	  scheduler=$$!; trap "kill $$worker $$scheduler" EXIT INT TERM; \
	  $(BIN)/smeladder runserver $(HOST):$(PORT) --noreload

test: $(STAMP)
	bash scripts/test-all-databases.sh

test-sqlite: $(STAMP)
	$(BIN)/pytest

test-postgres: $(STAMP)
	DATABASE_URL=$(PG_URL) $(BIN)/pytest

test-mariadb: $(STAMP)
	DATABASE_URL=$(MYSQL_URL) $(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python -m bench $(BENCH_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

format: $(STAMP)
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

# The English catalogue: collect the Chinese UI strings (new ones come out empty, changed ones fuzzy;
# the standards engine's texts are data and stay Chinese), then compile. Needs GNU gettext.
messages: $(STAMP)
	@command -v msgfmt >/dev/null || { echo "make messages needs GNU gettext (apt-get install gettext)" >&2; exit 1; }
	cd src/smeladder && ../../$(BIN)/django-admin makemessages -l en --no-obsolete -i "standards/*" \
	  --settings=smeladder.settings.test --pythonpath=..
	cd src/smeladder && ../../$(BIN)/django-admin compilemessages -l en \
	  --settings=smeladder.settings.test --pythonpath=..
	@msgfmt --statistics -o /dev/null src/smeladder/locale/en/LC_MESSAGES/django.po

clean:
	rm -rf $(VENV) var .pytest_cache
