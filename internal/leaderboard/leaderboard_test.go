package leaderboard

import (
	"regexp"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"contribtrack/internal/contrib"
	"contribtrack/internal/store"
)

func TestRank(t *testing.T) {
	const member = uint64(1<<61 | 5)
	rows := []store.ActorScore{
		{ActorID: 10, Login: "zed", Score: 5, Counts: map[contrib.Kind]uint64{contrib.Commit: 5}},
		{ActorID: member, Login: "old-login", Score: 5, Counts: map[contrib.Kind]uint64{contrib.PROpened: 2, contrib.Commit: 1}},
		{ActorID: 11, Login: "shy", Score: 3, Counts: map[contrib.Kind]uint64{contrib.Commit: 3}},
		{ActorID: 12, Login: "by-id", Score: 2, Counts: map[contrib.Kind]uint64{contrib.Commit: 2, contrib.Star: 0}},
		{ActorID: 13, Login: "last", Score: 1, Counts: map[contrib.Kind]uint64{contrib.Commit: 1}},
	}
	s := Settings{People: store.RosterPeople{
		Logins: map[uint64]string{member: "ana"},
		Flags:  map[string][]string{"opt_out": {"SHY", "12"}},
	}}
	got := rank(rows, s)
	want := []Entry{
		{Rank: 1, Login: "ana", Score: 5, Counts: map[string]uint64{"pr_opened": 2, "commit": 1}, Person: member}, // the roster login, first of the tie
		{Rank: 1, Login: "zed", Score: 5, Counts: map[string]uint64{"commit": 5}, Person: 10},
		{Rank: 3, Login: Hidden, Score: 3, Counts: map[string]uint64{"commit": 3}, Person: 11}, // opted out by login, any case
		{Rank: 4, Login: Hidden, Score: 2, Counts: map[string]uint64{"commit": 2}, Person: 12}, // opted out by id; zero counts dropped
		{Rank: 5, Login: "last", Score: 1, Counts: map[string]uint64{"commit": 1}, Person: 13},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("rank (-want +got):\n%s", d)
	}
	// A member hidden by another of their logins or ids (resolved by the store).
	s.People.Hidden = map[uint64]bool{member: true}
	if got := rank(rows[:2], s); got[0].Login != Hidden && got[1].Login != Hidden {
		t.Errorf("a hidden member is shown: %+v", got)
	}
}

func TestRegexHelpers(t *testing.T) {
	if ExactRegex(nil) != "" || AnyRegex("", "") != "" {
		t.Errorf("empty lists must give no expression")
	}
	re := regexp.MustCompile(AnyRegex(ExactRegex([]string{"ci.bot", "a+b"}), `(?i)^.*\[bot\]$`))
	for login, want := range map[string]bool{"CI.BOT": true, "cixbot": false, "a+b": true, "aab": false, "x[bot]": true, "x": false} {
		if re.MatchString(login) != want {
			t.Errorf("%q: %v, want %v", login, !want, want)
		}
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		q    Query
		ok   bool
	}{
		{"fine", Query{Question: store.Question{From: day(2024, 1), To: day(2024, 2), Limit: 10}}, true},
		{"reversed", Query{Question: store.Question{From: day(2024, 2), To: day(2024, 1), Limit: 10}}, false},
		{"limit", Query{Question: store.Question{From: day(2024, 1), To: day(2024, 2), Limit: MaxLimit + 1}}, false},
		{"affiliation", Query{Question: store.Question{From: day(2024, 1), To: day(2024, 2), Limit: 1, Affiliation: "staff"}}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.q.Validate(); (err == nil) != tc.ok {
				t.Errorf("Validate = %v, want ok %v", err, tc.ok)
			}
		})
	}
}

func day(y, m int) time.Time { return time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC) }
