package collector_test

import (
	"context"
	"encoding/json"
	"math"
	"net/http/httptest"
	"net/url"
	"regexp"
	"testing"
	"time"

	"contribtrack/internal/api"
	"contribtrack/internal/collector"
	"contribtrack/internal/config"
	"contribtrack/internal/contrib"
	"contribtrack/internal/githubtest"
	"contribtrack/internal/githubtest/ghdata"
	"contribtrack/internal/leaderboard"
	"contribtrack/internal/store"
)

// Collected from the GitHub test server, a dataset with self-merges,
// self-reviews, spam, a draft, a campaign and a template bot scores, under
// the accepted profile, what the dataset's own ground truth says for
// every person (docs/scoring.md's defaults).
func TestAcceptedScoresAreTheGroundTruth(t *testing.T) {
	spec := ghdata.SmallSpec(1)
	spec.Gaming = true
	e := newEnv(t, ghdata.Generate(spec), githubtest.Options{})
	cfg := config.Default()
	cfg.Scoring.Profile = contrib.ProfileAccepted
	diffLines := cfg.Scoring.Accepted.DiffCheckLines
	if _, err := e.collect(t, e.client(t, nil), func(o *collector.Options) { o.DiffCheckLines = diffLines }); err != nil {
		t.Fatal(err)
	}
	configured := leaderboard.Configured(cfg)
	a := configured.Accepted
	truth := e.ds.AcceptedTruth(ghdata.Acceptance{SelfMerge: a.SelfMerge, SelfReview: a.SelfReview, OwnRepository: a.OwnRepository,
		OwnIssue: a.OwnIssue, Whitespace: a.Whitespace, Typo: a.Typo, Mass: a.Mass, TypoLines: a.TypoLines, MassRepos: a.MassRepos,
		MassWindow: a.MassWindow, SpamClose: a.SpamClose, DiffLines: diffLines})
	weights := cfg.Weights()
	bot := regexp.MustCompile(cfg.BotRegex())
	want := map[string]float64{}
	rules := map[string]int{}
	for _, c := range truth {
		if !c.Kind.IsContribution() || c.ActorLogin != "" && bot.MatchString(c.ActorLogin) {
			continue
		}
		login := c.ActorLogin
		if login == "" {
			login = contrib.EmailLabel(c.ActorID) // a commit email's identity, as leaderboards show it
		}
		want[login] += weights[c.Kind] * c.Factor
		rules[c.Rule]++
	}
	for _, rule := range []string{"", "self_merge", "self_review", "spam_label", "spam_closed_fast", "draft", "not_accepted", "mass_generated", "whitespace"} {
		if rules[rule] == 0 {
			t.Errorf("the dataset has no contribution under rule %q: it goes unchecked (rules: %v)", rule, rules)
		}
	}
	board, err := e.store.Leaderboard(context.Background(), store.LeaderboardFilter{
		Question: store.Question{From: time.Unix(0, 0), To: e.ds.Now.Add(time.Hour), Kinds: contrib.ContributionKinds, Limit: 10000},
		Weights:  weights, BotRegex: cfg.BotRegex(), Profile: contrib.ProfileAccepted, Accepted: a,
	})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, s := range board {
		got[s.Login] = s.Score
	}
	for login, w := range want {
		if w == 0 {
			if g, ok := got[login]; ok && g != 0 {
				t.Errorf("%s: scores %v, want nothing", login, g)
			}
			continue
		}
		if g := got[login]; math.Abs(g-w) > 1e-6 {
			t.Errorf("%s: scores %v, want %v", login, g, w)
		}
	}
	for login := range got {
		if _, ok := want[login]; !ok {
			t.Errorf("%s is on the leaderboard, not in the ground truth", login)
		}
	}
	// The HTTP API, with the accepted profile configured, gives the same.
	srv := httptest.NewServer(api.New(api.Options{Store: e.store, Rules: configured}))
	defer srv.Close()
	q := url.Values{"from": {"2000-01-01"}, "to": {e.ds.Now.AddDate(0, 0, 1).Format(time.DateOnly)}, "limit": {"1000"}}
	resp, err := srv.Client().Get(srv.URL + "/api/v1/leaderboard?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var entries []struct {
		Login string  `json:"login"`
		Score float64 `json:"score"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&entries); err != nil || resp.StatusCode != 200 {
		t.Fatalf("API: %d %v", resp.StatusCode, err)
	}
	if len(entries) != len(got) {
		t.Errorf("the API lists %d people, the store's leaderboard %d", len(entries), len(got))
	}
	for _, en := range entries {
		if math.Abs(en.Score-want[en.Login]) > 1e-6 {
			t.Errorf("API: %s scores %v, want %v", en.Login, en.Score, want[en.Login])
		}
	}
	// The view the leaderboard dashboard reads under the accepted profile
	// (contributor_credits, by the published rules) gives the same.
	if err := e.store.PublishRules(context.Background(), configured); err != nil {
		t.Fatal(err)
	}
	rows, err := e.store.Conn().Query(context.Background(), `SELECT name, round(sum(points), 6) FROM contributor_credits(from = 0, to = ?)
		WHERE bot = 0 AND kind IN (SELECT kind FROM scoring_weights WHERE counted = 1) GROUP BY person, name HAVING sum(n) > 0`,
		uint32(e.ds.Now.Add(time.Hour).Unix()))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	viewed := 0
	for rows.Next() {
		var name string
		var score float64
		if err := rows.Scan(&name, &score); err != nil {
			t.Fatal(err)
		}
		viewed++
		if math.Abs(score-want[name]) > 1e-6 {
			t.Errorf("dashboard view: %s scores %v, want %v", name, score, want[name])
		}
	}
	if viewed != len(got) {
		t.Errorf("the dashboard's view lists %d people, the store's leaderboard %d", viewed, len(got))
	}
	if want["name-adder"] != 0 || want["quick-merger"] == 0 || got["spam-sender"] != 0 || got["space-fixer"] != 0 {
		t.Errorf("campaign %v, self-merger %v, spammer %v, whitespace-only change %v", want["name-adder"], want["quick-merger"], got["spam-sender"], got["space-fixer"])
	}
}
