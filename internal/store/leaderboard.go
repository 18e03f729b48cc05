package store

import (
	"context"
	"fmt"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"contribtrack/internal/contrib"
	"contribtrack/queries"
)

// LeaderboardFilter selects and scores the contributions of a leaderboard.
type LeaderboardFilter struct {
	From, To time.Time      // [From, To), UTC
	Org      string         // "" for every org (case-insensitive)
	Repo     string         // "" for every repo, else owner/name (case-insensitive)
	Kinds    []contrib.Kind // kinds that count; must not be empty
	Weights  map[contrib.Kind]float64
	BotRegex string // RE2 matched against logins to leave out; "" keeps everyone
	// HumanRegex matches logins that are people whatever BotRegex says
	// ("" for none).
	HumanRegex string
	Limit      int

	// Roster is the roster import to resolve people with (0: none), and
	// the filters on its dated memberships: a contribution counts when its
	// person held a matching membership when it was made.
	Roster   uint64
	Program  string
	Category string
	Group    string
	Region   string
	Country  string
	// Affiliation keeps one class: "vendor", "community" or "other"
	// ("" for all).
	Affiliation string
	// By is what Share groups by: affiliation (default), program,
	// category, group, region or country.
	By string
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

var leaderboardSQL = queries.MustRead("leaderboard.sql")

// Leaderboard returns the top actors by score (rounded to 6 decimals),
// highest first, ties by the login as shown, then id.
func (s *Store) Leaderboard(ctx context.Context, f LeaderboardFilter) ([]ActorScore, error) {
	conn, err := s.db()
	if err != nil {
		return nil, err
	}
	if len(f.Kinds) == 0 {
		return nil, fmt.Errorf("leaderboard: no kinds selected")
	}
	rows, err := conn.Query(ctx, leaderboardSQL, f.args()...)
	if err != nil {
		return nil, fmt.Errorf("leaderboard query: %w", err)
	}
	defer rows.Close()
	var out []ActorScore
	for rows.Next() {
		var (
			a      ActorScore
			ks     []string
			counts []uint64
		)
		var latest string
		if err := rows.Scan(&a.ActorID, &latest, &a.Login, &a.Score, &ks, &counts); err != nil {
			return nil, fmt.Errorf("leaderboard row: %w", err)
		}
		a.Counts = make(map[contrib.Kind]uint64, len(ks))
		for i, k := range ks {
			a.Counts[contrib.Kind(k)] = counts[i]
		}
		out = append(out, a)
	}
	return out, rows.Err()
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

// args binds the filter's values for leaderboard.sql and share.sql.
func (f LeaderboardFilter) args() []any {
	kinds := make([]string, len(f.Kinds))
	set := make([]any, len(f.Kinds))
	weights := make([]float64, len(f.Kinds))
	for i, k := range f.Kinds {
		kinds[i], set[i], weights[i] = string(k), string(k), f.Weights[k]
	}
	return []any{
		clickhouse.Named("from", uint32(f.From.Unix())),
		clickhouse.Named("to", uint32(f.To.Unix())),
		clickhouse.Named("kinds", kinds),
		clickhouse.Named("kind_set", clickhouse.GroupSet{Value: set}),
		clickhouse.Named("weights", weights),
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
	}
}

// ClassShare is one group's part of a period's contributions.
type ClassShare struct {
	Class         string // the group: community, vendor, other, a program, a region ... ("" none)
	Contributions uint64
	People        uint64
	Score         float64
}

var shareSQL = queries.MustRead("share.sql")

// Share splits the contributions a leaderboard filter selects into f.By's
// groups (the filter's Limit and Affiliation are not used).
func (s *Store) Share(ctx context.Context, f LeaderboardFilter) ([]ClassShare, error) {
	conn, err := s.db()
	if err != nil {
		return nil, err
	}
	if len(f.Kinds) == 0 {
		return nil, fmt.Errorf("share: no kinds selected")
	}
	rows, err := conn.Query(ctx, shareSQL, f.args()...)
	if err != nil {
		return nil, fmt.Errorf("share query: %w", err)
	}
	defer rows.Close()
	var out []ClassShare
	for rows.Next() {
		var c ClassShare
		var first time.Time
		var login string
		if err := rows.Scan(&c.Class, &c.Contributions, &c.People, &c.Score, &first, &login); err != nil {
			return nil, fmt.Errorf("share row: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
