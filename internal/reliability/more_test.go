package reliability

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// testFuzz runs scripts/fuzz.sh (the Go fuzz targets, time-boxed) when it
// exists.
func testFuzz(t *testing.T) {
	r := &row{experiment: "fuzzing (scripts/fuzz.sh)", trials: "time-boxed"}
	script := filepath.Join(st.root, "scripts", "fuzz.sh")
	if _, err := os.Stat(script); err != nil {
		r.ok, r.missing = true, true
		r.result = "NOT THERE YET: scripts/fuzz.sh does not exist, nothing was fuzzed"
		record(t, r)
		return
	}
	secs := map[bool]string{true: "30", false: "3"}[mode == "full"]
	r.trials = "time-boxed, " + secs + " s per target"
	cmd := exec.Command(script, secs)
	cmd.Dir = st.root
	out, err := cmd.CombinedOutput()
	r.ok = err == nil
	// Its last line: "fuzz: N targets, P panics".
	r.result = strings.TrimSpace(tail(string(out), 1))
	if err != nil {
		r.result = fmt.Sprintf("scripts/fuzz.sh failed (%v): %s", err, r.result)
	}
	r.details = []string{tail(string(out), 15)}
	record(t, r)
}

var (
	phaseLine = regexp.MustCompile(`^  (\S.*): (\d+) answers`)
	latLine   = regexp.MustCompile(`^    (cache hits|misses|reports \(never cached\))\s+(\d+)\s+p50 (\S+)\s+p95 (\S+)\s+p99 (\S+)`)
	statLine  = regexp.MustCompile(`429 (\d+) .*503 (\d+), 504 (\d+), other errors (\d+)`)
)

// testAPIUnderLoad runs internal/serve's BenchmarkAPIUnderLoad (100
// clients, mixed leaderboard, profile, community-metrics and report
// questions) against the suite's ClickHouse and reads serve's default
// configuration's figures from what it prints.
func testAPIUnderLoad(t *testing.T) {
	secs, rows := "5", "20000"
	if mode == "full" {
		secs, rows = "20", "1000000"
	}
	cmd := exec.Command("go", "test", "-run", "^$", "-bench", "APIUnderLoad", "-benchtime", "1x", "-timeout", "60m", "./internal/serve/")
	cmd.Dir = st.root
	cmd.Env = append(os.Environ(), "CONTRIBTRACK_TEST_CLICKHOUSE="+strings.TrimSuffix(st.ch.DSN(""), "/"),
		"CONTRIBTRACK_TEST_CLICKHOUSE_HTTP=http://127.0.0.1:"+strconv.Itoa(st.ch.HTTPPort),
		"CONTRIBTRACK_LOAD_SECONDS="+secs, "CONTRIBTRACK_BENCH_ROWS="+rows, "CONTRIBTRACK_LOAD_CLIENTS=100")
	out, err := cmd.CombinedOutput()
	r := &row{experiment: "API: 100 concurrent clients for 20 s, mixed questions", trials: "1 run",
		details: []string{fmt.Sprintf("internal/serve's BenchmarkAPIUnderLoad, %s s per configuration, %s contributions; serve's defaults (\"now\"):", secs, rows)}}
	inNow, found := false, false
	fivexx := 0
	var lat []string
	for _, line := range strings.Split(string(out), "\n") {
		if m := phaseLine.FindStringSubmatch(line); m != nil {
			inNow = strings.HasPrefix(m[1], "now")
			if inNow {
				r.details = append(r.details, strings.TrimSpace(line))
			}
			continue
		}
		if !inNow {
			continue
		}
		if m := latLine.FindStringSubmatch(line); m != nil {
			lat = append(lat, fmt.Sprintf("%s p50 %s p99 %s", m[1], m[3], m[5]))
			r.details = append(r.details, strings.TrimSpace(line))
		}
		if m := statLine.FindStringSubmatch(line); m != nil {
			found = true
			a, _ := strconv.Atoi(m[2])
			b, _ := strconv.Atoi(m[3])
			c, _ := strconv.Atoi(m[4])
			fivexx = a + b + c
			r.details = append(r.details, strings.TrimSpace(line))
		}
	}
	r.ok = err == nil && found && fivexx == 0
	r.result = fmt.Sprintf("%d 5xx (and transport errors); %s", fivexx, strings.Join(lat, "; "))
	if err != nil || !found {
		r.result = fmt.Sprintf("the benchmark failed or printed no figures (%v)", err)
		r.details = append(r.details, tail(string(out), 20))
	}
	record(t, r)
}
