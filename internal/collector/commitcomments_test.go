package collector_test

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"contribtrack/internal/contrib"
	"contribtrack/internal/githubtest"
	"contribtrack/internal/githubtest/ghdata"
)

// commitCommentRequests counts the REST requests for a repository's commit
// comments (GET /repos/{o}/{r}/comments, not the issue or pull request
// comment lists).
func commitCommentRequests(n *atomic.Int64, then func(*http.Request)) func(*http.Request) {
	return func(req *http.Request) {
		p := strings.Split(strings.Trim(req.URL.Path, "/"), "/")
		if len(p) >= 4 && p[len(p)-1] == "comments" && p[len(p)-4] == "repos" {
			n.Add(1)
			if then != nil {
				then(req)
			}
		}
	}
}

// commitCommentRows counts the stored sightings of commit comments and
// their distinct natural keys.
func (e *env) commitCommentRows(t *testing.T) (rows, keys uint64) {
	t.Helper()
	err := e.store.Conn().QueryRow(context.Background(),
		"SELECT count(), uniqExact(key) FROM contributions WHERE kind = 'commit_comment'").Scan(&rows, &keys)
	if err != nil {
		t.Fatal(err)
	}
	return rows, keys
}

func commitCommentCount(ds *ghdata.Dataset) int {
	n := 0
	for _, c := range ds.Truth() {
		if c.Kind == contrib.CommitComment {
			n++
		}
	}
	return n
}

// Every commit comment of the org is stored exactly once, credited to its
// author at its creation time; a sync after new comments (on old commits
// too) reads only the newest page, and a sync without them asks nothing.
func TestCommitCommentsAreCollectedOnceEach(t *testing.T) {
	spec := ghdata.SmallSpec(31)
	spec.Orgs, spec.ReposPerOrg, spec.CommitCommentsPerRepo = []string{"aws-samples"}, 2, 150
	ds := ghdata.Generate(spec)
	pages := 0
	for _, r := range ds.Repos {
		pages += (len(r.CommitComments) + 99) / 100
		if len(r.CommitComments) > 200 {
			pages += 100 // marks a repository with three pages or more
		}
	}
	if pages < 100 {
		t.Fatalf("no repository with several pages of commit comments: the walk goes untested")
	}
	var requests atomic.Int64
	e := newEnv(t, ds, githubtest.Options{BeforeServe: commitCommentRequests(&requests, nil)})
	if _, err := e.collect(t, e.client(t, nil), nil); err != nil {
		t.Fatal(err)
	}
	want := truth(ds, nil)
	assertExact(t, want, e.stored(t))
	n := commitCommentCount(ds)
	if rows, keys := e.commitCommentRows(t); rows != uint64(n) || keys != uint64(n) {
		t.Errorf("%d commit comments stored as %d rows with %d keys, want each once", n, rows, keys)
	}
	bots := 0
	for _, c := range ds.Truth() {
		if c.Kind == contrib.CommitComment && strings.HasSuffix(c.ActorLogin, "[bot]") {
			bots++
		}
	}
	if bots == 0 {
		t.Errorf("no commit comment by a bot in the dataset: their logins go unchecked")
	}

	// New comments, on old commits as well as new ones.
	var busy []string
	for _, r := range ds.Repos {
		if !r.Archived && len(r.CommitComments) > 0 {
			busy = append(busy, r.FullName())
		}
	}
	ds.AddActivity(ghdata.Activity{Seed: 5, CommitComments: 3, OnlyRepos: busy[:1]})
	requests.Store(0)
	if _, err := e.collect(t, e.client(t, nil), nil); err != nil {
		t.Fatal(err)
	}
	assertExact(t, truth(ds, nil), e.stored(t))
	if got := requests.Load(); got < 1 || got > 2 {
		t.Errorf("%d requests for 3 new commit comments in one repository, want 1 (2 across a page boundary)", got)
	}
	n = commitCommentCount(ds)
	if rows, keys := e.commitCommentRows(t); rows != uint64(n) || keys != uint64(n) {
		t.Errorf("after the incremental sync, %d commit comments are stored as %d rows with %d keys, want each once", n, rows, keys)
	}

	requests.Store(0)
	if _, err := e.collect(t, e.client(t, nil), nil); err != nil {
		t.Fatal(err)
	}
	if got := requests.Load(); got != 0 {
		t.Errorf("a sync without new commit comments asked for them %d times", got)
	}
}

// A commit comment deleted while the list is being read does not make the
// walk skip another one (page numbers shift every later comment).
func TestCommitCommentDeletedDuringTheWalk(t *testing.T) {
	spec := ghdata.SmallSpec(32)
	spec.Orgs, spec.ReposPerOrg, spec.CommitCommentsPerRepo = []string{"aws-samples"}, 1, 700 // a lone repository gets 0.4 of the average
	ds := ghdata.Generate(spec)
	r := ds.Repos[0]
	if len(r.CommitComments) < 201 {
		t.Fatalf("only %d commit comments: the walk needs three pages", len(r.CommitComments))
	}
	// After the first page is read, the oldest comment goes: every other
	// comment moves one place up the list.
	first := r.CommitComments[0]
	var requests atomic.Int64
	e := newEnv(t, ds, githubtest.Options{BeforeServe: commitCommentRequests(&requests, func(*http.Request) {
		if requests.Load() == 2 {
			ds.DeleteCommitComment(r, first.ID)
		}
	})})
	want := truth(ds, nil) // with the deleted comment: it was there when the sync began
	if _, err := e.collect(t, e.client(t, nil), nil); err != nil {
		t.Fatal(err)
	}
	if requests.Load() < 3 {
		t.Fatalf("%d commit comment requests: nothing was deleted mid-walk", requests.Load())
	}
	got := map[string]bool{}
	for _, g := range e.stored(t) {
		got[g.Kind+"/"+g.Key] = true
	}
	for _, w := range want {
		if !got[w.Kind+"/"+w.Key] && !(w.Kind == string(contrib.CommitComment) && w.Key == contrib.KeyForID(first.ID)) {
			t.Errorf("%s %s was never stored", w.Kind, w.Key)
		}
	}
}
