package reliability

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"contribtrack/internal/testing/fixtures"
)

// rng draws the suite's random moments; CONTRIBTRACK_RELIABILITY_SEED
// replays a run (the seed is printed in the details).
var seed, rng = func() (uint64, *rand.Rand) {
	s, err := strconv.ParseUint(os.Getenv("CONTRIBTRACK_RELIABILITY_SEED"), 10, 64)
	if err != nil {
		s = uint64(time.Now().UnixNano())
	}
	return s, rand.New(rand.NewPCG(s, 16))
}()

// importInputs are three copies of the real GH Archive hour (8,273
// events, about 7,500 contributions each): 22,500 sightings, more than one
// 20,000-row batch, so that kills land before, between and after batches,
// and in the rollup refresh at the end.
func importInputs(t *testing.T) []string {
	t.Helper()
	src := fixtures.Path(t, "gharchive/2015-01-01-12.json.gz")
	body, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(st.tmp, "hours")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	var paths []string
	for i := 1; i <= 3; i++ {
		p := filepath.Join(dir, fmt.Sprintf("copy%d-2015-01-01-12.json.gz", i))
		if err := os.WriteFile(p, body, 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	return paths
}

// cleanImport imports the inputs once, uninterrupted, and checks the
// result against an independent reading of the hour (fixtures). It
// returns the database, its dump and leaderboard, and how long it took.
func cleanImport(t *testing.T, inputs []string) (dsn string, want []stored, lb string, took time.Duration) {
	t.Helper()
	dsn = newDSN("import_clean")
	t0 := time.Now()
	run(t, nil, append([]string{"--clickhouse", dsn, "import", "gharchive", "--all"}, inputs...)...)
	took = time.Since(t0)
	want = dump(t, dsn)
	exp := fixtures.ExpectedFromGHArchive(t, inputs[0]).Distinct
	got := map[string]int{}
	for _, s := range want {
		got[s.Kind]++
	}
	for k, n := range exp {
		if got[k] != n {
			t.Fatalf("the clean import stored %d %s, an independent reading of the hour finds %d", got[k], k, n)
		}
	}
	return dsn, want, leaderboard(t, dsn), took
}

func testKillImport(t *testing.T) {
	n := trials(3, 20)
	inputs := importInputs(t)
	_, want, wantLB, took := cleanImport(t, inputs)
	r := &row{experiment: "kill -9 of `import gharchive` at random moments, then import again; compare with one clean import",
		details: []string{fmt.Sprintf("input: 3 copies of the GH Archive hour 2015-01-01-12 (%d keys); a clean import took %s; seed %d",
			len(want), took.Round(time.Millisecond), seed)}}
	exact, killed := 0, 0
	var failures []string
	for i := 0; i < n; i++ {
		dsn := newDSN("import_kill")
		at := time.Duration(rng.Int64N(int64(took) * 9 / 10))
		p := command(t, nil, append([]string{"--clickhouse", dsn, "import", "gharchive", "--all"}, inputs...)...)
		p.start(t)
		time.Sleep(at) // the random moment: this is the experiment, not a wait for something
		if p.kill9() {
			killed++
		}
		rerun := command(t, nil, append([]string{"--clickhouse", dsn, "import", "gharchive", "--all"}, inputs...)...)
		if err := rerun.cmd.Run(); err != nil {
			failures = append(failures, fmt.Sprintf("trial %d (killed at %s): the import again failed: %v: %s", i+1, at.Round(time.Millisecond), err, tail(rerun.stderr.String(), 3)))
			continue
		}
		if d := diff(dump(t, dsn), want); d != "" {
			failures = append(failures, fmt.Sprintf("trial %d (killed at %s): %s", i+1, at.Round(time.Millisecond), d))
			continue
		}
		if lb := leaderboard(t, dsn); lb != wantLB {
			failures = append(failures, fmt.Sprintf("trial %d (killed at %s): the leaderboard differs from the clean import's", i+1, at.Round(time.Millisecond)))
			continue
		}
		exact++
	}
	r.trials = strconv.Itoa(n)
	r.ok = exact == n && killed > 0
	r.result = fmt.Sprintf("%d of %d exact (%d killed mid-run, the rest had finished)", exact, n, killed)
	if killed == 0 {
		r.result += "; no trial killed a running import"
	}
	r.details = append(r.details, failures...)
	record(t, r)
}
