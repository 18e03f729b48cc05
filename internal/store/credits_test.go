package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"contribtrack/internal/contrib"
)

// creditsWorld is a small history that meets every rule of the accepted
// profile once, and a baseline that meets none.
type creditsWorld struct {
	cs  []contrib.Contribution
	day time.Time
}

const (
	ana, bo, cy, spammer = uint64(10), uint64(11), uint64(12), uint64(13)
)

var logins = map[uint64]string{ana: "ana", bo: "bo", cy: "cy", spammer: "sp4m"}

func (w *creditsWorld) add(kind contrib.Kind, key string, at time.Time, actor uint64, repoID uint64, repo string, number int64, pr *contrib.PullRequest) {
	w.cs = append(w.cs, contrib.Contribution{Kind: kind, Key: key, CreatedAt: at, ActorID: actor, ActorLogin: logins[actor],
		RepoID: repoID, RepoName: repo, Org: contrib.OrgOf(repo), Number: number, Via: contrib.ViaGraphQL, PR: pr})
}

// pull adds a pull request: opened by author at the world's day plus
// offset, then merged by merger (0: not), closed by closer (0: not), with
// reviews (reviewer -> state) and facts.
func (w *creditsWorld) pull(repoID uint64, repo string, number int64, author uint64, title string, lines int64, labels []string, draft bool,
	merger, closer uint64, closeAfter time.Duration, reviews map[uint64]string) {
	opened := w.day.Add(time.Duration(number) * time.Hour)
	facts := &contrib.PullRequest{ObservedAt: opened.Add(48 * time.Hour), OpenedAt: opened, AuthorID: author, AuthorType: "User",
		Title: title, Draft: draft, Labels: labels, MergedByID: merger, Additions: lines, Deletions: 0, ChangedFiles: 1}
	key := contrib.KeyForNumber(repoID, number)
	w.add(contrib.PROpened, key, opened, author, repoID, repo, number, facts)
	i := 0
	for reviewer, state := range reviews {
		i++
		w.add(contrib.PRReview, fmt.Sprintf("rv-%d-%d", number, reviewer), opened.Add(time.Duration(i)*time.Minute), reviewer, repoID, repo, number, nil)
		w.cs[len(w.cs)-1].ReviewState = state
	}
	if merger != 0 {
		w.add(contrib.PRMerged, key, opened.Add(closeAfter), author, repoID, repo, number, nil)
	}
	if closer != 0 {
		w.add(contrib.PRClosed, key, opened.Add(closeAfter), closer, repoID, repo, number, nil)
	}
}

func newCreditsWorld() *creditsWorld {
	w := &creditsWorld{day: time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC)}
	hour := time.Hour
	w.pull(1, "aws/x", 1, ana, "Add retries to the client", 40, nil, false, bo, 0, 20*hour, map[uint64]string{bo: contrib.ReviewApproved})
	w.pull(1, "aws/x", 2, ana, "Support regions", 30, nil, false, 0, 0, 0, map[uint64]string{bo: contrib.ReviewApproved})
	w.pull(1, "aws/x", 3, ana, "Rewrite everything", 900, nil, false, 0, 0, 0, nil)
	w.pull(1, "aws/x", 4, ana, "Update README.md", 2, []string{"spam"}, false, bo, 0, 2*hour, nil)
	w.pull(1, "aws/x", 5, ana, "WIP: new API", 50, nil, true, 0, 0, 0, nil)
	w.pull(1, "aws/x", 6, cy, "Improve docs", 3, nil, false, 0, bo, 2*time.Minute, nil)
	w.pull(1, "aws/x", 7, cy, "Bump version", 4, nil, false, cy, 0, hour, map[uint64]string{cy: contrib.ReviewCommented})
	w.pull(2, "cy/own", 8, cy, "My own project", 60, nil, false, bo, 0, hour, nil)
	w.pull(1, "aws/x", 9, ana, "Fix typo in README", 2, nil, false, bo, 0, hour, nil)
	w.pull(1, "aws/x", 15, bo, "Reformat the loader", 4, nil, false, cy, 0, hour, map[uint64]string{cy: contrib.ReviewApproved})
	for i := range w.cs {
		if w.cs[i].Number == 15 && w.cs[i].PR != nil {
			w.cs[i].PR.Whitespace = 1 // its diff was read: only whitespace
		}
	}
	for i, repo := range []string{"aws/a", "aws/b", "aws/c"} {
		w.pull(uint64(10+i), repo, int64(10+i), spammer, "Add my name to contributors", 1, nil, false, bo, 0, hour, nil)
	}
	// An issue of ana's with comments by ana and bo.
	w.add(contrib.IssueOpened, contrib.KeyForNumber(1, 20), w.day, ana, 1, "aws/x", 20, nil)
	w.add(contrib.IssueComment, "ic-1", w.day.Add(hour), ana, 1, "aws/x", 20, nil)
	w.add(contrib.IssueComment, "ic-2", w.day.Add(2*hour), bo, 1, "aws/x", 20, nil)
	return w
}

func defaultAcceptance() Acceptance {
	return Acceptance{SelfMerge: 0.5, SelfReview: 0, OwnRepository: 0.5, OwnIssue: 0.5, Typo: 0.25, Mass: 0,
		TypoLines: 5, MassRepos: 3, MassWindow: 24 * time.Hour, SpamClose: 10 * time.Minute}
}

// Each rule of the accepted profile decides the contributions it is about,
// and nothing else.
func TestCreditsApplyEachRule(t *testing.T) {
	ctx := context.Background()
	s := migrated(t)
	w := newCreditsWorld()
	if err := s.Insert(ctx, w.cs); err != nil {
		t.Fatal(err)
	}
	f := LeaderboardFilter{Question: Question{From: w.day, To: w.day.AddDate(0, 1, 0)}}
	rules := func(a Acceptance) map[string]string {
		t.Helper()
		credits, err := s.Credits(ctx, f, a)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, c := range credits {
			k := fmt.Sprintf("%s %s#%d %s", c.Kind, c.RepoName, c.Number, c.Login)
			if c.Kind == contrib.PRReview || c.Kind == contrib.IssueComment {
				k += " " + c.Key
			}
			out[k] = fmt.Sprintf("%s %.2f", c.Rule, c.Factor)
		}
		return out
	}
	want := map[string]string{
		"pr_opened aws/x#1 ana": " 1.00", "pr_merged aws/x#1 ana": " 1.00", "pr_review aws/x#1 bo rv-1-11": " 1.00",
		"pr_opened aws/x#2 ana": " 1.00", "pr_review aws/x#2 bo rv-2-11": " 1.00",
		"pr_opened aws/x#3 ana": "not_accepted 0.00",
		"pr_opened aws/x#4 ana": "spam_label 0.00", "pr_merged aws/x#4 ana": "spam_label 0.00",
		"pr_opened aws/x#5 ana": "draft 0.00",
		"pr_opened aws/x#6 cy":  "spam_closed_fast 0.00", "pr_closed aws/x#6 bo": " 1.00",
		"pr_opened aws/x#7 cy": "self_merge 0.50", "pr_merged aws/x#7 cy": "self_merge 0.50", "pr_review aws/x#7 cy rv-7-12": "self_review 0.00",
		"pr_opened cy/own#8 cy": "own_repository 0.50", "pr_merged cy/own#8 cy": "own_repository 0.50",
		"pr_opened aws/x#9 ana": "typo 0.25", "pr_merged aws/x#9 ana": "typo 0.25",
		"pr_opened aws/x#15 bo": "whitespace 0.00", "pr_merged aws/x#15 bo": "whitespace 0.00", "pr_review aws/x#15 cy rv-15-12": " 1.00",
		"pr_opened aws/a#10 sp4m": "mass_generated 0.00", "pr_merged aws/a#10 sp4m": "mass_generated 0.00",
		"pr_opened aws/b#11 sp4m": "mass_generated 0.00", "pr_merged aws/b#11 sp4m": "mass_generated 0.00",
		"pr_opened aws/c#12 sp4m": "mass_generated 0.00", "pr_merged aws/c#12 sp4m": "mass_generated 0.00",
		"issue_opened aws/x#20 ana": " 1.00", "issue_comment aws/x#20 ana ic-1": "own_issue 0.50", "issue_comment aws/x#20 bo ic-2": " 1.00",
	}
	if diff := cmp.Diff(want, rules(defaultAcceptance())); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}

	// Flagged keeps only the items marked as spam, with the rule that
	// marked each.
	flagged, err := s.Flagged(ctx, f, defaultAcceptance())
	if err != nil {
		t.Fatal(err)
	}
	var marked []string
	for _, c := range flagged {
		marked = append(marked, fmt.Sprintf("%s %s#%d %s %s", c.Kind, c.RepoName, c.Number, c.Login, c.Rule))
	}
	if diff := cmp.Diff([]string{"pr_opened aws/x#4 ana spam_label", "pr_merged aws/x#4 ana spam_label", "pr_opened aws/x#6 cy spam_closed_fast"}, marked); diff != "" {
		t.Errorf("flagged (-want +got):\n%s", diff)
	}

	// A hold: pull requests accepted after it wait; so do their merges.
	a := defaultAcceptance()
	a.HoldUntil = w.day.Add(10 * time.Hour) // after #1 was merged (20 h), before #2's approval? #2 is approved at 2 h + 1 min
	got := rules(a)
	if got["pr_opened aws/x#1 ana"] != "on_hold 0.00" || got["pr_merged aws/x#1 ana"] != "on_hold 0.00" || got["pr_opened aws/x#2 ana"] != " 1.00" {
		t.Errorf("with a hold until %s: #1 %q/%q (merged at 21 h), #2 %q (approved at 2 h)", a.HoldUntil, got["pr_opened aws/x#1 ana"], got["pr_merged aws/x#1 ana"], got["pr_opened aws/x#2 ana"])
	}
	// Opted-in repositories: the others' contributions do not count.
	a = defaultAcceptance()
	a.OptedIn = []string{"aws/x", "AWS/A"}
	got = rules(a)
	if got["pr_opened cy/own#8 cy"] != "not_opted_in 0.00" || got["pr_opened aws/b#11 sp4m"] != "not_opted_in 0.00" || got["pr_opened aws/x#1 ana"] != " 1.00" {
		t.Errorf("opted in aws/x and aws/a: #8 %q, #11 %q, #1 %q", got["pr_opened cy/own#8 cy"], got["pr_opened aws/b#11 sp4m"], got["pr_opened aws/x#1 ana"])
	}
	// A campaign needs MassRepos repositories within the window.
	a = defaultAcceptance()
	a.MassRepos = 4
	if got := rules(a); got["pr_opened aws/a#10 sp4m"] != " 1.00" {
		t.Errorf("three repositories where a campaign needs four: %q", got["pr_opened aws/a#10 sp4m"])
	}
	a = defaultAcceptance()
	a.MassWindow = 30 * time.Minute // the three were opened an hour apart
	if got := rules(a); got["pr_opened aws/b#11 sp4m"] != " 1.00" {
		t.Errorf("three repositories an hour apart, window of 30 minutes: %q", got["pr_opened aws/b#11 sp4m"])
	}
}

// Under the accepted profile a leaderboard's score of each person is the
// sum of their contributions' weights times factors, and its counts are
// the contributions that earn anything: what Credits lists.
func TestAcceptedLeaderboardAddsUpTheCredits(t *testing.T) {
	ctx := context.Background()
	s := migrated(t)
	w := newCreditsWorld()
	if err := s.Insert(ctx, w.cs); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RefreshRollup(ctx); err != nil {
		t.Fatal(err)
	}
	weights := contrib.DefaultWeights()
	f := LeaderboardFilter{Question: Question{From: w.day, To: w.day.AddDate(0, 1, 0), Kinds: contrib.ContributionKinds, Limit: 100},
		Weights: weights, Profile: contrib.ProfileAccepted, Accepted: defaultAcceptance()}
	credits, err := s.Credits(ctx, f, f.Accepted)
	if err != nil {
		t.Fatal(err)
	}
	wantScore, wantCounted := map[string]float64{}, map[string]uint64{}
	for _, c := range credits {
		wantScore[c.Login] += weights[c.Kind] * c.Factor
		if c.Factor > 0 {
			wantCounted[c.Login]++
		}
	}
	board, err := s.Leaderboard(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	gotScore, gotCounted := map[string]float64{}, map[string]uint64{}
	for _, a := range board {
		gotScore[a.Login] = a.Score
		for _, n := range a.Counts {
			gotCounted[a.Login] += n
		}
	}
	for login := range wantScore {
		if wantScore[login] == 0 && wantCounted[login] == 0 {
			delete(wantScore, login)
			delete(wantCounted, login)
		}
	}
	if diff := cmp.Diff(wantScore, gotScore); diff != "" {
		t.Errorf("scores (-credits +leaderboard):\n%s", diff)
	}
	if diff := cmp.Diff(wantCounted, gotCounted); diff != "" {
		t.Errorf("counted contributions (-credits +leaderboard):\n%s", diff)
	}
	// The activity profile's leaderboard of the same period differs: it
	// counts the discounted contributions fully.
	f.Profile = contrib.ProfileActivity
	activity, err := s.Leaderboard(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range activity {
		if a.Login == "sp4m" && a.Score != 3*(weights[contrib.PROpened]+weights[contrib.PRMerged]) {
			t.Errorf("activity: sp4m scores %v", a.Score)
		}
	}
	if gotScore["sp4m"] != 0 {
		t.Errorf("accepted: sp4m's campaign scores %v", gotScore["sp4m"])
	}

	// The view contributor_credits judges by the published settings as the
	// leaderboard does: the same scores and counts per person.
	if err := s.PublishRules(ctx, ScoringRules{Weights: weights, Profile: contrib.ProfileAccepted, Accepted: defaultAcceptance()}); err != nil {
		t.Fatal(err)
	}
	rows, err := s.Conn().Query(ctx, `SELECT name, round(sum(points), 6), sum(n) FROM contributor_credits(from = ?, to = ?)
		WHERE bot = 0 AND kind IN ? GROUP BY name HAVING sum(points) != 0 OR sum(n) != 0`,
		uint32(f.From.Unix()), uint32(f.To.Unix()), kindNames(contrib.ContributionKinds))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	viewScore, viewCounted := map[string]float64{}, map[string]uint64{}
	for rows.Next() {
		var name string
		var score float64
		var n uint64
		if err := rows.Scan(&name, &score, &n); err != nil {
			t.Fatal(err)
		}
		viewScore[name], viewCounted[name] = score, n
	}
	if diff := cmp.Diff(wantScore, viewScore); diff != "" {
		t.Errorf("scores (-credits +view contributor_credits):\n%s", diff)
	}
	if diff := cmp.Diff(wantCounted, viewCounted); diff != "" {
		t.Errorf("counted contributions (-credits +view contributor_credits):\n%s", diff)
	}
}

func kindNames(ks []contrib.Kind) []string {
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = string(k)
	}
	return out
}
