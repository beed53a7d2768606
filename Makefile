# Valkite — build, run and test.
#
#   make start        build (release) and start the server in the background
#   make stop         SIGTERM it and wait until it has exited
#   make status       is it up? PING and a few INFO lines
#   make test         unit tests (swift test) and end-to-end tests (pytest Tests/e2e)
#   make bench        redis-benchmark: Valkite against a reference redis-server
#   make bench-memory RSS of Valkite and redis-server holding 1M string keys, a 1M-field hash, a 1M-element list
#   make bench-startup  start-up time (to the first PONG) with a database of 1M string keys
#   make bench-cpu    server CPU per request, thread by thread, Valkite against redis-server
#   make backup       BGSAVE: a consistent snapshot of the running server's database
#   make restore FILE=data/backups/valkite-<ms>.db   check FILE and make it the database (server stopped)
#   make sql          sqlite3 on the live database, read-only
#
# Port, password, bind address, data directory and log file come from the
# environment, then ./.env, then defaults (6379, no password, ./data). The
# server reads ./.env itself; the Makefile reads the same variables so that
# its own redis-cli calls reach the server.

SHELL := /bin/bash
.DEFAULT_GOAL := help

SWIFT      ?= swift
PYTHON     ?= python3
REDIS_CLI  ?= redis-cli
BINARY     := .build/release/valkite-server
ENV_FILE   := .env

# $(call dotenv,NAME): NAME's value in $(ENV_FILE), parsed as the server parses it.
dotenv = $(shell scripts/dotenv.sh '$(1)' '$(ENV_FILE)')

PORT       := $(or $(VALKEY_PORT),$(call dotenv,VALKEY_PORT),6379)
PASSWORD   := $(or $(VALKEY_PASSWORD),$(call dotenv,VALKEY_PASSWORD))
BIND       := $(or $(VALKEY_HOST),$(call dotenv,VALKEY_HOST))
DATA_DIR   := $(or $(VALKEY_DIR),$(call dotenv,VALKEY_DIR),./data)
SERVER_LOG := $(or $(VALKEY_LOGFILE),$(call dotenv,VALKEY_LOGFILE))
DB_FILE    := $(or $(VALKEY_DBFILENAME),$(call dotenv,VALKEY_DBFILENAME),valkite.db)
PID_FILE   := $(DATA_DIR)/valkite.pid
LOG_FILE   := $(DATA_DIR)/valkite.log
# Where redis-cli connects: the bind address, unless it is a wildcard.
CLI_HOST   := $(strip $(if $(filter 0.0.0.0 :: * -::* ::*,$(firstword $(BIND))),127.0.0.1,$(or $(firstword $(BIND)),127.0.0.1)))
START_TIMEOUT ?= 30
STOP_TIMEOUT  ?= 60

# redis-cli takes the password from the environment: no warning, nothing in `ps`.
ifneq ($(PASSWORD),)
export REDISCLI_AUTH := $(PASSWORD)
endif

CLI := $(REDIS_CLI) -h $(CLI_HOST) -p $(PORT)

.PHONY: help build start start-valkey stop restart status logs-valkey test test-unit test-e2e bench bench-memory bench-startup bench-cpu backup restore sql clean

help:
	@echo "make build | start | start-valkey | stop | restart | status | logs-valkey | test | bench | backup | restore FILE=… | sql | clean"
	@echo "  port $(PORT), redis-cli host $(CLI_HOST), data $(DATA_DIR), password $(if $(PASSWORD),set,not set)"

# Exclusivity checks off in every module, SwiftNIO included (Package.swift can
# only set it for ours): NIO's ByteBuffer writes showed swift_beginAccess at
# ~3% of the event loop under pipelined load.
RELEASE_FLAGS := -Xswiftc -enforce-exclusivity=unchecked

build:
	$(SWIFT) build -c release --product valkite-server $(RELEASE_FLAGS)

# Starts the server in the background (pid and log under $(DATA_DIR)) and waits
# until it answers (INFO's process_id must be its pid: another server already
# on the port does not count). Without VALKEY_HOST it listens on 127.0.0.1 only.
start: build
	@mkdir -p '$(DATA_DIR)'
	@if [ -f '$(PID_FILE)' ] && kill -0 "$$(cat '$(PID_FILE)')" 2>/dev/null; then \
	  echo "Valkite is already running (pid $$(cat '$(PID_FILE)'), port $(PORT))."; exit 0; \
	fi; \
	rm -f '$(PID_FILE)'; \
	echo "Starting Valkite on port $(PORT) (log: $(if $(SERVER_LOG),$(SERVER_LOG),$(LOG_FILE)))..."; \
	echo "--- $$(date '+%Y-%m-%d %H:%M:%S') make start" >> '$(LOG_FILE)'; \
	setsid $(BINARY) --dir '$(DATA_DIR)' $(if $(BIND),,--bind 127.0.0.1) </dev/null >> '$(LOG_FILE)' 2>&1 & \
	pid=$$!; echo $$pid > '$(PID_FILE)'; \
	for i in $$(seq 1 $$(( $(START_TIMEOUT) * 10 ))); do \
	  if ! kill -0 $$pid 2>/dev/null; then \
	    echo "Valkite exited during start-up:"; tail -n 20 '$(LOG_FILE)'; \
	    $(if $(SERVER_LOG),tail -n 20 '$(SERVER_LOG)' 2>/dev/null;) \
	    rm -f '$(PID_FILE)'; exit 1; \
	  fi; \
	  if $(CLI) info server 2>/dev/null | tr -d '\r' | grep -qx "process_id:$$pid"; then \
	    echo "Valkite is up (pid $$pid)."; \
	    echo "Connect with:  redis-cli -h $(CLI_HOST) -p $(PORT)$(if $(PASSWORD), --askpass   (the password is VALKEY_PASSWORD))"; \
	    echo "   or Python:  redis.Redis(host=\"$(CLI_HOST)\", port=$(PORT)$(if $(PASSWORD),$(comma) password=...))"; \
	    echo "Stop with:     make stop     Logs: make logs-valkey"; \
	    exit 0; \
	  fi; \
	  sleep 0.1; \
	done; \
	echo "Valkite (pid $$pid) did not answer PING on $(CLI_HOST):$(PORT) within $(START_TIMEOUT)s:"; \
	tail -n 20 '$(LOG_FILE)'; exit 1

comma := ,

# The MockExchange stack's name for it.
start-valkey: start

# SIGTERM via the pid file, then wait for the process to exit (the server
# commits and closes its database on the way out).
stop:
	@if [ ! -f '$(PID_FILE)' ]; then echo "Valkite is not running (no $(PID_FILE))."; exit 0; fi; \
	pid=$$(cat '$(PID_FILE)'); \
	if ! kill -0 $$pid 2>/dev/null; then echo "Valkite is not running (stale pid file)."; rm -f '$(PID_FILE)'; exit 0; fi; \
	if [ "$$(cat /proc/$$pid/comm 2>/dev/null)" != "valkite-server" ] && [ -r /proc/$$pid/comm ]; then \
	  echo "pid $$pid is $$(cat /proc/$$pid/comm), not valkite-server: removing the stale pid file."; \
	  rm -f '$(PID_FILE)'; exit 0; \
	fi; \
	echo "Stopping Valkite (pid $$pid)..."; kill -TERM $$pid; \
	for i in $$(seq 1 $$(( $(STOP_TIMEOUT) * 10 ))); do \
	  if ! kill -0 $$pid 2>/dev/null; then rm -f '$(PID_FILE)'; echo "Valkite stopped."; exit 0; fi; \
	  sleep 0.1; \
	done; \
	echo "Valkite (pid $$pid) did not exit within $(STOP_TIMEOUT)s after SIGTERM; it is still running."; \
	echo "Look at 'make logs-valkey'; kill -9 $$pid would skip the final commit."; exit 1

restart:
	@$(MAKE) --no-print-directory stop
	@$(MAKE) --no-print-directory start

status:
	@if [ -f '$(PID_FILE)' ] && kill -0 "$$(cat '$(PID_FILE)')" 2>/dev/null; then \
	  echo "Valkite process: running (pid $$(cat '$(PID_FILE)'))"; \
	else \
	  echo "Valkite process: not running (no live pid in $(PID_FILE))"; \
	fi; \
	reply=$$($(CLI) ping 2>&1); \
	echo "PING $(CLI_HOST):$(PORT): $$reply"; \
	if [ "$$reply" != "PONG" ]; then exit 1; fi; \
	$(CLI) info everything 2>/dev/null | tr -d '\r' | grep -E \
	  '^(valkey_version|uptime_in_seconds|tcp_port|process_id|connected_clients|used_memory_human|total_commands_processed|instantaneous_ops_per_sec|db[0-9]+):' \
	  | sed 's/^/  /'

# Snapshot of the running server: BGSAVE, wait for it, print the file. The
# server keeps the newest `backup-keep` snapshots (default 10) and deletes older ones.
backup:
	@reply=$$($(CLI) bgsave 2>&1); \
	case "$$reply" in "Background saving started") ;; *) echo "BGSAVE: $$reply"; exit 1;; esac; \
	for _ in $$(seq 1 600); do \
	  if $(CLI) info persistence | tr -d '\r' | grep -q '^rdb_bgsave_in_progress:0'; then break; fi; sleep 0.1; \
	done; \
	if ! $(CLI) info persistence | tr -d '\r' | grep -q '^rdb_last_bgsave_status:ok'; then echo "BGSAVE failed (see the log)"; exit 1; fi; \
	dir=$$($(CLI) config get dir | sed -n 2p); \
	echo "Snapshot: $$(ls -t "$$dir"/backups/valkite-*.db | head -1)"

# Replaces the database with FILE once valkite-server has checked it (integrity,
# schema version, tables); the replaced one goes to $(DATA_DIR)/backups/before-restore-<ms>.db.
# The server must be stopped (the binary also refuses while the database is open).
restore: build
	@if [ -z '$(FILE)' ]; then echo "Usage: make restore FILE=$(DATA_DIR)/backups/valkite-<unix-ms>.db"; exit 1; fi; \
	if [ -f '$(PID_FILE)' ] && kill -0 "$$(cat '$(PID_FILE)')" 2>/dev/null; then \
	  echo "Valkite is running (pid $$(cat '$(PID_FILE)')): make stop first."; exit 1; \
	fi; \
	$(BINARY) --dir '$(DATA_DIR)' --logfile '' --restore '$(FILE)' --restore-only && \
	echo "Start the server with: make start"

# The live database, read-only (WAL lets sqlite3 read while the server writes).
# The views (all_keys, string_values, hash_fields…) are described in README.
sql:
	@dir=$$($(CLI) config get dir 2>/dev/null | sed -n 2p); dir=$${dir:-$(DATA_DIR)}; \
	file=$$($(CLI) config get dbfilename 2>/dev/null | sed -n 2p); file=$${file:-$(DB_FILE)}; \
	sqlite3 -readonly -header -column "$$dir/$$file"

logs-valkey:
	@log='$(if $(SERVER_LOG),$(SERVER_LOG),$(LOG_FILE))'; \
	if [ ! -f "$$log" ]; then echo "No log yet at $$log (make start first)."; exit 1; fi; \
	tail -n 100 -F "$$log"

# Unit tests build in debug (swift test); the end-to-end tests run the release
# binary. Each configuration is built once. Both suites always run (so one
# report shows every failure); the target fails if either fails.
test: build
	@status=0; \
	echo "$(SWIFT) test"; $(SWIFT) test || status=1; \
	echo "$(PYTHON) -m pytest -q Tests/e2e $(PYTEST_ARGS)"; $(PYTHON) -m pytest -q Tests/e2e $(PYTEST_ARGS) || status=1; \
	if [ $$status -ne 0 ]; then echo "make test: FAILED (see above)"; fi; \
	exit $$status

test-unit:
	$(SWIFT) test

test-e2e: build
	$(PYTHON) -m pytest -q Tests/e2e $(PYTEST_ARGS)

bench: build
	scripts/bench.sh

# RSS per data set against redis-server (scripts/bench-memory.sh), and the time
# from process start to serving a 1M-key database (scripts/bench-startup.sh).
bench-memory: build
	scripts/bench-memory.sh

bench-startup: build
	scripts/bench-startup.sh

# Where each server's CPU goes per request, by thread (scripts/bench-cpu.sh).
bench-cpu: build
	scripts/bench-cpu.sh

clean:
	$(SWIFT) package clean
	rm -rf .build/release/valkite-server Tests/e2e/__pycache__ .pytest_cache
