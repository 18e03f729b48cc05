package leaderboard

import (
	"errors"
	"slices"
	"testing"
	"time"

	"contribtrack/internal/contrib"
	"contribtrack/internal/store"
)

// One check for every asker: each bad field is named as the CLI's flag
// and the API's parameter call it, and a good question gets its kinds in
// the table's order, each once.
func TestValidateNamesTheField(t *testing.T) {
	from := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	good := func() Query { return Query{Question: store.Question{From: from, To: from.AddDate(1, 0, 0), Limit: 10}} }
	for _, tc := range []struct {
		field string
		bend  func(*Query)
	}{
		{"from", func(q *Query) { q.From = time.Time{} }},
		{"to", func(q *Query) { q.To = time.Time{} }},
		{"to", func(q *Query) { q.To = q.From }},
		{"from", func(q *Query) { q.From = time.Date(1969, 12, 1, 0, 0, 0, 0, time.UTC) }},
		{"to", func(q *Query) { q.To = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC) }},
		{"org", func(q *Query) { q.Org = "aws/cdk" }},
		{"org", func(q *Query) { q.Org = "-aws" }},
		{"repo", func(q *Query) { q.Repo = "cdk" }},
		{"member", func(q *Query) { q.Member = "<b>" }},
		{"affiliation", func(q *Query) { q.Affiliation = "staff" }},
		{"limit", func(q *Query) { q.Limit = 0 }},
		{"limit", func(q *Query) { q.Limit = MaxLimit + 1 }},
		{"kind", func(q *Query) { q.Kinds = []contrib.Kind{"nope"} }},
	} {
		q := good()
		tc.bend(&q)
		var fe *FieldError
		if err := q.Validate(); !errors.As(err, &fe) || fe.Field != tc.field {
			t.Errorf("%+v: %v, want a FieldError on %s", q, err, tc.field)
		}
	}
	q := good()
	q.Org, q.Repo, q.Member = "aws", "aws/cdk", "ana"
	q.Kinds = []contrib.Kind{contrib.Release, contrib.Commit, contrib.Release}
	if err := q.Validate(); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(q.Kinds, []contrib.Kind{contrib.Commit, contrib.Release}) {
		t.Errorf("kinds %v, want commit then release, once each", q.Kinds)
	}
	q = good()
	if err := q.Validate(); err != nil || !slices.Equal(q.Kinds, contrib.ContributionKinds) {
		t.Errorf("no kinds: %v, %v; want every contribution kind", q.Kinds, err)
	}
}
