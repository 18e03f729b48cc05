package cli

import (
	"bytes"
	"strings"
	"testing"

	"contribtrack/internal/chversion"
	"contribtrack/internal/testing/chtest"
)

// `contribtrack migrate` on a server older than the oldest supported
// release fails naming both releases, unless the replication tests' own
// allowance is set.
func TestMigrateRefusesAnOldServer(t *testing.T) {
	dsn, _, _ := chtest.LegacyDatabase(t)
	run := func(allow string) (int, string) {
		var out, errOut bytes.Buffer
		code := Main([]string{"--clickhouse", dsn, "migrate"}, &out, &errOut, func(k string) string {
			if k == "CONTRIBTRACK_ALLOW_UNSUPPORTED_CLICKHOUSE" {
				return allow
			}
			return lbNoEnv(k)
		})
		return code, errOut.String()
	}
	code, stderr := run("")
	if code != exitError {
		t.Fatalf("migrate on 18.16: exit %d, want %d\n%s", code, exitError, stderr)
	}
	for _, want := range []string{"ClickHouse 18.16", "older than " + chversion.MinSupported.String()} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr does not say %q:\n%s", want, stderr)
		}
	}
	if code, stderr := run("1"); code != exitOK {
		t.Fatalf("migrate on 18.16 with the tests' allowance: exit %d\n%s", code, stderr)
	}
}
