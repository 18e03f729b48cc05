package cli

import (
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"contribtrack/internal/contrib"
	"contribtrack/internal/store"
)

// TestImportUsesTheAPIsDefaultBranch: a push to a branch that is neither
// main nor master counts when collect recorded it as the repository's
// default branch, though no event of the import names it.
func TestImportUsesTheAPIsDefaultBranch(t *testing.T) {
	dsn := lbMigratedDB(t)
	ctx := context.Background()
	s, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// What collect records for the repository's commits: "branch@oid".
	if err := s.SaveCheckpoints(ctx, []contrib.Checkpoint{{RepoID: 100, RepoName: "acme/tool", Resource: "commits", Signature: "develop@0123abcd"}}); err != nil {
		t.Fatal(err)
	}
	push := `{"id":"1","type":"PushEvent","actor":{"id":7,"login":"ana"},"repo":{"id":100,"name":"acme/tool"},` +
		`"payload":{"push_id":1,"size":1,"distinct_size":1,"ref":"refs/heads/develop","head":"h","before":"b",` +
		`"commits":[{"sha":"c0ffee","author":{"email":"dev@example.com","name":"Dev"},"message":"m","distinct":true,"url":"u"}]},` +
		`"public":true,"created_at":"2015-01-01T12:01:00Z"}` + "\n"
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	_, _ = w.Write([]byte(push))
	_ = w.Close()
	path := filepath.Join(t.TempDir(), "2015-01-01-12.json.gz")
	if err := os.WriteFile(path, gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := lbRun(t, "--clickhouse", dsn, "import", "gharchive", "--all", path)
	if code != 0 {
		t.Fatalf("import: exit %d\n%s%s", code, stdout, stderr)
	}
	var commits uint64
	if err := s.Conn().QueryRow(ctx, "SELECT count() FROM contributions WHERE kind = 'commit'").Scan(&commits); err != nil {
		t.Fatal(err)
	}
	if commits != 1 || strings.Contains(stdout, "not the default branch") {
		t.Errorf("%d commits stored, want the push to develop's 1:\n%s", commits, stdout)
	}
}

// TestImportOfAnInputWithoutEventsFails: a 0-byte .json.gz and a file of
// random bytes are errors that name the file (exit 1), not "0 events".
func TestImportOfAnInputWithoutEventsFails(t *testing.T) {
	dsn := lbMigratedDB(t)
	dir := t.TempDir()
	empty := filepath.Join(dir, "2015-01-01-12.json.gz")
	noise := filepath.Join(dir, "noise.json")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	random := bytes.Repeat([]byte{0x8f, 0x00, 0x13, 0xfe, 0x7b}, 40<<10)
	if err := os.WriteFile(noise, random, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{empty, noise} {
		code, stdout, stderr := lbRun(t, "--clickhouse", dsn, "import", "gharchive", "--all", path)
		if code != 1 || !strings.Contains(stderr, path) || !strings.Contains(stdout+stderr, "no valid GH Archive event") {
			t.Errorf("%s: exit %d, want 1 naming the file\n%s%s", filepath.Base(path), code, stdout, stderr)
		}
	}
}
