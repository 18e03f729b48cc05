package cli

import (
	"bytes"
	"runtime"
	"strings"
	"testing"

	"contribtrack/internal/metrics"
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

// TestVersion: --version and the version command print the same four
// lines: the version, commit and build date set with -ldflags (else
// what the binary records, else devel/unknown) and the Go release.
func TestVersion(t *testing.T) {
	stamp := build{Version: "v1.2.3", Commit: "0123abcd", Date: "2026-01-02T03:04:05Z"}
	want := "contribtrack v1.2.3\ncommit: 0123abcd\nbuilt: 2026-01-02T03:04:05Z\ngo: " + runtime.Version() + "\n"
	for _, args := range [][]string{{"--version"}, {"version"}} {
		var stdout, stderr bytes.Buffer
		code := run(&factory{stdout: &stdout, stderr: &stderr, getenv: lbNoEnv, stamp: stamp}, args)
		if code != exitOK || stdout.String() != want {
			t.Errorf("%v: exit %d, stdout\n%s\nwant\n%s%s", args, code, stdout.String(), want, stderr.String())
		}
	}
	if got, want := buildOf(stamp).metrics(), (metrics.BuildInfo{Version: "v1.2.3", Commit: "0123abcd", GoVersion: runtime.Version()}); got != want {
		t.Errorf("build_info labels %+v, want %+v", got, want)
	}
	if b := buildOf(build{}); b.Version == "" || b.Commit == "" || b.Date == "" || !strings.HasPrefix(b.GoVersion, "go") {
		t.Errorf("without -ldflags: %+v", b)
	}
}

// TestDebugShowsEffectiveValues: --debug prints the configuration the
// command runs with: defaults filled in (workers 4, not 0; every kind's
// weight, not {}), configured values kept, secrets removed.
func TestDebugShowsEffectiveValues(t *testing.T) {
	cfg := lbConfigFile(t, "scoring:\n  weights:\n    commit: 5\ngithub:\n  max_in_flight: 2\n")
	// Port 1 refuses at once: the command fails after printing.
	_, _, stderr := lbRun(t, "--debug", "--config", cfg, "--clickhouse", "clickhouse://me:hunter2@127.0.0.1:1/x", "migrate")
	for _, want := range []string{
		"  workers: 4\n", "  max_in_flight: 2\n", "    commit: 5.0\n", "    pr_merged: 3.0\n", "    release: 2.0\n",
		"  url: https://api.github.com\n", "  interval: 1h0m0s\n", "  gharchive_hours_per_round: 24\n",
		"  max_queued_requests: 256\n",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("--debug does not show %q:\n%s", want, stderr)
		}
	}
	for _, bad := range []string{"workers: 0", "weights: {}", "max_concurrent_queries: 0", "hunter2"} {
		if strings.Contains(stderr, bad) {
			t.Errorf("--debug shows %q:\n%s", bad, stderr)
		}
	}
}
