package api_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"contribtrack/internal/api"
	"contribtrack/internal/contrib"
	"contribtrack/internal/store"
)

// A cached answer is served from memory: with the API's connection to
// ClickHouse closed, a question answered before is still answered (a
// request that reads the version from ClickHouse would fail), while a new
// question cannot be.
func TestCacheHitAsksNothingOfClickHouse(t *testing.T) {
	e := newEnv(t)
	e.insert(t, baseData(t)...)
	own, err := store.Open(context.Background(), e.dsn)
	if err != nil {
		t.Fatal(err)
	}
	base := e.serve(t, api.Options{Store: own})
	lb := base + lbPath
	first := get(t, lb)
	if cacheState(first) != "miss" || cacheState(get(t, lb)) != "hit" {
		t.Fatalf("warming the cache: %q first", cacheState(first))
	}
	if err := own.Close(); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		r := get(t, lb)
		if r.status != http.StatusOK || cacheState(r) != "hit" || string(r.body) != string(first.body) {
			t.Fatalf("a cached question with ClickHouse out of reach: %d, cache %q: %s", r.status, cacheState(r), r.body)
		}
	}
	if r := get(t, lb+"&limit=1"); r.status != http.StatusServiceUnavailable {
		t.Errorf("a new question with ClickHouse out of reach: %d, want 503: %s", r.status, r.body)
	}
}

// Another process's writes show within VersionRefresh: the background
// refresh reads the new version, and the next question is computed again.
func TestVersionFollowsOtherWriters(t *testing.T) {
	e := newEnv(t)
	e.insert(t, baseData(t)...)
	base := e.serve(t, api.Options{VersionRefresh: 20 * time.Millisecond})
	lb := base + lbPath
	get(t, lb)
	if r := get(t, lb); cacheState(r) != "hit" {
		t.Fatalf("cache %q, want hit", cacheState(r))
	}
	// The write goes through a store the API does not know about.
	other, err := store.Open(context.Background(), e.dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if err := other.Insert(context.Background(), []contrib.Contribution{
		c(t, contrib.PRMerged, "zed", cdk, mid), c(t, contrib.PRMerged, "zed", cdk, mid)}); err != nil {
		t.Fatal(err)
	}
	e.settleMarks(t)
	// The first answer with the write is computed again; the answers
	// after it come from the cache once the version in memory is the one
	// they were computed at.
	deadline := time.Now().Add(30 * time.Second)
	sawZed := false
	for {
		r := get(t, lb)
		got := decodeEntries(t, r.body)
		zed := len(got) > 0 && got[0].Login == "zed"
		if zed && !sawZed && cacheState(r) != "miss" {
			t.Fatalf("the first answer with the write: cache %q, want miss", cacheState(r))
		}
		if sawZed && !zed {
			t.Fatalf("an answer without the write after one with it: %s", r.body)
		}
		sawZed = sawZed || zed
		if zed && cacheState(r) == "hit" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("another process's write was not answered from the cache within 30 s (refresh every 20 ms; seen: %v)", sawZed)
		}
		time.Sleep(5 * time.Millisecond) // poll
	}
}
