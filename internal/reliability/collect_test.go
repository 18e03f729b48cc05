package reliability

import (
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"contribtrack/internal/githubtest"
	"contribtrack/internal/githubtest/ghdata"
)

func testKillCollect(t *testing.T) {
	n := trials(2, 10)
	g := newGHServer(t, ghdata.Generate(spec(16)), githubtest.Options{})
	// One clean collect: exact, and how many requests a whole run sends.
	clean := newDSN("collect_clean")
	t0 := time.Now()
	if p := g.collect(t, clean); p.cmd.Run() != nil {
		t.Fatalf("a clean collect failed: %s", tail(p.stderr.String(), 10))
	}
	took, total := time.Since(t0), g.requests.Load()
	if d := g.checkTruth(t, clean); d != "" {
		t.Fatalf("a clean collect is not exact: %s", d)
	}
	r := &row{experiment: "kill -9 of `collect` against the GitHub test server, then collect again; compare with its ground truth",
		trials: strconv.Itoa(n),
		details: []string{fmt.Sprintf("dataset: %d repositories, %d keys; a clean collect sent %d requests in %s; kills after a random number of them; seed %d",
			len(g.ds.Repos), len(g.truth()), total, took.Round(time.Millisecond), seed)}}
	exact, killed := 0, 0
	for i := 0; i < n; i++ {
		dsn := newDSN("collect_kill")
		at := 1 + rng.Int64N(total-1)
		reached := make(chan struct{})
		g.requests.Store(0)
		g.setHook(func(n int64, _ *http.Request) {
			if n == at {
				close(reached)
			}
		})
		p := g.collect(t, dsn)
		p.start(t)
		select { // the moment: request number at, or the end of a run that sent fewer
		case <-reached:
		case <-p.done:
		}
		if p.kill9() {
			killed++
		}
		g.setHook(nil)
		rerun := g.collect(t, dsn)
		if err := rerun.cmd.Run(); err != nil {
			r.details = append(r.details, fmt.Sprintf("trial %d (killed at request %d): collect again failed: %v: %s", i+1, at, err, tail(rerun.stderr.String(), 3)))
			continue
		}
		if d := g.checkTruth(t, dsn); d != "" {
			r.details = append(r.details, fmt.Sprintf("trial %d (killed at request %d): %s", i+1, at, d))
			continue
		}
		exact++
	}
	r.ok = exact == n && killed > 0
	r.result = fmt.Sprintf("%d of %d exact (%d killed mid-run)", exact, n, killed)
	record(t, r)
}
