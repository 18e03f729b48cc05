package leaderboard

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"contribtrack/internal/contrib"
	"contribtrack/internal/store"
)

// The read side against fakes of what it consumes: ranking, the filter it
// hands the store, the roster's part, and the share's arithmetic, without
// ClickHouse (the store's own tests ask the real one).

// fakeScorer answers every leaderboard with its rows, and keeps the filter
// it was asked with.
type fakeScorer struct {
	rows  []store.ActorScore
	err   error
	asked []store.LeaderboardFilter
}

func (f *fakeScorer) Leaderboard(_ context.Context, lf store.LeaderboardFilter) ([]store.ActorScore, error) {
	f.asked = append(f.asked, lf)
	return slices.Clone(f.rows), f.err
}

// fakeSharer answers share questions by grouping.
type fakeSharer struct {
	by    map[string][]store.ClassShare
	asked []string
}

func (f *fakeSharer) Share(_ context.Context, lf store.LeaderboardFilter) ([]store.ClassShare, error) {
	f.asked = append(f.asked, lf.By)
	return f.by[lf.By], nil
}

// fakeRoster is an active roster and what it says of its people.
type fakeRoster struct {
	active   store.RosterImport
	people   store.RosterPeople
	detected []store.DetectedBot
	asked    []uint64
}

func (f *fakeRoster) ActiveRoster(context.Context) (store.RosterImport, error) { return f.active, nil }

func (f *fakeRoster) DetectedBots(context.Context) ([]store.DetectedBot, error) {
	return f.detected, nil
}

func (f *fakeRoster) People(_ context.Context, id uint64) (store.RosterPeople, error) {
	f.asked = append(f.asked, id)
	return f.people, nil
}

var (
	jan = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	feb = time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)
)

// Ties share a rank and are ordered by the login shown: a member's roster
// login, "(hidden)" for who opted out. The cut comes after the ranking,
// so the store is asked for more rows than the limit.
func TestComputeRanksByWhatIsShown(t *testing.T) {
	src := &fakeScorer{rows: []store.ActorScore{
		{ActorID: 1, Login: "zed", Score: 5, Counts: map[contrib.Kind]uint64{contrib.Commit: 5}},
		{ActorID: 2, Login: "old-login", Score: 5, Counts: map[contrib.Kind]uint64{contrib.Commit: 5, contrib.Release: 0}},
		{ActorID: 3, Login: "shy", Score: 7, Counts: map[contrib.Kind]uint64{contrib.PRMerged: 1, contrib.PROpened: 2}},
		{ActorID: 4, Login: "last", Score: 1, Counts: map[contrib.Kind]uint64{contrib.Commit: 1}},
	}}
	s := Settings{Weights: contrib.DefaultWeights(), Roster: 9, People: store.RosterPeople{
		Logins: map[uint64]string{2: "amy"},
		Flags:  map[string][]string{"opt_out": {"SHY"}},
		Hidden: map[uint64]bool{},
	}}
	got, err := Compute(context.Background(), src, Query{Question: store.Question{From: jan, To: feb, Limit: 3}}, s)
	if err != nil {
		t.Fatal(err)
	}
	want := []Entry{
		{Rank: 1, Login: Hidden, Score: 7, Counts: map[string]uint64{"pr_merged": 1, "pr_opened": 2}, Person: 3},
		{Rank: 2, Login: "amy", Score: 5, Counts: map[string]uint64{"commit": 5}, Person: 2},
		{Rank: 2, Login: "zed", Score: 5, Counts: map[string]uint64{"commit": 5}, Person: 1},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}
	if n := len(src.asked); n != 1 || src.asked[0].Limit != 3+tieMargin {
		t.Errorf("asked %d times, limit %d; want once, with %d past the limit", n, src.asked[0].Limit, tieMargin)
	}
}

// The filter the store gets: the period in UTC, the kinds in the
// vocabulary's order (all contributions when none are named), the
// settings' weights and roster, and the bot rules unless bots are asked
// for.
func TestComputeHandsTheStoreTheFilter(t *testing.T) {
	src := &fakeScorer{}
	s := Settings{Weights: map[contrib.Kind]float64{contrib.Commit: 4}, BotRegex: "bot$", HumanRegex: "^robot$", Roster: 3}
	est := time.FixedZone("EST", -5*3600)
	q := Query{
		Question: store.Question{
			From:    jan.In(est),
			To:      feb.In(est),
			Limit:   10,
			Kinds:   []contrib.Kind{contrib.Release, contrib.Commit, contrib.Release},
			Program: "heroes",
		},
	}
	if _, err := Compute(context.Background(), src, q, s); err != nil {
		t.Fatal(err)
	}
	q.Kinds, q.IncludeBots = nil, true
	if _, err := Compute(context.Background(), src, q, s); err != nil {
		t.Fatal(err)
	}
	first, second := src.asked[0], src.asked[1]
	if first.From != jan || first.To != feb || first.From.Location() != time.UTC {
		t.Errorf("period %v..%v, want %v..%v in UTC", first.From, first.To, jan, feb)
	}
	if !slices.Equal(first.Kinds, []contrib.Kind{contrib.Commit, contrib.Release}) {
		t.Errorf("kinds %v, want commit then release, once each", first.Kinds)
	}
	if first.Weights[contrib.Commit] != 4 || first.Roster != 3 || first.Program != "heroes" {
		t.Errorf("weights %v, roster %d, program %q", first.Weights, first.Roster, first.Program)
	}
	if first.BotRegex != "bot$" || first.HumanRegex != "^robot$" {
		t.Errorf("bots left out with %q / %q, want the settings' rules", first.BotRegex, first.HumanRegex)
	}
	if !slices.Equal(second.Kinds, contrib.ContributionKinds) || second.BotRegex != "" || second.HumanRegex != "" {
		t.Errorf("with bots and no kinds: kinds %v, bot rules %q / %q", second.Kinds, second.BotRegex, second.HumanRegex)
	}
}

// What the store is never asked: a question that cannot be answered.
func TestComputeRefusesBeforeAsking(t *testing.T) {
	for name, q := range map[string]Query{
		"no period":                 {Question: store.Question{Limit: 5}},
		"from after to":             {Question: store.Question{From: feb, To: jan, Limit: 5}},
		"before 1970":               {Question: store.Question{From: time.Date(1969, 12, 31, 0, 0, 0, 0, time.UTC), To: jan, Limit: 5}},
		"a limit of 0":              {Question: store.Question{From: jan, To: feb}},
		"an unknown affiliation":    {Question: store.Question{From: jan, To: feb, Limit: 5, Affiliation: "staff"}},
		"a program without roster":  {Question: store.Question{From: jan, To: feb, Limit: 5, Program: "heroes"}},
		"a region without a roster": {Question: store.Question{From: jan, To: feb, Limit: 5, Region: "EMEA"}},
	} {
		src := &fakeScorer{}
		if _, err := Compute(context.Background(), src, q, Settings{}); err == nil || len(src.asked) > 0 {
			t.Errorf("%s: error %v, store asked %d times; want an error and no question", name, err, len(src.asked))
		}
	}
	gone := errors.New("connection refused")
	if _, err := Compute(context.Background(), &fakeScorer{err: gone}, Query{Question: store.Question{From: jan, To: feb, Limit: 5}}, Settings{}); !errors.Is(err, gone) {
		t.Errorf("the store's error: %v, want it passed on", err)
	}
}

// The roster's bots and humans and the bots found by behaviour join the
// configured rules; the roster's people come from the active import.
func TestLoadSettingsAddsTheRoster(t *testing.T) {
	src := &fakeRoster{active: store.RosterImport{ID: 12}, people: store.RosterPeople{
		Flags: map[string][]string{"bot": {"ci-runner"}, "human": {"renovate.me"}},
	}, detected: []store.DetectedBot{{Login: "nightly-sync-user", Because: []string{"mirror"}}}}
	s, err := LoadSettings(context.Background(), src, Rules{Weights: map[contrib.Kind]float64{contrib.Commit: 2}, BotRegex: `\[bot\]$`})
	if err != nil {
		t.Fatal(err)
	}
	if s.Roster != 12 || !slices.Equal(src.asked, []uint64{12}) || s.Weights[contrib.Commit] != 2 {
		t.Errorf("roster %d (people asked for %v), weights %v", s.Roster, src.asked, s.Weights)
	}
	if !strings.Contains(s.BotRegex, `\[bot\]$`) || !strings.Contains(s.BotRegex, "ci-runner") || !strings.Contains(s.BotRegex, "nightly-sync-user") {
		t.Errorf("bot rules %q: want the configured expression, the roster's bot and the one found by behaviour", s.BotRegex)
	}
	if !strings.Contains(s.HumanRegex, `renovate\.me`) {
		t.Errorf("human rules %q: want the roster's human, quoted", s.HumanRegex)
	}
}

// Shares by affiliation list every class, even empty ones, in their
// order, each as a part of all contributions; by program, what the store
// groups, with the ungrouped named.
func TestComputeShare(t *testing.T) {
	src := &fakeSharer{by: map[string][]store.ClassShare{
		"affiliation": {{Class: "other", Contributions: 1, People: 1}, {Class: "community", Contributions: 3, People: 2, Score: 6}},
		"program":     {{Class: "heroes", Contributions: 2, People: 1}, {Class: "", Contributions: 2, People: 2}},
	}}
	s := Settings{Roster: 1}
	got, err := ComputeShare(context.Background(), src, Query{Question: store.Question{From: jan, To: feb}}, s, "")
	if err != nil {
		t.Fatal(err)
	}
	want := []ClassShare{
		{Class: "community", Contributions: 3, Share: 0.75, People: 2, Score: 6},
		{Class: "vendor"},
		{Class: "other", Contributions: 1, Share: 0.25, People: 1},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("by affiliation (-want +got):\n%s", diff)
	}
	got, err = ComputeShare(context.Background(), src, Query{Question: store.Question{From: jan, To: feb}}, s, "program")
	if err != nil {
		t.Fatal(err)
	}
	want = []ClassShare{{Class: "heroes", Contributions: 2, Share: 0.5, People: 1}, {Class: NoGroup, Contributions: 2, Share: 0.5, People: 2}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("by program (-want +got):\n%s", diff)
	}
	if _, err := ComputeShare(context.Background(), src, Query{Question: store.Question{From: jan, To: feb}}, Settings{}, "program"); err == nil {
		t.Error("by program without a roster: no error")
	}
	if _, err := ComputeShare(context.Background(), src, Query{Question: store.Question{From: jan, To: feb}}, s, "planet"); err == nil || !strings.Contains(err.Error(), "affiliation") {
		t.Errorf("an unknown grouping: %v, want an error listing the known ones", err)
	}
}
