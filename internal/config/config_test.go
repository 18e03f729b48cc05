package config_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"contribtrack/internal/bots"
	"contribtrack/internal/config"
	"contribtrack/internal/contrib"
	"contribtrack/internal/store"
)

func noEnv(string) string { return "" }

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func writeFile(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "contribtrack.yaml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

const goodFile = `clickhouse: clickhouse://127.0.0.1:9000/contribtrack
data_dir: /var/lib/contribtrack
orgs: [aws, awslabs, aws-samples]
repos:
  - cdklabs/cdk-nag
  - aws-powertools/powertools-lambda-python
gharchive:
  base_url: http://127.0.0.1:8080/archive/
scoring:
  weights:
    commit: 5
    pr_review: 0.5
bots:
  logins: [release-helper]
  patterns: ["*-ci-bot"]
`

func TestLoadGoodFile(t *testing.T) {
	cfg, err := config.Load(writeFile(t, goodFile), noEnv)
	if err != nil {
		t.Fatal(err)
	}
	want := &config.Config{
		ClickHouse: "clickhouse://127.0.0.1:9000/contribtrack",
		DataDir:    "/var/lib/contribtrack",
		Orgs:       []string{"aws", "awslabs", "aws-samples"},
		Repos:      []string{"cdklabs/cdk-nag", "aws-powertools/powertools-lambda-python"},
		GHArchive:  config.GHArchive{BaseURL: "http://127.0.0.1:8080/archive/"},
		Scoring: config.Scoring{Weights: map[string]float64{"commit": 5, "pr_review": 0.5},
			Profile: contrib.ProfileActivity, Accepted: config.DefaultAccepted()},
		Bots:  config.Bots{Logins: []string{"release-helper"}, Patterns: []string{"*-ci-bot"}},
		Serve: config.Serve{Listen: config.DefaultListen, Jitter: config.DefaultJitter},
	}
	if diff := cmp.Diff(want, cfg); diff != "" {
		t.Errorf("config (-want +got):\n%s", diff)
	}

	// The configured weights go over the defaults.
	wantWeights := map[contrib.Kind]float64{}
	for k, v := range contrib.DefaultWeights() {
		wantWeights[k] = v
	}
	wantWeights[contrib.Commit] = 5
	wantWeights[contrib.PRReview] = 0.5
	if diff := cmp.Diff(wantWeights, cfg.Weights()); diff != "" {
		t.Errorf("weights (-want +got):\n%s", diff)
	}
	if contrib.DefaultWeights()[contrib.Commit] != 1 {
		t.Errorf("Weights changed the default weights: commit = %v", contrib.DefaultWeights()[contrib.Commit])
	}
}

func TestLoadNoFile(t *testing.T) {
	cfg, err := config.Load("", noEnv)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(config.Default(), cfg); diff != "" {
		t.Errorf("config (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(contrib.DefaultWeights(), cfg.Weights()); diff != "" {
		t.Errorf("weights (-want +got):\n%s", diff)
	}
	for _, k := range []contrib.Kind{contrib.Star, contrib.Fork} {
		if w := cfg.Weights()[k]; w != 0 {
			t.Errorf("default weight of %s = %v, want 0", k, w)
		}
	}
}

func TestLoadMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nope.yaml")
	_, err := config.Load(path, noEnv)
	if err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("Load(%s) error = %v, want one naming the file", path, err)
	}
}

func TestLoadRejects(t *testing.T) {
	tests := []struct {
		name string
		text string
		env  map[string]string
		want []string // substrings of the error, besides the file name
		// envOnly: the bad value comes from the environment, not the file.
		envOnly bool
	}{
		{
			name: "unknown field",
			text: "orgs: [aws]\nscoring:\n  wieghts:\n    commit: 2\n",
			want: []string{"wieghts", "[3:"},
		},
		{
			name: "unknown top-level field",
			text: "orgs: [aws]\n\n\ntokens: [abc]\n",
			want: []string{"tokens", "[4:"},
		},
		{
			name: "wrong type",
			text: "orgs: aws\n",
			want: []string{"[1:"},
		},
		{
			name: "project entry neither org nor repository",
			text: "projects:\n  cdk: [aws/aws-cdk, \"not a repo\"]\n",
			want: []string{"projects.cdk[1]", "not a repo"},
		},
		{
			name: "cluster without a DSN",
			text: "cluster: ct\n",
			want: []string{"cluster: needs clickhouse"},
		},
		{
			name: "empty project",
			text: "projects:\n  cdk: []\n",
			want: []string{"projects.cdk", "lists no org or repository"},
		},
		{
			name: "bad project name",
			text: "projects:\n  \"a b\": [aws]\n",
			want: []string{"projects", `"a b"`},
		},
		{
			name: "bad org name",
			text: "orgs: [aws, \"aws labs\"]\n",
			want: []string{"orgs[1]", `"aws labs"`},
		},
		{
			name: "org with a slash",
			text: "orgs: [aws/aws-cdk]\n",
			want: []string{"orgs[0]"},
		},
		{
			name: "repo without owner",
			text: "repos: [aws-cdk]\n",
			want: []string{"repos[0]", `"aws-cdk"`},
		},
		{
			name: "repo with two slashes",
			text: "repos: [aws/aws-cdk, aws/aws-cdk/x]\n",
			want: []string{"repos[1]"},
		},
		{
			name: "unknown kind in weights",
			text: "scoring:\n  weights:\n    commits: 2\n",
			want: []string{"scoring.weights", `"commits"`},
		},
		{
			name: "negative weight",
			text: "scoring:\n  weights:\n    pr_merged: -1\n",
			want: []string{"scoring.weights.pr_merged", "negative"},
		},
		{
			name: "weight that is not a number",
			text: "scoring:\n  weights:\n    commit: .nan\n",
			want: []string{"scoring.weights.commit"},
		},
		{
			name: "infinite weight",
			text: "scoring:\n  weights:\n    release: .inf\n",
			want: []string{"scoring.weights.release"},
		},
		{
			name: "unknown scoring profile",
			text: "scoring:\n  profile: accpeted\n",
			want: []string{"scoring.profile", `"accpeted"`, "activity, accepted"},
		},
		{
			name: "factor above 1",
			text: "scoring:\n  accepted:\n    factors:\n      self_merge: 1.5\n",
			want: []string{"scoring.accepted.factors.self_merge", "between 0 and 1"},
		},
		{
			name: "unknown factor",
			text: "scoring:\n  accepted:\n    factors:\n      self_merges: 0.5\n",
			want: []string{"self_merges"},
		},
		{
			name: "campaign of one repository",
			text: "scoring:\n  accepted:\n    mass_min_repos: 1\n",
			want: []string{"scoring.accepted.mass_min_repos"},
		},
		{
			name: "opted-in name",
			text: "scoring:\n  accepted:\n    opted_in: [aws/aws-cdk, \"not a/name/x\"]\n",
			want: []string{"scoring.accepted.opted_in[1]"},
		},
		{
			name: "pattern matching everyone",
			text: "bots:\n  patterns: [\"*[bot]\", \"*\"]\n",
			want: []string{"bots.patterns[1]"},
		},
		{
			name: "pattern of only wildcards",
			text: "bots:\n  patterns: [\"**\"]\n",
			want: []string{"bots.patterns[0]"},
		},
		{
			name: "empty pattern",
			text: "bots:\n  patterns: [\"\"]\n",
			want: []string{"bots.patterns[0]"},
		},
		{
			name: "bad GH Archive URL",
			text: "gharchive:\n  base_url: data.gharchive.org\n",
			want: []string{"gharchive.base_url"},
		},
		{
			name:    "bad org from the environment",
			text:    "orgs: [aws]\n",
			env:     map[string]string{"CONTRIBTRACK_ORGS": "aws, not/an-org"},
			want:    []string{"orgs[1]", "not/an-org"},
			envOnly: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, tt.text)
			cfg, err := config.Load(path, envOf(tt.env))
			if err == nil {
				t.Fatalf("Load accepted it: %+v", cfg)
			}
			msg := err.Error()
			t.Logf("error: %s", msg)
			want := tt.want
			if !tt.envOnly {
				want = append([]string{path}, want...)
			}
			for _, w := range want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not contain %q", msg, w)
				}
			}
			// One problem, one line (the parser's source excerpt is left out).
			if strings.Contains(msg, "\n") {
				t.Errorf("error spans several lines: %q", msg)
			}
		})
	}
}

// A weight key that validates as a kind must weigh that kind: a key with
// stray spaces is either rejected or applied, never silently ignored.
func TestWeightKeyWithSpaces(t *testing.T) {
	cfg, err := config.Load(writeFile(t, "scoring:\n  weights:\n    \" commit \": 5\n"), noEnv)
	if err != nil {
		if !strings.Contains(err.Error(), "scoring.weights") {
			t.Errorf("error %q does not name scoring.weights", err)
		}
		return
	}
	w := cfg.Weights()
	if w[contrib.Commit] != 5 {
		t.Errorf("weight of commit = %v, want 5 (the configured \" commit \")", w[contrib.Commit])
	}
	for k := range w {
		if !k.Valid() {
			t.Errorf("Weights has a key %q that is no kind", k)
		}
	}
}

func TestLoadEnvironmentOverrides(t *testing.T) {
	path := writeFile(t, goodFile)
	env := envOf(map[string]string{
		"CONTRIBTRACK_CLICKHOUSE":         "clickhouse://10.0.0.1:9000/other",
		"CONTRIBTRACK_ORGS":               "a, b",
		"CONTRIBTRACK_REPOS":              " x/y ,, z/w ",
		"CONTRIBTRACK_DATA_DIR":           "/srv/ct",
		"CONTRIBTRACK_GHARCHIVE_BASE_URL": "https://mirror.example/",
	})
	cfg, err := config.Load(path, env)
	if err != nil {
		t.Fatal(err)
	}
	got := struct {
		ClickHouse, DataDir, BaseURL string
		Orgs, Repos                  []string
	}{cfg.ClickHouse, cfg.DataDir, cfg.GHArchive.BaseURL, cfg.Orgs, cfg.Repos}
	want := got
	want.ClickHouse = "clickhouse://10.0.0.1:9000/other"
	want.DataDir = "/srv/ct"
	want.BaseURL = "https://mirror.example/"
	want.Orgs = []string{"a", "b"}
	want.Repos = []string{"x/y", "z/w"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("overridden settings (-want +got):\n%s", diff)
	}
	// What the environment does not override stays as in the file.
	if diff := cmp.Diff([]string{"release-helper"}, cfg.Bots.Logins); diff != "" {
		t.Errorf("bots.logins (-want +got):\n%s", diff)
	}

	// The environment applies without a file too; empty variables do not.
	cfg, err = config.Load("", envOf(map[string]string{"CONTRIBTRACK_CLICKHOUSE": "clickhouse://h:9000/d", "CONTRIBTRACK_ORGS": ""}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.ClickHouse != "clickhouse://h:9000/d" || cfg.Orgs != nil {
		t.Errorf("clickhouse %q orgs %q, want clickhouse://h:9000/d and none", cfg.ClickHouse, cfg.Orgs)
	}
}

// Every variable listed in config.Env is applied.
func TestEnvTableIsApplied(t *testing.T) {
	for _, e := range config.Env {
		t.Run(e.Name, func(t *testing.T) {
			value := "https://changed.example/"
			baseEnv := map[string]string{}
			switch {
			case strings.Contains(e.Setting, "orgs"):
				value = "changed"
			case strings.Contains(e.Setting, "repos"):
				value = "changed/x"
			case e.Setting == "serve.listen":
				value = "0.0.0.0:9999"
			case e.Setting == "serve.interval":
				value = "15m"
			case e.Setting == "serve.version_refresh":
				value = "250ms"
			case e.Setting == "serve.max_concurrent_queries", e.Setting == "serve.max_queued_requests":
				value = "7"
			case e.Setting == "cluster":
				// A cluster needs a DSN naming its nodes.
				baseEnv = map[string]string{"CONTRIBTRACK_CLICKHOUSE": "clickhouse://h1:9000,h2:9000/d"}
				value = "ct"
			case strings.HasPrefix(e.Setting, "github.app."):
				// An app needs all three settings to be valid.
				baseEnv = map[string]string{"CONTRIBTRACK_GITHUB_APP_ID": "1",
					"CONTRIBTRACK_GITHUB_APP_INSTALLATION_ID": "2", "CONTRIBTRACK_GITHUB_APP_PRIVATE_KEY_FILE": "/k.pem"}
				value = "7"
				if strings.HasSuffix(e.Setting, "file") {
					value = "/changed.pem"
				}
			}
			base, err := config.Load("", envOf(baseEnv))
			if err != nil {
				t.Fatal(err)
			}
			env := map[string]string{e.Name: value}
			for k, v := range baseEnv {
				if k != e.Name {
					env[k] = v
				}
			}
			cfg, err := config.Load("", envOf(env))
			if err != nil {
				t.Fatal(err)
			}
			if cmp.Equal(base, cfg) {
				t.Errorf("%s=%s changed nothing", e.Name, value)
			}
		})
	}
}

func TestBotRegex(t *testing.T) {
	cfg, err := config.Load(writeFile(t, "bots:\n  logins: [Release-Helper]\n  patterns: [\"*-ci-bot\", \"svc-*.deploy\"]\n"), noEnv)
	if err != nil {
		t.Fatal(err)
	}
	re, err := regexp.Compile(cfg.BotRegex())
	if err != nil {
		t.Fatalf("BotRegex %q does not compile: %v", cfg.BotRegex(), err)
	}
	tests := []struct {
		login string
		bot   bool
	}{
		{"dependabot[bot]", true},
		{"Renovate[BOT]", true},
		{"github-actions[bot]", true},
		{"aws-cdk-automation", true},
		{"AWS-CDK-Automation", true},
		{"release-helper", true},       // configured login, any case
		{"my-ci-bot", true},            // configured pattern
		{"svc-eu.deploy", true},        // a dot in a pattern is a dot
		{"svc-euXdeploy", false},       // ...not any character
		{"abbot", false},               // a person whose login ends in "bot"
		{"robot-fan", false},           // ...or contains it
		{"bot", false},                 // ...or is just "bot"
		{"dependabot", false},          // no [bot] suffix, not listed
		{"aws-cdk-automation2", false}, // listed logins match whole logins only
		{"xaws-cdk-automation", true},  // ...but "*-automation" is a default pattern
		{"xaws-cdk-automatio", false},
		{"k8s-ci-robot-fan", false},
		{"release-helper-fan", false},
		{"dependabot[bot]x", false},
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.login, func(t *testing.T) {
			if got := re.MatchString(tt.login); got != tt.bot {
				t.Errorf("BotRegex matches %q = %v, want %v (regex %s)", tt.login, got, tt.bot, cfg.BotRegex())
			}
		})
	}

	// Every login of the maintained list is a bot without configuration.
	def := regexp.MustCompile(config.Default().BotRegex())
	for _, l := range bots.DefaultLogins {
		if !def.MatchString(l) || !def.MatchString(strings.ToUpper(l)) {
			t.Errorf("default BotRegex does not match %q", l)
		}
	}
	if def.MatchString("svc-eu.deploy") {
		t.Errorf("default BotRegex matches a pattern that is only configured")
	}
}

func TestRedactedHidesPassword(t *testing.T) {
	tests := []struct {
		name string
		dsn  string
		keep []string
	}{
		{name: "userinfo", dsn: "clickhouse://ct:s3cr3t-pw@db.internal:9000/contribtrack", keep: []string{"ct", "db.internal:9000", "contribtrack"}},
		{name: "query parameter", dsn: "clickhouse://db.internal:9000/contribtrack?username=ct&password=s3cr3t-pw", keep: []string{"db.internal:9000", "username=ct"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := config.Load(writeFile(t, "orgs: [aws]\nclickhouse: \""+tt.dsn+"\"\n"), noEnv)
			if err != nil {
				t.Fatal(err)
			}
			out := cfg.Redacted(store.RedactDSN)
			if strings.Contains(out, "s3cr3t-pw") {
				t.Errorf("Redacted shows the password:\n%s", out)
			}
			for _, k := range append([]string{"aws"}, tt.keep...) {
				if !strings.Contains(out, k) {
					t.Errorf("Redacted lost %q:\n%s", k, out)
				}
			}
			if cfg.ClickHouse != tt.dsn {
				t.Errorf("Redacted changed the configuration: clickhouse = %q", cfg.ClickHouse)
			}
		})
	}
}

func TestGitHubSettingsAreValidated(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"url with credentials", "github:\n  url: https://user:pw@ghe.example\n", "github.url"},
		{"url not http", "github:\n  url: ftp://ghe.example\n", "github.url"},
		{"bad pattern", "github:\n  include: [\"[cdk\"]\n", "github.include[0]"},
		{"workers out of range", "github:\n  workers: 500\n", "github.workers"},
		{"app without key", "github:\n  app:\n    id: 5\n    installation_id: 6\n", "github.app.private_key_file"},
		{"unknown field", "github:\n  token: abc\n", "token"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := config.Load(writeFile(t, tc.yaml), noEnv)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one naming %s", err, tc.want)
			}
			if strings.Contains(err.Error(), "pw@") {
				t.Errorf("error repeats a password: %v", err)
			}
		})
	}
	cfg, err := config.Load(writeFile(t, "github:\n  url: https://ghe.example\n  skip_forks: true\n  exclude: [\"*-archive\"]\n"), noEnv)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.GitHub.URL != "https://ghe.example" || !cfg.GitHub.SkipForks || len(cfg.GitHub.Exclude) != 1 {
		t.Errorf("github settings not read: %+v", cfg.GitHub)
	}
}

func TestBotHumansOverride(t *testing.T) {
	cfg, err := config.Load(writeFile(t, "bots:\n  patterns: [\"*bot\"]\n  humans: [Abbot]\n"), noEnv)
	if err != nil {
		t.Fatal(err)
	}
	bot, human := regexp.MustCompile(cfg.BotRegex()), regexp.MustCompile(cfg.HumanRegex())
	isBot := func(l string) bool { return bot.MatchString(l) && !human.MatchString(l) }
	if !isBot("ci-helper-bot") || isBot("abbot") || isBot("ABBOT") || isBot("maria") {
		t.Errorf("ci-helper-bot %v, abbot %v, maria %v: want true, false, false", isBot("ci-helper-bot"), isBot("abbot"), isBot("maria"))
	}
	if def := config.Default(); def.HumanRegex() != "" {
		t.Errorf("no humans configured, HumanRegex = %q", def.HumanRegex())
	}
}

func TestServeSettings(t *testing.T) {
	cfg, err := config.Load(writeFile(t, "serve:\n  listen: 0.0.0.0:8081\n  interval: 10m\n  jitter: 0.2\n  request_timeout: 5s\n  cors_origins: [https://community.example.org]\n"), noEnv)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Serve.Listen != "0.0.0.0:8081" || cfg.Serve.SyncInterval() != 10*time.Minute || cfg.Serve.Timeout() != 5*time.Second || cfg.Serve.Jitter != 0.2 {
		t.Errorf("serve settings: %+v", cfg.Serve)
	}
	def := config.Default()
	if def.Serve.Listen != config.DefaultListen || def.Serve.SyncInterval() != config.DefaultInterval || def.Serve.Timeout() != config.DefaultRequestTimeout {
		t.Errorf("default serve settings: %+v", def.Serve)
	}
	// Unset limits (0) are the API's defaults.
	if def.Serve.VersionInterval() != time.Second || def.Serve.MaxConcurrentQueries != 0 || def.Serve.MaxQueuedRequests != 0 {
		t.Errorf("default API limits: version every %s, %d queries, %d queued", def.Serve.VersionInterval(), def.Serve.MaxConcurrentQueries, def.Serve.MaxQueuedRequests)
	}
	cfg, err = config.Load(writeFile(t, "serve:\n  version_refresh: 200ms\n  max_concurrent_queries: 4\n  max_queued_requests: 10\n"), noEnv)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Serve.VersionInterval() != 200*time.Millisecond || cfg.Serve.MaxConcurrentQueries != 4 || cfg.Serve.MaxQueuedRequests != 10 {
		t.Errorf("API limits: version every %s, %d queries, %d queued", cfg.Serve.VersionInterval(), cfg.Serve.MaxConcurrentQueries, cfg.Serve.MaxQueuedRequests)
	}
	env := envOf(map[string]string{"CONTRIBTRACK_VERSION_REFRESH": "3s", "CONTRIBTRACK_MAX_CONCURRENT_QUERIES": "8", "CONTRIBTRACK_MAX_QUEUED_REQUESTS": "32"})
	if cfg, err = config.Load("", env); err != nil {
		t.Fatal(err)
	}
	if cfg.Serve.VersionInterval() != 3*time.Second || cfg.Serve.MaxConcurrentQueries != 8 || cfg.Serve.MaxQueuedRequests != 32 {
		t.Errorf("API limits from the environment: version every %s, %d queries, %d queued", cfg.Serve.VersionInterval(), cfg.Serve.MaxConcurrentQueries, cfg.Serve.MaxQueuedRequests)
	}
	for name, value := range map[string]string{"CONTRIBTRACK_MAX_CONCURRENT_QUERIES": "many", "CONTRIBTRACK_MAX_QUEUED_REQUESTS": "0", "CONTRIBTRACK_VERSION_REFRESH": "often"} {
		if _, err := config.Load("", envOf(map[string]string{name: value})); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s=%s: error %v, want one naming it", name, value, err)
		}
	}
	for text, want := range map[string]string{
		"serve:\n  version_refresh: 1ms\n":                 "serve.version_refresh",
		"serve:\n  max_concurrent_queries: -1\n":           "serve.max_concurrent_queries",
		"serve:\n  max_concurrent_queries: 5000\n":         "serve.max_concurrent_queries",
		"serve:\n  max_queued_requests: -3\n":              "serve.max_queued_requests",
		"serve:\n  listen: nowhere\n":                      "serve.listen",
		"serve:\n  interval: soon\n":                       "serve.interval",
		"serve:\n  interval: 10ms\n":                       "shorter than",
		"serve:\n  jitter: 2\n":                            "serve.jitter",
		"serve:\n  request_timeout: 1ms\n":                 "serve.request_timeout",
		"serve:\n  cors_origins: [\"example.org\"]\n":      "serve.cors_origins[0]",
		"serve:\n  cors_origins: [\"https://a.b/path\"]\n": "serve.cors_origins[0]",
	} {
		if _, err := config.Load(writeFile(t, text), noEnv); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want one naming %s", text, err, want)
		}
	}
}

// The accepted profile's settings: defaults when not given, the file's
// values over them one by one.
func TestAcceptedProfileSettings(t *testing.T) {
	c, err := config.Load("", func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if c.Scoring.Profile != contrib.ProfileActivity || c.Scoring.Accepted.Factors != config.DefaultAccepted().Factors {
		t.Errorf("defaults: profile %q, accepted %+v", c.Scoring.Profile, c.Scoring.Accepted)
	}
	path := writeFile(t, "scoring:\n  profile: accepted\n  accepted:\n    hold_days: 7\n    opted_in: [aws]\n    factors:\n      typo: 0\n")
	c, err = config.Load(path, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	want := config.DefaultAccepted()
	want.HoldDays, want.OptedIn, want.Factors.Typo = 7, []string{"aws"}, 0
	if c.Scoring.Profile != contrib.ProfileAccepted || c.Scoring.Accepted.HoldDays != 7 || c.Scoring.Accepted.Factors != want.Factors ||
		c.Scoring.Accepted.MassMinRepos != want.MassMinRepos || len(c.Scoring.Accepted.OptedIn) != 1 {
		t.Errorf("from the file: %q %+v, want accepted %+v", c.Scoring.Profile, c.Scoring.Accepted, want)
	}
}
