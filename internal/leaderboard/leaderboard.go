// Package leaderboard ranks contributors: it asks the store for scored
// counts and turns them into ranked entries in the shape the CLI, the API
// and reports share.
package leaderboard

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"contribtrack/internal/contrib"
	"contribtrack/internal/store"
)

// Query is what a leaderboard is asked for.
type Query struct {
	// The period is [From, To) in UTC; Org, Repo, Set, Member and the
	// roster's filters are optional; Kinds empty means every contribution
	// kind; Limit is 1..MaxLimit.
	store.Question
	IncludeBots bool
}

// MaxLimit bounds the number of entries one leaderboard returns.
const MaxLimit = 10000

// Entry is one ranked contributor. Its JSON form is a public contract:
// {"rank", "login", "score", "counts": {kind: n}}.
type Entry struct {
	Rank   int               `json:"rank"`
	Login  string            `json:"login"`
	Score  float64           `json:"score"`
	Counts map[string]uint64 `json:"counts"`
	// Person is who the entry is in the store: a roster member's id, else
	// the account's (not part of the JSON form).
	Person uint64 `json:"-"`
}

// Scorer computes scored counts; *store.Store is one.
type Scorer interface {
	Leaderboard(ctx context.Context, f store.LeaderboardFilter) ([]store.ActorScore, error)
}

// Settings are the scoring rules from the configuration and the roster.
type Settings struct {
	Weights    map[contrib.Kind]float64
	BotRegex   string // logins that are bots
	HumanRegex string // logins that are people whatever BotRegex says
	// Roster is the active roster import (0: none) and People what it
	// says of its members: their shown logins, and who opted out.
	Roster uint64
	People store.RosterPeople
	// Profile, Accepted and HoldDays: how contributions are judged
	// (Rules').
	Profile  string
	Accepted store.Acceptance
	HoldDays int
}

// Hidden is the login shown for someone who opted out: their
// contributions count, their name is not shown.
const Hidden = "(hidden)"

// ExactRegex is a case-insensitive RE2 expression matching exactly these
// logins ("" when there are none).
func ExactRegex(logins []string) string {
	if len(logins) == 0 {
		return ""
	}
	q := make([]string, len(logins))
	for i, l := range logins {
		q[i] = regexp.QuoteMeta(l)
	}
	return "(?i)^(?:" + strings.Join(q, "|") + ")$"
}

// AnyRegex matches what any of the expressions matches.
func AnyRegex(res ...string) string {
	var parts []string
	for _, re := range res {
		if re != "" {
			parts = append(parts, "(?:"+re+")")
		}
	}
	return strings.Join(parts, "|")
}

// Compute runs q and ranks the result. Entries with equal scores share a
// rank (1, 2, 2, 4); within a rank they are ordered by login.
func Compute(ctx context.Context, src Scorer, q Query, s Settings) ([]Entry, error) {
	f, err := Filter(q, s)
	if err != nil {
		return nil, err
	}
	// The store breaks ties by the login it knows, the ranking by the login
	// shown (a member's roster login, or hidden): read past the limit so
	// that ties at the cut are decided by what is shown.
	f.Limit = q.Limit + tieMargin
	rows, err := src.Leaderboard(ctx, f)
	if err != nil {
		return nil, err
	}
	out := rank(rows, s)
	if len(out) > q.Limit {
		out = out[:q.Limit]
	}
	return out, nil
}

// tieMargin is how many rows past the limit a leaderboard reads.
const tieMargin = 100

// Filter turns a query and the settings into the store's filter.
func Filter(q Query, s Settings) (store.LeaderboardFilter, error) {
	if err := q.Validate(); err != nil {
		return store.LeaderboardFilter{}, err
	}
	f := store.LeaderboardFilter{Question: q.Question, Weights: s.Weights, Roster: s.Roster, Profile: s.Profile, Accepted: s.acceptance(time.Now())}
	f.From, f.To = q.From.UTC(), q.To.UTC()
	if f.Roster == 0 && (q.Program != "" || q.Category != "" || q.Group != "" || q.Region != "" || q.Country != "") {
		return f, fmt.Errorf("no roster has been imported: program, category, group, region and country filters need one (contribtrack roster import)")
	}
	if !q.IncludeBots {
		f.BotRegex, f.HumanRegex = s.BotRegex, s.HumanRegex
	}
	return f, nil
}

// acceptance is the accepted profile's settings as of now: the hold counts
// back from it.
func (s Settings) acceptance(now time.Time) store.Acceptance {
	a := s.Accepted
	if s.HoldDays > 0 {
		a.HoldUntil = now.UTC().AddDate(0, 0, -s.HoldDays)
	}
	return a
}

// rank shows members by their roster login, hides those who opted out,
// and ranks: equal scores share a rank, ordered by login.
func rank(rows []store.ActorScore, s Settings) []Entry {
	optOut := s.optOutSet()
	for i := range rows {
		r := &rows[i]
		if login, ok := s.People.Logins[r.ActorID]; ok {
			r.Login = login // a member: the login the roster shows
		}
		if s.optedOut(optOut, r.ActorID, []string{r.Login}, []uint64{r.ActorID}) {
			r.Login = Hidden
		}
	}
	// Ties are ordered by the login as shown.
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].Score != rows[j].Score {
			return rows[i].Score > rows[j].Score
		}
		return rows[i].Login < rows[j].Login
	})
	out := make([]Entry, len(rows))
	for i, r := range rows {
		e := Entry{Rank: i + 1, Login: r.Login, Score: r.Score, Counts: map[string]uint64{}, Person: r.ActorID}
		if i > 0 && r.Score == rows[i-1].Score {
			e.Rank = out[i-1].Rank
		}
		for k, n := range r.Counts {
			if n > 0 {
				e.Counts[string(k)] = n
			}
		}
		out[i] = e
	}
	return out
}

// OptedOut reports whether the roster hides a person: a member who opted
// out (by any of their logins or ids), or one of the logins or ids given.
func (s Settings) OptedOut(person uint64, logins []string, ids []uint64) bool {
	return s.optedOut(s.optOutSet(), person, logins, ids)
}

// optOutSet is the opted-out logins (lower-cased) and ids.
func (s Settings) optOutSet() map[string]bool {
	set := map[string]bool{}
	for _, v := range s.People.Flags["opt_out"] {
		set[strings.ToLower(v)] = true
	}
	return set
}

func (s Settings) optedOut(set map[string]bool, person uint64, logins []string, ids []uint64) bool {
	if person != 0 && s.People.Hidden[person] {
		return true
	}
	for _, l := range logins {
		if set[strings.ToLower(l)] {
			return true
		}
	}
	for _, id := range ids {
		if set[strconv.FormatUint(id, 10)] {
			return true
		}
	}
	return false
}

// ClassShare is one group's part of a period's contributions. Its JSON
// form is part of the share output.
type ClassShare struct {
	Class         string  `json:"group"` // a class, program, category, group, region or country
	Contributions uint64  `json:"contributions"`
	Share         float64 `json:"share"` // of all contributions, 0..1
	People        uint64  `json:"people"`
	Score         float64 `json:"score"`
}

// Sharer splits contributions by affiliation class; *store.Store is one.
type Sharer interface {
	Share(ctx context.Context, f store.LeaderboardFilter) ([]store.ClassShare, error)
}

// NoGroup names the contributions whose authors held nothing to group by
// (not in the roster, or no membership at the time).
const NoGroup = "(none)"

// ComputeShare splits the contributions q selects into groups: by
// affiliation class (community, vendor staff, others, each listed even when
// empty), or by the programs, categories or groups their authors held at
// the time, or by region or country. Shares are of all the contributions
// selected; a contribution made while in two programs counts in both.
func ComputeShare(ctx context.Context, src Sharer, q Query, s Settings, by string) ([]ClassShare, error) {
	if by == "" {
		by = "affiliation"
	}
	if !slices.Contains(store.ShareGroupings, by) {
		return nil, fmt.Errorf("--by %q: want one of %s", by, strings.Join(store.ShareGroupings, ", "))
	}
	q.Limit = 1 // not used; keeps Validate happy
	f, err := Filter(q, s)
	if err != nil {
		return nil, err
	}
	if by != "affiliation" && f.Roster == 0 {
		return nil, fmt.Errorf("no roster has been imported: grouping by %s needs one (contribtrack roster import)", by)
	}
	f.By = "affiliation"
	classes, err := src.Share(ctx, f)
	if err != nil {
		return nil, err
	}
	var total uint64 // each contribution is in exactly one class
	by1 := map[string]store.ClassShare{}
	for _, r := range classes {
		by1[r.Class] = r
		total += r.Contributions
	}
	rows := make([]store.ClassShare, 0, len(store.AffiliationClasses))
	if by == "affiliation" {
		for _, c := range store.AffiliationClasses {
			r := by1[c]
			r.Class = c
			rows = append(rows, r)
		}
	} else {
		f.By = by
		if rows, err = src.Share(ctx, f); err != nil {
			return nil, err
		}
	}
	out := make([]ClassShare, 0, len(rows))
	for _, r := range rows {
		cs := ClassShare{Class: r.Class, Contributions: r.Contributions, People: r.People, Score: r.Score}
		if cs.Class == "" {
			cs.Class = NoGroup
		}
		if total > 0 {
			cs.Share = math.Round(float64(r.Contributions)/float64(total)*1e4) / 1e4
		}
		out = append(out, cs)
	}
	return out, nil
}
