package config

import (
	"strconv"
	"strings"
)

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
