package cli

import (
	"strings"
	"testing"

	"contribtrack/internal/contrib"
)

// TestUnknownNamesAreErrors: an org, repository, program or member that
// nothing stored and no roster knows is an error that names it and what is
// known (exit 1), for the leaderboard and its siblings; a known org without
// activity in the period is a valid empty answer that says so.
func TestUnknownNamesAreErrors(t *testing.T) {
	dsn := lbMigratedDB(t)
	lbInsert(t, dsn,
		lbC(t, contrib.PROpened, "kwatanabe", "aws-samples/demo", "2024-03-01T10:00:00Z"),
		lbC(t, contrib.Commit, "outsider", "awslabs/tool", "2024-03-02T10:00:00Z"),
	)
	files := []string{"../../examples/roster.yaml", "../../examples/identities.yaml"}
	if code, out, stderr := lbRun(t, append([]string{"--clickhouse", dsn, "roster", "import"}, files...)...); code != 0 {
		t.Fatalf("import: exit %d\n%s%s", code, out, stderr)
	}
	period := []string{"--from", "2024-01-01", "--to", "2025-01-01"}
	for _, tc := range []struct {
		args []string
		want []string // in stderr
	}{
		{[]string{"leaderboard", "--org", "nope-org"}, []string{`unknown org "nope-org"`, "known orgs: aws-samples, awslabs"}},
		{[]string{"leaderboard", "--org", "aws-sample"}, []string{`unknown org "aws-sample": did you mean "aws-samples"?`}},
		{[]string{"leaderboard", "--repo", "aws-samples/nope"}, []string{`unknown repo "aws-samples/nope"`, "aws-samples/demo"}},
		{[]string{"leaderboard", "--program", "aws-superstars"}, []string{`unknown program "aws-superstars"`, "aws-heroes"}},
		{[]string{"share", "--org", "nope-org"}, []string{`unknown org "nope-org"`}},
		{[]string{"report", "--org", "nope-org"}, []string{`unknown org "nope-org"`}},
		{[]string{"report", "--member", "nobody-zz"}, []string{`unknown member "nobody-zz"`, "no roster member has that login"}},
	} {
		args := append(append([]string{"--clickhouse", dsn}, tc.args...), period...)
		code, out, stderr := lbRun(t, args...)
		if code != 1 {
			t.Errorf("%v: exit %d, want 1\n%s%s", tc.args, code, out, stderr)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(stderr, w) {
				t.Errorf("%v: stderr lacks %q:\n%s", tc.args, w, stderr)
			}
		}
	}
	// Known names, in any case: answers.
	for _, args := range [][]string{
		{"leaderboard", "--org", "AWS-Samples"},
		{"leaderboard", "--repo", "awslabs/TOOL"},
		{"leaderboard", "--program", "aws-heroes"},
		{"report", "--member", "outsider"},
	} {
		if code, out, stderr := lbRun(t, append(append([]string{"--clickhouse", dsn}, args...), period...)...); code != 0 {
			t.Errorf("%v: exit %d\n%s%s", args, code, out, stderr)
		}
	}
	// A tracked org without activity in the period: empty, and said so.
	code, out, stderr := lbRun(t, "--clickhouse", dsn, "leaderboard", "--org", "awslabs", "--from", "2020-01-01", "--to", "2021-01-01")
	if code != 0 || !strings.Contains(stderr, "no contributions match in [2020-01-01, 2021-01-01)") {
		t.Errorf("a quiet period: exit %d\n%s%s", code, out, stderr)
	}
}
