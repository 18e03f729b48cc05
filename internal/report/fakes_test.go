package report

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"contribtrack/internal/contrib"
	"contribtrack/internal/leaderboard"
	"contribtrack/internal/store"
)

// Reports against a fake of what they are built from (Source): who is
// listed, shown, hidden and welcomed, what the summary says of bots, and
// which filters are asked; the ClickHouse tests (report_test.go) ask a
// real store.

// fakeSource answers from fixed rows, and notes the filters it is asked.
type fakeSource struct {
	rows      []store.ActorScore     // the leaderboard, before ranking
	before    []store.PersonCount    // who contributed before the period
	during    []store.PersonCount    // who contributed in it
	withBots  store.Totals           // everyone's totals, bots included
	buckets   []store.ActivityBucket // the period's activity
	projects  []store.ProjectActivity
	details   map[uint64]store.MemberDetails
	who       store.Who
	orgs      []string
	failTotal error
	flagged   []store.Credit       // items marked as spam
	accounts  map[uint64]store.Who // IdentifyAccount's answers by actor id

	mu    sync.Mutex
	asked map[string][]store.LeaderboardFilter
}

func (f *fakeSource) note(what string, lf store.LeaderboardFilter) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.asked == nil {
		f.asked = map[string][]store.LeaderboardFilter{}
	}
	f.asked[what] = append(f.asked[what], lf)
}

func (f *fakeSource) Leaderboard(_ context.Context, lf store.LeaderboardFilter) ([]store.ActorScore, error) {
	f.note("leaderboard", lf)
	return slices.Clone(f.rows), nil
}

func (f *fakeSource) PeopleCounts(_ context.Context, lf store.LeaderboardFilter) ([]store.PersonCount, error) {
	if lf.To.Equal(reportTo) {
		f.note("people during", lf)
		return f.during, nil
	}
	f.note("people before", lf)
	return f.before, nil
}

func (f *fakeSource) Share(_ context.Context, lf store.LeaderboardFilter) ([]store.ClassShare, error) {
	f.note("share", lf)
	return nil, nil
}

func (f *fakeSource) MergeTimes(context.Context, store.LeaderboardFilter) (store.MergeTimes, error) {
	return store.MergeTimes{}, nil
}

func (f *fakeSource) FirstResponses(context.Context, store.LeaderboardFilter) (map[contrib.Kind]store.FirstResponses, error) {
	return nil, nil
}

func (f *fakeSource) Totals(_ context.Context, lf store.LeaderboardFilter) (store.Totals, error) {
	f.note("totals", lf)
	return f.withBots, f.failTotal
}

func (f *fakeSource) Activity(_ context.Context, lf store.LeaderboardFilter, _ string) ([]store.ActivityBucket, error) {
	f.note("activity", lf)
	return f.buckets, nil
}

func (f *fakeSource) Identify(context.Context, uint64, string) (store.Who, error) { return f.who, nil }

func (f *fakeSource) Projects(_ context.Context, lf store.LeaderboardFilter, _ bool) ([]store.ProjectActivity, error) {
	f.note("projects", lf)
	return f.projects, nil
}

func (f *fakeSource) MemberDetails(context.Context, uint64, time.Time, time.Time) (map[uint64]store.MemberDetails, error) {
	return f.details, nil
}

func (f *fakeSource) SyncStatus(context.Context) ([]store.RepoSync, error) { return nil, nil }

func (f *fakeSource) Flagged(_ context.Context, lf store.LeaderboardFilter, _ store.Acceptance) ([]store.Credit, error) {
	f.note("flagged", lf)
	return slices.Clone(f.flagged), nil
}

func (f *fakeSource) IdentifyAccount(_ context.Context, _ uint64, login string, id uint64) (store.Who, error) {
	if w, ok := f.accounts[id]; ok {
		return w, nil
	}
	return store.Who{Logins: []string{login}, ActorIDs: []uint64{id}}, nil
}

func (f *fakeSource) StoredNames(_ context.Context, what string) ([]string, error) {
	return f.orgs, nil
}

func (f *fakeSource) RosterNames(context.Context, uint64) (map[string][]string, error) {
	return map[string][]string{}, nil
}

func (f *fakeSource) NameStored(_ context.Context, what, name string) (bool, error) {
	return what == "org" && slices.ContainsFunc(f.orgs, func(o string) bool { return strings.EqualFold(o, name) }), nil
}

var (
	reportFrom = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	reportTo   = time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC)
)

// settings with a roster: member 1 (ana) shown by her roster login,
// member 2 opted out; bots are left out by the configured rule.
func fakeSettings() leaderboard.Settings {
	return leaderboard.Settings{Weights: contrib.DefaultWeights(), BotRegex: `\[bot\]$`, Roster: 7,
		People: store.RosterPeople{Logins: map[uint64]string{1: "Ana", 2: "bo"}, Flags: map[string][]string{"opt_out": {"bo"}},
			Hidden: map[uint64]bool{2: true}}}
}

func TestBuildAgainstAFake(t *testing.T) {
	src := &fakeSource{
		orgs: []string{"aws"},
		rows: []store.ActorScore{
			{ActorID: 3, Login: "cy", Score: 4, Counts: map[contrib.Kind]uint64{contrib.PRReview: 2}},
			{ActorID: 1, Login: "ana-old", Score: 9, Counts: map[contrib.Kind]uint64{contrib.Commit: 3, contrib.PRMerged: 2}},
			{ActorID: 2, Login: "bo", Score: 4, Counts: map[contrib.Kind]uint64{contrib.IssueOpened: 4}},
		},
		before:   []store.PersonCount{{Person: 1, Contributions: 10}},
		during:   []store.PersonCount{{Person: 1, Contributions: 5}, {Person: 2, Contributions: 4}, {Person: 3, Contributions: 2}},
		withBots: store.Totals{People: 4, Contributions: 20},
		buckets: []store.ActivityBucket{{Start: reportFrom, People: 3, Contributions: 11,
			Counts: map[contrib.Kind]uint64{contrib.Commit: 3, contrib.PRMerged: 2, contrib.PRReview: 2, contrib.IssueOpened: 4}}},
		projects: []store.ProjectActivity{{Name: "aws/cdk", Contributions: 11, People: 3}},
		details:  map[uint64]store.MemberDetails{1: {Name: "Ana Lima", Programs: []string{"aws-heroes"}}},
	}
	req := Request{Scope: Scope{Org: "aws"}, From: reportFrom, To: reportTo}
	r, err := Build(context.Background(), src, req, fakeSettings(), Options{Now: reportTo})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range r.Contributors {
		got = append(got, c.Login)
	}
	// Ana first, by her roster login; bo hidden but counted; ties by the
	// login shown.
	if want := []string{"Ana", "(hidden)", "cy"}; !slices.Equal(got, want) {
		t.Fatalf("contributors %v, want %v", got, want)
	}
	ana, hidden, cy := r.Contributors[0], r.Contributors[1], r.Contributors[2]
	if ana.Name != "Ana Lima" || !slices.Equal(ana.Programs, []string{"aws-heroes"}) || ana.FirstTime || ana.Contributions != 5 {
		t.Errorf("ana %+v: want her roster name and programs, returning, 5 contributions", ana)
	}
	if hidden.Name != "" || hidden.URL != "" || len(hidden.Programs) != 0 || hidden.FirstTime {
		t.Errorf("an opted-out member shows %+v", hidden)
	}
	if !cy.FirstTime || cy.URL != "https://github.com/cy" {
		t.Errorf("cy %+v: want a first-timer with a profile link", cy)
	}
	if len(r.Welcome) != 1 || r.Welcome[0].Login != "cy" {
		t.Errorf("welcome %+v, want cy alone (the opted-out newcomer is not named)", r.Welcome)
	}
	if len(r.TopReviewers) != 1 || r.TopReviewers[0].Login != "cy" || r.TopReviewers[0].Reviews != 2 {
		t.Errorf("top reviewers %+v", r.TopReviewers)
	}
	// 20 contributions by 4 accounts, of which 11 by the 3 people: 9 by
	// one bot account.
	if r.Summary.BotContributions != 9 || r.Summary.BotAccounts != 1 || !slices.ContainsFunc(r.Notes, func(n string) bool { return strings.Contains(n, "9 contributions by 1 bot accounts") }) {
		t.Errorf("bots: %d contributions, %d accounts, notes %q", r.Summary.BotContributions, r.Summary.BotAccounts, r.Notes)
	}
	if len(r.Repositories) != 1 || r.Repositories[0].Name != "aws/cdk" {
		t.Errorf("repositories %+v", r.Repositories)
	}
	accepted := func(notes []string) bool {
		return slices.ContainsFunc(notes, func(n string) bool { return strings.Contains(n, "accepted profile") })
	}
	if accepted(r.Notes) {
		t.Errorf("under the activity profile the notes speak of the accepted one: %q", r.Notes)
	}
	// Under the accepted profile every question asks for it, and the notes
	// say so.
	s := fakeSettings()
	s.Profile = contrib.ProfileAccepted
	src.asked = nil
	ra, err := Build(context.Background(), src, req, s, Options{Now: reportTo})
	if err != nil {
		t.Fatal(err)
	}
	if !accepted(ra.Notes) {
		t.Errorf("under the accepted profile the notes do not say so: %q", ra.Notes)
	}
	for what, fs := range src.asked {
		for _, lf := range fs {
			if lf.Profile != contrib.ProfileAccepted {
				t.Errorf("under the accepted profile, %s asked with profile %q", what, lf.Profile)
			}
		}
	}

	// Every question is about the org and the period; only the bots'
	// totals drop the bot rule.
	for what, fs := range src.asked {
		for _, lf := range fs {
			if lf.Org != "aws" || !lf.To.Equal(reportTo) && what != "people before" {
				t.Errorf("%s asked about org %q until %v", what, lf.Org, lf.To)
			}
			if (what == "totals") != (lf.BotRegex == "") {
				t.Errorf("%s asked with bot rule %q", what, lf.BotRegex)
			}
		}
	}
}

// Under the accepted profile a report lists each person's items marked
// as spam: a member under the roster's login with both accounts' items,
// nobody who opted out, no bot; under the activity profile it lists none.
func TestBuildListsFlaggedItemsPerPerson(t *testing.T) {
	at := reportFrom.Add(48 * time.Hour)
	item := func(id uint64, login string, n int64, rule string) store.Credit {
		return store.Credit{Kind: contrib.PROpened, At: at.Add(time.Duration(n) * time.Hour), ActorID: id, Login: login,
			RepoName: "aws/cdk", Number: n, Title: fmt.Sprintf("pr %d", n), Rule: rule}
	}
	// A spam-labelled pull request that was merged is marked twice (its
	// opening and its merge) and listed once.
	merged := func(c store.Credit) store.Credit { c.Kind = contrib.PRMerged; return c }
	src := &fakeSource{orgs: []string{"aws"},
		flagged: []store.Credit{item(1, "ana-old", 1, "spam_label"), merged(item(1, "ana-old", 1, "spam_label")), item(2, "bo", 2, "spam_label"), item(9, "renovate[bot]", 3, "spam_closed_fast"),
			item(5, "eve", 4, "spam_closed_fast"), item(11, "ana-alt", 5, "spam_closed_fast")},
		accounts: map[uint64]store.Who{1: {MemberID: 1, Logins: []string{"ana-old"}}, 11: {MemberID: 1, Logins: []string{"ana-alt"}}, 2: {MemberID: 2, Logins: []string{"bo"}}},
		details:  map[uint64]store.MemberDetails{1: {Name: "Ana Lima"}},
	}
	req := Request{Scope: Scope{Org: "aws"}, From: reportFrom, To: reportTo}
	s := fakeSettings()
	r, err := Build(context.Background(), src, req, s, Options{Now: reportTo})
	if err != nil {
		t.Fatal(err)
	}
	if r.Profile != contrib.ProfileActivity || len(r.Flagged) != 0 || len(src.asked["flagged"]) != 0 {
		t.Errorf("activity profile: profile %q, flagged %+v, asked %d times", r.Profile, r.Flagged, len(src.asked["flagged"]))
	}
	s.Profile = contrib.ProfileAccepted
	if r, err = Build(context.Background(), src, req, s, Options{Now: reportTo}); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range r.Flagged {
		for _, it := range p.Items {
			got = append(got, fmt.Sprintf("%s (%s) %s#%d %s %s", p.Login, p.Name, it.Repository, it.Number, it.Rule, it.URL))
		}
	}
	want := []string{
		"Ana (Ana Lima) aws/cdk#1 spam_label https://github.com/aws/cdk/pull/1",
		"Ana (Ana Lima) aws/cdk#5 spam_closed_fast https://github.com/aws/cdk/pull/5",
		"eve () aws/cdk#4 spam_closed_fast https://github.com/aws/cdk/pull/4",
	}
	if !slices.Equal(got, want) || r.Profile != contrib.ProfileAccepted {
		t.Errorf("accepted profile %q, flagged:\n%s\nwant:\n%s", r.Profile, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, lf := range src.asked["flagged"] {
		if lf.Org != "aws" || !lf.From.Equal(reportFrom) || !lf.To.Equal(reportTo) {
			t.Errorf("flagged items asked about %q %v-%v", lf.Org, lf.From, lf.To)
		}
	}
	var md strings.Builder
	if err := Write(&md, "md", r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), "### Flagged as spam") || !strings.Contains(md.String(), "](https://github.com/aws/cdk/pull/5) | pr 5 |") {
		t.Errorf("the Markdown form does not list the flagged items:\n%s", md.String())
	}
}

// A member who opted out has no report, and one that fails to gather
// returns the failure, not half a report.
func TestBuildRefusesAndFails(t *testing.T) {
	src := &fakeSource{orgs: []string{"aws"}, who: store.Who{MemberID: 2, Login: "bo"}}
	_, err := Build(context.Background(), src, Request{Scope: Scope{Member: "bo"}, From: reportFrom, To: reportTo}, fakeSettings(), Options{})
	if !errors.Is(err, ErrNotShown) {
		t.Errorf("an opted-out member's report: %v, want ErrNotShown", err)
	}
	broke := errors.New("ClickHouse went away")
	src = &fakeSource{orgs: []string{"aws"}, failTotal: broke}
	r, err := Build(context.Background(), src, Request{Scope: Scope{Org: "aws"}, From: reportFrom, To: reportTo}, fakeSettings(), Options{})
	if !errors.Is(err, broke) || r != nil {
		t.Errorf("a failing source: %v, %v; want its error and no report", r, err)
	}
	_, err = Build(context.Background(), src, Request{Scope: Scope{Org: "azure"}, From: reportFrom, To: reportTo}, fakeSettings(), Options{})
	var unknown *leaderboard.UnknownNameError
	if !errors.As(err, &unknown) || !strings.Contains(err.Error(), "aws") {
		t.Errorf("an org nothing knows: %v, want an error listing the known ones", err)
	}
}
