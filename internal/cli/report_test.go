package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"contribtrack/internal/contrib"
)

// TestReportCommand: each format to standard output or a file, the format
// taken from --out's extension, and the flags refused.
func TestReportCommand(t *testing.T) {
	dsn := lbMigratedDB(t)
	lbInsert(t, dsn,
		lbC(t, contrib.Commit, "alice", "aws/aws-cdk", "2024-01-10T10:00:00Z"),
		lbC(t, contrib.PROpened, "bob", "aws/aws-cdk", "2024-01-11T10:00:00Z"),
		lbC(t, contrib.Commit, "renovate[bot]", "aws/aws-cdk", "2024-01-12T10:00:00Z"),
	)
	period := []string{"--from", "2024-01-01", "--to", "2024-02-01"}
	run := func(args ...string) (int, string, string) {
		return lbRun(t, append(append([]string{"--clickhouse", dsn, "report"}, args...), period...)...)
	}

	code, out, stderr := run("--org", "aws")
	if code != 0 || !strings.HasPrefix(out, "## Contributor report: aws\n") || !strings.Contains(out, "[@alice](https://github.com/alice)") {
		t.Fatalf("markdown: exit %d\n%s%s", code, out, stderr)
	}
	if strings.Contains(out, "renovate") || !strings.Contains(out, "Bots are left out: 1 contributions by 1 bot accounts.") {
		t.Errorf("bots not left out, or not said so:\n%s", out)
	}

	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	if code, out, stderr := run("--repo", "aws/aws-cdk", "--out", page); code != 0 || out != "" {
		t.Fatalf("--out: exit %d, stdout %q\n%s", code, out, stderr)
	}
	if b, err := os.ReadFile(page); err != nil || !strings.HasPrefix(strings.ToLower(string(b)), "<!doctype html>") {
		t.Errorf("%s: %v, starts %.40q", page, err, b)
	}
	data := filepath.Join(dir, "report.json")
	if code, _, stderr := run("--out", data); code != 0 {
		t.Fatalf("json: exit %d\n%s", code, stderr)
	}
	var r struct {
		Scope        struct{ Kind string } `json:"scope"`
		Contributors []struct{ Login string }
	}
	if b, err := os.ReadFile(data); err != nil || json.Unmarshal(b, &r) != nil || r.Scope.Kind != "all" || len(r.Contributors) != 2 {
		t.Errorf("%s: %v %+v", data, err, r)
	}
	// A --format that the extension contradicts is refused, the file
	// left as it was.
	if code, _, stderr := run("--format", "csv", "--out", data); code != exitUsage || !strings.Contains(stderr, "--format csv, but --out "+data+" names a json file") {
		t.Errorf("csv to report.json: exit %d, %q", code, stderr)
	}
	if b, _ := os.ReadFile(data); !strings.HasPrefix(string(b), "{") {
		t.Errorf("a refused --format csv changed %s: %.40q", data, b)
	}
	files, _ := os.ReadDir(dir)
	if len(files) != 2 {
		t.Errorf("temporary files left behind: %v", files)
	}
	// A replaced file keeps its permissions; a link is followed.
	if err := os.Chmod(data, 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "latest.json")
	if err := os.Symlink(data, link); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := run("--format", "json", "--out", link); code != 0 {
		t.Fatalf("through a link: exit %d\n%s", code, stderr)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v %v", st.Mode(), err)
	}
	if st, err := os.Stat(data); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("%s: mode %v, want 0600 kept", data, st.Mode())
	}
	if b, _ := os.ReadFile(data); !strings.HasPrefix(string(b), "{") {
		t.Errorf("the link's target was not written: %.20q", b)
	}

	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--format", "pdf"}, exitUsage, `--format "pdf"`},
		{[]string{"--out", filepath.Join(dir, "report.pdf")}, exitUsage, "cannot write .pdf reports; name the file .md, .csv, .json or .html"},
		{[]string{"--format", "md", "--out", filepath.Join(dir, "report.pdf")}, exitUsage, "cannot write .pdf reports"},
		{[]string{"--org", "aws", "--repo", "aws/aws-cdk"}, exitUsage, "not several"},
		{[]string{"--member", "not a login"}, exitUsage, "member"},
		{[]string{"--program", "aws-heroes"}, exitError, "no roster has been imported"},
		{[]string{"--out", filepath.Join(dir, "missing", "r.md")}, exitError, "--out " + filepath.Join(dir, "missing", "r.md")},
	} {
		code, _, stderr := run(tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, %q; want %d and %q", tc.args, code, stderr, tc.code, tc.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "report.pdf")); err == nil {
		t.Errorf("report.pdf was written")
	}
	// The extension names the format, in any case; a name without one
	// takes --format.
	for _, tc := range []struct {
		args        []string
		name, start string
	}{
		{[]string{"--out", filepath.Join(dir, "notes.md")}, "notes.md", "## Contributor report"},
		{[]string{"--out", filepath.Join(dir, "people.CSV")}, "people.CSV", "rank,login,name,"},
		{[]string{"--format", "html", "--out", filepath.Join(dir, "page")}, "page", "<!doctype html>"},
	} {
		if code, _, stderr := run(tc.args...); code != 0 {
			t.Errorf("%v: exit %d\n%s", tc.args, code, stderr)
		}
		if b, _ := os.ReadFile(filepath.Join(dir, tc.name)); !strings.HasPrefix(strings.ToLower(string(b)), strings.ToLower(tc.start)) {
			t.Errorf("%v wrote %.40q, want it to start %q", tc.args, b, tc.start)
		}
	}
	if code, _, stderr := lbRun(t, "--clickhouse", dsn, "report", "--from", "2024-01-01"); code != exitUsage || !strings.Contains(stderr, "--to") {
		t.Errorf("without --to: exit %d %q", code, stderr)
	}
}

// TestReportProject: --project reports on a set of orgs and repositories
// named in the configuration.
func TestReportProject(t *testing.T) {
	dsn := lbMigratedDB(t)
	lbInsert(t, dsn,
		lbC(t, contrib.Commit, "alice", "aws/aws-cdk", "2024-01-10T10:00:00Z"),
		lbC(t, contrib.Commit, "bob", "cdklabs/jsii", "2024-01-11T10:00:00Z"),
		lbC(t, contrib.Commit, "carol", "aws/aws-sdk-go", "2024-01-12T10:00:00Z"),
	)
	cfg := lbConfigFile(t, "projects:\n  cdk: [aws/aws-cdk, cdklabs]\n")
	code, out, stderr := lbRun(t, "--clickhouse", dsn, "--config", cfg, "report", "--project", "cdk",
		"--from", "2024-01-01", "--to", "2024-02-01", "--format", "csv")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if !strings.Contains(out, ",alice,") || !strings.Contains(out, ",bob,") || strings.Contains(out, "carol") {
		t.Errorf("project cdk's contributors:\n%s", out)
	}
	code, _, stderr = lbRun(t, "--clickhouse", dsn, "--config", cfg, "report", "--project", "sdk",
		"--from", "2024-01-01", "--to", "2024-02-01")
	if code != exitUsage || !strings.Contains(stderr, `--project "sdk"`) || !strings.Contains(stderr, "projects: cdk") {
		t.Errorf("unknown project: exit %d %q", code, stderr)
	}
}
