// Package config reads contribtrack's YAML configuration file and applies
// CONTRIBTRACK_* environment overrides. docs/configuration.md lists every
// setting.
package config

import (
	"bytes"
	"time"

	"github.com/goccy/go-yaml"

	"contribtrack/internal/contrib"
	"contribtrack/internal/gharchive"
)

// Config is the whole configuration.
type Config struct {
	ClickHouse string `yaml:"clickhouse"` // DSN; "" means the embedded local server
	DataDir    string `yaml:"data_dir"`   // where the embedded server keeps its data
	// Cluster is the name (in the servers' remote_servers) of the
	// ClickHouse cluster the clickhouse DSN's nodes belong to: migrate
	// then creates every table ON CLUSTER, replicated (servers with a
	// keeper), or on each node, not replicated (servers without), the big
	// ones sharded behind Distributed tables ("": one server).
	Cluster   string    `yaml:"cluster"`
	Orgs      []string  `yaml:"orgs"`  // GitHub orgs (or users) whose repositories are tracked
	Repos     []string  `yaml:"repos"` // single repositories, owner/name
	GHArchive GHArchive `yaml:"gharchive"`
	GitHub    GitHub    `yaml:"github"`
	Privacy   Privacy   `yaml:"privacy"`
	Scoring   Scoring   `yaml:"scoring"`
	Bots      Bots      `yaml:"bots"`
	Serve     Serve     `yaml:"serve"`
	// Projects name sets of repositories for reports: each entry an org
	// (all its repositories) or owner/name.
	Projects map[string][]string `yaml:"projects"`
}

// Serve configures contribtrack serve. The API token is never read from
// the file: it comes from CONTRIBTRACK_API_TOKEN.
type Serve struct {
	Listen string `yaml:"listen"` // host:port of the HTTP server
	// Interval is the time between the starts of two scheduled syncs (Go
	// duration, e.g. "1h"); Jitter adds up to this fraction of it at
	// random, so that several deployments do not all call GitHub at once.
	Interval string  `yaml:"interval"`
	Jitter   float64 `yaml:"jitter"`
	// Members also follows the roster's members across GitHub (collect
	// --members) in each scheduled sync.
	Members bool `yaml:"members"`
	// CORSOrigins are the browser origins allowed to call the API ("*" for
	// any); none by default.
	CORSOrigins []string `yaml:"cors_origins"`
	// RequestTimeout bounds one API request (Go duration).
	RequestTimeout string `yaml:"request_timeout"`
	// GHArchiveFrom turns on the GH Archive job: each round imports the
	// published hours from this one (YYYY-MM-DD-H) on, or from where the
	// last round stopped; at most GHArchiveHoursPerRound (default 24).
	GHArchiveFrom          string `yaml:"gharchive_from"`
	GHArchiveHoursPerRound int    `yaml:"gharchive_hours_per_round"`
	// VersionRefresh is how often the API reads the data version from
	// ClickHouse into memory (Go duration; default 1s): cached answers are
	// served without asking ClickHouse, and another process's writes show
	// within this time (serve's own at once).
	VersionRefresh string `yaml:"version_refresh"`
	// MaxConcurrentQueries bounds the ClickHouse questions the API asks at
	// once (0: api.DefaultMaxQueries, twice the cores); MaxQueuedRequests
	// the requests waiting for one (0: api.DefaultMaxQueued, 256), beyond
	// which a request is answered 429.
	MaxConcurrentQueries int `yaml:"max_concurrent_queries"`
	MaxQueuedRequests    int `yaml:"max_queued_requests"`
}

// Serve defaults.
const (
	DefaultListen         = "127.0.0.1:8080"
	DefaultInterval       = time.Hour
	DefaultJitter         = 0.1
	DefaultRequestTimeout = 30 * time.Second
	DefaultVersionRefresh = time.Second
	// MaxConcurrentQueriesLimit and MaxQueuedRequestsLimit bound what may
	// be configured.
	MaxConcurrentQueriesLimit = 1024
	MaxQueuedRequestsLimit    = 100000
)

// SyncInterval is the configured interval between scheduled syncs.
func (s Serve) SyncInterval() time.Duration { return durationOr(s.Interval, DefaultInterval) }

// Timeout is the configured bound of one API request.
func (s Serve) Timeout() time.Duration { return durationOr(s.RequestTimeout, DefaultRequestTimeout) }

// VersionInterval is how often the API reads the data version.
func (s Serve) VersionInterval() time.Duration {
	return durationOr(s.VersionRefresh, DefaultVersionRefresh)
}

func durationOr(s string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(s); err == nil && s != "" {
		return d
	}
	return def
}

// GHArchive configures the GH Archive importer.
type GHArchive struct {
	BaseURL string `yaml:"base_url"` // where hour files are fetched from
}

// GitHub configures the API collector. Tokens are never read from the
// file: they come from GITHUB_TOKEN / GITHUB_TOKENS, or a GitHub App's
// private key file.
type GitHub struct {
	URL          string    `yaml:"url"`           // API base: github.com, a GitHub Enterprise Server, or a test server
	Include      []string  `yaml:"include"`       // org repository name patterns to collect (default all)
	Exclude      []string  `yaml:"exclude"`       // org repository name patterns to leave out
	SkipArchived bool      `yaml:"skip_archived"` // leave out archived org repositories
	SkipForks    bool      `yaml:"skip_forks"`    // leave out forks among org repositories
	Workers      int       `yaml:"workers"`       // repositories synced at once (default 4)
	MaxInFlight  int       `yaml:"max_in_flight"` // concurrent requests per token (default 1)
	App          GitHubApp `yaml:"app"`
	// Shared: several collect or serve processes collect into this
	// database at once; each repository goes to one of them through
	// leases kept in ClickHouse (docs/cluster.md).
	Shared bool `yaml:"shared"`
}

// Privacy configures how people's data is kept.
type Privacy struct {
	// EmailKey is the secret email identities are derived with (at least 16
	// characters). Empty: a random key kept in <data_dir>/email.key, created
	// on first use. Every process writing to one database needs the same.
	EmailKey string `yaml:"email_key"`
}

// GitHubApp is a GitHub App installation to authenticate as.
type GitHubApp struct {
	ID             int64  `yaml:"id"`
	InstallationID int64  `yaml:"installation_id"`
	PrivateKeyFile string `yaml:"private_key_file"`
}

// Configured reports whether an app is configured.
func (a GitHubApp) Configured() bool {
	return a.ID != 0 || a.InstallationID != 0 || a.PrivateKeyFile != ""
}

// Scoring configures leaderboard scores.
type Scoring struct {
	// Weights per kind, merged over contrib.DefaultWeights.
	Weights map[string]float64 `yaml:"weights"`
	// Profile is how contributions are judged: contrib.ProfileActivity
	// (each at its kind's weight) or contrib.ProfileAccepted
	// (docs/scoring.md).
	Profile string `yaml:"profile"`
	// Accepted tunes the accepted profile.
	Accepted Accepted `yaml:"accepted"`
}

// Accepted tunes the accepted profile (docs/scoring.md has every rule, its
// default and why).
type Accepted struct {
	// HoldDays holds a pull request until this many days after it was
	// accepted (0: no hold).
	HoldDays int `yaml:"hold_days"`
	// OptedIn are the repositories (owner/name) and orgs whose
	// contributions count (empty: all).
	OptedIn []string `yaml:"opted_in"`
	// Factors are what a contribution a rule discounts still earns, as a
	// fraction of its weight.
	Factors Factors `yaml:"factors"`
	// TypoMaxLines: a pull request titled as a typo or whitespace fix with
	// at most this many changed lines is trivial.
	TypoMaxLines int `yaml:"typo_max_lines"`
	// MassMinRepos and MassWindowHours: one title sent by one author to
	// this many repositories within this many hours is a campaign.
	MassMinRepos    int     `yaml:"mass_min_repos"`
	MassWindowHours float64 `yaml:"mass_window_hours"`
	// SpamCloseMinutes: a pull request closed unmerged this soon after
	// opening, by someone else and with no review, is flagged as spam.
	SpamCloseMinutes float64 `yaml:"spam_close_minutes"`
	// DiffCheckLines: collect reads the diff (one REST request) of each
	// merged pull request with at most this many changed lines, to tell a
	// whitespace-only change; only under the accepted profile (0: never).
	DiffCheckLines int `yaml:"diff_check_lines"`
}

// Factors are the accepted profile's discounts: what fraction of its
// weight a contribution still earns when a rule applies.
type Factors struct {
	SelfMerge       float64 `yaml:"self_merge"`
	SelfReview      float64 `yaml:"self_review"`
	OwnRepository   float64 `yaml:"own_repository"`
	OwnIssueComment float64 `yaml:"own_issue_comment"`
	Whitespace      float64 `yaml:"whitespace"`
	Typo            float64 `yaml:"typo"`
	MassGenerated   float64 `yaml:"mass_generated"`
}

// Bots says which accounts are bots. Bots are stored but left out of
// leaderboards unless asked for.
type Bots struct {
	Logins   []string `yaml:"logins"`   // exact logins (case-insensitive)
	Patterns []string `yaml:"patterns"` // logins with * wildcards, e.g. "*[bot]"
	Humans   []string `yaml:"humans"`   // people, whatever the patterns and lists say
}

// Default returns the configuration used when no file is given.
func Default() *Config {
	return &Config{
		GHArchive: GHArchive{BaseURL: gharchive.DefaultBaseURL},
		Serve:     Serve{Listen: DefaultListen, Jitter: DefaultJitter},
		Scoring:   Scoring{Profile: contrib.ProfileActivity, Accepted: DefaultAccepted()},
	}
}

// Redacted returns the configuration as YAML with secrets removed, for
// --debug output.
func (c *Config) Redacted(redactDSN func(string) string) string {
	cp := *c
	if cp.ClickHouse != "" {
		cp.ClickHouse = redactDSN(cp.ClickHouse)
	}
	if cp.Privacy.EmailKey != "" {
		cp.Privacy.EmailKey = "(secret)"
	}
	out, err := yaml.Marshal(&cp)
	if err != nil {
		return err.Error()
	}
	return string(bytes.TrimSpace(out))
}
