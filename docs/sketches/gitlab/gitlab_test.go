package gitlab

import (
	"context"
	"errors"
	"testing"
	"time"

	"contribtrack/internal/contrib"
)

// The sketch fits the one shape of source.
var _ contrib.Source = Source{}

// A merge request normalises into the model with GitLab's ids and keys,
// which never meet GitHub's even where the numbers are equal.
func TestMergeRequestNormalises(t *testing.T) {
	p := Project{ID: 5, PathWithNamespace: "acme/platform/api"}
	opened := time.Date(2024, 5, 1, 9, 0, 0, 0, time.UTC)
	merged := opened.Add(26 * time.Hour)
	mr := MergeRequest{IID: 12, Author: User{ID: 7, Username: "ana"}, State: "merged", CreatedAt: opened,
		MergedAt: &merged, MergedBy: &User{ID: 8, Username: "bo"}}
	cs := mergeRequest(p, mr)
	if len(cs) != 2 || cs[0].Kind != contrib.PROpened || cs[1].Kind != contrib.PRMerged || cs[1].ActorLogin != "bo" {
		t.Fatalf("contributions %+v", cs)
	}
	c := cs[0]
	if c.Org != "acme" || c.RepoName != "acme/platform/api" || c.Number != 12 || !c.CreatedAt.Equal(opened) {
		t.Errorf("fields %+v", c)
	}
	if c.RepoID == 5 || c.ActorID == 7 || c.Key == contrib.KeyForNumber(5, 12) {
		t.Errorf("GitLab's ids or key taken as GitHub's: repo %d, actor %d, key %q", c.RepoID, c.ActorID, c.Key)
	}
	if _, ok := note(p, 12, Note{ID: 3, System: true}); ok {
		t.Error("a system note counted")
	}
	if _, err := (Source{}).Sync(context.Background(), nil); !errors.Is(err, ErrNotBuilt) {
		t.Errorf("the sketch's Sync: %v", err)
	}
}
