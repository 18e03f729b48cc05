package cli

import (
	"strings"
	"testing"
)

// TestUnknownCommandSuggests: a mistyped command, or subcommand, is a
// usage error (exit 2) that names the closest command; a parent command
// no longer prints its help with success for an unknown subcommand.
func TestUnknownCommandSuggests(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{name: "command", args: []string{"lederboard"}, want: `unknown command "lederboard" for "contribtrack"; did you mean leaderboard?`},
		{name: "letters swapped", args: []string{"reprot", "--from", "2024-01-01"}, want: "did you mean report?"},
		{name: "subcommand", args: []string{"roster", "lnt"}, want: `unknown command "lnt" for "contribtrack roster"; did you mean lint?`},
		{name: "subcommand of import", args: []string{"import", "gharchve"}, want: "did you mean gharchive?"},
		{name: "nothing close", args: []string{"zzz"}, want: `unknown command "zzz" for "contribtrack" (see contribtrack --help)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := lbRun(t, tt.args...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d", code, exitUsage)
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr %q does not say %q", stderr, tt.want)
			}
			if stdout != "" {
				t.Errorf("stdout holds %q, want nothing", stdout)
			}
		})
	}
	// A parent command alone still shows its help.
	if code, stdout, _ := lbRun(t, "roster"); code != exitOK || !strings.Contains(stdout, "Available Commands") {
		t.Errorf("roster: exit %d\n%s", code, stdout)
	}
}
