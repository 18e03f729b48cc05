package cli

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"contribtrack/internal/contrib"
	"contribtrack/internal/store"
)

// complete asks the CLI what the shell should offer for the last
// argument, as the completion scripts do, and returns the suggestions.
func complete(t *testing.T, args ...string) []string {
	t.Helper()
	code, stdout, stderr := lbRun(t, append([]string{"__complete"}, args...)...)
	if code != exitOK {
		t.Fatalf("__complete %v: exit %d\n%s", args, code, stderr)
	}
	if strings.Contains(stdout+stderr, "contribtrack:") || strings.Contains(stderr, "rror") {
		t.Errorf("__complete %v said something:\n%s%s", args, stdout, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) == 0 || !strings.HasPrefix(lines[len(lines)-1], ":") {
		t.Fatalf("__complete %v: no directive line:\n%s", args, stdout)
	}
	return lines[:len(lines)-1]
}

// TestCompletionOfFixedValues: --format, --kind (after the kinds already
// typed), --by and --affiliation complete without any store.
func TestCompletionOfFixedValues(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"leaderboard --format", []string{"leaderboard", "--format", ""}, []string{"table", "json", "csv"}},
		{"share --format", []string{"share", "--format", ""}, []string{"table", "json", "csv"}},
		{"report --format", []string{"report", "--format", ""}, []string{"md", "csv", "json", "html"}},
		{"--kind prefix", []string{"leaderboard", "--kind", "pr_re"}, []string{"pr_review", "pr_review_comment"}},
		{"--kind after a comma", []string{"share", "--kind", "commit,issue_c"}, []string{"commit,issue_closed", "commit,issue_comment"}},
		{"share --by", []string{"share", "--by", ""}, store.ShareGroupings},
		{"--affiliation", []string{"leaderboard", "--affiliation", ""}, []string{"community", "vendor", "other"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := complete(t, tt.args...)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("suggestions (-want +got):\n%s", diff)
			}
		})
	}
	if got := complete(t, "leaderboard", "--kind", ""); len(got) != len(contrib.Kinds) {
		t.Errorf("--kind offers %v, want every kind", got)
	}
}

// TestCompletionWithClickHouseDown: --org and --repo complete from the
// configuration when ClickHouse does not answer, quietly.
func TestCompletionWithClickHouseDown(t *testing.T) {
	cfg := lbConfigFile(t, "orgs: [aws, AWSLabs]\nrepos: [cdklabs/jsii]\n")
	down := []string{"--config", cfg, "--clickhouse", "clickhouse://127.0.0.1:1/x"}
	if diff := cmp.Diff([]string{"aws", "awslabs", "cdklabs"}, complete(t, append(append([]string{"leaderboard"}, down...), "--org", "")...)); diff != "" {
		t.Errorf("--org (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"awslabs"}, complete(t, append(append([]string{"share"}, down...), "--org", "awsl")...)); diff != "" {
		t.Errorf("--org awsl (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"cdklabs/jsii"}, complete(t, append(append([]string{"report"}, down...), "--repo", "")...)); diff != "" {
		t.Errorf("--repo (-want +got):\n%s", diff)
	}
	if got := complete(t, append(append([]string{"leaderboard"}, down...), "--program", "")...); len(got) != 0 {
		t.Errorf("--program without a store: %v", got)
	}
}

// TestCompletionFromTheStore: with ClickHouse up, --org and --repo also
// offer what is stored, --program what the active roster names.
func TestCompletionFromTheStore(t *testing.T) {
	dsn := lbMigratedDB(t)
	lbInsert(t, dsn, lbC(t, contrib.Commit, "alice", "aws-samples/demo", lbMid), lbC(t, contrib.Commit, "bob", lbCDK, lbMid))
	if code, out, stderr := lbRun(t, "--clickhouse", dsn, "roster", "import", "../../examples/roster.yaml", "../../examples/identities.yaml"); code != 0 {
		t.Fatalf("roster import: %s%s", out, stderr)
	}
	cfg := lbConfigFile(t, "orgs: [awslabs]\n")
	at := []string{"--config", cfg, "--clickhouse", dsn}
	if diff := cmp.Diff([]string{"aws", "aws-samples", "awslabs"}, complete(t, append(append([]string{"leaderboard"}, at...), "--org", "a")...)); diff != "" {
		t.Errorf("--org (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"aws-samples/demo", "aws/aws-cdk"}, complete(t, append(append([]string{"leaderboard"}, at...), "--repo", "")...)); diff != "" {
		t.Errorf("--repo (-want +got):\n%s", diff)
	}
	programs := complete(t, append(append([]string{"report"}, at...), "--program", "aws-")...)
	for _, want := range []string{"aws-heroes", "aws-community-builders", "aws-user-group-leaders"} {
		if !slices.Contains(programs, want) {
			t.Errorf("--program offers %v, not %s", programs, want)
		}
	}
}

// TestCompletionScripts: completion bash, zsh and fish print a script.
func TestCompletionScripts(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish"} {
		code, stdout, stderr := lbRun(t, "completion", shell)
		if code != exitOK || !strings.Contains(stdout, "contribtrack") || !strings.Contains(stdout, "__complete") {
			t.Errorf("completion %s: exit %d, %d bytes\n%s", shell, code, len(stdout), stderr)
		}
	}
}
