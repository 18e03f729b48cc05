package collector_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"contribtrack/internal/contrib"
	"contribtrack/internal/githubtest"
	"contribtrack/internal/githubtest/ghdata"
)

// What the collector stores of each pull request (title, draft, labels,
// who merged it, the diff's size, the author's type) and of each review
// (its state) is what the test server's dataset holds.
func TestCollectedPullRequestFactsAreTheServers(t *testing.T) {
	e := newEnv(t, ghdata.Generate(ghdata.SmallSpec(1)), githubtest.Options{})
	if _, err := e.collect(t, e.client(t, nil), nil); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	rows, err := e.store.Conn().Query(ctx, `
		SELECT repo_id, number, argMax(title, version), argMax(draft, version), argMax(labels, version), argMax(merged_by, version),
		       argMax(additions, version), argMax(deletions, version), argMax(changed_files, version), argMax(author_type, version), argMax(author_id, version), argMax(opened_at, version)
		FROM pull_requests GROUP BY repo_id, number`)
	if err != nil {
		t.Fatal(err)
	}
	type facts struct {
		title                       string
		draft                       uint8
		labels                      []string
		mergedBy                    uint64
		additions, deletions, files int64
		authorType                  string
		author                      uint64
		opened                      time.Time
	}
	got := map[string]facts{}
	for rows.Next() {
		var repo, number uint64
		var f facts
		if err := rows.Scan(&repo, &number, &f.title, &f.draft, &f.labels, &f.mergedBy, &f.additions, &f.deletions, &f.files, &f.authorType, &f.author, &f.opened); err != nil {
			t.Fatal(err)
		}
		got[fmt.Sprintf("%d#%d", repo, number)] = f
	}
	rows.Close()
	pulls, labelled, merged := 0, 0, 0
	for _, r := range e.ds.Repos {
		for _, p := range r.Pulls {
			if p.Author == nil {
				continue // a deleted account's: no pr_opened to carry facts
			}
			pulls++
			key := fmt.Sprintf("%d#%d", r.ID, p.Number)
			g, ok := got[key]
			if !ok {
				t.Errorf("%s #%d: no facts stored", r.FullName(), p.Number)
				continue
			}
			labels := contrib.NormalLabels(p.Labels)
			want := facts{title: p.Title, labels: labels, additions: int64(p.Additions), deletions: int64(p.Deletions),
				files: int64(p.ChangedFiles), authorType: p.Author.Type, author: uint64(p.Author.ID), opened: p.CreatedAt.UTC().Truncate(time.Second)}
			if p.Draft {
				want.draft = 1
			}
			if p.Merged() {
				want.mergedBy = uint64(p.ClosedBy.ID)
				merged++
			}
			if len(labels) > 0 {
				labelled++
			}
			if len(g.labels) == 0 {
				g.labels = nil
			}
			if g.title != want.title || g.draft != want.draft || !slices.Equal(g.labels, want.labels) || g.mergedBy != want.mergedBy ||
				g.additions != want.additions || g.deletions != want.deletions || g.files != want.files ||
				!strings.EqualFold(g.authorType, want.authorType) || g.author != want.author || !g.opened.Equal(want.opened) {
				t.Errorf("%s #%d:\n got %+v\nwant %+v", r.FullName(), p.Number, g, want)
			}
		}
	}
	if pulls == 0 || labelled == 0 || merged == 0 {
		t.Fatalf("%d pull requests, %d labelled, %d merged: the dataset should have all three", pulls, labelled, merged)
	}

	states := map[string]string{}
	rows, err = e.store.Conn().Query(ctx, "SELECT key, argMax(review_state, version) FROM contributions WHERE kind = 'pr_review' GROUP BY key")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var key, state string
		if err := rows.Scan(&key, &state); err != nil {
			t.Fatal(err)
		}
		states[key] = state
	}
	rows.Close()
	reviews := 0
	for _, r := range e.ds.Repos {
		for _, p := range r.Pulls {
			for _, rv := range p.Reviews {
				if rv.Author == nil {
					continue
				}
				reviews++
				if got, want := states[contrib.KeyForID(rv.ID)], contrib.ReviewStateOf(rv.State); got != want || want == "" {
					t.Errorf("review %d of %s #%d: state %q, want %q", rv.ID, r.FullName(), p.Number, got, want)
				}
			}
		}
	}
	if reviews == 0 {
		t.Fatal("the dataset has no review")
	}
}
