package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// brokenRoster writes a YAML and a CSV roster file with several problems
// each, the first of the YAML file an unknown field.
func brokenRoster(t *testing.T) (yamlFile, csvFile string) {
	t.Helper()
	yamlFile = lbConfigFile(t, `members:
  - name: Zed
    gihub: [zed]
    github: [zed]
    memberships:
      - program: aws-heroez
        from: 2022-01-01
  - name: Yu
    github: [yu]
    github_ids: [abc]
`)
	csvFile = filepath.Join(t.TempDir(), "members.csv")
	err := os.WriteFile(csvFile, []byte("name,github,program,from\nXi,xi,aws-heroes,2022-1-1\nWu,wu,nope,2022-01-01\n"), 0o600)
	if err != nil {
		t.Fatal(err)
	}
	return yamlFile, csvFile
}

// The problems both files have, as the CLI prints them.
var brokenRosterProblems = []string{
	".yaml:3: gihub: unknown field: did you mean github?",
	`.yaml:6: memberships[0].program: unknown program "aws-heroez"`,
	`.yaml:10: github_ids[0]: want a whole number, got "abc"`,
	`.csv:2: column from: want a day`,
	`.csv:3: column program: unknown program "nope"`,
}

// roster lint reports every problem of every file in one run, names CSV
// columns, and says nothing about changes (it never changes anything).
// It used to stop at the YAML file's unknown field (issue 15).
func TestRosterLintReportsEveryProblem(t *testing.T) {
	y, c := brokenRoster(t)
	code, out, stderr := lbRun(t, "roster", "lint", y, c)
	if code != 1 || out != "" {
		t.Errorf("exit %d, stdout %q; want 1 and nothing", code, out)
	}
	if !strings.Contains(stderr, "5 problems in the roster files:") {
		t.Errorf("stderr does not count the problems:\n%s", stderr)
	}
	for _, want := range brokenRosterProblems {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	for _, wrong := range []string{"nothing was changed", ".csv:2: memberships"} {
		if strings.Contains(stderr, wrong) {
			t.Errorf("stderr says %q:\n%s", wrong, stderr)
		}
	}
}

// roster import reports the same problems, all of them, and stores
// nothing: the roster imported before stays.
func TestRosterImportWithProblemsReportsAllAndStoresNothing(t *testing.T) {
	dsn := lbMigratedDB(t)
	good := []string{"../../examples/roster.yaml", "../../examples/identities.yaml"}
	if code, out, stderr := lbRun(t, append([]string{"--clickhouse", dsn, "roster", "import"}, good...)...); code != 0 {
		t.Fatalf("import: exit %d\n%s%s", code, out, stderr)
	}
	y, c := brokenRoster(t)
	code, _, stderr := lbRun(t, "--clickhouse", dsn, "roster", "import", y, c)
	if code != 1 || !strings.Contains(stderr, "nothing was changed") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
	for _, want := range brokenRosterProblems {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	for _, who := range []struct{ login, want string }{
		{"kwatanabe", "member kwatanabe"},
		{"zed", "not in the roster"},
		{"xi", "not in the roster"},
	} {
		if code, out, stderr := lbRun(t, "--clickhouse", dsn, "roster", "who", who.login); code != 0 || !strings.Contains(out, who.want) {
			t.Errorf("who %s after a failed import: exit %d, want %q\n%s%s", who.login, code, who.want, out, stderr)
		}
	}
}
