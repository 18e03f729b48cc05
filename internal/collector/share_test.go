package collector_test

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"contribtrack/internal/collector"
	"contribtrack/internal/githubtest"
	"contribtrack/internal/githubtest/ghdata"
)

// shareOptions make a collector one of several sharing the work.
func shareOptions(e *env, holder string, results *[]collector.RepoResult, mu *sync.Mutex) collector.Options {
	return collector.Options{Orgs: e.orgs(), Workers: 2, Holder: holder, Leases: e.store,
		LeaseTTL: 3 * time.Second, LeaseSettle: 200 * time.Millisecond,
		Progress: func(r collector.RepoResult) {
			mu.Lock()
			defer mu.Unlock()
			*results = append(*results, r)
		}}
}

// runTwo runs two collectors sharing the work at once (options changed
// by mod, when given), fails on an error of either, and returns each one's
// results.
func runTwo(t *testing.T, e *env, mod func(*collector.Options), run func(*collector.Collector) error) [2][]collector.RepoResult {
	t.Helper()
	var mu sync.Mutex
	var results [2][]collector.RepoResult
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, holder := range []string{"collector-a", "collector-b"} {
		o := shareOptions(e, holder, &results[i], &mu)
		if mod != nil {
			mod(&o)
		}
		c := collector.New(e.client(t, nil), e.store, o)
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			errs[i] = run(c)
		}(i)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	return results
}

// TestTwoCollectorsShareTheOrg: two collectors run at once on the same
// database finish the org between them, each repository synced by exactly
// one of them, and the stored contributions are exactly the ground truth.
func TestTwoCollectorsShareTheOrg(t *testing.T) {
	e := newEnv(t, ghdata.Generate(ghdata.SmallSpec(3)), githubtest.Options{})
	results := runTwo(t, e, nil, func(c *collector.Collector) error { _, err := c.Run(context.Background()); return err })
	synced := map[string]int{}
	for i := range results {
		for _, r := range results[i] {
			if r.Err != nil {
				t.Errorf("%s: %v", r.Repo, r.Err)
			}
			if r.Skipped == "" {
				synced[r.Repo]++
			}
		}
	}
	if len(synced) != len(e.ds.Repos) {
		t.Errorf("%d of %d repositories synced", len(synced), len(e.ds.Repos))
	}
	for repo, n := range synced {
		if n != 1 {
			t.Errorf("%s synced %d times", repo, n)
		}
	}
	if count(results[0]) == 0 || count(results[1]) == 0 {
		t.Errorf("the work was not shared: %d and %d synced", count(results[0]), count(results[1]))
	}
	t.Logf("collector a synced %d, b %d (of %d)", count(results[0]), count(results[1]), len(e.ds.Repos))
	assertExact(t, truth(e.ds, nil), e.stored(t))
}

func count(rs []collector.RepoResult) int {
	n := 0
	for _, r := range rs {
		if r.Skipped == "" && r.Err == nil {
			n++
		}
	}
	return n
}

// TestCollectorStoppedMidRunIsTakenOver: one of two collectors stops in
// the middle of the run (its leases are left to expire, as when a process
// is killed); the other takes over what it left and the totals are exact.
func TestCollectorStoppedMidRunIsTakenOver(t *testing.T) {
	e := newEnv(t, ghdata.Generate(ghdata.SmallSpec(4)), githubtest.Options{})
	var mu sync.Mutex
	var ra, rb []collector.RepoResult
	ctxA, stopA := context.WithCancel(context.Background())
	defer stopA()
	optsA := shareOptions(e, "collector-a", &ra, &mu)
	progress := optsA.Progress
	optsA.Progress = func(r collector.RepoResult) {
		progress(r)
		if r.Skipped == "" {
			stopA() // after its first repository
		}
	}
	var wg sync.WaitGroup
	var errA, errB error
	wg.Add(2)
	go func() { defer wg.Done(); _, errA = collector.New(e.client(t, nil), e.store, optsA).Run(ctxA) }()
	go func() {
		defer wg.Done()
		time.Sleep(100 * time.Millisecond) // a claims first
		_, errB = collector.New(e.client(t, nil), e.store, shareOptions(e, "collector-b", &rb, &mu)).Run(context.Background())
	}()
	wg.Wait()
	if errA == nil {
		t.Fatal("collector a was not stopped")
	}
	if errB != nil {
		t.Fatal(errB)
	}
	t.Logf("collector a synced %d before it stopped, b %d (of %d)", count(ra), count(rb), len(e.ds.Repos))
	assertExact(t, truth(e.ds, nil), e.stored(t))
}

// TestLeasesOfAKilledCollectorAreTakenOver: a collector killed while it
// held two repositories (their leases left behind, nothing synced) delays
// them by at most a lease: the next collector waits for the leases to
// expire, then syncs them, and the totals are exact.
func TestLeasesOfAKilledCollectorAreTakenOver(t *testing.T) {
	e := newEnv(t, ghdata.Generate(ghdata.SmallSpec(2)), githubtest.Options{})
	ctx := context.Background()
	ttl := 3 * time.Second
	dead := map[string]bool{}
	for _, r := range e.ds.Repos[:2] {
		ok, err := e.store.Claim(ctx, fmt.Sprintf("repo:%d", r.ID), "killed-collector", ttl, 0)
		if err != nil || !ok {
			t.Fatalf("claiming for the killed collector: %v %v", ok, err)
		}
		dead[r.Owner.Login+"/"+r.Name] = true
	}
	var mu sync.Mutex
	var rb []collector.RepoResult
	start := time.Now()
	if _, err := collector.New(e.client(t, nil), e.store, shareOptions(e, "collector-b", &rb, &mu)).Run(ctx); err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	for _, r := range rb {
		if dead[r.Repo] && r.Skipped != "" {
			t.Errorf("%s: %s (nobody synced it)", r.Repo, r.Skipped)
		}
	}
	if count(rb) != len(e.ds.Repos) {
		t.Errorf("b synced %d of %d", count(rb), len(e.ds.Repos))
	}
	if took < ttl/2 {
		t.Errorf("b finished in %s: it did not wait for the held leases", took)
	}
	assertExact(t, truth(e.ds, nil), e.stored(t))
}

// TestSharedCollectorsKeepToTheTokensBudget: two collectors share one
// token whose budget is smaller than the org needs; GitHub's answers tell
// each how much the token has left, so between them they wait for resets
// instead of overspending it. The server counts what it refused.
func TestSharedCollectorsKeepToTheTokensBudget(t *testing.T) {
	e := newEnv(t, ghdata.Generate(ghdata.SmallSpec(3)), githubtest.Options{CoreLimit: 8, GraphQLLimit: 8, Window: time.Second})
	start := time.Now()
	runTwo(t, e, nil, func(c *collector.Collector) error { _, err := c.Run(context.Background()); return err })
	windows := int(time.Since(start)/time.Second) + 1
	assertExact(t, truth(e.ds, nil), e.stored(t))
	st := e.srv.Stats()
	t.Logf("points spent: %v; refused for an exhausted budget: %d", st.Points, st.RateLimited)
	// A collector learns what the token has left from every answer: it can
	// be wrong about the other's spending for one request per budget (one
	// in flight per token) per window, and never spends past a refusal.
	if limit := windows * 2 * 2; st.RateLimited > limit {
		t.Errorf("%d requests refused for an exhausted budget over %d windows (at most %d): the collectors overspent the token",
			st.RateLimited, windows, limit)
	}
	if st.Points["core"]+st.Points["graphql"] > windows*(8+8) {
		t.Errorf("%v points spent in %d windows of 8+8", st.Points, windows)
	}
}

// TestTwoCollectorsShareTheMembers: two collectors following the same
// roster members at once follow each account exactly once between them,
// and store exactly what the members made.
func TestTwoCollectorsShareTheMembers(t *testing.T) {
	ds := ghdata.Generate(ghdata.SmallSpec(16))
	e := newEnv(t, ds, githubtest.Options{})
	active := map[int64]int{}
	for _, c := range ds.Truth() {
		active[int64(c.ActorID)]++
	}
	var people []*ghdata.User
	for _, u := range ds.Users {
		if u.Type == "User" && active[u.ID] > 0 {
			people = append(people, u)
		}
	}
	sort.Slice(people, func(i, j int) bool { return active[people[i].ID] > active[people[j].ID] })
	since := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	var members []collector.Member
	for _, u := range people[:6] {
		members = append(members, collector.Member{Key: u.Login, Logins: []string{u.Login}, IDs: []uint64{uint64(u.ID)}, Since: since})
	}
	results := runTwo(t, e,
		func(o *collector.Options) { o.Orgs = nil }, // nothing tracked: everything the members made comes from following them
		func(c *collector.Collector) error { _, err := c.RunMembers(context.Background(), members); return err })
	followed := map[string]int{}
	for i := range results {
		for _, r := range results[i] {
			if r.Skipped == "" && r.Err == nil {
				followed[r.Repo]++
			}
		}
	}
	for _, m := range members {
		if n := followed["@"+m.Logins[0]]; n != 1 {
			t.Errorf("@%s followed %d times", m.Logins[0], n)
		}
	}
	if count(results[0]) == 0 || count(results[1]) == 0 {
		t.Errorf("the work was not shared: %d and %d followed", count(results[0]), count(results[1]))
	}
	// What one collector alone stores for the same members.
	alone := newEnv(t, ds, githubtest.Options{})
	if _, err := collector.New(alone.client(t, nil), alone.store, collector.Options{}).RunMembers(context.Background(), members); err != nil {
		t.Fatal(err)
	}
	want := alone.stored(t)
	if len(want) < 100 {
		t.Fatalf("one collector stored only %d contributions of the members: the test shows little", len(want))
	}
	assertExact(t, want, e.stored(t))
}
