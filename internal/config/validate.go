package config

import (
	"errors"
	"fmt"
	"math"
	"net"
	"net/url"
	"path"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"contribtrack/internal/contrib"
	"contribtrack/internal/gharchive"
)

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

// clusterPattern is what a ClickHouse cluster may be called (names of
// orgs, repositories and projects: contrib.ValidOwner and its kin).
var clusterPattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,62}$`)

// Validate checks every field and names the first bad one.
func (c *Config) Validate() error {
	var errs []error
	// Paths and URLs are free text, but a configuration is UTF-8 text (YAML
	// is, and --debug prints it): one from the environment that is not, or
	// that holds a line break or another control character, could not be
	// shown or written back as it is. (URLs are not repeated: they may
	// hold credentials.)
	for _, f := range []struct{ name, v string }{{"data_dir", c.DataDir}, {"github.app.private_key_file", c.GitHub.App.PrivateKeyFile},
		{"github.url", c.GitHub.URL}, {"gharchive.base_url", c.GHArchive.BaseURL}} {
		switch {
		case !utf8.ValidString(f.v):
			errs = append(errs, fmt.Errorf("%s: is not valid UTF-8", f.name))
		case strings.ContainsFunc(f.v, unicode.IsControl):
			errs = append(errs, fmt.Errorf("%s: holds a line break or another control character", f.name))
		}
	}
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
	errs = append(errs, c.Scoring.validate()...)
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
