package cli

import (
	"bytes"
	"strings"
	"testing"
)

// CONTRIBTRACK_CONFIG=/dev/null, or a --config file of comments, means the
// defaults: both were refused with errors about settings nobody wrote
// (issue 15).
func TestConfigEmptyFileMeansDefaults(t *testing.T) {
	dsn := lbMigratedDB(t)
	for _, tc := range []struct {
		name string
		args []string
		env  string
	}{
		{"CONTRIBTRACK_CONFIG=/dev/null", nil, "/dev/null"},
		{"--config with comments only", []string{"--config", lbConfigFile(t, "# orgs: [aws]\n")}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			getenv := func(name string) string {
				if name == "CONTRIBTRACK_CONFIG" {
					return tc.env
				}
				return lbNoEnv(name)
			}
			var out, errOut bytes.Buffer
			args := append(append([]string{"--debug", "--clickhouse", dsn}, tc.args...), "roster", "who", "someone")
			if code := Main(args, &out, &errOut, getenv); code != 0 {
				t.Fatalf("exit %d\n%s%s", code, out.String(), errOut.String())
			}
			if !strings.Contains(errOut.String(), "listen: 127.0.0.1:8080") {
				t.Errorf("the effective configuration lacks the default listen address:\n%s", errOut.String())
			}
		})
	}
}
