#!/usr/bin/env bash
# The README's first command. On a machine without GitHub access it shows
# the primary path end to end: installs ClickHouse if it is missing, builds
# contribtrack and the GitHub test server, starts the test server with a
# generated org (20 repositories, ~40,000 contributions over six years),
# collects it through the GitHub API into contribtrack's local ClickHouse,
# prints the leaderboard, then syncs again to show what a resync costs.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-clickhouse.sh
mkdir -p bin
go build -o bin/contribtrack ./cmd/contribtrack
go build -o bin/github-testserver ./cmd/github-testserver

tmp=$(mktemp -d)
bin/github-testserver --size bench --seed 1 >"$tmp/url" 2>"$tmp/log" &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$tmp"' EXIT
for _ in $(seq 1 100); do
  grep -q '^url=' "$tmp/url" && break
  kill -0 $server 2>/dev/null || { cat "$tmp/log" >&2; exit 1; }
  sleep 0.1
done
url=$(sed -n 's/^url=//p' "$tmp/url")
[ -n "$url" ] || { echo "the GitHub test server did not start" >&2; cat "$tmp/log" >&2; exit 1; }
echo "GitHub test server: $url"

# The test server's demo token (see internal/githubtest.DemoToken).
export GITHUB_TOKEN=ghp_contribtrackTestServerDemoToken0001
ct() { bin/contribtrack --config examples/demo-testserver.yaml "$@"; }
ct clickhouse start >/dev/null
ct migrate
ct collect --github-url "$url"
echo
echo "Top contributors to aws-samples, 2026-01-01 to 2026-11-01 (bots left out):"
ct leaderboard --from 2026-01-01 --to 2026-11-01 --limit 15
echo
echo "A contributor report for aws-samples (Markdown, first lines; also written as HTML):"
ct report --org aws-samples --from 2026-01-01 --to 2026-11-01 | head -n 24
ct report --org aws-samples --from 2026-01-01 --to 2026-11-01 --out "$tmp/report.html"
echo "report.html: $(wc -c <"$tmp/report.html") bytes, self-contained"
echo
echo "Syncing again: nothing changed, so only the repository probes are sent:"
ct collect --github-url "$url" 2>/dev/null | tail -n 1

# The same data through the service: serve syncs on a schedule and answers
# the HTTP API (docs/api.md); it is stopped with SIGTERM, as a deployment would.
echo
echo "contribtrack serve, asked over HTTP:"
bin/contribtrack --config examples/demo-testserver.yaml serve --github-url "$url" --listen 127.0.0.1:0 >"$tmp/serve" 2>"$tmp/serve.log" &
svc=$!
trap 'kill $svc 2>/dev/null || true; kill $server 2>/dev/null || true; rm -rf "$tmp"' EXIT
for _ in $(seq 1 100); do
  grep -q '^serving ' "$tmp/serve" && break
  kill -0 $svc 2>/dev/null || { cat "$tmp/serve.log" >&2; exit 1; }
  sleep 0.1
done
api=$(sed -n 's/^serving //p' "$tmp/serve")
[ -n "$api" ] || { echo "serve did not start" >&2; cat "$tmp/serve.log" >&2; exit 1; }
# curl when there is one, else plain bash (/dev/tcp) on a fresh machine.
get() {
  if command -v curl >/dev/null; then curl -fsS "$api$1"; return; fi
  local hostport=${api#http://}
  exec 3<>"/dev/tcp/${hostport%:*}/${hostport#*:}"
  printf 'GET %s HTTP/1.0\r\nHost: %s\r\n\r\n' "$1" "$hostport" >&3
  sed '1,/^\r$/d' <&3
  exec 3<&-
}
fetch() { echo "GET $1"; get "$1" | head -c 1500; echo; }
fetch '/api/v1/leaderboard?from=2026-01-01&to=2026-11-01&limit=3&format=csv'
fetch '/api/v1/projects/metrics?from=2026-01-01&to=2026-11-01&org=aws-samples'
kill -TERM $svc
wait $svc
echo "serve stopped cleanly"
