#!/usr/bin/env bash
# The README's second command: every test, against a real ClickHouse server
# that the tests start themselves (installed here when missing).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-clickhouse.sh
scripts/install-chromium.sh
scripts/install-zookeeper.sh
unformatted=$(gofmt -l cmd internal queries deploy dashboards)
if [ -n "$unformatted" ]; then
  echo "gofmt would change:" >&2; echo "$unformatted" >&2; exit 1
fi
go vet ./...
go test -count=1 ./...
