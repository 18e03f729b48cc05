package collector_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"testing"
	"time"

	"contribtrack/internal/contrib"
	"contribtrack/internal/gharchive"
	"contribtrack/internal/githubtest"
	"contribtrack/internal/githubtest/ghdata"
	"contribtrack/internal/store"
)

// ghArchiveHour writes GH Archive (Events API format) events for the first
// pull requests, issues, comments and commit comments of the dataset: what GH Archive saw of
// the same contributions the API collector fetches. The actor's login is
// an older one, as after a rename.
func ghArchiveHour(ds *ghdata.Dataset) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	user := func(u *ghdata.User) map[string]any {
		return map[string]any{"id": u.ID, "login": u.Login + "-old"}
	}
	ts := func(t time.Time) string { return t.UTC().Format(time.RFC3339) }
	id := 1
	ev := func(typ string, actor *ghdata.User, r *ghdata.Repo, at time.Time, payload map[string]any) {
		id++
		_ = enc.Encode(map[string]any{"id": id, "type": typ, "actor": user(actor),
			"repo": map[string]any{"id": r.ID, "name": r.FullName()}, "payload": payload, "public": true, "created_at": ts(at)})
	}
	for _, r := range ds.Repos {
		for _, p := range r.Pulls[:min(3, len(r.Pulls))] {
			ev("PullRequestEvent", p.Author, r, p.CreatedAt, map[string]any{"action": "opened", "number": p.Number,
				"pull_request": map[string]any{"number": p.Number, "user": user(p.Author)}})
			if p.Merged() {
				ev("PullRequestEvent", p.ClosedBy, r, p.MergedAt, map[string]any{"action": "closed", "number": p.Number,
					"pull_request": map[string]any{"number": p.Number, "user": user(p.Author), "merged": true, "merged_at": ts(p.MergedAt)}})
			}
		}
		for _, is := range r.Issues[:min(3, len(r.Issues))] {
			ev("IssuesEvent", is.Author, r, is.CreatedAt, map[string]any{"action": "opened",
				"issue": map[string]any{"number": is.Number, "user": user(is.Author)}})
		}
		for _, c := range r.IssueComments[:min(3, len(r.IssueComments))] {
			ev("IssueCommentEvent", c.Author, r, c.CreatedAt, map[string]any{"action": "created",
				"issue": map[string]any{"number": c.Number}, "comment": map[string]any{"id": c.ID, "user": user(c.Author)}})
		}
		for _, c := range r.CommitComments[:min(3, len(r.CommitComments))] {
			ev("CommitCommentEvent", c.Author, r, c.CreatedAt, map[string]any{"comment": map[string]any{
				"id": c.ID, "user": user(c.Author), "commit_id": c.CommitSHA, "created_at": ts(c.CreatedAt)}})
		}
	}
	return buf.Bytes()
}

// The same contribution seen in GH Archive and by the API counts once, and
// the API's sighting (current login, exact time) is the one kept.
func TestGHArchiveAndAPICountOnce(t *testing.T) {
	ds := ghdata.Generate(ghdata.SmallSpec(8))
	e := newEnv(t, ds, githubtest.Options{})
	hour := ghArchiveHour(ds)
	in := gharchive.Input{Name: "generated-hour.json", Open: func(context.Context) (io.ReadCloser, int64, error) {
		return io.NopCloser(bytes.NewReader(hour)), int64(len(hour)), nil
	}}
	st, err := gharchive.Read(context.Background(), []gharchive.Input{in}, gharchive.Options{Selector: gharchive.NewSelector(true, nil, nil)}, e.store.Insert)
	if err != nil {
		t.Fatal(err)
	}
	var imported int64
	for _, n := range st.Kinds {
		imported += n
	}
	if imported < 20 {
		t.Fatalf("only %d contributions imported from the generated hour: the test checks nothing", imported)
	}
	if st.Kinds[contrib.CommitComment] == 0 {
		t.Fatal("no commit comment imported from the generated hour: their overlap goes unchecked")
	}
	if _, err := e.collect(t, e.client(t, nil), nil); err != nil {
		t.Fatal(err)
	}
	want := truth(ds, nil)
	assertExact(t, want, e.stored(t))

	// Counted once: a commit comment GH Archive and the API both saw is one
	// contribution on the leaderboard.
	n := 0
	for _, w := range want {
		if w.Kind == string(contrib.CommitComment) {
			n++
		}
	}
	lb, err := e.store.Leaderboard(context.Background(), store.LeaderboardFilter{
		Question: store.Question{
			From:  time.Unix(0, 0),
			To:    ds.Now.Add(time.Hour),
			Kinds: []contrib.Kind{contrib.CommitComment},
			Limit: 100000,
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	var counted uint64
	for _, a := range lb {
		counted += a.Counts[contrib.CommitComment]
	}
	if counted != uint64(n) {
		t.Errorf("the leaderboard counts %d commit comments, the dataset has %d (%d of them also imported from GH Archive)",
			counted, n, st.Kinds[contrib.CommitComment])
	}
}
