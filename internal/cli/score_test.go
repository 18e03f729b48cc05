package cli

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"contribtrack/internal/contrib"
	"contribtrack/internal/leaderboard"
	"contribtrack/internal/store"
	"contribtrack/internal/testing/chtest"
)

// scoreHistory: ana's pull request #1 merged by bo after his approval,
// #2 never accepted, #3 merged by herself unreviewed; bo's approval.
func scoreHistory(t *testing.T) string {
	t.Helper()
	dsn, _ := chtest.Database(t)
	st, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	day := time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC)
	var cs []contrib.Contribution
	add := func(kind contrib.Kind, key string, at time.Time, actor uint64, login string, number int64, pr *contrib.PullRequest, state string) {
		cs = append(cs, contrib.Contribution{Kind: kind, Key: key, CreatedAt: at, ActorID: actor, ActorLogin: login, RepoID: 1,
			RepoName: "aws/x", Org: "aws", Number: number, Via: contrib.ViaGraphQL, PR: pr, ReviewState: state})
	}
	facts := func(n int64, mergedBy uint64) *contrib.PullRequest {
		at := day.Add(time.Duration(n) * time.Hour)
		return &contrib.PullRequest{ObservedAt: at.Add(time.Hour), OpenedAt: at, AuthorID: 10, Title: "Change " + string(rune('A'+n)),
			MergedByID: mergedBy, Additions: 40, ChangedFiles: 2}
	}
	for n, merger := range map[int64]uint64{1: 11, 2: 0, 3: 10} {
		at := day.Add(time.Duration(n) * time.Hour)
		key := contrib.KeyForNumber(1, n)
		add(contrib.PROpened, key, at, 10, "ana", n, facts(n, merger), "")
		if merger != 0 {
			add(contrib.PRMerged, key, at.Add(30*time.Minute), 10, "ana", n, nil, "")
		}
	}
	add(contrib.PRReview, "rv-1", day.Add(70*time.Minute), 11, "bo", 1, nil, contrib.ReviewApproved)
	if err := st.Insert(context.Background(), cs); err != nil {
		t.Fatal(err)
	}
	return dsn
}

func explainJSON(t *testing.T, dsn string, global []string, args ...string) leaderboard.Explanation {
	t.Helper()
	all := append(append([]string{"--clickhouse", dsn}, global...), append([]string{"score", "explain"}, args...)...)
	code, stdout, stderr := lbRun(t, append(all, "--format", "json")...)
	if code != 0 {
		t.Fatalf("score explain: exit %d: %s", code, stderr)
	}
	var ex leaderboard.Explanation
	if err := json.Unmarshal([]byte(stdout), &ex); err != nil {
		t.Fatalf("score explain --format json: %v\n%s", err, stdout)
	}
	return ex
}

// score explain lists every contribution with its points and why, and its
// points add up to the score; under the activity profile that score is
// the leaderboard's.
func TestScoreExplainAccountsForEveryPoint(t *testing.T) {
	dsn := scoreHistory(t)
	period := []string{"--from", "2024-03-01", "--to", "2024-04-01"}
	accepted := lbConfigFile(t, "scoring:\n  profile: accepted\n")
	ex := explainJSON(t, dsn, []string{"--config", accepted}, append([]string{"ana"}, period...)...)
	why := map[string]string{}
	sum := 0.0
	for _, e := range ex.Items {
		why[e.Kind+" #"+string(rune('0'+e.Number))] = e.Rule
		sum += e.Points
		if e.Points != e.Weight*e.Factor {
			t.Errorf("%s #%d: %v points, weight %v factor %v", e.Kind, e.Number, e.Points, e.Weight, e.Factor)
		}
	}
	want := map[string]string{"pr_opened #1": "", "pr_merged #1": "", "pr_opened #2": "not_accepted", "pr_opened #3": "self_merge", "pr_merged #3": "self_merge"}
	for k, rule := range want {
		if got, ok := why[k]; !ok || got != rule {
			t.Errorf("%s: rule %q (listed %v), want %q", k, got, ok, rule)
		}
	}
	// Defaults: pr_opened 2, pr_merged 3; a self-merge earns half.
	if wantScore := 2 + 3 + 0 + 0.5*(2+3); ex.Score != wantScore || sum != ex.Score || ex.Counted != 4 || len(ex.Items) != 5 {
		t.Errorf("accepted: score %v (items add to %v), %d of %d counted; want %v, 4 of 5", ex.Score, sum, ex.Counted, len(ex.Items), wantScore)
	}

	// The leaderboard under the accepted profile gives the same score.
	found := false
	for _, e := range lbJSON(t, dsn, []string{"--config", accepted}, period...) {
		if e.Login == "ana" {
			found = true
			if e.Score != ex.Score {
				t.Errorf("accepted: the leaderboard's score %v, explained %v", e.Score, ex.Score)
			}
		}
	}
	if !found {
		t.Error("accepted: ana is not on the leaderboard")
	}

	// The activity profile counts everything at its weight: the
	// leaderboard's score.
	act := explainJSON(t, dsn, nil, append([]string{"ana"}, period...)...)
	board := lbJSON(t, dsn, nil, period...)
	var lb float64
	for _, e := range board {
		if e.Login == "ana" {
			lb = e.Score
		}
	}
	if act.Profile != contrib.ProfileActivity || act.Score != lb || act.Score != 3*2+2*3 {
		t.Errorf("activity: explained %v (%s), leaderboard %v; want both %v", act.Score, act.Profile, lb, 3*2+2*3)
	}

	// The text table names the rules in words.
	code, stdout, stderr := lbRun(t, append([]string{"--clickhouse", dsn, "--config", accepted, "score", "explain", "ana"}, period...)...)
	if code != 0 || !strings.Contains(stdout, leaderboard.Why("self_merge")) || !strings.Contains(stdout, "score 7.5 from 4 of 5") {
		t.Errorf("text: exit %d\n%s%s", code, stdout, stderr)
	}
	// A roster filter would be silently ignored: it is refused.
	code, _, stderr = lbRun(t, append([]string{"--clickhouse", dsn, "score", "explain", "ana", "--region", "EMEA"}, period...)...)
	if code != 2 || !strings.Contains(stderr, "--region") {
		t.Errorf("--region: exit %d: %s", code, stderr)
	}
	// Someone with nothing stored says so.
	code, _, stderr = lbRun(t, append([]string{"--clickhouse", dsn, "score", "explain", "nobody"}, period...)...)
	if code != 1 || !strings.Contains(stderr, "nobody has no contribution stored between 2024-03-01 and 2024-04-01") {
		t.Errorf("unknown login: exit %d: %s", code, stderr)
	}
}
