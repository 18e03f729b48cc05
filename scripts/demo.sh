#!/usr/bin/env bash
# The README's first command: installs ClickHouse if it is missing, builds
# contribtrack, starts its local ClickHouse, writes a deterministic GH Archive
# sample (a week of AWS-like activity), imports it and prints a leaderboard.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-clickhouse.sh
mkdir -p bin
go build -o bin/contribtrack ./cmd/contribtrack

ct() { bin/contribtrack --config examples/aws-community.yaml "$@"; }
ct clickhouse start >/dev/null
ct migrate
ct demo-data --out demo-data --from 2024-01-01-0 --to 2024-01-07-23 --seed 1
ct import gharchive demo-data
echo
echo "Top contributors to the configured AWS orgs, 2024-01-01 to 2024-01-07:"
ct leaderboard --from 2024-01-01 --to 2024-01-08 --limit 15
