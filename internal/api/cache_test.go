package api_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"contribtrack/internal/api"
	"contribtrack/internal/contrib"
)

func cacheState(r response) string { return r.header.Get("X-Contribtrack-Cache") }

func TestAnswerCache(t *testing.T) {
	e := newEnv(t)
	e.insert(t, baseData(t)...)
	// The env's writes below are this process's own: it tells the API
	// about them (env.wrote), as serve does after its jobs; the API does
	// not read the version on its own meanwhile.
	base := e.serve(t, api.Options{VersionRefresh: time.Hour})
	lb := base + lbPath

	first := get(t, lb)
	second := get(t, lb)
	if cacheState(first) != "miss" || cacheState(second) != "hit" {
		t.Fatalf("cache %q then %q, want miss then hit", cacheState(first), cacheState(second))
	}
	if string(first.body) != string(second.body) || second.header.Get("Content-Type") != first.header.Get("Content-Type") {
		t.Errorf("the cached answer differs:\n%s\n%s", first.body, second.body)
	}
	// The same question in another order, or spelt another way, is the
	// same question; another question is not.
	if r := get(t, base+"/api/v1/leaderboard?to=2024-02-01&from=2024-01-01"); cacheState(r) != "hit" {
		t.Errorf("parameters in another order: cache %q, want hit", cacheState(r))
	}
	if r := get(t, lb+"&limit=20"); cacheState(r) != "miss" {
		t.Errorf("another question (explicit limit): cache %q, want miss", cacheState(r))
	}
	if r := get(t, base+"/api/v1/share?"+okPeriod); cacheState(r) != "miss" {
		t.Errorf("another endpoint: cache %q, want miss", cacheState(r))
	}
	if r := get(t, base+"/api/v1/share?"+okPeriod); cacheState(r) != "hit" {
		t.Errorf("share again: cache %q, want hit", cacheState(r))
	}

	// A new contribution changes the data version: the next answer is
	// computed again and has it.
	v1, err := e.store.DataVersion(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	e.insert(t, c(t, contrib.PRMerged, "zed", cdk, mid), c(t, contrib.PRMerged, "zed", cdk, mid))
	v2, err := e.store.DataVersion(context.Background())
	if err != nil || v1 == v2 {
		t.Fatalf("data version %q before the insert, %q after (%v)", v1, v2, err)
	}
	r := get(t, lb)
	if cacheState(r) != "miss" {
		t.Errorf("after an insert: cache %q, want miss", cacheState(r))
	}
	got := decodeEntries(t, r.body)
	if len(got) == 0 || got[0].Login != "zed" || got[0].Score != 6 {
		t.Errorf("after an insert: %+v, want zed first with 6", got)
	}
	if r := get(t, lb); cacheState(r) != "hit" || string(r.body) != string(get(t, lb).body) {
		t.Errorf("after an insert, again: cache %q, want hit", cacheState(r))
	}
	sh := get(t, base+"/api/v1/share?"+okPeriod)
	if cacheState(sh) != "miss" {
		t.Errorf("share after an insert: cache %q, want miss", cacheState(sh))
	}

	// A refresh of the rollup is a new version too; the answer is the same.
	before := get(t, lb)
	e.refresh(t)
	after := get(t, lb)
	if cacheState(after) != "miss" {
		t.Errorf("after a refresh: cache %q, want miss", cacheState(after))
	}
	if diff := cmp.Diff(decodeEntries(t, before.body), decodeEntries(t, after.body)); diff != "" {
		t.Errorf("the rollup's answer differs from the raw one (-raw +rollup):\n%s", diff)
	}

	// Inserting the same contributions again (nothing new to count) still
	// invalidates: the cache never guesses.
	e.insert(t, c(t, contrib.Star, "nobody", cdk, mid))
	if r := get(t, lb); cacheState(r) != "miss" || string(r.body) != string(after.body) {
		t.Errorf("after a signal-only insert: cache %q; want miss with the same answer", cacheState(r))
	}
}

// A roster import is a new version: its settings (shown logins, opt-outs,
// bots) apply from the next request on.
func TestCacheFollowsRosterImports(t *testing.T) {
	e := newEnv(t)
	e.insert(t, rosterData(t)...)
	base := e.serve(t, api.Options{VersionRefresh: time.Hour})
	q := base + "/api/v1/leaderboard?" + query(rosterPeriod)
	get(t, q)
	before := get(t, q)
	if cacheState(before) != "hit" {
		t.Fatalf("cache %q, want hit", cacheState(before))
	}
	if got := counts(decodeEntries(t, before.body)); got["dmorales"] != 1 || got["ana-ferreira"] != 1 {
		t.Errorf("before the roster: %v", got)
	}
	e.importRoster(t)
	after := get(t, q)
	if cacheState(after) != "miss" {
		t.Errorf("after a roster import: cache %q, want miss", cacheState(after))
	}
	got := counts(decodeEntries(t, after.body))
	if got["dmorales"] != 0 || got["(hidden)"] != 1 || got["ana-ferreira"] != 0 || got["ana-ferreira-dev"] != 4 {
		t.Errorf("after the roster import: %v, want dmorales hidden and ana's accounts as one", got)
	}
	// Roster filters work from then on.
	if r := get(t, base+"/api/v1/leaderboard?"+query(rosterWith([2]string{"region", "APJ"}))); r.status != http.StatusOK {
		t.Errorf("region after the import: status %d: %s", r.status, r.body)
	}
}

func TestCacheOff(t *testing.T) {
	e := newEnv(t)
	e.insert(t, baseData(t)...)
	base := e.serve(t, api.Options{CacheEntries: -1})
	var bodies []string
	for i := 0; i < 3; i++ {
		r := get(t, base+lbPath)
		if cacheState(r) != "miss" {
			t.Errorf("request %d with the cache off: %q, want miss", i, cacheState(r))
		}
		bodies = append(bodies, string(r.body))
	}
	if bodies[0] != bodies[1] || bodies[1] != bodies[2] {
		t.Errorf("answers differ: %q", bodies)
	}
}

// A cache of one answer keeps the latest question only.
func TestCacheEviction(t *testing.T) {
	e := newEnv(t)
	e.insert(t, baseData(t)...)
	base := e.serve(t, api.Options{CacheEntries: 1})
	a, b := base+lbPath, base+lbPath+"&limit=1"
	for i, step := range []struct {
		url, want string
	}{{a, "miss"}, {a, "hit"}, {b, "miss"}, {b, "hit"}, {a, "miss"}, {b, "miss"}} {
		if r := get(t, step.url); cacheState(r) != step.want {
			t.Errorf("step %d: cache %q, want %q", i, cacheState(r), step.want)
		}
	}
}
