package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"contribtrack/internal/config"
	"contribtrack/internal/contrib"
	"contribtrack/internal/githubtest/ghdata"
	"contribtrack/internal/leaderboard"
	"contribtrack/internal/testing/chtest"
)

// Under the accepted profile the CLI's leaderboard, a report and `score
// explain` give every person the test server's ground truth: the
// leaderboard and the report the score, the report each person's items
// flagged as spam, and score explain items whose points add up to it.
func TestAcceptedGroundTruthOnTheCLI(t *testing.T) {
	spec := ghdata.SmallSpec(3)
	spec.Gaming = true
	ds := ghdata.Generate(spec)
	srv := collectServer(t, ds)
	dsn, _ := chtest.Database(t)
	owners := map[string]bool{}
	for _, r := range ds.Repos {
		owners[r.Owner.Login] = true
	}
	var orgs []string
	for o := range owners {
		orgs = append(orgs, o)
	}
	sort.Strings(orgs)
	cfgFile := lbConfigFile(t, "orgs: ["+strings.Join(orgs, ", ")+"]\nscoring:\n  profile: accepted\n")
	getenv := collectEnv(map[string]string{"GITHUB_TOKEN": "ghp_cli_test_token"})
	run := func(args ...string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		if code := Main(append([]string{"--clickhouse", dsn, "--config", cfgFile}, args...), &out, &errOut, getenv); code != 0 {
			t.Fatalf("%s: exit %d: %s", strings.Join(args, " "), code, errOut.String())
		}
		return out.String()
	}
	run("collect", "--github-url", srv.URL)

	cfg := config.Default()
	cfg.Scoring.Profile = contrib.ProfileAccepted
	a := leaderboard.Configured(cfg).Accepted
	bot := regexp.MustCompile(cfg.BotRegex())
	truth := ds.AcceptedPeople(ghdata.Acceptance{SelfMerge: a.SelfMerge, SelfReview: a.SelfReview, OwnRepository: a.OwnRepository,
		OwnIssue: a.OwnIssue, Whitespace: a.Whitespace, Typo: a.Typo, Mass: a.Mass, TypoLines: a.TypoLines, MassRepos: a.MassRepos,
		MassWindow: a.MassWindow, SpamClose: a.SpamClose, DiffLines: cfg.Scoring.Accepted.DiffCheckLines},
		cfg.Weights(), bot.MatchString)
	// Commit-email identities are keyed by the installation's email key,
	// which differs from the dataset's: the collector's test checks them.
	for login := range truth {
		if strings.HasPrefix(login, "email:") {
			delete(truth, login)
		}
	}
	scored, flagged := 0, 0
	for _, p := range truth {
		if p.Score > 0 {
			scored++
		}
		flagged += p.Flagged
	}
	if scored < 5 || flagged < 2 {
		t.Fatalf("the dataset checks too little: %d people score, %d items flagged", scored, flagged)
	}
	period := []string{"--from", "2000-01-01", "--to", ds.Now.AddDate(0, 0, 1).Format(time.DateOnly)}
	close := func(a, b float64) bool { return math.Abs(a-b) <= 1e-6 }

	// The leaderboard.
	var board []struct {
		Login string  `json:"login"`
		Score float64 `json:"score"`
	}
	if err := json.Unmarshal([]byte(run(append([]string{"leaderboard", "--limit", "1000", "--format", "json"}, period...)...)), &board); err != nil {
		t.Fatal(err)
	}
	onBoard := map[string]bool{}
	for _, e := range board {
		if strings.HasPrefix(e.Login, "email:") {
			continue
		}
		onBoard[e.Login] = true
		if !close(e.Score, truth[e.Login].Score) {
			t.Errorf("leaderboard: %s scores %v, want %v", e.Login, e.Score, truth[e.Login].Score)
		}
	}
	for login, p := range truth {
		if p.Score > 0 && !onBoard[login] {
			t.Errorf("leaderboard: %s (score %v) is missing", login, p.Score)
		}
	}

	// A report of everything tracked.
	var rep struct {
		Profile      string `json:"profile"`
		Contributors []struct {
			Login string  `json:"login"`
			Score float64 `json:"score"`
		} `json:"contributors"`
		Flagged []struct {
			Login string `json:"login"`
			Items []struct {
				Rule string `json:"rule"`
			} `json:"items"` // one per pull request
		} `json:"flagged"`
	}
	if err := json.Unmarshal([]byte(run(append([]string{"report", "--format", "json"}, period...)...)), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Profile != "accepted" {
		t.Errorf("report profile %q, want accepted", rep.Profile)
	}
	inReport := map[string]bool{}
	for _, c := range rep.Contributors {
		if strings.HasPrefix(c.Login, "email:") {
			continue
		}
		inReport[c.Login] = true
		if !close(c.Score, truth[c.Login].Score) {
			t.Errorf("report: %s scores %v, want %v", c.Login, c.Score, truth[c.Login].Score)
		}
	}
	if len(inReport) != len(onBoard) {
		t.Errorf("the report lists %d contributors, the leaderboard %d", len(inReport), len(onBoard))
	}
	gotFlags := map[string]int{}
	for _, p := range rep.Flagged {
		gotFlags[p.Login] = len(p.Items)
	}
	for login, p := range truth {
		if gotFlags[login] != p.Flagged {
			t.Errorf("report: %s has %d flagged items, want %d", login, gotFlags[login], p.Flagged)
		}
	}

	// score explain, for everyone who scores: every point accounted for.
	for login, p := range truth {
		if p.Score == 0 {
			continue
		}
		ex := explainJSON(t, dsn, []string{"--config", cfgFile}, append([]string{login}, period...)...)
		sum := 0.0
		for _, it := range ex.Items {
			sum += it.Points
		}
		pulls := map[string]bool{} // explain lists each flagged contribution; count their pull requests
		for _, it := range ex.Flagged {
			pulls[fmt.Sprintf("%s#%d", it.Repository, it.Number)] = true
		}
		if !close(ex.Score, p.Score) || !close(sum, p.Score) || len(pulls) != p.Flagged {
			t.Errorf("score explain %s: score %v, items add up to %v, %d pull requests flagged; want %v and %d", login, ex.Score, sum, len(pulls), p.Score, p.Flagged)
		}
	}
}
