package store

import (
	"context"
	"slices"
	"testing"
	"time"

	"contribtrack/internal/contrib"
)

// A pull request's facts are kept from every sighting that carries them,
// the latest observation winning (the API's at the same second), and a
// review's state is stored with it.
func TestPullRequestFactsLatestObservationWins(t *testing.T) {
	ctx := context.Background()
	s := migrated(t)
	opened := time.Date(2024, 3, 4, 10, 0, 0, 0, time.UTC)
	closed := opened.Add(2 * time.Hour)
	pr := func(at time.Time, title string, labels []string, mergedBy uint64) *contrib.PullRequest {
		return &contrib.PullRequest{ObservedAt: at, AuthorID: 10, AuthorType: "User", Title: title, Labels: labels,
			MergedByID: mergedBy, Additions: 3, Deletions: 1, ChangedFiles: 1}
	}
	base := contrib.Contribution{RepoID: 1, RepoName: "aws/x", Org: "aws", Number: 7, ActorID: 10, ActorLogin: "ana"}
	sighting := func(kind contrib.Kind, at time.Time, via contrib.Via, facts *contrib.PullRequest) contrib.Contribution {
		c := base
		c.Kind, c.Key, c.CreatedAt, c.Via, c.PR = kind, "pr-7", at, via, facts
		return c
	}
	review := base
	review.Kind, review.Key, review.CreatedAt, review.Via, review.ActorID, review.ActorLogin = contrib.PRReview, "rev-1", opened.Add(time.Hour), contrib.ViaGraphQL, 11, "bo"
	review.ReviewState = contrib.ReviewApproved
	batches := [][]contrib.Contribution{
		// GH Archive's opened event, then its closed one in a later batch.
		{sighting(contrib.PROpened, opened, contrib.ViaGHArchive, pr(opened, "Fix typo", nil, 0))},
		{sighting(contrib.PRMerged, closed, contrib.ViaGHArchive, pr(closed, "Fix typo", []string{"spam"}, 11)), review},
		// An older observation arriving last loses.
		{sighting(contrib.PROpened, opened, contrib.ViaGraphQL, pr(opened.Add(time.Hour), "Fix a typo", []string{"docs"}, 0))},
	}
	for _, b := range batches {
		if err := s.Insert(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	var title string
	var labels []string
	var mergedBy uint64
	if err := s.Conn().QueryRow(ctx, "SELECT argMax(title, version), argMax(labels, version), argMax(merged_by, version) FROM pull_requests WHERE repo_id = 1 AND number = 7").Scan(&title, &labels, &mergedBy); err != nil {
		t.Fatal(err)
	}
	if title != "Fix typo" || !slices.Equal(labels, []string{"spam"}) || mergedBy != 11 {
		t.Errorf("pull request 7: %q %v merged by %d; want the closing observation's facts", title, labels, mergedBy)
	}
	// At the same second the API's observation wins over GH Archive's.
	if err := s.Insert(ctx, []contrib.Contribution{sighting(contrib.PROpened, opened, contrib.ViaGraphQL, pr(closed, "Fix typo (API)", []string{"spam"}, 11))}); err != nil {
		t.Fatal(err)
	}
	if err := s.Conn().QueryRow(ctx, "SELECT argMax(title, version) FROM pull_requests WHERE repo_id = 1 AND number = 7").Scan(&title); err != nil {
		t.Fatal(err)
	}
	if title != "Fix typo (API)" {
		t.Errorf("at the same second: %q, want the API's", title)
	}
	var state string
	if err := s.Conn().QueryRow(ctx, "SELECT review_state FROM contributions WHERE kind = 'pr_review'").Scan(&state); err != nil || state != contrib.ReviewApproved {
		t.Errorf("review state %q (%v), want %q", state, err, contrib.ReviewApproved)
	}
}
