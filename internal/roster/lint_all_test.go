package roster

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// problemLines loads the files and returns each problem as text, with the
// directory of the files left out.
func problemLines(t *testing.T, paths ...string) []string {
	t.Helper()
	_, err := Load(paths...)
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("err = %v, want Problems", err)
	}
	var out []string
	for _, p := range ps {
		p.File = filepath.Base(p.File)
		out = append(out, p.String())
	}
	return out
}

// One run reports every problem of every file: an unknown field used to
// stop the YAML file there, and hid the CSV file's problems too; CSV
// problems name the column, not a YAML path (issue 15).
func TestLintReportsEveryProblemOfEveryFile(t *testing.T) {
	dir := t.TempDir()
	y := writeIn(t, dir, "roster.yaml", `members:
  - name: Ana
    gihub: [ana]
    github: [ana]
    github_ids: [abc]
    memberships:
      - program: aws-heroez
        from: 2022-01-01
  - name: Bo
    github: {login: bo}
    memberships:
      - program: aws-heroes
        from: 2022-13-01
member:
  - name: Cy
`)
	c := writeIn(t, dir, "broken.csv", "name,github,program,from,twitter\n"+
		"Di,di,aws-heroes,2022-1-1,x\n"+
		"Ed,ana,aws-heroes,2022-01-01,\n"+
		"Fa,fa\"x,,,\n"+
		"Di Two,di,aws-heroes,2023-01-01,\n")
	got := problemLines(t, y, c)
	want := []string{
		`roster.yaml:3: gihub: unknown field: did you mean github? (known: id, name, github, github_ids, emails, country, region, memberships)`,
		`roster.yaml:5: github_ids[0]: want a whole number, got "abc"`,
		`roster.yaml:7: memberships[0].program: unknown program "aws-heroez" (known: aws-heroes, aws-community-builders, aws-user-group-leaders, aws-student-builder-groups)`,
		`roster.yaml:10: github: want a list such as [a, b], got a mapping`,
		`roster.yaml:13: memberships[0].from: want a day between 1970-01-01 and 2105-12-30 such as 2024-01-31, got "2022-13-01"`,
		`roster.yaml:14: member: unknown section: did you mean members? (known: programs, members, identities, affiliations, vendors, bots, humans, opt_out)`,
		`broken.csv:1: column twitter: unknown column (want name,github,github_ids,emails,country,region,program,category,group,from,to)`,
		`broken.csv:2: column from: want a day between 1970-01-01 and 2105-12-30 such as 2024-01-31, got "2022-1-1"`,
		`broken.csv:3: column github: member "ana" is already defined at ` + y + `:2`,
		`broken.csv:4: bare " in non-quoted-field`,
		`broken.csv:5: column name: differs from the member's earlier row (line 2)`,
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("problems (-want +got):\n%s", d)
	}
}

func writeIn(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// A value that cannot be read is one problem: the checks that would
// follow from its absence say nothing more.
func TestUnreadableValueIsOneProblem(t *testing.T) {
	for _, tc := range []struct{ name, text, want string }{
		{"logins as a mapping", "members:\n  - name: A\n    github: {a: b}\n", "r.yaml:3: github: want a list such as [a, b], got a mapping"},
		{"an id that is not a number", "members:\n  - name: A\n    github: [a]\n    github_ids: [12, x]\n", `r.yaml:4: github_ids[1]: want a whole number, got "x"`},
		{"a login that is a list", "members:\n  - name: A\n    github: [a, [b]]\n", "r.yaml:3: github[1]: want a text value, got a list"},
		{"a section that is not a list", "bots: release-bot\n", `r.yaml:1: bots: want a list such as [a, b], got "release-bot"`},
		{"an entry that is not a mapping", "members:\n  - ana\n", `r.yaml:2: want a mapping of fields (id, name, github, github_ids, emails, country, region, memberships), got "ana"`},
		{"a field twice", "members:\n  - name: A\n    github: [a]\n    name: B\n", "r.yaml:4: name: listed twice in one entry"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := problemLines(t, write(t, "r.yaml", tc.text))
			if d := cmp.Diff([]string{tc.want}, got); d != "" {
				t.Errorf("problems (-want +got):\n%s", d)
			}
		})
	}
}

// A file that cannot be read at all is a problem, and the other files are
// still checked; what they say about members it might define is not
// reported unknown.
func TestUnreadableFileDoesNotHideTheOthers(t *testing.T) {
	dir := t.TempDir()
	broken := writeIn(t, dir, "roster.yaml", "members:\n  - name: [Ana\n")
	ids := writeIn(t, dir, "identities.yaml", "identities:\n  - login: ana-old\n    member: ana\nbots: [\"not a login\"]\n")
	missing := filepath.Join(dir, "nope.csv")
	got := problemLines(t, broken, ids, missing)
	if len(got) != 3 || !strings.HasPrefix(got[0], "roster.yaml:2: ") ||
		got[1] != `identities.yaml:4: bots[0]: "not a login" is not a GitHub login (bots and humans are named by login)` ||
		got[2] != "nope.csv: cannot read the file: no such file or directory" {
		t.Errorf("problems:\n%s", strings.Join(got, "\n"))
	}
}

// Problems past the first MaxShown are counted, not listed.
func TestProblemsAreCappedInTheMessage(t *testing.T) {
	var b strings.Builder
	b.WriteString("members:\n")
	for i := range 150 {
		fmt.Fprintf(&b, "  - name: M%d\n    github: [\"bad login %d\"]\n", i, i)
	}
	_, err := Load(write(t, "r.yaml", b.String()))
	var ps Problems
	if !errors.As(err, &ps) || len(ps) != 150 {
		t.Fatalf("err = %v, want 150 problems", err)
	}
	msg := err.Error()
	lines := strings.Split(msg, "\n")
	if !strings.HasPrefix(msg, "150 problems in the roster files:") || len(lines) != 1+MaxShown+1 ||
		lines[len(lines)-1] != "  ... and 50 more (the first 100 are shown)" || !strings.Contains(lines[MaxShown], `"bad login 99"`) {
		t.Errorf("message:\n%s", msg)
	}
}

// Anchors, aliases and merge keys are read as YAML defines them.
func TestYAMLAnchorsAndMergeKeys(t *testing.T) {
	r, err := Load(write(t, "r.yaml", `members:
  - name: Ana
    github: [ana]
    memberships:
      - &hero {program: aws-heroes, category: Serverless, from: 2022-01-01}
  - name: Bo
    github: [bo]
    memberships:
      - <<: *hero
        to: 2023-01-01
bots: &bots [ci-one]
`))
	if err != nil {
		t.Fatal(err)
	}
	want := []Membership{{Program: "aws-heroes", Category: "Serverless", From: day("2022-01-01"), To: day("2023-01-01")}}
	if d := cmp.Diff(want, r.Member("bo").Memberships); d != "" {
		t.Errorf("bo (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"ci-one"}, r.Bots); d != "" {
		t.Errorf("bots: %s", d)
	}
}
