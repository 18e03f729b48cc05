#!/usr/bin/env bash
# The fault suite of issue 16: kill -9 of import and collect at random
# moments, ClickHouse killed mid-run, a GitHub test server that fails on
# purpose, fuzzing, the API under load, and a search for planted secrets.
# It starts its own servers (a local ClickHouse in a temp directory, the
# GitHub test server in-process), builds contribtrack once, runs the trials
# as real processes and prints one table of what held, measured on this
# run (internal/reliability says how).
#
#   scripts/reliability.sh           # the full suite (README, "Reliability")
#   scripts/reliability.sh --short   # a few trials of each: what .ci/run runs
#
# CONTRIBTRACK_RELIABILITY_SEED replays the random moments of a run (its
# seed is printed); CONTRIBTRACK_RELIABILITY_ONLY=KillImport,Secrets runs
# only those rows; CONTRIBTRACK_RELIABILITY_KEEP=1 keeps the temp directory.
set -euo pipefail
cd "$(dirname "$0")/.."

form=full
case "${1:-}" in
"") ;;
--short) form=short ;;
*) echo "usage: scripts/reliability.sh [--short]" >&2; exit 2 ;;
esac

scripts/install-clickhouse.sh >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# A test binary run directly, so that its table reaches the terminal
# (go test shows a passing package's output only with -v).
go test -c -o "$tmp/reliability.test" ./internal/reliability
cd internal/reliability
CONTRIBTRACK_RELIABILITY=$form "$tmp/reliability.test" -test.run '^TestReliability$' -test.timeout 90m
