package ingest_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"contribtrack/internal/config"
	"contribtrack/internal/contrib"
	"contribtrack/internal/ghclient"
	"contribtrack/internal/ingest"
	"contribtrack/internal/store"
	"contribtrack/internal/testing/chtest"
)

// env opens a migrated database and the use cases on it.
func env(t *testing.T, cfg *config.Config) ingest.Env {
	t.Helper()
	dsn, _ := chtest.Database(t)
	s, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.EnsureSchema(context.Background()); err != nil {
		t.Fatal(err)
	}
	e, err := ingest.Open(context.Background(), s, cfg, contrib.EmailKey("test key of sixteen+"), nil)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// batches is a source that stores its batches, then fails with err.
type batches struct {
	cs  [][]contrib.Contribution
	err error
}

func (b batches) Name() string { return "test batches" }

func (b batches) Sync(ctx context.Context, st contrib.SyncStore) (contrib.Synced, error) {
	syn := contrib.Synced{Started: true, Unit: "batches", Stored: map[contrib.Kind]int{}}
	for _, cs := range b.cs {
		if err := st.Insert(ctx, cs); err != nil {
			return syn, err
		}
		syn.Units++
		for _, c := range cs {
			syn.Stored[c.Kind]++
		}
	}
	return syn, b.err
}

func commits(repo uint64, n int) []contrib.Contribution {
	var cs []contrib.Contribution
	for i := range n {
		sha := strings.Repeat("ab", 19) + string(rune('a'+i%26)) + string(rune('a'+i/26))
		cs = append(cs, contrib.Contribution{Kind: contrib.Commit, Key: contrib.KeyForCommit(repo, sha),
			CreatedAt: time.Date(2024, 3, 1+i%20, 10, 0, 0, 0, time.UTC), ActorID: 7, ActorLogin: "ana",
			RepoID: repo, RepoName: "acme/tool", Org: "acme", Via: contrib.ViaREST})
	}
	return cs
}

// A sync that fails after storing keeps and counts what it stored, and
// the rollup is refreshed over it; one that stored nothing leaves the
// rollup alone. The source's error and the refresh's are told apart.
func TestSyncKeepsCountsAndRefreshes(t *testing.T) {
	e := env(t, config.Default())
	ctx := context.Background()
	broke := errors.New("the platform went away")
	res, err := e.Sync(ctx, batches{cs: [][]contrib.Contribution{commits(1, 3), commits(1, 30)[3:5]}, err: broke})
	if !errors.Is(err, broke) || !errors.Is(res.SyncErr, broke) || res.RollupErr != nil {
		t.Fatalf("err %v (sync %v, rollup %v): want the source's error alone", err, res.SyncErr, res.RollupErr)
	}
	if res.Batches != 2 || res.Rows != 5 || res.Total() != 5 {
		t.Errorf("result %+v: want 2 batches, 5 rows", res)
	}
	// Refreshed: nothing is left for another refresh to build.
	st, err := e.Store.RefreshRollup(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Months+st.Years+st.People != 0 {
		t.Errorf("after the sync the rollup still had %+v to build", st)
	}

	res, err = e.Sync(ctx, batches{err: broke})
	if !errors.Is(err, broke) || res.Batches != 0 || res.RollupErr != nil {
		t.Errorf("a sync that stored nothing: %+v, err %v", res, err)
	}
}

// Another process's email key is refused: its identities would never
// match this database's.
func TestOpenRefusesAnotherEmailKey(t *testing.T) {
	e := env(t, config.Default())
	_, err := ingest.Open(context.Background(), e.Store, config.Default(), contrib.EmailKey("another key, sixteen+"), nil)
	if err == nil || !strings.Contains(err.Error(), "privacy.email_key") {
		t.Errorf("another key: %v, want an error naming privacy.email_key", err)
	}
	if _, err := ingest.Open(context.Background(), e.Store, config.Default(), e.EmailKey, nil); err != nil {
		t.Errorf("the same key: %v", err)
	}
}

// Following members needs a roster: the CLI says so, serve (quiet)
// follows nobody until one is imported.
func TestMembersWithoutARoster(t *testing.T) {
	e := env(t, config.Default())
	gh, err := ghclient.New(ghclient.Options{URL: "http://127.0.0.1:1/", Tokens: []string{"unused"}})
	if err != nil {
		t.Fatal(err)
	}
	c := e.Collector(gh, ingest.CollectOptions{})
	if _, err := e.Sync(context.Background(), e.Members(c, false)); !errors.Is(err, ingest.ErrNoRoster) {
		t.Errorf("members without a roster: %v, want ErrNoRoster", err)
	}
	res, err := e.Sync(context.Background(), e.Members(c, true))
	if err != nil || res.Started || res.Units != 0 {
		t.Errorf("quiet members without a roster: %+v, %v: want no run and no error", res, err)
	}
}

// GH Archive's hours start at serve.gharchive_from, or where an older
// version kept its position (a setting) when there is no checkpoint yet;
// then the checkpoint rules.
func TestHoursStartWhereTheyStopped(t *testing.T) {
	var mu sync.Mutex
	var asked []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		asked = append(asked, strings.TrimPrefix(r.URL.Path, "/"))
		mu.Unlock()
		_, _ = w.Write([]byte(`{"id":"1","type":"WatchEvent","actor":{"id":7,"login":"ana"},"repo":{"id":100,"name":"acme/tool"},"payload":{"action":"started"},"public":true,"created_at":"2015-01-01T12:00:00Z"}` + "\n"))
	}))
	defer srv.Close()
	cfg := config.Default()
	cfg.Orgs = []string{"acme"}
	cfg.GHArchive.BaseURL = srv.URL + "/"
	cfg.Serve.GHArchiveFrom = "2015-01-01-10"
	cfg.Serve.GHArchiveHoursPerRound = 1
	e := env(t, cfg)
	ctx := context.Background()
	if err := e.Store.SetSetting(ctx, "gharchive.next_hour", "2015-01-01-12"); err != nil {
		t.Fatal(err)
	}
	h := e.Hours(nil, map[time.Time]int{})
	for i := range 2 {
		res, err := e.Sync(ctx, h)
		if err != nil {
			t.Fatal(err)
		}
		if res.Rows != 1 || res.Units != 1 {
			t.Errorf("sync %d: %+v, want one hour and its star stored", i+1, res)
		}
	}
	if got := strings.Join(asked, " "); got != "2015-01-01-12.json.gz 2015-01-01-13.json.gz" {
		t.Errorf("hours fetched: %s, want 12 then 13", got)
	}
}
