package roster

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	"contribtrack/internal/contrib"
)

// Fuzz targets of the roster's YAML and CSV readers and its checks (issue
// 16). Run one with
//
//	go test -run '^$' -fuzz '^FuzzRosterYAML$' -fuzztime 10s ./internal/roster
//
// or every target with scripts/fuzz.sh. The seeds run with the ordinary
// tests.

var rosterYAMLSeeds = []string{
	"members:\n  - name: Ana\n    github: [ana]\n    memberships:\n      - program: aws-heroes\n        category: Serverless\n        from: 2022-01-01\n        to: 2023-01-01\n",
	"programs:\n  - id: meetup\n    name: Meetup\n    groups: true\nmembers:\n  - id: bo\n    name: Bo\n    github: [bo, bo-old]\n    github_ids: [12]\n    emails: [bo@example.com]\n    memberships:\n      - program: meetup\n        group: Lisbon\n        from: 2020-02-29\n",
	"identities:\n  - login: x\n    member: ana\naffiliations:\n  - domain: example.com\n    employer: Example\n    from: 2020-01-01\nvendors: [Example]\nbots: [ci-bot]\nhumans: [robot]\nopt_out: [ana]\n",
	"a: &x [1]\nmembers: *x\n---\nmembers: []\n",
	"members:\n  - name: \"\\x1b[2J\"\n    github: [\"a\\nb\"]\n    gihub: 3\n",
	"members: {",
	"\t- ][",
	"",
}

var rosterCSVSeeds = []string{
	"name,github,program,category,from,to\nAna,ana,aws-heroes,Serverless,2022-01-01,\nBo,bo;bo-old,aws-user-group-leaders,,2020-01-01,2021-01-01\n",
	"\ufeffName,GitHub,github_ids,emails,country,region,program,category,group,from,to\nCy,cy,7,cy@example.com,PT,EMEA,aws-student-builder-groups,,Club,2024-01-01,\nCy,cy,,,,,aws-heroes,AI,,2025-01-01,\n",
	"name,github\n\"unterminated,x\nDi,di\n",
	"name,github,twitter,github\nEd,\"e\x1bd\",x,y\n",
	"github\n",
	"",
}

// addFileSeeds adds the project's example roster files, read in place.
func addFileSeeds(f *testing.F, ext string) {
	paths, _ := filepath.Glob(filepath.Join("..", "..", "examples", "*"+ext))
	for _, p := range paths {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
}

// lint parses and checks one file the way Load does, from bytes.
func lint(name string, data []byte) (*Roster, Problems) {
	f, ps := Parse(name, data)
	r, bps := build([]rawFile{f})
	return r, append(ps, bps...)
}

// checkLint states what linting any file must give: problems that name the
// file, a line within it and a message, each on one line of its own with no
// terminal control characters (they are printed as a list); or, with no
// problems, a roster whose members and memberships keep every rule the
// checks stand for.
func checkLint(t *testing.T, name string, data []byte) {
	t.Helper()
	r, ps := lint(name, data)
	// YAML breaks lines at \n, \r\n and a lone \r alike.
	lines := strings.Count(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n") + strings.Count(strings.ReplaceAll(string(data), "\r\n", ""), "\r") + 1
	for _, p := range ps {
		s := p.String()
		switch {
		case p.File != name:
			t.Fatalf("problem names file %q, not %q: %s", p.File, name, s)
		case p.Line < 0 || p.Line > lines:
			t.Fatalf("problem names line %d of a %d-line file: %s", p.Line, lines, s)
		case strings.TrimSpace(p.Msg) == "":
			t.Fatalf("problem without a message: %+v", p)
		case strings.IndexFunc(s, unicode.IsControl) >= 0:
			t.Fatalf("problem is not one line of printable text: %q", s)
		}
	}
	if len(ps) > 0 {
		return
	}
	if r == nil {
		t.Fatal("no problems and no roster")
	}
	keys := map[string]bool{}
	for _, m := range r.Members {
		k := strings.ToLower(m.Key)
		switch {
		case !keyPattern.MatchString(m.Key):
			t.Fatalf("member key %q accepted", m.Key)
		case keys[k]:
			t.Fatalf("member key %q accepted twice", m.Key)
		case strings.TrimSpace(m.Name) == "" || m.Name != strings.TrimSpace(m.Name):
			t.Fatalf("member name %q accepted", m.Name)
		case len(m.Logins) == 0:
			t.Fatalf("member %q accepted without a login", m.Key)
		}
		keys[k] = true
		for _, l := range m.Logins {
			if !contrib.ValidOwner(l) {
				t.Fatalf("login %q accepted", l)
			}
		}
		for _, e := range m.Emails {
			if e != strings.ToLower(e) || !strings.Contains(e, "@") {
				t.Fatalf("email %q kept", e)
			}
		}
		for _, ms := range m.Memberships {
			p := r.Program(ms.Program)
			switch {
			case p == nil:
				t.Fatalf("membership of unknown program %q accepted", ms.Program)
			case ms.From.Before(First) || ms.From.After(Last) || ms.From.Location() != time.UTC:
				t.Fatalf("membership from %v accepted", ms.From)
			case !ms.To.IsZero() && (ms.To.Before(ms.From) || ms.To.After(Last)):
				t.Fatalf("membership %v to %v accepted", ms.From, ms.To)
			case p.Groups && ms.Group == "":
				t.Fatalf("membership of %s without a group accepted", p.ID)
			case len(p.Categories) > 0 && ms.Category != "" && canonical(p.Categories, ms.Category) != ms.Category:
				t.Fatalf("category %q of %s accepted", ms.Category, p.ID)
			}
		}
	}
	for _, p := range r.Programs {
		if !keyPattern.MatchString(p.ID) {
			t.Fatalf("program id %q accepted", p.ID)
		}
	}
}

// FuzzRosterYAML lints arbitrary bytes as a YAML roster file. Properties:
// no panic; every problem names the file, a line of it and a message, on
// one printable line; a file without problems gives a roster that keeps
// the checks' rules (valid, unique keys, logins, emails, known programs,
// dates in range and in order, groups and categories).
func FuzzRosterYAML(f *testing.F) {
	for _, s := range rosterYAMLSeeds {
		f.Add([]byte(s))
	}
	addFileSeeds(f, ".yaml")
	f.Fuzz(func(t *testing.T, data []byte) {
		checkLint(t, "roster.yaml", data)
	})
}

// FuzzRosterCSV lints arbitrary bytes as a CSV roster file, with the same
// properties as FuzzRosterYAML.
func FuzzRosterCSV(f *testing.F) {
	for _, s := range rosterCSVSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkLint(t, "roster.csv", data)
	})
}

// Problems after comments name their line in a file with Windows line
// endings too: goccy/go-yaml counted each comment's CRLF as two lines
// (found by FuzzRosterYAML).
func TestLinesWithWindowsLineEndings(t *testing.T) {
	data := "# roster\r\nmembers:\r\n  - name: Ana\r\n    github: [ana]\r\n    memberships:\r\n      - program: nope\r\n        from: 2022-01-01\r\n"
	_, ps := lint("roster.yaml", []byte(data))
	if len(ps) != 1 || ps[0].Line != 6 {
		t.Fatalf("problems %v, want one on line 6", ps)
	}
}

// Problems print the file's control characters as escapes (found by
// FuzzRosterYAML and FuzzRosterCSV).
func TestProblemsEscapeControlCharacters(t *testing.T) {
	_, ps := lint("roster.csv", []byte("name,github,\x1b[2J\nAna,ana,x\n"))
	if len(ps) == 0 || !strings.Contains(ps[0].String(), `column \x1b[2j:`) {
		t.Fatalf("problems %q, want column \\x1b[2j (lower-cased)", ps)
	}
}
