package collector_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"contribtrack/internal/collector"
	"contribtrack/internal/contrib"
	"contribtrack/internal/ghclient"
	"contribtrack/internal/githubtest"
	"contribtrack/internal/githubtest/ghdata"
)

// recordingObserver keeps every call it is told about.
type recordingObserver struct {
	mu       sync.Mutex
	flushes  []collector.Flush
	failures map[string]int
	synced   []collector.RepoResult
	runs     []string
	runErrs  []error
}

func (o *recordingObserver) Flushed(f collector.Flush) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.flushes = append(o.flushes, f)
}

func (o *recordingObserver) Failed(stage string, err error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.failures == nil {
		o.failures = map[string]int{}
	}
	o.failures[stage]++
}

func (o *recordingObserver) RepoSynced(r collector.RepoResult) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.synced = append(o.synced, r)
}

func (o *recordingObserver) RunFinished(run string, elapsed time.Duration, err error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.runs = append(o.runs, run)
	o.runErrs = append(o.runErrs, err)
}

func TestObserverSeesFlushesFailuresAndSyncs(t *testing.T) {
	e := newEnv(t, ghdata.Generate(ghdata.SmallSpec(3)), githubtest.Options{})
	// The first REST request fails twice, once more than the client
	// retries: one resource of one repository fails to fetch.
	e.srv.InjectOn(githubtest.FaultOnREST, githubtest.Fault5xx, 2)
	gh := e.client(t, func(o *ghclient.Options) { o.MaxRetries = 1 })
	obs := &recordingObserver{}
	sum, err := e.collect(t, gh, func(o *collector.Options) {
		o.Repos = []string{"nobody/missing"} // a probe that fails
		o.Workers = 1
		o.BatchSize = 500 // several flushes
		o.Observer = obs
	})
	if !errors.Is(err, collector.ErrPartial) {
		t.Fatalf("run: err = %v, want ErrPartial (a missing repository and a failed fetch)", err)
	}
	obs.mu.Lock()
	defer obs.mu.Unlock()

	stored := map[contrib.Kind]int{}
	rows := 0
	for _, f := range obs.flushes {
		if f.Err != nil {
			t.Errorf("flush failed: %v", f.Err)
		}
		rows += f.Rows
		for sk, n := range f.Stored {
			if sk.Via != contrib.ViaREST && sk.Via != contrib.ViaGraphQL {
				t.Errorf("%d contributions from source %q, want rest or graphql", n, sk.Via)
			}
			stored[sk.Kind] += n
		}
	}
	if len(obs.flushes) < 2 || rows != sum.Total() {
		t.Errorf("%d flushes of %d rows; want several, adding up to the %d stored", len(obs.flushes), rows, sum.Total())
	}
	for k, n := range sum.Stored {
		if stored[k] != n {
			t.Errorf("%s: observer saw %d stored, summary says %d", k, stored[k], n)
		}
	}
	if obs.failures[collector.StageProbe] != 1 || obs.failures[collector.StageFetch] != 1 || len(obs.failures) != 2 {
		t.Errorf("failures by stage %v; want one probe and one fetch", obs.failures)
	}
	if len(obs.synced) != len(e.ds.Repos) {
		t.Errorf("%d repositories reported synced, want %d", len(obs.synced), len(e.ds.Repos))
	}
	failed := 0
	for _, r := range obs.synced {
		if r.Err != nil {
			failed++
		}
	}
	if failed != 1 {
		t.Errorf("%d synced repositories failed, want 1", failed)
	}
	if len(obs.runs) != 1 || obs.runs[0] != "repositories" || !errors.Is(obs.runErrs[0], collector.ErrPartial) {
		t.Errorf("runs finished %v with errors %v; want one \"repositories\" run ending with ErrPartial", obs.runs, obs.runErrs)
	}
}
