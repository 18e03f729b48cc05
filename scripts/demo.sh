#!/usr/bin/env bash
# The README's first command. On a machine without GitHub access it shows
# the primary path end to end: installs ClickHouse if it is missing, builds
# contribtrack and the GitHub test server, starts the test server with a
# generated org (20 repositories, ~40,000 contributions over six years,
# ending this hour), collects it through the GitHub API into contribtrack's
# local ClickHouse, prints the leaderboard and a report, syncs again to show
# what a resync costs, asks `contribtrack serve` over HTTP, and ends with
# what to try next.
#
# It announces each step before it starts. What the commands log goes to
# demo.log, never between a heading and its output. The demo has a folder
# of its own, kept after it ends: $CONTRIBTRACK_DATA_DIR/demo, else
# $XDG_DATA_HOME/contribtrack/demo, else ~/.local/share/contribtrack/demo,
# with the report (Markdown and HTML), demo.log and the demo's own local
# ClickHouse, separate from the one contribtrack uses for your data and
# started afresh on each run (the generated data ends this hour, so two
# runs' data would not fit together). That ClickHouse keeps running at the
# end; the test server and serve are stopped. The end says how to stop it,
# restart the test server and explore the data.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

out=${CONTRIBTRACK_DATA_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/contribtrack}/demo
mkdir -p "$out"
out=$(cd "$out" && pwd)
# Every contribtrack command below uses the demo's own local ClickHouse.
export CONTRIBTRACK_DATA_DIR=$out
log=$out/demo.log
: >"$log"
rm -f "$out/report.md" "$out/report.html"
tmp=$(mktemp -d)
current="starting"
server= svc= ticker=

step() {
	current=$1
	printf '\n==> %s\n' "$1"
	printf '\n==> %s (%s)\n' "$1" "$(date -u +%FT%TZ)" >>"$log"
}

# On the way out: stop what the demo started in the background, and when a
# step failed, say which one and show the end of the log.
finish() {
	local rc=$?
	for p in $ticker $svc $server; do kill "$p" 2>/dev/null || true; done
	rm -rf "$tmp"
	if [ "$rc" -ne 0 ]; then
		echo >&2
		echo "The demo failed while: $current. The last lines of $log:" >&2
		tail -n 25 "$log" >&2
	fi
}
trap finish EXIT

# wait_for FILE PATTERN PID: wait until FILE has a line matching PATTERN,
# while process PID lives (about 60 s at most).
wait_for() {
	for _ in $(seq 1 600); do
		grep -q "$2" "$1" && return 0
		kill -0 "$3" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# The periods: the last twelve months, today included (--to is exclusive),
# and the end of the test server's activity: this hour.
day() { date -u -d "$1" +%F 2>/dev/null || date -u -v"$2" +%F; }
from=$(day '1 year ago' -1y)
to=$(day tomorrow +1d)
end=$(date -u +%Y-%m-%dT%H:00:00Z)

step "Building contribtrack and the GitHub test server into bin/ (first run: about a minute, while Go downloads and compiles)"
SECONDS=0
# A line every 20 s while Go compiles: on a busy machine it takes minutes.
(t=0; while sleep 20 >/dev/null 2>&1; do t=$((t + 20)); echo "  still compiling (${t}s)"; done) &
ticker=$!
mkdir -p bin
go build -o bin/contribtrack ./cmd/contribtrack
go build -o bin/github-testserver ./cmd/github-testserver
kill "$ticker" 2>/dev/null || true
ticker=
echo "built in ${SECONDS}s"

step "Checking for ClickHouse (the first run fetches it: about 180 MB)"
scripts/install-clickhouse.sh

step "Starting the GitHub test server: org aws-samples, generated activity until $end"
bin/github-testserver --size bench --seed 1 --end "$end" >"$tmp/url" 2>>"$log" &
server=$!
wait_for "$tmp/url" '^url=' "$server" || { echo "the GitHub test server did not start" >&2; exit 1; }
url=$(sed -n 's/^url=//p' "$tmp/url")
echo "GitHub test server: $url"

# The test server's demo token (see internal/githubtest.DemoToken).
token=ghp_contribtrackTestServerDemoToken0001
export GITHUB_TOKEN=$token
ct() { bin/contribtrack --config examples/demo-testserver.yaml "$@" 2>>"$log"; }

step "Starting the demo's own local ClickHouse afresh and creating the schema"
ct clickhouse stop
rm -rf "$out/clickhouse"
dsn=$(ct clickhouse start)
ct migrate >>"$log"
echo "ClickHouse: $dsn (data in $out/clickhouse)"

step "Collecting aws-samples from the GitHub test server (20 repositories; a line per repository goes to the log)"
ct collect --github-url "$url"

step "Top contributors to aws-samples, $from to $to (bots left out)"
ct leaderboard --from "$from" --to "$to" --limit 15

step "A contributor report for aws-samples: its first sections (the whole report is kept as Markdown and HTML)"
ct report --org aws-samples --from "$from" --to "$to" --format md --out "$out/report.md"
ct report --org aws-samples --from "$from" --to "$to" --format html --out "$out/report.html"
sed '/^### Contributors/,$d' "$out/report.md"
echo "The whole report: $out/report.md"
echo "As one self-contained page: $out/report.html ($(wc -c <"$out/report.html") bytes)"

step "Syncing again: nothing changed, so only the repository probes are sent"
ct collect --github-url "$url" | tail -n 1

# The same data through the service: serve syncs on a schedule and answers
# the HTTP API (docs/api.md); it is stopped with SIGTERM, as a deployment would.
step "Starting contribtrack serve and asking its HTTP API"
bin/contribtrack --config examples/demo-testserver.yaml serve --github-url "$url" --listen 127.0.0.1:0 >"$tmp/serve" 2>>"$log" &
svc=$!
wait_for "$tmp/serve" '^serving ' "$svc" || { echo "serve did not start" >&2; exit 1; }
api=$(sed -n 's/^serving //p' "$tmp/serve")
echo "serving $api"
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
fetch "/api/v1/leaderboard?from=$from&to=$to&limit=3&format=csv"
fetch "/api/v1/projects/metrics?from=$from&to=$to&org=aws-samples"
# The community gauges count the last 30 days; serve sets them after its
# first sync round.
gauges() { get /metrics | grep '^contribtrack_community_' || true; }
for _ in $(seq 1 600); do
	[ -n "$(gauges)" ] && break
	kill -0 "$svc" 2>/dev/null || { echo "serve stopped" >&2; exit 1; }
	sleep 0.1
done
echo "GET /metrics (the community gauges: the last 30 days and today)"
gauges
kill -TERM "$svc"
wait "$svc"
echo "serve stopped cleanly"
svc=
kill "$server" 2>/dev/null || true

step "What next"
cat <<EOF
The demo's results stay in $out:
  report.html  the contributor report as one page: file://$out/report.html
  report.md    the whole Markdown report
  demo.log     what the commands logged (collect's line per repository, rollup refreshes)

The demo's ClickHouse is still running, with the demo's data: $dsn
It is the demo's own (data in $out/clickhouse); this variable points
contribtrack at it, and without it contribtrack uses your own:
  export CONTRIBTRACK_DATA_DIR=$out
  bin/contribtrack clickhouse stop     stops it (the data stays until the next demo)
  bin/contribtrack clickhouse start    starts it again; every command also starts it when needed

Explore the demo's data (with CONTRIBTRACK_DATA_DIR as above; no GitHub needed):
  bin/contribtrack leaderboard --from $from --to $to --limit 20
  bin/contribtrack leaderboard --from $from --to $to --kind pr_review --format csv
  bin/contribtrack report --member maria-garcia --from $from --to $to
  bin/contribtrack report --org aws-samples --from $from --to $to --out report.html
  bin/contribtrack share --from $from --to $to --org aws-samples

The GitHub test server was stopped. To start it again with the same data
(it accepts one token, $token) and run the service against it:
  bin/github-testserver --size bench --seed 1 --end $end --addr 127.0.0.1:8765 &
  export GITHUB_TOKEN=$token
  bin/contribtrack --config examples/demo-testserver.yaml serve --github-url http://127.0.0.1:8765 --listen 127.0.0.1:8080
then open, for example (docs/api.md lists every endpoint):
  http://127.0.0.1:8080/api/v1/leaderboard?from=$from&to=$to&limit=20
  http://127.0.0.1:8080/api/v1/contributors/maria-garcia
  http://127.0.0.1:8080/api/v1/reports?org=aws-samples&from=$from&to=$to&format=html
  http://127.0.0.1:8080/metrics

Grafana dashboards (dashboards/): with Docker, the README's "Everything in
one command" starts ClickHouse, serve, Prometheus and Grafana
(http://localhost:3000) collecting github.com with your GITHUB_TOKEN.
EOF
