#!/usr/bin/env bash
# The README's second command: every test, against real ClickHouse servers
# that the tests start themselves (installed here when missing): ClickHouse
# 26.x for everything, and Debian's 18.16 with ZooKeeper only for the
# replicated half of the cluster tests (docs/clickhouse.md says why).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-clickhouse.sh
scripts/install-clickhouse-18.sh
scripts/install-chromium.sh
scripts/install-zookeeper.sh
unformatted=$(gofmt -l cmd internal queries deploy dashboards)
if [ -n "$unformatted" ]; then
  echo "gofmt would change:" >&2; echo "$unformatted" >&2; exit 1
fi
go vet ./...
go test -count=1 ./...
