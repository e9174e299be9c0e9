# Frontier Allergy back-pain assistant. `make run` starts it; `make test` runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Python 3.10 (rasa 3.6 does not install on 3.11): on PATH, or from pyenv.
PYTHON ?= $(shell for p in python3.10 $$HOME/.pyenv/versions/3.10*/bin/python3.10 /usr/bin/python3.10; do \
	"$$p" -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null && { echo "$$p"; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
export RASA_TELEMETRY_ENABLED := false
export PYTHONPATH := $(CURDIR)
export TF_CPP_MIN_LOG_LEVEL := 2

SPACY_MODEL := build/spacy/frontier_backpain_en/meta.json
MODEL := models/backpain.tar.gz
TRAINING_INPUTS := config.yml domain.yml $(shell find data -type f 2>/dev/null) $(SPACY_MODEL)

.PHONY: help install lock run shell train test test-fast lint validate eval clean browser console staff-user retention benchmark load migrate bench-chat run-scaled engines bench-scaled

help:
	@echo "make run    - set up (first time) and start the assistant: homepage with the chat widget on"
	@echo "              http://127.0.0.1:8000/, Rasa on 127.0.0.1:5005, actions on 5055"
	@echo "make test   - set up (first time) and run every test: the fast ones first, then those that need the model,"
	@echo "              the servers, Chromium or PostgreSQL/Redis/nginx"
	@echo "make test-fast - the tests that need no trained model, no server and no Debian package (no training)"
	@echo "make shell  - talk to the assistant in the terminal (rasa shell on 5006, actions on 5056: runs beside make run)"
	@echo "make train  - train the model when data or config changed"
	@echo "make eval   - red flags caught and what reaches the slots, on real patients' words and on our own phrasings"
	@echo "make threshold - red flags caught and benign messages asked at each threshold of the classifier's second opinion"
	@echo "make staff-user - create a staff console account (asks username, role and password)"
	@echo "make console    - serve only the staff console on http://127.0.0.1:8001/ (make run starts it too)"
	@echo "make retention  - delete conversations and closed booking requests older than retention_days"
	@echo "make benchmark  - time the console's list and search over 10,000 generated conversations"
	@echo "make load       - 50 concurrent conversations x 20 messages through the web proxy: errors, lost messages, latency"
	@echo "make bench-chat - the assistant against a stock \`rasa init\` bot, the same load on each: latency, long conversations, memory"
	@echo "make run-scaled - the scaled profile: REPLICAS=2 Rasa and action servers behind nginx, on PostgreSQL and Redis"
	@echo "                  (Debian packages, installed if missing; data in var/scaled/; same ports as make run)"
	@echo "make bench-scaled - 50 users x 10 messages at once against the scaled profile: latency, throughput, CPU per process"
	@echo "make lock       - regenerate constraints.txt (every package's pin) from requirements-dev.txt in a fresh venv"
	@echo "make migrate    - bring the clinic's tables (bookings, console) to the newest schema (run, shell and the console's commands do it first)"

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Python 3.10 not found: install it (e.g. pyenv install 3.10) or set PYTHON=/path/to/python3.10"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade "pip==24.0"

$(VENV)/.installed: $(BIN)/python requirements.txt requirements-dev.txt constraints.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt -c constraints.txt
	touch $@

install: $(VENV)/.installed

# constraints.txt from scratch: requirements-dev.txt alone in a fresh venv (build/lock), its header kept.
LOCK_VENV := build/lock
lock:
	@test -n "$(PYTHON)" || { echo "Python 3.10 not found: install it (e.g. pyenv install 3.10) or set PYTHON=/path/to/python3.10"; exit 1; }
	rm -rf $(LOCK_VENV)
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/pip install --quiet --upgrade "pip==24.0"
	$(LOCK_VENV)/bin/pip install --quiet -r requirements-dev.txt
	{ sed -n '/^#/!q;p' constraints.txt; $(LOCK_VENV)/bin/pip freeze --exclude-editable; } > constraints.txt.new
	mv constraints.txt.new constraints.txt
	rm -rf $(LOCK_VENV)

$(SPACY_MODEL): $(VENV)/.installed bot/nlu/spacy_pipeline.py
	$(BIN)/python -m bot.nlu.spacy_pipeline

$(MODEL): $(VENV)/.installed $(TRAINING_INPUTS)
	$(BIN)/rasa train --fixed-model-name backpain --out models
	touch $@

train: $(MODEL)

run: $(MODEL)
	mkdir -p -m 700 var
	exec $(BIN)/python -m bot.launcher  # exec: make passes SIGTERM straight to it

# Its own ports, so it runs beside `make run`; its action server's log is var/log/shell/actions.log.
shell: $(MODEL)
	mkdir -p -m 700 var
	exec $(BIN)/python -m bot.launcher --shell --rasa-port 5006 --actions-port 5056

# The staff console (bot/console). ROLE=admin for an admin account; DAYS=N overrides config/clinic.yml.
ROLE ?= staff
staff-user: $(VENV)/.installed
	mkdir -p -m 700 var
	$(BIN)/python -m bot.console.cli create-user --role $(ROLE)

console: $(VENV)/.installed
	mkdir -p -m 700 var
	$(BIN)/python -m bot.console

# The clinic's tables (clinic/database) are changed by migrations only; everything that uses them migrates first.
migrate: $(VENV)/.installed
	mkdir -p -m 700 var
	$(BIN)/python -m bot.migrate

run shell console staff-user retention: migrate

retention: $(VENV)/.installed
	$(BIN)/python -m bot.console.cli retention $(if $(DAYS),--days $(DAYS))

benchmark: $(MODEL)
	$(BIN)/python -m tools.console_benchmark

# CONVERSATIONS=N MESSAGES=M to change the load; the servers run on free ports with their own database in var/load/.
CONVERSATIONS ?= 50
MESSAGES ?= 20
load: $(MODEL)
	mkdir -p -m 700 var
	$(BIN)/python -m tools.load.chat_load --conversations $(CONVERSATIONS) --messages $(MESSAGES)

# USERS=N LONG=M change the load (50 users at once, a 200-message conversation); the stock bot is trained once into build/bench/.
bench-chat: $(MODEL)
	mkdir -p -m 700 var
	$(BIN)/python -m tools.bench.chat_bench $(if $(USERS),--users $(USERS)) $(if $(LONG),--long $(LONG)) $(if $(PROFILE),--profile)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# The red-flag screen and what reaches the slots, on real patients' words and the team's phrasings (tests/real_language/).
eval: $(MODEL)
	$(BIN)/python -m tools.real_language.evaluate

# The classifier's second opinion on red flags at each threshold, set by set (RedFlagScreen's model_threshold).
threshold: $(MODEL)
	$(BIN)/python -m tools.real_language.threshold

validate: $(VENV)/.installed
	$(BIN)/rasa data validate --fail-on-warnings

# Debian packages the project runs, installed when missing (the package lists refreshed if the first try fails).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
apt_install = $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y $(1) || { \
	  $(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y $(1); }

# Headless Chromium for the browser tests: Debian's package (Playwright never downloads a browser).
/usr/bin/chromium:
	$(call apt_install,chromium)

browser: /usr/bin/chromium

# The scaled profile's engines (bot/scaled.py): PostgreSQL 15, Redis, nginx.
/usr/lib/postgresql/15/bin/postgres:
	$(call apt_install,postgresql-15)
/usr/bin/redis-server:
	$(call apt_install,redis-server)
/usr/sbin/nginx:
	$(call apt_install,nginx)

engines: /usr/lib/postgresql/15/bin/postgres /usr/bin/redis-server /usr/sbin/nginx

# REPLICAS Rasa servers and action servers behind nginx (REST on 5005, actions on 5055), PostgreSQL on 5433, Redis
# on 6380 (POSTGRES_PORT, REDIS_PORT; POSTGRES_HOST / REDIS_HOST: the clinic's own, then none is started here).
REPLICAS ?= 2
run-scaled: $(MODEL) engines
	mkdir -p -m 700 var
	exec $(BIN)/python -m bot.launcher --replicas $(REPLICAS) --endpoints endpoints-scaled.yml  # exec: SIGTERM reaches it

bench-scaled: $(MODEL) engines
	mkdir -p -m 700 var
	$(BIN)/python -m tools.bench.scaled_bench --replicas $(REPLICAS) $(if $(USERS),--users $(USERS))

# The tiers: tests/conftest.py marks what each test needs (model, stack, browser, engines; see pyproject.toml).
FAST := not model and not stack and not browser and not engines

test-fast: $(VENV)/.installed $(SPACY_MODEL)
	$(BIN)/python -m pytest -m "$(FAST)"

# Every test, each once: the fast tier first, before the model, Chromium and the engines are there (on a fresh
# machine a test that needs one and is not marked so fails here), then the rest. Prerequisites run in this order.
test: lint test-fast $(MODEL) browser engines
	$(BIN)/python -m pytest -m "not ($(FAST))"

clean:
	rm -rf build models results var .pytest_cache .mypy_cache .ruff_cache
