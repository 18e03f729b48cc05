// Package config reads contribtrack's YAML configuration file and applies
// CONTRIBTRACK_* environment overrides. docs/configuration.md lists every
// setting.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"net"
	"net/url"
	"os"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"contribtrack/internal/bots"
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

func (s Serve) validate() []error {
	var errs []error
	if _, port, err := net.SplitHostPort(s.Listen); err != nil || port == "" {
		errs = append(errs, fmt.Errorf("serve.listen: %q is not host:port", s.Listen))
	}
	for _, d := range []struct {
		name, value string
		min         time.Duration
	}{{"serve.interval", s.Interval, time.Second}, {"serve.request_timeout", s.RequestTimeout, time.Second},
		{"serve.version_refresh", s.VersionRefresh, 10 * time.Millisecond}} {
		if d.value == "" {
			continue
		}
		v, err := time.ParseDuration(d.value)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %q is not a duration such as 30s or 1h", d.name, d.value))
		} else if v < d.min {
			errs = append(errs, fmt.Errorf("%s: %s is shorter than %s", d.name, v, d.min))
		}
	}
	if s.GHArchiveFrom != "" {
		if _, err := gharchive.ParseHour(s.GHArchiveFrom); err != nil {
			errs = append(errs, fmt.Errorf("serve.gharchive_from: %w", err))
		}
	}
	if s.GHArchiveHoursPerRound < 0 || s.GHArchiveHoursPerRound > 24*31 {
		errs = append(errs, fmt.Errorf("serve.gharchive_hours_per_round: %d is not between 1 and %d", s.GHArchiveHoursPerRound, 24*31))
	}
	if s.MaxConcurrentQueries < 0 || s.MaxConcurrentQueries > MaxConcurrentQueriesLimit {
		errs = append(errs, fmt.Errorf("serve.max_concurrent_queries: %d is not between 1 and %d", s.MaxConcurrentQueries, MaxConcurrentQueriesLimit))
	}
	if s.MaxQueuedRequests < 0 || s.MaxQueuedRequests > MaxQueuedRequestsLimit {
		errs = append(errs, fmt.Errorf("serve.max_queued_requests: %d is not between 1 and %d", s.MaxQueuedRequests, MaxQueuedRequestsLimit))
	}
	if s.Jitter < 0 || s.Jitter > 1 || math.IsNaN(s.Jitter) {
		errs = append(errs, fmt.Errorf("serve.jitter: %v is not a fraction between 0 and 1", s.Jitter))
	}
	for i, o := range s.CORSOrigins {
		if o == "*" {
			continue
		}
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" {
			errs = append(errs, fmt.Errorf("serve.cors_origins[%d]: %q is not an origin such as https://example.org", i, o))
		}
	}
	return errs
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
	}
}

// Load reads the file at path ("" for none) and applies the environment.
func Load(path string, getenv func(string) string) (*Config, error) {
	c := Default()
	var data []byte
	if path != "" {
		var err error
		data, err = os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("config: %w", err)
		}
		// goccy/go-yaml counts a comment's CRLF as two lines, so that a
		// problem after a comment named the wrong line in a file saved
		// with Windows line endings; as LF, the lines are the same.
		data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
		// A file with no settings (empty, only comments, or a null
		// document, like /dev/null) means the defaults: the decoder would
		// set the whole configuration to zero values instead.
		if !noSettings(data) {
			if err := yaml.UnmarshalWithOptions(data, c, yaml.Strict()); err != nil {
				return nil, fmt.Errorf("config %s: %s", path, oneLine(yaml.FormatError(err, false, false)))
			}
		}
	}
	overridden := c.applyEnv(getenv)
	if err := c.Validate(); err != nil {
		where := "config"
		if path != "" {
			where += " " + path
			err = withLines(err, data, overridden)
		}
		if len(overridden) > 0 {
			where += " (with " + strings.Join(overridden, ", ") + " from the environment)"
		}
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	return c, nil
}

// withLines puts the file's line before each of Validate's problems
// ("serve.listen: ..." becomes "line 3: serve.listen: ...") whose setting
// the file holds and the environment did not override.
func withLines(err error, data []byte, overridden []string) error {
	joined, ok := err.(interface{ Unwrap() []error })
	if !ok {
		return err
	}
	tree, perr := parser.ParseBytes(data, 0)
	if perr != nil {
		return err
	}
	fromEnv := map[string]bool{}
	for _, e := range Env {
		if slices.Contains(overridden, e.Name) {
			setting, _, _ := strings.Cut(e.Setting, " ")
			fromEnv[setting] = true
		}
	}
	var out []error
	for _, e := range joined.Unwrap() {
		field, _, _ := strings.Cut(e.Error(), ": ")
		setting, _, _ := strings.Cut(field, "[")
		if line := settingLine(tree, field); line > 0 && !fromEnv[setting] {
			e = fmt.Errorf("line %d: %w", line, e)
		}
		out = append(out, e)
	}
	return errors.Join(out...)
}

// settingLine is the line of a setting (serve.listen, orgs[2]) in the
// file, or 0.
func settingLine(tree *ast.File, field string) int {
	if strings.ContainsAny(field, " \"'") {
		return 0
	}
	p, err := yaml.PathString("$." + field)
	if err != nil {
		return 0
	}
	n, err := p.FilterFile(tree)
	if err != nil || n == nil {
		return 0
	}
	if t := n.GetToken(); t != nil && t.Position != nil {
		return t.Position.Line
	}
	return 0
}

// noSettings reports whether the YAML text holds no value at all: nothing,
// comments, document markers, or null. A text that does not parse has
// settings (the decoder reports what is wrong with them).
func noSettings(data []byte) bool {
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		return false
	}
	for _, d := range f.Docs {
		if d.Body == nil {
			continue
		}
		if _, null := d.Body.(*ast.NullNode); !null {
			return false
		}
	}
	return true
}

// oneLine keeps the first line of a multi-line parser message (the one
// with [line:column]), with control characters that the message quotes
// from the file (an unknown field "\x1b[2J") written as Go escapes, so
// that printing the error runs nothing in a terminal.
func oneLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if strings.IndexFunc(s, unicode.IsControl) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unicode.IsControl(r) {
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Env lists the environment overrides and the setting each replaces.
var Env = []struct{ Name, Setting string }{
	{"CONTRIBTRACK_CLICKHOUSE", "clickhouse"},
	{"CONTRIBTRACK_DATA_DIR", "data_dir"},
	{"CONTRIBTRACK_CLUSTER", "cluster"},
	{"CONTRIBTRACK_ORGS", "orgs (comma-separated)"},
	{"CONTRIBTRACK_REPOS", "repos (comma-separated)"},
	{"CONTRIBTRACK_GHARCHIVE_BASE_URL", "gharchive.base_url"},
	{"CONTRIBTRACK_GITHUB_URL", "github.url"},
	{"CONTRIBTRACK_EMAIL_KEY", "privacy.email_key"},
	{"CONTRIBTRACK_GITHUB_APP_ID", "github.app.id"},
	{"CONTRIBTRACK_GITHUB_APP_INSTALLATION_ID", "github.app.installation_id"},
	{"CONTRIBTRACK_GITHUB_APP_PRIVATE_KEY_FILE", "github.app.private_key_file"},
	{"CONTRIBTRACK_LISTEN", "serve.listen"},
	{"CONTRIBTRACK_SYNC_INTERVAL", "serve.interval"},
	{"CONTRIBTRACK_VERSION_REFRESH", "serve.version_refresh"},
	{"CONTRIBTRACK_MAX_CONCURRENT_QUERIES", "serve.max_concurrent_queries"},
	{"CONTRIBTRACK_MAX_QUEUED_REQUESTS", "serve.max_queued_requests"},
}

// applyEnv applies the CONTRIBTRACK_* overrides and returns the names of
// those that were set.
func (c *Config) applyEnv(getenv func(string) string) []string {
	var set []string
	for _, e := range Env {
		v := getenv(e.Name)
		if v == "" {
			continue
		}
		set = append(set, e.Name)
		switch e.Name {
		case "CONTRIBTRACK_CLICKHOUSE":
			c.ClickHouse = v
		case "CONTRIBTRACK_DATA_DIR":
			c.DataDir = v
		case "CONTRIBTRACK_CLUSTER":
			c.Cluster = v
		case "CONTRIBTRACK_ORGS":
			c.Orgs = splitList(v)
		case "CONTRIBTRACK_REPOS":
			c.Repos = splitList(v)
		case "CONTRIBTRACK_GHARCHIVE_BASE_URL":
			c.GHArchive.BaseURL = v
		case "CONTRIBTRACK_GITHUB_URL":
			c.GitHub.URL = v
		case "CONTRIBTRACK_EMAIL_KEY":
			c.Privacy.EmailKey = v
		case "CONTRIBTRACK_GITHUB_APP_ID":
			c.GitHub.App.ID = parseID(v)
		case "CONTRIBTRACK_GITHUB_APP_INSTALLATION_ID":
			c.GitHub.App.InstallationID = parseID(v)
		case "CONTRIBTRACK_GITHUB_APP_PRIVATE_KEY_FILE":
			c.GitHub.App.PrivateKeyFile = v
		case "CONTRIBTRACK_LISTEN":
			c.Serve.Listen = v
		case "CONTRIBTRACK_SYNC_INTERVAL":
			c.Serve.Interval = v
		case "CONTRIBTRACK_VERSION_REFRESH":
			c.Serve.VersionRefresh = v
		case "CONTRIBTRACK_MAX_CONCURRENT_QUERIES":
			c.Serve.MaxConcurrentQueries = parseCount(v)
		case "CONTRIBTRACK_MAX_QUEUED_REQUESTS":
			c.Serve.MaxQueuedRequests = parseCount(v)
		}
	}
	return set
}

// parseID reads a numeric id; anything else becomes -1, which Validate
// reports.
func parseID(s string) int64 {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil {
		return -1
	}
	return n
}

// parseCount reads a positive count; anything else becomes -1, which
// Validate reports.
func parseCount(s string) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n <= 0 {
		return -1
	}
	return n
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// clusterPattern is what a ClickHouse cluster may be called (names of
// orgs, repositories and projects: contrib.ValidOwner and its kin).
var clusterPattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,62}$`)

// Validate checks every field and names the first bad one.
func (c *Config) Validate() error {
	var errs []error
	if c.Cluster != "" {
		if !clusterPattern.MatchString(c.Cluster) {
			errs = append(errs, fmt.Errorf("cluster: %q is not a cluster name (letters, digits and _)", c.Cluster))
		}
		if c.ClickHouse == "" {
			errs = append(errs, fmt.Errorf("cluster: needs clickhouse, a DSN listing the cluster's nodes (the embedded server is one node)"))
		}
	}
	for i, o := range c.Orgs {
		if !contrib.ValidOwner(o) {
			errs = append(errs, fmt.Errorf("orgs[%d]: %q is not a GitHub org or user name", i, o))
		}
	}
	for i, r := range c.Repos {
		if !contrib.ValidRepo(r) {
			errs = append(errs, fmt.Errorf("repos[%d]: %q is not owner/name", i, r))
		}
	}
	for name, entries := range c.Projects {
		if !contrib.ValidProject(name) {
			errs = append(errs, fmt.Errorf("projects: %q is not a project name (letters, digits, . _ -)", name))
		}
		if len(entries) == 0 {
			errs = append(errs, fmt.Errorf("projects.%s: lists no org or repository", name))
		}
		for i, e := range entries {
			if !contrib.ValidOwner(e) && !contrib.ValidRepo(e) {
				errs = append(errs, fmt.Errorf("projects.%s[%d]: %q is neither an org nor owner/name", name, i, e))
			}
		}
	}
	if u := c.GHArchive.BaseURL; !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
		errs = append(errs, fmt.Errorf("gharchive.base_url: %q is not an http(s) URL", u))
	}
	errs = append(errs, c.GitHub.validate()...)
	errs = append(errs, c.Serve.validate()...)
	if k := c.Privacy.EmailKey; k != "" && len(k) < 16 {
		errs = append(errs, fmt.Errorf("privacy.email_key: want at least 16 characters (a random secret)"))
	}
	for k, w := range c.Scoring.Weights {
		if kind, err := contrib.ParseKind(k); err != nil || string(kind) != k {
			errs = append(errs, fmt.Errorf("scoring.weights: unknown kind %q (valid: %s)", k, kindNames()))
		} else if w < 0 || math.IsNaN(w) || math.IsInf(w, 0) {
			errs = append(errs, fmt.Errorf("scoring.weights.%s: must be a finite number >= 0", k))
		}
	}
	badBots := false
	for _, list := range []struct {
		name string
		vals []string
	}{{"bots.patterns", c.Bots.Patterns}, {"bots.logins", c.Bots.Logins}, {"bots.humans", c.Bots.Humans}} {
		for i, p := range list.vals {
			if strings.TrimSpace(p) == "" || strings.Trim(p, "*") == "" {
				errs = append(errs, fmt.Errorf("%s[%d]: %q would match everyone", list.name, i, p))
				badBots = true
			}
		}
	}
	if !badBots {
		if _, err := c.BotRules(); err != nil {
			errs = append(errs, err)
		}
	}
	sort.Slice(errs, func(i, j int) bool { return errs[i].Error() < errs[j].Error() })
	return errors.Join(errs...)
}

func kindNames() string {
	names := make([]string, len(contrib.Kinds))
	for i, k := range contrib.Kinds {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
}

// Weights returns the score weight of every kind: the defaults with the
// configured weights on top.
func (c *Config) Weights() map[contrib.Kind]float64 {
	w := contrib.DefaultWeights()
	for k, v := range c.Scoring.Weights {
		w[contrib.Kind(k)] = v
	}
	return w
}

// BotRules returns the bot rules: contribtrack's defaults (see package
// bots) with the configured patterns, logins and humans.
func (c *Config) BotRules() (*bots.Rules, error) {
	return bots.New(c.Bots.Patterns, c.Bots.Logins, c.Bots.Humans)
}

// BotRegex returns one case-insensitive RE2 expression matching every bot
// login (what ClickHouse's match uses).
func (c *Config) BotRegex() string {
	r, err := c.BotRules()
	if err != nil {
		return "" // Load validated the rules
	}
	return r.Regex()
}

// HumanRegex matches the logins configured as people.
func (c *Config) HumanRegex() string {
	r, err := c.BotRules()
	if err != nil || len(c.Bots.Humans) == 0 {
		return ""
	}
	return r.HumanRegex()
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

func (g GitHub) validate() []error {
	var errs []error
	if g.URL != "" {
		u, err := url.Parse(g.URL)
		switch {
		case err == nil && u.User != nil:
			// Never repeat the URL: it holds a secret.
			errs = append(errs, fmt.Errorf("github.url: must not contain credentials (use GITHUB_TOKEN)"))
		case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
			errs = append(errs, fmt.Errorf("github.url: %q is not an http(s) URL", g.URL))
		}
	}
	for _, list := range []struct {
		name string
		pats []string
	}{{"github.include", g.Include}, {"github.exclude", g.Exclude}} {
		for i, p := range list.pats {
			if _, err := path.Match(p, ""); err != nil || strings.TrimSpace(p) == "" {
				errs = append(errs, fmt.Errorf("%s[%d]: %q is not a valid name pattern", list.name, i, p))
			}
		}
	}
	if g.Workers < 0 || g.Workers > 64 {
		errs = append(errs, fmt.Errorf("github.workers: %d is not between 1 and 64", g.Workers))
	}
	if g.MaxInFlight < 0 || g.MaxInFlight > 64 {
		errs = append(errs, fmt.Errorf("github.max_in_flight: %d is not between 1 and 64", g.MaxInFlight))
	}
	if a := g.App; a.Configured() {
		if a.ID <= 0 {
			errs = append(errs, fmt.Errorf("github.app.id: want the app's numeric id"))
		}
		if a.InstallationID <= 0 {
			errs = append(errs, fmt.Errorf("github.app.installation_id: want the installation's numeric id"))
		}
		if a.PrivateKeyFile == "" {
			errs = append(errs, fmt.Errorf("github.app.private_key_file: want the path of the app's private key (.pem)"))
		}
	}
	return errs
}
