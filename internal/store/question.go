package store

import (
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"contribtrack/internal/contrib"
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
	// Profile is contrib.ProfileAccepted to judge contributions one by one
	// by Accepted (credits.sql); else each counts fully.
	Profile  string
	Accepted Acceptance

	only        *identities // restricts the rows (profiles)
	flaggedOnly bool        // credits.sql keeps only the items marked as spam (Flagged)
	byRepo      bool        // sums per repository too (profiles)
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

// credited reports whether f judges contributions one by one (the
// accepted profile).
func (f LeaderboardFilter) credited() bool { return f.Profile == contrib.ProfileAccepted }

// rosterFiltered reports whether a roster filter is set.
func (f LeaderboardFilter) rosterFiltered() bool {
	return f.Program != "" || f.Category != "" || f.Group != "" || f.Region != "" || f.Country != ""
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
