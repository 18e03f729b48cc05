package config_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/goccy/go-yaml"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"contribtrack/internal/config"
)

// FuzzLoad is the fuzz target of the configuration file (issue 16). Run it
// with
//
//	go test -run '^$' -fuzz '^FuzzLoad$' -fuzztime 10s ./internal/config
//
// or every target with scripts/fuzz.sh. The seeds run with the ordinary
// tests.

var configSeeds = []string{
	"orgs: [aws, awslabs]\nrepos: [cdklabs/cdk-nag]\nprojects:\n  cdk: [aws/aws-cdk, cdklabs]\n",
	"clickhouse: clickhouse://u:secret@127.0.0.1:9000/db\nprivacy:\n  email_key: 0123456789abcdef0123\n",
	"github:\n  url: https://u:p@ghe.example.com\n  include: ['[']\n  workers: 65\n  app:\n    id: 1\n",
	"serve:\n  listen: ':x'\n  interval: 1y\n  jitter: 2\n  max_concurrent_queries: -1\n  gharchive_from: 2024-13-01-0\n",
	"scoring:\n  weights:\n    commit: .nan\n    pr_merged: -1\n    'pr merged': 2\n",
	"bots:\n  patterns: ['*', '%bot']\n  logins: ['']\n  humans: [robot]\n",
	"cluster: a-b\ngharchive:\n  base_url: ftp://x\n",
	"orgs: aws\n",
	"unknown: 1\n",
	"---\n~\n",
	"{",
	"\x1b[2J: 1\n",
	"",
}

// fuzzEnv lists the environment variables a fuzzed input may set, one at a
// time (the fuzzer picks the index).
var fuzzEnv = func() []string {
	var names []string
	for _, e := range config.Env {
		names = append(names, e.Name)
	}
	return names
}()

var lineRef = regexp.MustCompile(`(?m)^line (\d+): `)

// FuzzLoad loads arbitrary bytes as a configuration file, with one
// arbitrary environment override. Properties: no panic; an error names the
// file, is printable text (a line per problem), its "line N:" references
// are lines of the file, and it never repeats the email key, a password in
// the ClickHouse DSN or credentials in github.url; a configuration that
// loads is valid, and its redacted form (what --debug prints) hides the
// secrets and otherwise reads back as the same configuration.
func FuzzLoad(f *testing.F) {
	for _, s := range configSeeds {
		f.Add([]byte(s), uint8(0), "")
	}
	f.Add([]byte("orgs: [aws]\n"), uint8(3), "aws,,x y")
	f.Add([]byte("serve:\n  listen: ':1'\n"), uint8(11), "nohost")
	if data, err := os.ReadFile(filepath.Join("..", "..", "examples", "aws-community.yaml")); err == nil {
		f.Add(data, uint8(0), "")
	}
	f.Fuzz(func(t *testing.T, data []byte, envIdx uint8, envVal string) {
		path := filepath.Join(t.TempDir(), "contribtrack.yaml")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		name := fuzzEnv[int(envIdx)%len(fuzzEnv)]
		getenv := func(k string) string {
			if k == name {
				return envVal
			}
			return ""
		}
		c, err := config.Load(path, getenv)
		if err != nil {
			checkLoadError(t, err.Error(), path, data, envVal)
			return
		}
		if verr := c.Validate(); verr != nil {
			t.Fatalf("Load accepted a configuration that Validate refuses: %v", verr)
		}
		checkRedacted(t, c)
	})
}

func checkLoadError(t *testing.T, msg, path string, data []byte, envVal string) {
	t.Helper()
	if !strings.HasPrefix(msg, "config "+path) {
		t.Fatalf("error does not name the file: %q", msg)
	}
	if strings.IndexFunc(msg, func(r rune) bool { return unicode.IsControl(r) && r != '\n' }) >= 0 {
		t.Fatalf("error holds control characters: %q", msg)
	}
	lines := strings.Count(string(data), "\n") + 1
	for _, m := range lineRef.FindAllStringSubmatch(msg, -1) {
		if n, _ := strconv.Atoi(m[1]); n < 1 || n > lines {
			t.Fatalf("error names line %d of a %d-line file: %q", n, lines, msg)
		}
	}
	// The secrets the file holds, when it parses: none may be repeated.
	var secrets struct {
		ClickHouse string `yaml:"clickhouse"`
		Privacy    struct {
			EmailKey string `yaml:"email_key"`
		} `yaml:"privacy"`
		GitHub struct {
			URL string `yaml:"url"`
		} `yaml:"github"`
	}
	if yaml.Unmarshal(data, &secrets) != nil {
		return
	}
	for _, s := range []string{secrets.Privacy.EmailKey, passwordOf(secrets.ClickHouse), passwordOf(secrets.GitHub.URL)} {
		// Short or blank values (and ones in the error's own words or the
		// path) would match by chance.
		if len(strings.TrimSpace(s)) >= 8 && !strings.Contains(path, s) && !strings.Contains(envVal, s) && strings.Contains(strings.TrimPrefix(msg, "config "+path), s) {
			t.Fatalf("error repeats a secret %q: %q", s, msg)
		}
	}
}

// passwordOf returns the password of a URL-like DSN (scheme://user:pw@host).
func passwordOf(dsn string) string {
	_, rest, ok := strings.Cut(dsn, "://")
	if !ok {
		return ""
	}
	userinfo, _, ok := strings.Cut(rest, "@")
	if !ok {
		return ""
	}
	_, pw, _ := strings.Cut(userinfo, ":")
	return pw
}

func checkRedacted(t *testing.T, c *config.Config) {
	t.Helper()
	out := c.Redacted(func(string) string { return "(dsn)" })
	var back config.Config
	if err := yaml.Unmarshal([]byte(out), &back); err != nil {
		t.Fatalf("the redacted configuration does not read back: %v\n%s", err, out)
	}
	want := *c
	if want.ClickHouse != "" {
		want.ClickHouse = "(dsn)"
	}
	if want.Privacy.EmailKey != "" {
		want.Privacy.EmailKey = "(secret)"
	}
	if diff := cmp.Diff(want, back, cmpopts.EquateEmpty()); diff != "" {
		t.Fatalf("the redacted configuration reads back otherwise (-loaded +read back):\n%s\n%s", diff, out)
	}
}

// A problem after comments names its line in a file with Windows line
// endings too: goccy/go-yaml counted each comment's CRLF as two lines
// (found by FuzzLoad).
func TestLineNumbersWithWindowsLineEndings(t *testing.T) {
	path := filepath.Join(t.TempDir(), "contribtrack.yaml")
	if err := os.WriteFile(path, []byte("# settings\r\n# more\r\norgs: [aws]\r\nserve:\r\n  listen: nohost\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := config.Load(path, func(string) string { return "" })
	if err == nil || !strings.Contains(err.Error(), "line 5: serve.listen:") {
		t.Fatalf("err = %v, want line 5: serve.listen", err)
	}
}

// A parser message that quotes the file's control characters prints them
// as escapes (found by FuzzLoad).
func TestLoadErrorEscapesControlCharacters(t *testing.T) {
	path := filepath.Join(t.TempDir(), "contribtrack.yaml")
	if err := os.WriteFile(path, []byte("\x1b[2J: 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := config.Load(path, func(string) string { return "" })
	if err == nil || strings.Contains(err.Error(), "\x1b") || !strings.Contains(err.Error(), `\x1b[2J`) {
		t.Fatalf("err = %q, want the field written \\x1b[2J", err)
	}
}
