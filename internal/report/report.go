// Package report builds contributor reports: for a scope (an org, a
// repository, a roster program, one member, or everything tracked) and a
// period, a summary of the project's numbers, every contributor with
// per-kind counts and score, the top reviewers and the first-time
// contributors; and writes them as Markdown, CSV, JSON or a self-contained
// HTML page (docs/reports.md). The numbers come from the same leaderboard
// and community computations as the CLI and the API.
package report

import (
	"context"
	_ "embed"
	"errors"
	"slices"
	"time"

	"golang.org/x/sync/errgroup"

	"contribtrack/internal/community"
	"contribtrack/internal/leaderboard"
	"contribtrack/internal/store"
)

// SchemaID names the JSON form's schema (schema.json); it changes when a
// field changes meaning or goes away.
const SchemaID = "https://contribtrack.dev/schemas/report-v1.json"

// Schema is the JSON Schema of the JSON form (schema.json).
//
//go:embed schema.json
var Schema []byte

// Source is what reports are built from; *store.Store is one.
type Source interface {
	community.Source
	leaderboard.Scorer
	leaderboard.Names
	Totals(ctx context.Context, f store.LeaderboardFilter) (store.Totals, error)
	Activity(ctx context.Context, f store.LeaderboardFilter, unit string) ([]store.ActivityBucket, error)
	leaderboard.Flagger
	Identify(ctx context.Context, importID uint64, login string) (store.Who, error)
	Projects(ctx context.Context, f store.LeaderboardFilter, byOrg bool) ([]store.ProjectActivity, error)
	MemberDetails(ctx context.Context, importID uint64, from, to time.Time) (map[uint64]store.MemberDetails, error)
	SyncStatus(ctx context.Context) ([]store.RepoSync, error)
}

// Options tune a report.
type Options struct {
	Now          time.Time // when it is generated (default: now)
	TopReviewers int       // how many reviewers to list (default 10)
	// MaxContributors bounds the contributors listed (default and at most
	// the package's MaxContributors).
	MaxContributors int
}

// MaxContributors is how many contributors a report lists at most.
const MaxContributors = leaderboard.MaxLimit

// ErrNotShown is the answer for a member's report when the member opted
// out of being shown (it says no more than "not found" would).
var ErrNotShown = errors.New("no contributor with that login can be shown")

// gathered is everything a report is computed from.
type gathered struct {
	entries   []leaderboard.Entry
	metrics   community.Metrics
	returning map[uint64]bool
	details   map[uint64]store.MemberDetails
	activity  []store.ActivityBucket
	projects  []store.ProjectActivity
	withBots  store.Totals
	sync      []store.RepoSync
	flagged   []leaderboard.FlaggedPerson
}

// Build computes the report req asks for. A period without activity gives
// an empty report, not an error. The report's questions are asked at
// once: most of their time is ClickHouse planning and joining, which one
// statement does not spread over the server's cores.
func Build(ctx context.Context, src Source, req Request, s leaderboard.Settings, o Options) (*Report, error) {
	if err := req.Validate(); err != nil {
		return nil, err
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	if o.TopReviewers <= 0 {
		o.TopReviewers = 10
	}
	if o.MaxContributors <= 0 || o.MaxContributors > MaxContributors {
		o.MaxContributors = MaxContributors
	}
	q := leaderboard.Query{
		Question: store.Question{
			From:    req.From.UTC(),
			To:      req.To.UTC(),
			Org:     req.Org,
			Repo:    req.Repo,
			Set:     req.Set,
			Program: req.Program,
			Member:  req.Member,
			Limit:   o.MaxContributors,
		},
	}
	if err := q.Validate(); err != nil {
		return nil, err
	}
	f, err := leaderboard.Filter(q, s)
	if err != nil {
		return nil, err
	}
	if err := leaderboard.CheckNames(ctx, src, q, s); err != nil {
		return nil, err
	}
	if req.Member != "" {
		who, err := src.Identify(ctx, s.Roster, req.Member)
		if err != nil {
			return nil, err
		}
		if s.OptedOut(who.MemberID, who.Logins, who.ActorIDs) {
			return nil, ErrNotShown
		}
	}
	unit := unitFor(q.From, q.To)

	var g gathered
	eg, gctx := errgroup.WithContext(ctx)
	eg.Go(func() (err error) { g.entries, err = leaderboard.Compute(gctx, src, q, s); return err })
	eg.Go(func() (err error) { g.metrics, g.returning, err = community.Measure(gctx, src, q, s); return err })
	eg.Go(func() (err error) { g.details, err = src.MemberDetails(gctx, s.Roster, q.From, q.To); return err })
	eg.Go(func() (err error) { g.activity, err = src.Activity(gctx, f, unit); return err })
	eg.Go(func() (err error) { g.sync, err = src.SyncStatus(gctx); return err })
	eg.Go(func() (err error) { g.flagged, err = leaderboard.Flags(gctx, src, q, s, o.Now); return err })
	if req.Repo == "" {
		eg.Go(func() (err error) { g.projects, err = src.Projects(gctx, f, false); return err })
	}
	if f.BotRegex != "" {
		eg.Go(func() (err error) {
			withBots := f
			withBots.BotRegex, withBots.HumanRegex = "", ""
			g.withBots, err = src.Totals(gctx, withBots)
			return err
		})
	}
	if err := eg.Wait(); err != nil {
		return nil, err
	}

	r := &Report{Schema: SchemaID, Title: title(req.Scope), From: day(q.From), To: day(q.To),
		LastDay: day(q.To.AddDate(0, 0, -1)), GeneratedAt: o.Now.UTC().Truncate(time.Second),
		Weights: map[string]float64{}, Contributors: []Contributor{}, TopReviewers: []Reviewer{},
		Welcome: []Person{}, Repositories: []Repository{}, Profile: profileOf(s), Flagged: []FlaggedPerson{}, Notes: []string{}}
	r.Scope.Kind, r.Scope.Name = req.Kind(), req.Name()
	for _, k := range q.Kinds {
		r.Kinds = append(r.Kinds, string(k))
		r.Weights[string(k)] = s.Weights[k]
	}
	r.contributors(g.entries, g.returning, g.details, s)
	r.reviewers(o.TopReviewers)
	r.flag(g.flagged, g.details, s)
	r.fillActivity(g.activity, unit, q.From, q.To)
	r.summarise(req, f, g, s)
	for _, p := range g.projects {
		r.Repositories = append(r.Repositories, Repository{Name: p.Name, Contributions: p.Contributions, Contributors: p.People})
	}
	return r, nil
}

func day(t time.Time) string { return t.UTC().Format(time.DateOnly) }

func title(s Scope) string {
	switch s.Kind() {
	case ScopeOrg:
		return "Contributor report: " + s.Org
	case ScopeRepo:
		return "Contributor report: " + s.Repo
	case ScopeProject:
		return "Contributor report: project " + s.Project
	case ScopeProgram:
		return "Contributor report: program " + s.Program
	case ScopeMember:
		return "Contribution report: " + s.Member
	}
	return "Contributor report: all tracked repositories"
}

// Formats are the formats Write takes.
var Formats = []string{"md", "csv", "json", "html"}

// ValidFormat reports whether format is one of Formats.
func ValidFormat(format string) bool { return slices.Contains(Formats, format) }
