package cli

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"contribtrack/internal/contrib"
	"contribtrack/internal/leaderboard"
)

// runOn runs the CLI in-process with standard output taken to be a
// terminal of the given width.
func runOn(t *testing.T, width int, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	f := &factory{stdout: &out, stderr: &errOut, getenv: lbNoEnv, terminal: &leaderboard.Output{Terminal: true, Width: width}}
	code = run(f, args)
	return code, out.String(), errOut.String()
}

// TestShareFormats: share takes the listings' formats, csv included, and
// its piped table has the CSV's columns, tab-separated.
func TestShareFormats(t *testing.T) {
	dsn := lbFormatData(t)
	share := func(format string) string {
		t.Helper()
		code, stdout, stderr := lbRun(t, "--clickhouse", dsn, "share", "--from", lbFrom, "--to", lbTo, "--format", format)
		if code != 0 {
			t.Fatalf("share --format %s: exit %d\n%s", format, code, stderr)
		}
		return stdout
	}
	rows, err := csv.NewReader(strings.NewReader(share("csv"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"group", "contributions", "share", "people", "score"},
		{"community", "0", "0", "0", "0"},
		{"vendor", "0", "0", "0", "0"},
		{"other", "3", "1", "2", "4"},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("share csv (-want +got):\n%s", diff)
	}
	table := share("table")
	wantTable := "GROUP\tCONTRIBUTIONS\tSHARE\tPEOPLE\tSCORE\n" +
		"community\t0\t0.0%\t0\t0\n" +
		"vendor\t0\t0.0%\t0\t0\n" +
		"other\t3\t100.0%\t2\t4\n"
	if diff := cmp.Diff(wantTable, table); diff != "" {
		t.Errorf("share table (-want +got):\n%s", diff)
	}
	if code, _, stderr := lbRun(t, "--clickhouse", dsn, "share", "--from", lbFrom, "--to", lbTo, "--format", "xml"); code != exitUsage || !strings.Contains(stderr, "table, json, csv") {
		t.Errorf("--format xml: exit %d, stderr %q", code, stderr)
	}
}

// TestLeaderboardOnANarrowTerminal: on an 80-column terminal the
// leaderboard fits, and stderr says which columns it left out.
func TestLeaderboardOnANarrowTerminal(t *testing.T) {
	dsn := lbMigratedDB(t)
	var cs []contrib.Contribution
	for _, k := range contrib.ContributionKinds[:9] {
		cs = append(cs, lbC(t, k, "a-somewhat-long-login", lbCDK, lbMid))
	}
	lbInsert(t, dsn, cs...)
	code, stdout, stderr := runOn(t, 80, "--clickhouse", dsn, "leaderboard", "--from", lbFrom, "--to", lbTo)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	for _, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
		if len(line) > 80 {
			t.Errorf("a line of %d characters on an 80-column terminal: %q", len(line), line)
		}
	}
	if !strings.Contains(stderr, "commit_comment, release (all zero)") || !strings.Contains(stderr, "(no room)") {
		t.Errorf("stderr does not say what was left out:\n%s", stderr)
	}
	if strings.Contains(stdout, "\t") {
		t.Errorf("a terminal's table holds tabs:\n%s", stdout)
	}
	code, stdout, stderr = runOn(t, 300, "--clickhouse", dsn, "leaderboard", "--from", lbFrom, "--to", lbTo)
	if code != 0 || stderr != "" || !strings.Contains(stdout, "COMMIT_COMMENT") {
		t.Errorf("a wide terminal: exit %d, stderr %q\n%s", code, stderr, stdout)
	}
}
