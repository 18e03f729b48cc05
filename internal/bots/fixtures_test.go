package bots

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// fixturesDir holds the GH Archive recordings the labelled set comes from.
const fixturesDir = "../../../shared/fixtures/gharchive"

var fixtureFiles = []string{
	"2015-01-01-12.json.gz",
	"gofaster-sample.small.2014-2021.jsonl",
	"gofaster-2019-11-27-3.first100.jsonl",
}

// automationHint marks logins that must all be labelled (or listed as
// undecidable in the file's comments).
var automationHint = regexp.MustCompile(`(?i)bot|-ci|automation|deploy|travis|jenkins`)

// fixtureLogins returns every actor login of the fixtures and every login
// of a user object in their payloads (comment, issue, pull request, review
// and release authors), or skips when the fixtures are not there.
func fixtureLogins(t *testing.T) map[string]bool {
	t.Helper()
	type user struct {
		Login string `json:"login"`
	}
	type event struct {
		Actor           json.RawMessage `json:"actor"` // an object, or a login before 2015
		ActorAttributes user            `json:"actor_attributes"`
		Payload         map[string]json.RawMessage
	}
	logins := map[string]bool{}
	for _, name := range fixtureFiles {
		f, err := os.Open(filepath.Join(fixturesDir, name))
		if os.IsNotExist(err) {
			t.Skipf("GH Archive fixtures not found in %s", fixturesDir)
		}
		if err != nil {
			t.Fatal(err)
		}
		var r io.Reader = f
		if strings.HasSuffix(name, ".gz") {
			if r, err = gzip.NewReader(f); err != nil {
				t.Fatal(err)
			}
		}
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 1<<20), 16<<20)
		for sc.Scan() {
			var e event
			if len(sc.Bytes()) == 0 {
				continue
			}
			if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			var a user
			var s string
			if json.Unmarshal(e.Actor, &a) == nil && a.Login != "" {
				logins[a.Login] = true
			} else if json.Unmarshal(e.Actor, &s) == nil && s != "" {
				logins[s] = true
			} else if e.ActorAttributes.Login != "" {
				logins[e.ActorAttributes.Login] = true
			}
			for _, k := range []string{"comment", "issue", "pull_request", "review", "release"} {
				var o struct{ User user }
				if raw, ok := e.Payload[k]; ok && json.Unmarshal(raw, &o) == nil && o.User.Login != "" {
					logins[o.User.Login] = true
				}
			}
		}
		if err := sc.Err(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		f.Close()
	}
	return logins
}

// undecidable returns the logins listed in the file's comments as looked
// at but left out ("#   login: reason").
func undecidable(t *testing.T) map[string]bool {
	data, err := os.ReadFile(labelledFile)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "#   "); ok {
			if login, _, ok := strings.Cut(rest, ": "); ok {
				out[login] = true
			}
		}
	}
	return out
}

// TestLabelledSetMatchesFixtures checks that every labelled login is real
// (it occurs in the fixtures) and that no login with an automation hint
// was skipped.
func TestLabelledSetMatchesFixtures(t *testing.T) {
	seen := fixtureLogins(t)
	labelledSet := map[string]bool{}
	for _, l := range readLabelled(t) {
		labelledSet[l.login] = true
		if !seen[l.login] {
			t.Errorf("%s:%d: %s does not occur in the fixtures", labelledFile, l.line, l.login)
		}
	}
	skipped := undecidable(t)
	for login := range skipped {
		if !seen[login] {
			t.Errorf("%s: undecidable %s does not occur in the fixtures", labelledFile, login)
		}
	}
	hints := 0
	for login := range seen {
		if !automationHint.MatchString(login) {
			continue
		}
		hints++
		if !labelledSet[login] && !skipped[login] {
			t.Errorf("fixture login %q has an automation hint but is not labelled", login)
		}
	}
	t.Logf("%d fixture logins, %d with an automation hint, all labelled or listed as undecidable", len(seen), hints)
}

// TestDefaultsFlagOnlyLabelledBots checks the defaults' precision beyond
// the labelled set: every login of the fixtures they flag is labelled a
// bot there, or listed as undecidable. A new default pattern that catches
// a person of the fixtures fails here.
func TestDefaultsFlagOnlyLabelledBots(t *testing.T) {
	seen := fixtureLogins(t)
	r, err := New(nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	bot := map[string]bool{}
	for _, l := range readLabelled(t) {
		bot[l.login] = l.bot
	}
	skipped := undecidable(t)
	flagged := 0
	for login := range seen {
		if !r.IsBot(login, "") {
			continue
		}
		flagged++
		if !bot[login] && !skipped[login] {
			t.Errorf("the defaults flag fixture login %q, which is not labelled a bot", login)
		}
	}
	t.Logf("the defaults flag %d of %d fixture logins, all labelled bots or undecidable", flagged, len(seen))
}
