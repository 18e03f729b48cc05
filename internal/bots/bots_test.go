package bots

import (
	"regexp"
	"strings"
	"testing"
)

func TestIsBot(t *testing.T) {
	tests := []struct {
		name                     string
		patterns, logins, humans []string
		login, accountType       string
		want                     bool
	}{
		{name: "[bot] suffix", login: "dependabot[bot]", accountType: "User", want: true},
		{name: "[bot] suffix upper case", login: "RENOVATE[BOT]", want: true},
		{name: "[bot] suffix mixed case", login: "My-App[Bot]", want: true},
		{name: "[bot] not at the end", login: "x[bot]y", want: false},
		{name: "bot without brackets is not enough", login: "dependabot", want: false},
		{name: "account type Bot", login: "some-app", accountType: "Bot", want: true},
		{name: "account type bot any case", login: "some-app", accountType: "bot", want: true},
		{name: "account type User", login: "some-app", accountType: "User", want: false},
		{name: "account type Organization", login: "aws", accountType: "Organization", want: false},
		{name: "listed login", login: "coveralls", want: true},
		{name: "listed login upper case", login: "COVERALLS", want: true},
		{name: "listed login mixed case", login: "kalturagitbot", accountType: "User", want: true},
		{name: "listed AWS automation", login: "AWS-CDK-Automation", want: true},
		{name: "listed login is exact, not a prefix", login: "coveralls2", want: false},
		{name: "listed login is exact, not a suffix", login: "my-codecov-io", want: false},
		{name: "configured login any case", logins: []string{"Our-Release-Robot"}, login: "our-release-robot", want: true},
		{name: "configured pattern", patterns: []string{"acme-*-ci"}, login: "ACME-web-CI", want: true},
		{name: "configured pattern anchored", patterns: []string{"acme-*-ci"}, login: "acme-web-ci2", want: false},
		{name: "bot inside a surname", login: "andrewsidebottom", want: false},
		{name: "bot at the start of a nickname", login: "Bottersnike", want: false},
		{name: "human override beats the [bot] pattern", humans: []string{"Some-App[bot]"}, login: "some-app[BOT]", want: false},
		{name: "human override beats the default list", humans: []string{"coveralls"}, login: "Coveralls", want: false},
		{name: "human override beats a configured list entry", logins: []string{"jane-ci"}, humans: []string{"JANE-CI"}, login: "jane-ci", want: false},
		{name: "human override beats the account type", humans: []string{"octo"}, login: "octo", accountType: "Bot", want: false},
		{name: "human override leaves other bots alone", humans: []string{"coveralls"}, login: "codecov-io", want: true},
		{name: "broad *bot pattern catches abbot (why it is no default)", patterns: []string{"*bot"}, login: "abbot", want: true},
		{name: "broad *bot pattern catches talbot", patterns: []string{"*bot"}, login: "Talbot", want: true},
		{name: "human override fixes abbot", patterns: []string{"*bot"}, humans: []string{"abbot"}, login: "abbot", want: false},
		{name: "human override fixes only abbot", patterns: []string{"*bot"}, humans: []string{"abbot"}, login: "talbot", want: true},
		{name: "defaults leave abbot alone", login: "abbot", want: false},
		{name: "empty login", login: "", accountType: "User", want: false},
		{name: "empty login, no type", login: "", want: false},
		{name: "empty login with a configured pattern", patterns: []string{"*x"}, logins: []string{"x"}, login: "", want: false},
		{name: "empty login with account type Bot", login: "", accountType: "Bot", want: true},
		{name: "metacharacters are literal", patterns: []string{"a.b*"}, login: "axb", want: false},
		{name: "metacharacters match themselves", patterns: []string{"a.b*"}, login: "a.bc", want: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := New(tc.patterns, tc.logins, tc.humans)
			if err != nil {
				t.Fatal(err)
			}
			if got := r.IsBot(tc.login, tc.accountType); got != tc.want {
				t.Errorf("IsBot(%q, %q) = %v, want %v", tc.login, tc.accountType, got, tc.want)
			}
		})
	}
}

func TestNewRejects(t *testing.T) {
	tests := []struct {
		name                     string
		patterns, logins, humans []string
		wantErr                  []string // parts of the message, each naming the entry
	}{
		{name: "empty pattern", patterns: []string{""}, wantErr: []string{"empty pattern"}},
		{name: "lone wildcard", patterns: []string{"*"}, wantErr: []string{`pattern "*" is only wildcards`}},
		{name: "several wildcards", patterns: []string{"***"}, wantErr: []string{`pattern "***" is only wildcards`}},
		{name: "blank pattern", patterns: []string{" "}, wantErr: []string{`pattern " " contains white space`}},
		{name: "space inside", patterns: []string{"my bot*"}, wantErr: []string{`pattern "my bot*"`}},
		{name: "control character", logins: []string{"x\x00y"}, wantErr: []string{`login "x\x00y" contains`}},
		{name: "invalid UTF-8", patterns: []string{"\xff*"}, wantErr: []string{`pattern "\xff*" is not valid UTF-8`}},
		{name: "empty login", logins: []string{""}, wantErr: []string{"empty login"}},
		{name: "empty human", humans: []string{""}, wantErr: []string{"empty human login"}},
		{name: "every bad entry is named", patterns: []string{"*", "ok*", "**"}, logins: []string{"a\tb"},
			wantErr: []string{`pattern "*"`, `pattern "**"`, `login "a\tb"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := New(tc.patterns, tc.logins, tc.humans)
			if err == nil {
				t.Fatalf("New accepted it: %+v", r)
			}
			for _, want := range tc.wantErr {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not contain %q", err, want)
				}
			}
		})
	}
}

func TestNewMergesWithDefaults(t *testing.T) {
	r, err := New([]string{"*[BOT]", "acme-**-ci"}, []string{"COVERALLS", "acme-release"}, []string{"jane", "JANE"})
	if err != nil {
		t.Fatal(err)
	}
	if want := len(DefaultPatterns) + 1; len(r.Patterns) != want {
		t.Errorf("Patterns = %q, want the defaults plus acme-*-ci", r.Patterns)
	}
	if last := r.Patterns[len(r.Patterns)-1]; last != "acme-*-ci" {
		t.Errorf("runs of * are not collapsed: %q", last)
	}
	if want := len(DefaultLogins) + 1; len(r.Logins) != want {
		t.Errorf("got %d logins, want %d (COVERALLS is a default)", len(r.Logins), want)
	}
	if len(r.Humans) != 1 || !r.IsHuman("Jane") || r.IsHuman("") {
		t.Errorf("Humans = %q", r.Humans)
	}
}

// TestDefaults keeps the maintained lists to exact, valid, distinct names.
func TestDefaults(t *testing.T) {
	seen := map[string]bool{}
	for _, l := range DefaultLogins {
		if err := checkEntry("login", l); err != nil {
			t.Error(err)
		}
		if strings.Contains(l, "*") {
			t.Errorf("default login %q has a wildcard: defaults are exact names", l)
		}
		if seen[fold(l)] {
			t.Errorf("default login %q is listed twice", l)
		}
		seen[fold(l)] = true
	}
	// A default pattern is the GitHub App suffix or an anchored suffix
	// after a separator: "*-bot" is safe, "*bot" catches "abbot".
	anchored := regexp.MustCompile(`^\*[-_][a-z]+$`)
	for _, p := range DefaultPatterns {
		if p != "*[bot]" && !anchored.MatchString(p) {
			t.Errorf("default pattern %q: only the GitHub App suffix and separated suffixes such as \"*-bot\" are safe as defaults", p)
		}
	}
	r, err := New(nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, person := range []string{"abbot", "talbot", "Bottersnike", "botelho", "robotboy655", "tjenkinson", "traviskaufman"} {
		if r.IsBot(person, "User") {
			t.Errorf("the defaults flag %q", person)
		}
	}
}

func TestFold(t *testing.T) {
	for _, tc := range []struct{ a, b string }{
		{"Coveralls", "cOVERALLS"}, {"\u212Aalturagitbot", "KalturaGitBot"}, {"\u017Fnyk-bot", "SNYK-BOT"},
		{"ÄÖÜ", "äöü"}, {"\xff", "\uFFFD"},
	} {
		if fold(tc.a) != fold(tc.b) {
			t.Errorf("fold(%q) = %q, fold(%q) = %q", tc.a, fold(tc.a), tc.b, fold(tc.b))
		}
		if strings.EqualFold(tc.a, tc.b) != (fold(tc.a) == fold(tc.b)) && tc.a != "\xff" {
			t.Errorf("fold disagrees with strings.EqualFold on %q, %q", tc.a, tc.b)
		}
	}
	if fold("kalturag\u0131tbot") == fold("kalturagitbot") {
		t.Error("dotless i is not a case variant of i under simple folding")
	}
}
