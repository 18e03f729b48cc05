package cli

import (
	"bytes"
	"context"
	"hash/fnv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"contribtrack/internal/contrib"
	"contribtrack/internal/store"
	"contribtrack/internal/testing/chtest"
)

// testEmailKey is the email identity secret of the tests (so that no key
// file is created in the tester's data directory).
const testEmailKey = "contribtrack-test-email-key"

// lbNoEnv is the getenv the tests pass to Main, so that the developer's
// CONTRIBTRACK_* variables do not leak in.
func lbNoEnv(name string) string {
	switch name {
	case "CONTRIBTRACK_EMAIL_KEY":
		return testEmailKey
	case "CONTRIBTRACK_ALLOW_UNSUPPORTED_CLICKHOUSE":
		// The replication tests run on 18.16 (docs/clickhouse.md); every
		// other test runs on 26.x, where this changes nothing.
		return "1"
	}
	return ""
}

// emailID is an email's identity under the tests' key.
func emailID(email string) uint64 { return contrib.EmailKey(testEmailKey).ActorID(email) }

// lbRun runs the CLI in-process and returns its exit code and output.
func lbRun(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = Main(args, &out, &errOut, lbNoEnv)
	return code, out.String(), errOut.String()
}

// lbMigratedDB returns the DSN of a fresh database migrated with the CLI's
// own migrate command.
func lbMigratedDB(t *testing.T) string {
	t.Helper()
	dsn, _ := chtest.Database(t)
	if code, _, stderr := lbRun(t, "--clickhouse", dsn, "migrate"); code != 0 {
		t.Fatalf("migrate: exit code %d, stderr:\n%s", code, stderr)
	}
	return dsn
}

// lbInsert stores contributions in the database at dsn, in one batch.
func lbInsert(t *testing.T, dsn string, cs ...contrib.Contribution) {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Insert(ctx, cs); err != nil {
		t.Fatal(err)
	}
}

// lbConfigFile writes a configuration file and returns its path.
func lbConfigFile(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "contribtrack.yaml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// lbHash gives stable small ids for logins and repositories (never with the
// derived-id bits set, so these actors are "GitHub accounts").
func lbHash(s string) uint64 {
	h := fnv.New32a()
	h.Write([]byte(strings.ToLower(s)))
	return uint64(h.Sum32()) + 1
}

// lbKeySeq makes every contribution built by lbC distinct unless a key is
// given explicitly.
var lbKeySeq atomic.Int64

// lbC builds a contribution of kind by login on repo (owner/name) at the
// given RFC 3339 time, with a fresh natural key.
func lbC(t *testing.T, kind contrib.Kind, login, repo, at string) contrib.Contribution {
	t.Helper()
	return lbCKey(t, kind, "k"+strconv.FormatInt(lbKeySeq.Add(1), 10), login, repo, at)
}

// lbCKey is lbC with an explicit natural key.
func lbCKey(t *testing.T, kind contrib.Kind, key, login, repo, at string) contrib.Contribution {
	t.Helper()
	ts, err := time.Parse(time.RFC3339, at)
	if err != nil {
		t.Fatalf("bad time %q: %v", at, err)
	}
	return contrib.Contribution{
		Kind:       kind,
		Key:        key,
		CreatedAt:  ts,
		ActorID:    lbHash("user:" + login),
		ActorLogin: login,
		RepoID:     lbHash("repo:" + repo),
		RepoName:   repo,
		Org:        contrib.OrgOf(repo),
		Via:        contrib.ViaREST,
	}
}
