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
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"contribtrack/internal/community"
	"contribtrack/internal/contrib"
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

// Scope is what a report is about: at most one of its fields is set; none
// means everything tracked.
type Scope struct {
	Org     string
	Repo    string // owner/name
	Project string // a project of the configuration: a set of orgs and repositories
	Program string // a roster program
	Member  string // a login: the roster member who has it, else its account
}

// Scope kinds, as the JSON form names them.
const (
	ScopeAll     = "all"
	ScopeOrg     = "org"
	ScopeRepo    = "repo"
	ScopeProject = "project"
	ScopeProgram = "program"
	ScopeMember  = "member"
)

// Kind says which scope is set, and Name its value.
func (s Scope) Kind() string {
	switch {
	case s.Org != "":
		return ScopeOrg
	case s.Repo != "":
		return ScopeRepo
	case s.Project != "":
		return ScopeProject
	case s.Program != "":
		return ScopeProgram
	case s.Member != "":
		return ScopeMember
	}
	return ScopeAll
}

// Name is the scope's value ("" for everything tracked).
func (s Scope) Name() string {
	return s.Org + s.Repo + s.Project + s.Program + s.Member
}

// project reports whether the scope is a set of repositories (not a set of
// people): project-wide measures such as time to merge apply.
func (s Scope) project() bool { return s.Program == "" && s.Member == "" }

// Request is what a report is asked for.
type Request struct {
	Scope
	// Set is the project's orgs and repositories (see ProjectSet), given
	// with Project.
	Set      store.RepoSet
	From, To time.Time // [From, To), UTC days
}

// ProjectSet turns a project's entries from the configuration (orgs and
// owner/name repositories) into a set of repositories.
func ProjectSet(entries []string) store.RepoSet {
	var s store.RepoSet
	for _, e := range entries {
		if strings.Contains(e, "/") {
			s.Repos = append(s.Repos, e)
		} else {
			s.Orgs = append(s.Orgs, e)
		}
	}
	return s
}

// Validate checks the request: the question's own check
// (leaderboard.Query.Validate) for the period and the names, then what a
// report adds. Errors are leaderboard.FieldErrors naming the flag (or API
// parameter) at fault, except for a scope given twice, which names none.
func (r Request) Validate() error {
	set := 0
	for _, v := range []string{r.Org, r.Repo, r.Project, r.Program, r.Member} {
		if v != "" {
			set++
		}
	}
	if set > 1 {
		return fmt.Errorf("give one of org, repo, project, program and member, not several")
	}
	q := leaderboard.Query{Question: store.Question{From: r.From, To: r.To, Org: r.Org, Repo: r.Repo, Member: r.Member, Limit: 1}}
	if err := q.Validate(); err != nil {
		return err
	}
	switch {
	case (r.Project != "") != !r.Set.Empty():
		return &leaderboard.FieldError{Field: "project", Problem: fmt.Sprintf("%q is not a project of the configuration", r.Project)}
	case r.Project != "" && !contrib.ValidProject(r.Project):
		return &leaderboard.FieldError{Field: "project", Problem: fmt.Sprintf("%q is not a project name", r.Project)}
	case len(r.Program) > 200:
		return &leaderboard.FieldError{Field: "program", Problem: "longer than 200 characters"}
	}
	if !dayAligned(r.From) || !dayAligned(r.To) {
		return &leaderboard.FieldError{Field: "from", Problem: "from and to must be whole UTC days"}
	}
	return nil
}

func dayAligned(t time.Time) bool { return t.Equal(t.UTC().Truncate(24 * time.Hour)) }

// Report is a contributor report. Its JSON form is documented by
// schema.json and docs/reports.md.
type Report struct {
	Schema string `json:"$schema"`
	Title  string `json:"title"`
	Scope  struct {
		Kind string `json:"kind"` // all, org, repo, program or member
		Name string `json:"name"` // "" for all
	} `json:"scope"`
	From        string    `json:"from"`     // first day, YYYY-MM-DD
	To          string    `json:"to"`       // the day after the last, YYYY-MM-DD
	LastDay     string    `json:"last_day"` // the last day, YYYY-MM-DD
	GeneratedAt time.Time `json:"generated_at"`
	// Kinds are the contribution kinds, in the order of the counts'
	// columns; Weights their weights in the score.
	Kinds   []string           `json:"kinds"`
	Weights map[string]float64 `json:"weights"`

	Summary      Summary       `json:"summary"`
	Contributors []Contributor `json:"contributors"`
	TopReviewers []Reviewer    `json:"top_reviewers"`
	// Welcome lists the first-time contributors, by score.
	Welcome      []Person     `json:"welcome"`
	Repositories []Repository `json:"repositories"`
	Activity     Activity     `json:"activity"`
	// Notes say what the numbers leave out or could not measure.
	Notes []string `json:"notes"`
}

// Summary is the period's numbers.
type Summary struct {
	Contributions         uint64            `json:"contributions"`
	ByKind                map[string]uint64 `json:"by_kind"`
	ActiveContributors    int               `json:"active_contributors"`
	NewContributors       int               `json:"new_contributors"`
	ReturningContributors int               `json:"returning_contributors"`
	PullRequestsMerged    uint64            `json:"pull_requests_merged"`
	// Medians in seconds; null where nothing was measured, or for scopes
	// of people (a program, a member), where they do not apply.
	MedianTimeToMergeSeconds                    *float64 `json:"median_time_to_merge_seconds"`
	MedianTimeToFirstResponseIssuesSeconds      *float64 `json:"median_time_to_first_response_issues_seconds"`
	MedianTimeToFirstResponsePullRequestSeconds *float64 `json:"median_time_to_first_response_pull_requests_seconds"`
	// CommunityShare is the part of the contributions made by community
	// members rather than vendor staff or others (0..1; null without a
	// roster, where nobody is known to be either, and in a member's
	// report, about one person).
	CommunityShare *float64 `json:"community_share"`
	// Completeness is the stored contributions against the totals GitHub
	// reported at the last sync, over the scope's synced repositories
	// (null when none has been synced through the API).
	Completeness *float64 `json:"completeness"`
	// LastSync is the oldest of the scope's repositories' last successful
	// syncs: every one was in sync at or after it (null: none synced).
	LastSync           *time.Time `json:"last_sync"`
	RepositoriesSynced int        `json:"repositories_synced"`
	// Bots are left out; these are their contributions and accounts.
	BotContributions uint64 `json:"bot_contributions"`
	BotAccounts      uint64 `json:"bot_accounts"`
	// Truncated is true when more people contributed than a report lists.
	Truncated bool `json:"truncated"`
}

// Person is someone a report names.
type Person struct {
	Login string `json:"login"`          // as shown: a member's roster login, "(hidden)" for an opt-out
	Name  string `json:"name,omitempty"` // a member's display name
	URL   string `json:"url,omitempty"`  // their GitHub profile (none for hidden or email-only identities)
}

// Contributor is one line of the contributors table.
type Contributor struct {
	Rank int `json:"rank"`
	Person
	Score         float64           `json:"score"`
	Contributions uint64            `json:"contributions"`
	Counts        map[string]uint64 `json:"counts"`
	Programs      []string          `json:"programs"`   // roster programs held in the period
	FirstTime     bool              `json:"first_time"` // first contribution to the scope in this period
}

// Reviewer is one of the top reviewers.
type Reviewer struct {
	Person
	Reviews        uint64 `json:"reviews"`
	ReviewComments uint64 `json:"review_comments"`
}

// Repository is one repository's part of the period.
type Repository struct {
	Name          string `json:"name"`
	Contributions uint64 `json:"contributions"`
	Contributors  uint64 `json:"contributors"`
}

// Activity is the period cut into buckets of one unit (day, week from
// Monday, month or year; the first and last clipped to the period), every
// bucket listed.
type Activity struct {
	Unit    string           `json:"unit"`
	Buckets []ActivityBucket `json:"buckets"`
}

// ActivityBucket is one bucket of activity.
type ActivityBucket struct {
	Start         string            `json:"start"` // first day, YYYY-MM-DD
	Contributions uint64            `json:"contributions"`
	Contributors  uint64            `json:"contributors"`
	Counts        map[string]uint64 `json:"counts"`
}

// Source is what reports are built from; *store.Store is one.
type Source interface {
	community.Source
	leaderboard.Scorer
	leaderboard.Names
	Totals(ctx context.Context, f store.LeaderboardFilter) (store.Totals, error)
	Activity(ctx context.Context, f store.LeaderboardFilter, unit string) ([]store.ActivityBucket, error)
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
		Welcome: []Person{}, Repositories: []Repository{}, Notes: []string{}}
	r.Scope.Kind, r.Scope.Name = req.Kind(), req.Name()
	for _, k := range q.Kinds {
		r.Kinds = append(r.Kinds, string(k))
		r.Weights[string(k)] = s.Weights[k]
	}
	r.contributors(g.entries, g.returning, g.details, s)
	r.reviewers(o.TopReviewers)
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

// contributors fills the contributors table and the welcome list.
func (r *Report) contributors(entries []leaderboard.Entry, returning map[uint64]bool, details map[uint64]store.MemberDetails, s leaderboard.Settings) {
	for _, e := range entries {
		// Nothing about people who opted out, not even when they started.
		c := Contributor{Rank: e.Rank, Person: Person{Login: e.Login}, Score: e.Score, Counts: map[string]uint64{},
			Programs: []string{}, FirstTime: !returning[e.Person] && e.Login != leaderboard.Hidden}
		for _, k := range r.Kinds {
			c.Counts[k] = e.Counts[k]
			c.Contributions += e.Counts[k]
		}
		if e.Login != leaderboard.Hidden {
			if _, member := s.People.Logins[e.Person]; member {
				d := details[e.Person]
				c.Name = d.Name
				c.Programs = append(c.Programs, d.Programs...)
			}
			c.URL = profileURL(e.Login)
			if c.FirstTime {
				r.Welcome = append(r.Welcome, c.Person)
			}
		}
		r.Contributors = append(r.Contributors, c)
	}
}

// profileURL is a login's GitHub profile ("" for what is not a login,
// such as an email-only identity).
func profileURL(login string) string {
	if !contrib.ValidLogin(login) {
		return ""
	}
	if app, ok := strings.CutSuffix(login, "[bot]"); ok {
		return "https://github.com/apps/" + app
	}
	return "https://github.com/" + login
}

// reviewers picks the top n reviewers from the contributors: by reviews,
// then review comments, then login.
func (r *Report) reviewers(n int) {
	for _, c := range r.Contributors {
		rv := Reviewer{Person: c.Person, Reviews: c.Counts[string(contrib.PRReview)], ReviewComments: c.Counts[string(contrib.PRReviewComment)]}
		if rv.Reviews+rv.ReviewComments > 0 {
			r.TopReviewers = append(r.TopReviewers, rv)
		}
	}
	sort.SliceStable(r.TopReviewers, func(i, j int) bool {
		a, b := r.TopReviewers[i], r.TopReviewers[j]
		if a.Reviews != b.Reviews {
			return a.Reviews > b.Reviews
		}
		if a.ReviewComments != b.ReviewComments {
			return a.ReviewComments > b.ReviewComments
		}
		return a.Login < b.Login
	})
	if len(r.TopReviewers) > n {
		r.TopReviewers = r.TopReviewers[:n]
	}
}

// summarise fills the summary from the community metrics, the bots left
// out and the sync status.
func (r *Report) summarise(req Request, f store.LeaderboardFilter, g gathered, s leaderboard.Settings) {
	sm, m := &r.Summary, g.metrics
	// The totals are the activity's: they count everyone, also past the
	// contributors a report lists.
	sm.ByKind = map[string]uint64{}
	for _, k := range r.Kinds {
		sm.ByKind[k] = 0
	}
	for _, b := range r.Activity.Buckets {
		sm.Contributions += b.Contributions
		for k, n := range b.Counts {
			sm.ByKind[k] += n
		}
	}
	sm.ActiveContributors, sm.NewContributors, sm.ReturningContributors = m.ActiveContributors, m.NewContributors, m.ReturningContributors
	// pr_merged is credited to the pull request's author at merge time:
	// the merged pull requests of the scope's (non-bot) authors.
	sm.PullRequestsMerged = sm.ByKind[string(contrib.PRMerged)]
	if req.project() {
		sm.MedianTimeToMergeSeconds = median(m.TimeToMerge)
		sm.MedianTimeToFirstResponseIssuesSeconds = median(m.TimeToFirstResponseIssues)
		sm.MedianTimeToFirstResponsePullRequestSeconds = median(m.TimeToFirstResponsePullRequests)
	} else {
		r.Notes = append(r.Notes, "Time to merge and to first response are measures of projects, not of people: this report is about people, so it leaves them out.")
	}
	switch {
	case req.Member != "":
		// One person's contributions are all theirs: a share of the
		// community says nothing about them.
	case s.Roster != 0 && sm.Contributions > 0:
		share := m.CommunityShare
		sm.CommunityShare = &share
	}
	if s.Roster == 0 {
		r.Notes = append(r.Notes, "No roster has been imported: identities are GitHub accounts, and the community's share is not known.")
	}

	if f.BotRegex != "" {
		// Everyone's totals less the people's.
		sm.BotContributions = g.withBots.Contributions - min(g.withBots.Contributions, sm.Contributions)
		sm.BotAccounts = g.withBots.People - min(g.withBots.People, uint64(sm.ActiveContributors))
		if sm.BotContributions == 0 {
			r.Notes = append(r.Notes, "Bots are left out (none contributed in this period).")
		} else {
			r.Notes = append(r.Notes, fmt.Sprintf("Bots are left out: %d contributions by %d bot accounts.", sm.BotContributions, sm.BotAccounts))
		}
	}
	sm.Truncated = sm.ActiveContributors > len(r.Contributors)
	if sm.Truncated {
		r.Notes = append(r.Notes, fmt.Sprintf("Only the first %d of the %d contributors are listed.", len(r.Contributors), sm.ActiveContributors))
	}

	var stored, reported uint64
	for _, rs := range g.sync {
		if !inScope(req, rs.RepoName) {
			continue
		}
		if rs.LastSync.IsZero() {
			continue
		}
		sm.RepositoriesSynced++
		if sm.LastSync == nil || rs.LastSync.Before(*sm.LastSync) {
			t := rs.LastSync.UTC()
			sm.LastSync = &t
		}
		for _, res := range rs.Resources {
			if res.GitHubTotal > 0 && res.Kind != "" && contrib.Kind(res.Kind).IsContribution() {
				stored += res.Stored
				reported += res.GitHubTotal
			}
		}
	}
	if reported > 0 {
		c := float64(stored) / float64(reported)
		sm.Completeness = &c
	}
	if sm.RepositoriesSynced == 0 {
		r.Notes = append(r.Notes, "No repository of this scope has been synced from the GitHub API: completeness and last sync are not known.")
	}
}

// inScope reports whether a synced repository belongs to the scope (a
// program's or a member's scope is every tracked repository).
func inScope(s Request, repo string) bool {
	switch {
	case !s.Set.Empty():
		return s.Set.Contains(repo)
	case s.Org != "":
		owner, _, _ := strings.Cut(repo, "/")
		return strings.EqualFold(owner, s.Org)
	case s.Repo != "":
		return strings.EqualFold(repo, s.Repo)
	}
	return true
}

func median(d *community.Durations) *float64 {
	if d == nil {
		return nil
	}
	v := d.MedianSeconds
	return &v
}

// Activity units by period length: daily up to a month, weekly up to half
// a year, monthly up to three years, yearly beyond.
func unitFor(from, to time.Time) string {
	days := to.Sub(from).Hours() / 24
	switch {
	case days <= 31:
		return "day"
	case days <= 190:
		return "week"
	case days <= 3*366:
		return "month"
	}
	return "year"
}

// fillActivity lists every bucket of the period, empty ones included.
func (r *Report) fillActivity(rows []store.ActivityBucket, unit string, from, to time.Time) {
	byStart := map[string]store.ActivityBucket{}
	for _, b := range rows {
		byStart[day(b.Start)] = b
	}
	r.Activity = Activity{Unit: unit, Buckets: []ActivityBucket{}}
	for start := from; start.Before(to); start = next(start, unit) {
		// A bucket is named by its first day in the period; the store
		// names it by its calendar start.
		b := byStart[day(calendarStart(start, unit))]
		ab := ActivityBucket{Start: day(start), Contributions: b.Contributions, Contributors: b.People, Counts: map[string]uint64{}}
		for _, k := range r.Kinds {
			ab.Counts[k] = b.Counts[contrib.Kind(k)]
		}
		r.Activity.Buckets = append(r.Activity.Buckets, ab)
	}
}

// calendarStart is the first day of the unit t is in.
func calendarStart(t time.Time, unit string) time.Time {
	y, m, d := t.Date()
	switch unit {
	case "week":
		back := (int(t.Weekday()) + 6) % 7 // days since Monday
		return time.Date(y, m, d-back, 0, 0, 0, 0, time.UTC)
	case "month":
		return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
	case "year":
		return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// next is the first day of the unit after t's.
func next(t time.Time, unit string) time.Time {
	s := calendarStart(t, unit)
	switch unit {
	case "week":
		return s.AddDate(0, 0, 7)
	case "month":
		return s.AddDate(0, 1, 0)
	case "year":
		return s.AddDate(1, 0, 0)
	}
	return s.AddDate(0, 0, 1)
}

// Formats are the formats Write takes.
var Formats = []string{"md", "csv", "json", "html"}

// ValidFormat reports whether format is one of Formats.
func ValidFormat(format string) bool { return slices.Contains(Formats, format) }
