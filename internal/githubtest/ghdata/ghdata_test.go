package ghdata

import (
	"testing"

	"contribtrack/internal/contrib"
)

func counts(d *Dataset) map[contrib.Kind]int {
	m := map[contrib.Kind]int{}
	for _, c := range d.Truth() {
		m[c.Kind]++
	}
	return m
}

func TestGenerateIsDeterministicAndShaped(t *testing.T) {
	a, b := Generate(SmallSpec(7)), Generate(SmallSpec(7))
	ta, tb := a.Truth(), b.Truth()
	if len(ta) != len(tb) {
		t.Fatalf("same seed, %d vs %d contributions", len(ta), len(tb))
	}
	for i := range ta {
		if ta[i] != tb[i] {
			t.Fatalf("same seed differs at %d: %+v vs %+v", i, ta[i], tb[i])
		}
	}
	if c := Generate(SmallSpec(8)).Truth(); len(c) == len(ta) && c[len(c)/2] == ta[len(ta)/2] {
		t.Errorf("a different seed gave the same dataset")
	}
	m := counts(a)
	for _, k := range contrib.Kinds {
		if k != contrib.CommitComment && m[k] == 0 {
			t.Errorf("no %s in the small dataset", k)
		}
	}
	keys := map[string]bool{}
	for _, c := range ta {
		k := string(c.Kind) + "/" + c.Key
		if keys[k] {
			t.Fatalf("natural key %s twice", k)
		}
		keys[k] = true
		if c.CreatedAt.After(a.Now) || c.CreatedAt.Year() < 2019 {
			t.Errorf("%s %s at %v, outside the dataset's time", c.Kind, c.Key, c.CreatedAt)
		}
	}
	var archived, forks, bots, emailOnly int
	for _, r := range a.Repos {
		if r.Archived {
			archived++
		}
		if r.Fork {
			forks++
		}
	}
	for _, c := range ta {
		if _, ok := a.Bots()[c.ActorID]; ok {
			bots++
		}
		if contrib.IsEmailActor(c.ActorID) {
			emailOnly++
		}
	}
	if archived == 0 || bots == 0 || emailOnly == 0 {
		t.Errorf("want archived repos, bot and email-only contributions: %d %d %d", archived, bots, emailOnly)
	}
	if forks == 0 {
		t.Errorf("no forked repository")
	}
	for _, r := range a.Repos {
		for i := 1; i < len(r.Commits); i++ {
			if !r.Commits[i].CommittedAt.After(r.Commits[i-1].CommittedAt) {
				t.Fatalf("%s: commits out of order at %d", r.FullName(), i)
			}
		}
		for _, p := range r.Pulls {
			if p.UpdatedAt.Before(p.CreatedAt) || (!p.ClosedAt.IsZero() && p.UpdatedAt.Before(p.ClosedAt)) {
				t.Fatalf("%s#%d: updated_at before its activity", r.FullName(), p.Number)
			}
		}
	}
}

func TestAddActivityAppendsAndTouchesOld(t *testing.T) {
	d := Generate(SmallSpec(3))
	before := counts(d)
	now := d.Now
	d.AddActivity(Activity{Seed: 1, Pulls: 2, Issues: 2, Commits: 5, CommentsOnOld: 3, ReviewsOnOld: 1,
		CloseOld: 1, Stars: 2, Releases: 1, NewContributor: true})
	if !d.Now.After(now) {
		t.Fatalf("Now did not move")
	}
	after := counts(d)
	for _, k := range []contrib.Kind{contrib.PROpened, contrib.IssueOpened, contrib.Commit, contrib.IssueComment, contrib.Release} {
		if after[k] <= before[k] {
			t.Errorf("%s: %d before, %d after", k, before[k], after[k])
		}
	}
	touched := false
	for _, r := range d.Repos {
		for _, is := range r.Issues {
			if is.CreatedAt.Before(now) && is.UpdatedAt.After(now) {
				touched = true
			}
		}
	}
	if !touched {
		t.Errorf("no old issue was updated")
	}
	for _, r := range d.Repos {
		for i := 1; i < len(r.IssueComments); i++ {
			a, b := r.IssueComments[i-1], r.IssueComments[i]
			if a.ID >= b.ID || a.CreatedAt.After(b.CreatedAt) {
				t.Fatalf("%s: comment ids do not grow with time: %d@%v then %d@%v", r.FullName(), a.ID, a.CreatedAt, b.ID, b.CreatedAt)
			}
		}
	}
}

// Truth gives each contribution the number of its issue or pull request:
// its own (the one in its key), or its parent's, which exists in the
// repository; 0 for kinds that belong to none.
func TestTruthNumbers(t *testing.T) {
	d := Generate(SmallSpec(7))
	exists := map[string]bool{} // "<repo id>#<number>" of every issue and pull request
	onPull := 0
	for _, r := range d.Repos {
		for _, p := range r.Pulls {
			exists[contrib.KeyForNumber(uint64(r.ID), int64(p.Number))] = true
		}
		for _, is := range r.Issues {
			exists[contrib.KeyForNumber(uint64(r.ID), int64(is.Number))] = true
		}
		for _, c := range r.IssueComments {
			if c.OnPull {
				onPull++
			}
		}
	}
	if onPull == 0 {
		t.Fatal("no comment on a pull request's conversation")
	}
	for _, c := range d.Truth() {
		own := contrib.KeyForNumber(c.RepoID, c.Number)
		switch c.Kind {
		case contrib.PROpened, contrib.PRMerged, contrib.PRClosed, contrib.IssueOpened, contrib.IssueClosed:
			if c.Key != own {
				t.Errorf("%s %s: number %d", c.Kind, c.Key, c.Number)
			}
		case contrib.PRReview, contrib.PRReviewComment, contrib.IssueComment:
			if c.Number <= 0 || !exists[own] {
				t.Errorf("%s %s: number %d is no issue or pull request of repository %d", c.Kind, c.Key, c.Number, c.RepoID)
			}
		default:
			if c.Number != 0 {
				t.Errorf("%s %s: number %d, want 0", c.Kind, c.Key, c.Number)
			}
		}
	}
}
