package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"contribtrack/internal/contrib"
	"contribtrack/queries"
)

// Question is what a leaderboard-like question asks, whoever asks it: the
// period, where, which kinds, whose (the roster's filters) and how many.
// leaderboard.Query is a Question and the asker's choice of bots, and
// checks it (Validate); a LeaderboardFilter is a Question and the rules
// it is answered by.
type Question struct {
	From, To time.Time // [From, To), UTC
	Org      string    // "" for every org (case-insensitive)
	Repo     string    // "" for every repo, else owner/name (case-insensitive)
	// Set keeps the repositories of a project from the configuration (as
	// well as Org and Repo, when those are set too).
	Set   RepoSet
	Kinds []contrib.Kind // kinds that count; must not be empty
	Limit int

	// Filters on the roster's dated memberships: a contribution counts
	// when its person held a matching membership when it was made.
	Program  string
	Category string
	Group    string
	Region   string
	Country  string
	// Affiliation keeps one class: "vendor", "community" or "other"
	// ("" for all).
	Affiliation string
	// Member keeps one person's contributions: the roster member with
	// this login, else whoever used it ("" for everyone). Merge times and
	// first responses do not take it.
	Member string
}

// LeaderboardFilter selects and scores the contributions of a leaderboard:
// a question, and the rules it is answered by.
type LeaderboardFilter struct {
	Question
	Weights  map[contrib.Kind]float64
	BotRegex string // RE2 matched against logins to leave out; "" keeps everyone
	// HumanRegex matches logins that are people whatever BotRegex says
	// ("" for none).
	HumanRegex string
	// Roster is the roster import to resolve people with (0: none).
	Roster uint64
	// By is what Share groups by: affiliation (default), program,
	// category, group, region or country.
	By string

	only   *identities // restricts the rows (profiles)
	byRepo bool        // sums per repository too (profiles)
	// grain dates the rows by day, month or year ("": not at all, unless
	// the statement is dated), for sums over time.
	grain string
}

// RepoSet is a set of repositories: those of any of its orgs, and its
// repositories (owner/name), compared without case. The zero set does not
// restrict anything.
type RepoSet struct {
	Orgs, Repos []string
}

// Empty reports whether the set restricts nothing.
func (r RepoSet) Empty() bool { return len(r.Orgs) == 0 && len(r.Repos) == 0 }

// Contains reports whether a repository (owner/name) is in a non-empty
// set.
func (r RepoSet) Contains(repo string) bool {
	owner, _, _ := strings.Cut(repo, "/")
	for _, o := range r.Orgs {
		if strings.EqualFold(o, owner) {
			return true
		}
	}
	for _, x := range r.Repos {
		if strings.EqualFold(x, repo) {
			return true
		}
	}
	return false
}

// setArgs binds the set for the statements' condition on a row's org and
// repository (@in_set, @set_orgs, @set_repos).
func (f LeaderboardFilter) setArgs() []any {
	orgs, repos := []any{""}, []any{""} // IN () is not valid SQL
	for _, o := range f.Set.Orgs {
		orgs = append(orgs, strings.ToLower(o))
	}
	for _, r := range f.Set.Repos {
		repos = append(repos, strings.ToLower(r))
	}
	return []any{
		clickhouse.Named("in_set", boolInt(!f.Set.Empty())),
		clickhouse.Named("set_orgs", clickhouse.GroupSet{Value: orgs}),
		clickhouse.Named("set_repos", clickhouse.GroupSet{Value: repos}),
	}
}

// projectArgs bind what merge_times.sql and first_responses.sql take: the
// period, the org, repository and set, and the bot rules.
func (f LeaderboardFilter) projectArgs() []any {
	return append([]any{
		clickhouse.Named("from", uint32(f.From.Unix())), clickhouse.Named("to", uint32(f.To.Unix())),
		clickhouse.Named("org", f.Org), clickhouse.Named("repo", f.Repo),
		clickhouse.Named("bot_regex", f.BotRegex), clickhouse.Named("human_regex", humanRegex(f.HumanRegex)),
	}, f.setArgs()...)
}

// ShareGroupings are what Share can group by.
var ShareGroupings = []string{"affiliation", "program", "category", "group", "region", "country"}

// Affiliation classes.
var AffiliationClasses = []string{"community", "vendor", "other"}

// rosterFiltered reports whether a roster filter is set.
func (f LeaderboardFilter) rosterFiltered() bool {
	return f.Program != "" || f.Category != "" || f.Group != "" || f.Region != "" || f.Country != ""
}

// ActorScore is one leaderboard line as ClickHouse computes it.
type ActorScore struct {
	ActorID uint64
	Login   string // the latest login, or email:<hex> for an email-only identity
	Score   float64
	Counts  map[contrib.Kind]uint64
}

// A leaderboard or share statement is built from stages, each a query
// around the previous one (in place of its line "-- @input"): people (rows
// summed per identity and resolved to people; the rows are put in place of
// its line "-- @rows": the rollup's, or the raw sightings' when the rollup
// is behind), then memberships and affiliations when the question needs
// them, then the statement itself. Stages a question does not need cost
// nothing.
var (
	peopleSQL           = queries.MustReadWith("people.sql", withoutCounts)
	peopleWithCountsSQL = queries.MustRead("people.sql")
	membershipsSQL      = queries.MustRead("memberships.sql")
	affiliationsSQL     = queries.MustRead("affiliations.sql")
	leaderboardSQL      = queries.MustRead("leaderboard.sql")
	shareSQL            = queries.MustRead("share.sql")
	totalsSQL           = queries.MustRead("totals.sql")
	peopleCountsSQL     = queries.MustRead("people_counts.sql")
	mergeTimesSQL       = queries.MustRead("merge_times.sql")
	firstResponsesSQL   = queries.MustRead("first_responses.sql")
	projectsSQL         = queries.MustRead("projects.sql")
	rawRowsSQL          = queries.MustRead("contribution_rows_raw.sql")
	onlyRowsSQL         = queries.MustRead("contribution_rows_only.sql")
)

var withoutCounts = map[string]string{"identity_counts.sql": "identity_no_counts.sql"}

// stages says which stages a statement needs.
type stages struct {
	counts       bool // counts per kind
	memberships  bool // roster filters, or grouping by membership
	affiliations bool // an affiliation class
}

// statement assembles the statement around its stages.
func statement(outer string, st stages) string {
	q := peopleSQL
	if st.counts {
		q = peopleWithCountsSQL
	}
	if st.memberships || st.affiliations {
		q = wrap(membershipsSQL, q)
	}
	if st.affiliations {
		q = wrap(affiliationsSQL, q)
	}
	return wrap(outer, q)
}

func wrap(outer, inner string) string { return queries.MustFill(outer, "input", inner) }

// plan puts the rows in a statement and returns it with its arguments.
func (s *Store) plan(ctx context.Context, f LeaderboardFilter, dated bool, statement string) (string, []any, error) {
	fresh, err := s.identityRollupFresh(ctx)
	if err != nil {
		return "", nil, err
	}
	args := f.args(dated || f.grain != "")
	only := ""
	if f.only != nil {
		only = onlyRowsSQL
		args = append(args, f.only.args()...)
	}
	// The rollup knows days: a period that starts or ends within a day is
	// counted from the raw sightings.
	if !fresh || s.rawReads || !dayAligned(f.From) || !dayAligned(f.To) {
		rows := queries.MustFill(rawRowsSQL, "only", only)
		return queries.MustFill(statement, "rows", rows), args, nil
	}
	coarsest := levelYears
	switch {
	case dated || f.Org != "" || f.Repo != "" || !f.Set.Empty() || f.byRepo || f.grain == "day":
		coarsest = levelDays
	case f.grain == "month":
		coarsest = levelMonths
	}
	rows, rowArgs := splitPeriod(f.From, f.To, coarsest).rowsSQL(only)
	return queries.MustFill(statement, "rows", rows), append(args, rowArgs...), nil
}

// identities restricts a statement's rows to some GitHub ids (or derived
// ids) and logins.
type identities struct {
	ids    []uint64
	logins []string // lower-cased
}

func (o *identities) args() []any {
	ids := []any{uint64(0)} // IN () is not valid SQL
	for _, id := range o.ids {
		ids = append(ids, id)
	}
	logins := []any{""}
	for _, l := range o.logins {
		logins = append(logins, l)
	}
	return []any{clickhouse.Named("only_ids", clickhouse.GroupSet{Value: ids}), clickhouse.Named("only_logins", clickhouse.GroupSet{Value: logins})}
}

func dayAligned(t time.Time) bool { return t.Equal(t.UTC().Truncate(24 * time.Hour)) }

// dated reports whether the leaderboard's answer depends on when each
// contribution was made beyond the period: roster filters and affiliation
// classes are dated.
func (f LeaderboardFilter) dated() bool { return f.rosterFiltered() || f.Affiliation != "" }

// stages are the stages f's filters need.
func (f LeaderboardFilter) stages() stages {
	return stages{memberships: f.rosterFiltered(), affiliations: f.Affiliation != ""}
}

// run assembles the statement around outer with the stages st, puts f's
// rows in it and runs it (extra: the outer statement's own arguments);
// what names the statement in errors.
func (s *Store) run(ctx context.Context, what string, f LeaderboardFilter, dated bool, outer string, st stages, extra ...any) (driver.Rows, error) {
	if len(f.Kinds) == 0 {
		return nil, fmt.Errorf("%s: no kinds selected", what)
	}
	conn, err := s.db()
	if err != nil {
		return nil, err
	}
	if f.Member != "" && f.only == nil {
		who, err := s.resolve(ctx, f.Roster, f.Member, 0)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		f.only = who.identities()
	}
	query, args, err := s.plan(ctx, f, dated, statement(outer, st))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	rows, err := conn.Query(s.readContext(ctx), query, append(args, extra...)...)
	if err != nil {
		return nil, fmt.Errorf("%s query: %w", what, err)
	}
	return rows, nil
}

// Leaderboard returns the top actors by score (rounded to 6 decimals),
// highest first, ties by the login as shown, then id.
func (s *Store) Leaderboard(ctx context.Context, f LeaderboardFilter) ([]ActorScore, error) {
	// One statement with the counts per kind costs less than asking for
	// the top without them and then for their counts: on ClickHouse 18.16
	// planning a statement this deep costs about as much as summing the
	// counts of 50,000 identities.
	if s.peopleAnswers(f) && len(f.Kinds) > 0 {
		out, ok, err := s.peopleLeaderboardAnswer(ctx, f)
		if err != nil {
			return nil, fmt.Errorf("leaderboard: %w", err)
		}
		if ok {
			return out, nil
		}
	}
	st := f.stages()
	st.counts = true
	rows, err := s.run(ctx, "leaderboard", f, f.dated(), leaderboardSQL, st)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	selected := f.selected()
	var out []ActorScore
	for rows.Next() {
		var (
			a             ActorScore
			latest        string
			contributions uint64
			counts        []uint64
		)
		if err := rows.Scan(&a.ActorID, &latest, &a.Login, &a.Score, &contributions, &counts); err != nil {
			return nil, fmt.Errorf("leaderboard row: %w", err)
		}
		if a.Counts, err = selectedCounts(counts, selected); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// selectedCounts turns a leaderboard row's counts per kind (in the order
// of contrib.Kinds) into the non-zero counts of the selected kinds.
func selectedCounts(counts []uint64, selected []uint32) (map[contrib.Kind]uint64, error) {
	if len(counts) != len(contrib.Kinds) {
		return nil, fmt.Errorf("leaderboard row: %d counts for %d kinds", len(counts), len(contrib.Kinds))
	}
	out := map[contrib.Kind]uint64{}
	for i, k := range contrib.Kinds {
		if selected[i] == 1 && counts[i] > 0 {
			out[k] = counts[i]
		}
	}
	return out, nil
}

// neverMatches is an RE2 expression no login matches (not even the empty
// login of an email identity).
const neverMatches = `^\x00$`

func humanRegex(re string) string {
	if re == "" {
		return neverMatches
	}
	return re
}

func boolInt(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}

// selected is 1 for each kind of contrib.Kinds the filter counts
// (uint32: clickhouse-go binds a []uint8 as a string).
func (f LeaderboardFilter) selected() []uint32 {
	out := make([]uint32, len(contrib.Kinds))
	for i, k := range contrib.Kinds {
		for _, s := range f.Kinds {
			if s == k {
				out[i] = 1
			}
		}
	}
	return out
}

// args binds the filter's values for leaderboard.sql and share.sql.
func (f LeaderboardFilter) args(dated bool) []any {
	selected := f.selected()
	args := []any{
		clickhouse.Named("from", uint32(f.From.Unix())),
		clickhouse.Named("to", uint32(f.To.Unix())),
		clickhouse.Named("dated", boolInt(dated)),
		clickhouse.Named("org", f.Org),
		clickhouse.Named("repo", f.Repo),
		clickhouse.Named("bot_regex", f.BotRegex),
		clickhouse.Named("human_regex", humanRegex(f.HumanRegex)),
		clickhouse.Named("roster", f.Roster),
		clickhouse.Named("program", f.Program),
		clickhouse.Named("category", f.Category),
		clickhouse.Named("grp", f.Group),
		clickhouse.Named("region", f.Region),
		clickhouse.Named("country", f.Country),
		clickhouse.Named("filtered", boolInt(f.rosterFiltered())),
		clickhouse.Named("affiliation", f.Affiliation),
		clickhouse.Named("limit", uint64(f.Limit)),
		clickhouse.Named("by", f.By),
		clickhouse.Named("by_repo", boolInt(f.byRepo)),
	}
	args = append(args, f.setArgs()...)
	for i, k := range contrib.Kinds {
		var w float64
		if selected[i] == 1 {
			w = f.Weights[k]
		}
		args = append(args, clickhouse.Named("w_"+string(k), w), clickhouse.Named("s_"+string(k), selected[i]))
	}
	return args
}

// ClassShare is one group's part of a period's contributions.
type ClassShare struct {
	Class         string // the group: community, vendor, other, a program, a region ... ("" none)
	Contributions uint64
	People        uint64
	Score         float64
}

// Share splits the contributions a leaderboard filter selects into f.By's
// groups (the filter's Limit and Affiliation are not used).
func (s *Store) Share(ctx context.Context, f LeaderboardFilter) ([]ClassShare, error) {
	rows, err := s.run(ctx, "share", f, true, shareSQL, stages{memberships: true, affiliations: true})
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ClassShare
	for rows.Next() {
		var (
			c     ClassShare
			first time.Time
			login string
			actor uint64
			kinds uint64
		)
		if err := rows.Scan(&c.Class, &c.Contributions, &c.People, &c.Score, &first, &login, &actor, &kinds); err != nil {
			return nil, fmt.Errorf("share row: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Totals are how many people made contributions that a filter selects, and
// how many contributions.
type Totals struct {
	People, Contributions uint64
}

// Totals counts the people and contributions a leaderboard filter selects
// (its Limit is not used).
func (s *Store) Totals(ctx context.Context, f LeaderboardFilter) (Totals, error) {
	rows, err := s.run(ctx, "totals", f, f.dated(), totalsSQL, f.stages())
	if err != nil {
		return Totals{}, err
	}
	defer rows.Close()
	var (
		t            Totals
		last         time.Time
		login        string
		actor, kinds uint64
		score        float64
	)
	if !rows.Next() {
		return Totals{}, fmt.Errorf("totals query: no row: %v", rows.Err())
	}
	if err := rows.Scan(&t.People, &t.Contributions, &last, &login, &actor, &score, &kinds); err != nil {
		return Totals{}, fmt.Errorf("totals query: %w", err)
	}
	return t, rows.Err()
}

// PersonCount is one person's contributions in a period.
type PersonCount struct {
	Person        uint64
	Contributions uint64
}

// PeopleCounts returns the contributions of everyone a filter selects,
// most first (the filter's Limit is not used).
func (s *Store) PeopleCounts(ctx context.Context, f LeaderboardFilter) ([]PersonCount, error) {
	rows, err := s.run(ctx, "people counts", f, f.dated(), peopleCountsSQL, f.stages())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PersonCount
	for rows.Next() {
		var (
			c            PersonCount
			score        float64
			last         time.Time
			login        string
			actor, kinds uint64
		)
		if err := rows.Scan(&c.Person, &c.Contributions, &score, &last, &login, &actor, &kinds); err != nil {
			return nil, fmt.Errorf("people counts row: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// MergeTimes are the pull requests merged in a period and how long they
// took from being opened.
type MergeTimes struct {
	Merged uint64        // pull requests merged
	Timed  uint64        // of which the opening is known
	Median time.Duration // of the timed ones
	P90    time.Duration
}

// MergeTimes measures the pull requests merged in [f.From, f.To) in f.Org
// or f.Repo (all when empty), leaving out those opened by bots (f.BotRegex).
func (s *Store) MergeTimes(ctx context.Context, f LeaderboardFilter) (MergeTimes, error) {
	conn, err := s.db()
	if err != nil {
		return MergeTimes{}, err
	}
	var (
		m        MergeTimes
		p50, p90 int64 // seconds; a difference of times is signed
	)
	if err := conn.QueryRow(ctx, mergeTimesSQL, f.projectArgs()...).Scan(&m.Merged, &m.Timed, &p50, &p90); err != nil {
		return MergeTimes{}, fmt.Errorf("merge times: %w", err)
	}
	m.Median, m.P90 = time.Duration(p50)*time.Second, time.Duration(p90)*time.Second
	return m, nil
}

// FirstResponses are the issues or pull requests opened in a period and
// how long they waited for a first response from someone else.
type FirstResponses struct {
	Opened    uint64        // items opened (bots' left out)
	Responded uint64        // of which someone else responded to
	Median    time.Duration // of the responded ones
	P90       time.Duration
}

// FirstResponses measures the issues ("issue_opened") and pull requests
// ("pr_opened") opened in [f.From, f.To) in f.Org or f.Repo (all when
// empty): the first comment or review by someone other than the author,
// bots (f.BotRegex) left out on both sides.
func (s *Store) FirstResponses(ctx context.Context, f LeaderboardFilter) (map[contrib.Kind]FirstResponses, error) {
	conn, err := s.db()
	if err != nil {
		return nil, err
	}
	rows, err := conn.Query(ctx, firstResponsesSQL, f.projectArgs()...)
	if err != nil {
		return nil, fmt.Errorf("first responses: %w", err)
	}
	defer rows.Close()
	out := map[contrib.Kind]FirstResponses{}
	for rows.Next() {
		var (
			kind     string
			r        FirstResponses
			p50, p90 int64
		)
		if err := rows.Scan(&kind, &r.Opened, &r.Responded, &p50, &p90); err != nil {
			return nil, fmt.Errorf("first responses row: %w", err)
		}
		r.Median, r.P90 = time.Duration(p50)*time.Second, time.Duration(p90)*time.Second
		out[contrib.Kind(kind)] = r
	}
	return out, rows.Err()
}

// ProjectActivity is one repository's or org's activity in a period.
type ProjectActivity struct {
	Name          string // owner/name, or the org
	Contributions uint64
	People        uint64
	Score         float64
	First, Last   time.Time // days of the first and latest contribution
}

// Projects returns the activity of every repository (byOrg: org) with
// contributions a filter selects, most contributions first (Limit is not
// used).
func (s *Store) Projects(ctx context.Context, f LeaderboardFilter, byOrg bool) ([]ProjectActivity, error) {
	f.byRepo = true
	rows, err := s.run(ctx, "projects", f, true, projectsSQL, f.stages(), clickhouse.Named("by_org", boolInt(byOrg)))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ProjectActivity
	for rows.Next() {
		var (
			p            ProjectActivity
			login        string
			actor, kinds uint64
		)
		if err := rows.Scan(&p.Name, &p.Contributions, &p.People, &p.Score, &p.First, &p.Last, &login, &actor, &kinds); err != nil {
			return nil, fmt.Errorf("projects row: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
