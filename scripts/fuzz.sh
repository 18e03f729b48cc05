#!/usr/bin/env bash
# Runs every Go fuzz target of the project for SECONDS each (default 10):
# the GH Archive line decoder and reader, the roster's YAML and CSV lint,
# the configuration file, the API's query parameters and the reports'
# escaping (issue 16; docs/reliability.md says what each target checks).
#
#   scripts/fuzz.sh [SECONDS] [REGEXP]    # REGEXP keeps the targets it matches
#
# Go fuzzes one target per run, so each target is its own `go test -fuzz`.
# It prints a line per target (target, package, seconds, executions,
# result), then `fuzz: N targets, P panics`, and exits 1 when a target
# failed, naming the input Go wrote under the package's testdata/fuzz/:
# commit that file and it runs with the ordinary tests from then on. The
# first run builds instrumented test binaries (a few minutes on a busy
# machine); later runs use Go's build cache. No ClickHouse is needed.
#
# FUZZ_PARALLEL sets the fuzzing workers per target (default: all cores);
# FUZZ_LOGS keeps each target's output in that directory (default: a
# temporary one, removed when every target passed).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-10}
filter=${2:-.}
if ! [[ $seconds =~ ^[0-9]+$ ]] || [ "$seconds" -lt 1 ]; then
  echo "usage: scripts/fuzz.sh [SECONDS] [REGEXP]  (SECONDS a whole number >= 1, not '$seconds')" >&2
  exit 2
fi

# Every `func FuzzXxx(f *testing.F)` of the project's test files, as
# "package-dir target".
targets=$(grep -rHoE --include='*_test.go' '^func Fuzz[A-Za-z0-9_]+\(f \*testing\.F\)' cmd internal |
  sed -E 's#^(.*)/[^/]+_test\.go:func (Fuzz[A-Za-z0-9_]+).*#\1 \2#' | sort | grep -E " .*$filter" || true)
if [ -z "$targets" ]; then
  echo "fuzz: no fuzz targets match '$filter'" >&2
  exit 2
fi

logs=${FUZZ_LOGS:-$(mktemp -d "${TMPDIR:-/tmp}/contribtrack-fuzz.XXXXXX")}
mkdir -p "$logs"
parallel=()
if [ -n "${FUZZ_PARALLEL:-}" ]; then
  parallel=(-parallel "$FUZZ_PARALLEL")
fi

# deadline_race says whether a failed run's only complaint is Go's
# "context deadline exceeded" at the end of -fuzztime: no failing input
# written, no panic, no other failure message.
deadline_race() {
  ! grep -q 'Failing input written' "$1" &&
    ! grep -qE 'panic: |fatal error: ' "$1" &&
    grep -qE '^    context deadline exceeded$' "$1" &&
    [ "$(grep -vE '^fuzz: |^--- FAIL: |^    context deadline exceeded$|^FAIL|^exit status|^ok |^PASS' "$1" | grep -c .)" -eq 0 ]
}

n=0
panics=0
failed=()
printf '%-16s %-20s %7s %12s  %s\n' target package seconds executions result
while read -r dir name; do
  n=$((n + 1))
  log="$logs/$name.log"
  start=$(date +%s)
  status=0
  go test -run '^$' -fuzz "^${name}\$" -fuzztime "${seconds}s" "${parallel[@]}" "./$dir" >"$log" 2>&1 || status=$?
  took=$(($(date +%s) - start))
  # The last progress line's count ("execs: 123456 (...)").
  execs=$(grep -oE 'execs: [0-9]+' "$log" | tail -n 1 | grep -oE '[0-9]+' || true)
  if [ "$status" -eq 0 ]; then
    result=ok
  elif deadline_race "$log"; then
    # Go 1.26's fuzzing coordinator can report the end of -fuzztime itself
    # as a failure (go.dev/issue/75804, fixed in Go 1.27): the target ran
    # its time, found nothing and wrote no input.
    status=0
    result="ok (Go's end-of-fuzztime race, go.dev/issue/75804; no failing input)"
  else
    input=$(sed -nE 's#.*Failing input written to (testdata/fuzz/[^ ]+).*#\1#p' "$log" | tail -n 1)
    if grep -qE '^\s*panic: |^panic: |fatal error: ' "$log"; then
      panics=$((panics + 1))
      result="PANIC"
    else
      result="FAIL"
    fi
    if [ -n "$input" ]; then
      result="$result: input $dir/$input"
    else
      result="$result: no input written (build error or timeout?), see $log"
    fi
    failed+=("$name")
  fi
  printf '%-16s %-20s %7s %12s  %s\n' "$name" "$dir" "$took" "${execs:-0}" "$result"
  if [ "$status" -ne 0 ]; then
    # Why: the failure's own lines, without the progress lines.
    grep -vE '^fuzz: elapsed' "$log" | sed -n '1,25p' | sed 's/^/    /'
  fi
done <<<"$targets"

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: ${#failed[@]} of $n targets failed: ${failed[*]} (logs in $logs)"
  echo "fuzz: $n targets, $panics panics"
  exit 1
fi
[ -n "${FUZZ_LOGS:-}" ] || rm -rf "$logs"
echo "fuzz: $n targets, $panics panics"
