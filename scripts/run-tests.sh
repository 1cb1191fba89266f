#!/usr/bin/env bash
# Runs test files with node's built-in runner on the TypeScript sources (through tsx).
#   scripts/run-tests.sh unit         the fast tier: tests beside the sources (src, bench, chaos)
#   scripts/run-tests.sh all          everything, the integration and fault tiers included
#   scripts/run-tests.sh FILE...      just those files
# TEST_CONCURRENCY sets how many test files run at once (default 2).
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-all}"
case "$mode" in
  unit) mapfile -t files < <(find src bench chaos -name '*.test.ts' | sort) ;;
  all) mapfile -t files < <(find src test bench chaos -name '*.test.ts' | sort) ;;
  *) files=("$@") ;;
esac
if [ ${#files[@]} -eq 0 ]; then
  echo "no test files found" >&2
  exit 1
fi
exec node --import tsx --test --test-concurrency="${TEST_CONCURRENCY:-2}" "${files[@]}"
