# The two commands of the quick start are `make demo` and `make test`; both install what is missing.
SHELL := /bin/bash
.DEFAULT_GOAL := build
.PHONY: deps build check test test-unit typecheck lint format demo bench bench-dcs bench-startup bench-deps compat chaos clean

deps:
	@scripts/ensure-deps.sh

# Only the npm side: enough for typecheck, lint and unit tests.
npm-deps:
	@PATRONI_TS_SKIP_APT=1 scripts/ensure-deps.sh

# tsc's output (dist/), then the one-file executables bin/patroni and bin/patronictl prefer
# (dist/bundle/cli: half the start-up time, see scripts/bundle.ts).
build: npm-deps
	@npx tsc -p tsconfig.build.json && node --import tsx scripts/bundle.ts

typecheck: npm-deps
	@npx tsc -p tsconfig.json --noEmit

lint: npm-deps
	@npx eslint . && npx depcruise src --config .dependency-cruiser.cjs

test-unit: build
	@scripts/run-tests.sh unit

# Everyday: typecheck + lint + the fast tier.
check: typecheck lint test-unit

# The whole suite: what CI runs.
test: deps build typecheck lint
	@scripts/run-tests.sh all

demo: deps build
	@node dist/demo/main.js

format: npm-deps
	@npx prettier --write .

# Side-by-side benchmarks with Debian's Patroni 3.0.2 (not part of `make test`; takes ~30 min).
# BENCH_ARGS passes options, e.g. `make bench BENCH_ARGS="--runs 1 --profiles fast"`.
bench: deps build
	@node --import tsx bench/run.ts $(BENCH_ARGS)

# DCS requests per idle minute, ours against Patroni 3.0.2, on etcd v3, etcd v2 and ZooKeeper
# (~2.5 min per DCS and system). BENCH_DCS_ARGS passes options, e.g. "--dcs zookeeper".
bench-dcs: deps build
	@node --import tsx bench/dcs-idle.ts $(BENCH_DCS_ARGS)

# Start-up time of bin/patroni and bin/patronictl: --version, --help, and a daemon's spawn to its
# first log line and REST API (~1 min). BENCH_STARTUP_ARGS passes options, e.g. "--runs 20 --reference".
bench-startup: build
	@node --import tsx bench/startup.ts $(BENCH_STARTUP_ARGS)

# Debian's patroni package (3.0.2 on bookworm), the reference the benchmark compares against.
bench-deps:
	@if [ ! -x /usr/bin/patroni ]; then \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends patroni; \
	fi
	@/usr/bin/patroni --version

# The fault suite (not part of `make test`, which runs only its short schedule): one seeded
# schedule against ours and Patroni 3.0.2, async and sync, one topology at a time (~35 min).
# CHAOS_ARGS passes options, e.g. `make chaos CHAOS_ARGS="--seed 42 --faults 10 --systems patroni-ts"`.
chaos: deps build
	@node --import tsx chaos/run.ts $(CHAOS_ARGS)

# Patroni 3.0.2's own behave acceptance suite against ./bin/patroni and ./bin/patronictl (not
# part of `make test`: it needs a mirror of Patroni's repository, fixed ports and ~10 min).
# PATRONI_GIT_DIR (required) names the bare mirror of zalando/patroni; FEATURES picks features
# (default: all but citus); DCS and the COMPAT_* knobs of behave.sh pass through.
COMPAT_HARNESS ?= ../shared/compat/behave.sh
compat: build
	@if [ -z "$${PATRONI_GIT_DIR:-}" ]; then \
		echo "make compat: set PATRONI_GIT_DIR to a bare git mirror of zalando/patroni (only its tag v3.0.2 is read), e.g. PATRONI_GIT_DIR=/path/to/patroni.git make compat" >&2; \
		exit 2; \
	fi
	@if [ ! -x "$(COMPAT_HARNESS)" ]; then \
		echo "make compat: the harness $(COMPAT_HARNESS) is missing; set COMPAT_HARNESS to behave.sh of the compat suite" >&2; \
		exit 2; \
	fi
	@PATRONI_BIN="$(CURDIR)/bin/patroni" PATRONICTL_BIN="$(CURDIR)/bin/patronictl" \
		"$(COMPAT_HARNESS)" $(FEATURES)

clean:
	rm -rf dist
