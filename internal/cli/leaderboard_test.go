package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/google/go-cmp/cmp"

	"contribtrack/internal/contrib"
	"contribtrack/internal/testing/chtest"
)

// lbEntry is the public JSON shape of one leaderboard entry.
type lbEntry struct {
	Rank   int               `json:"rank"`
	Login  string            `json:"login"`
	Score  float64           `json:"score"`
	Counts map[string]uint64 `json:"counts"`
}

// lbLeaderboard runs `leaderboard` against dsn with extra arguments; global
// flags (such as --config) go in before the command.
func lbLeaderboard(t *testing.T, dsn string, global []string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	all := append(append([]string{"--clickhouse", dsn}, global...), "leaderboard")
	return lbRun(t, append(all, args...)...)
}

// lbJSON runs a leaderboard with --format json, checks that it succeeded
// and that every object has exactly the public keys, and decodes it.
func lbJSON(t *testing.T, dsn string, global []string, args ...string) []lbEntry {
	t.Helper()
	code, stdout, stderr := lbLeaderboard(t, dsn, global, append([]string{"--format", "json"}, args...)...)
	if code != 0 {
		t.Fatalf("leaderboard %v: exit code %d, stderr:\n%s", args, code, stderr)
	}
	return lbDecodeJSON(t, stdout)
}

// lbDecodeJSON decodes leaderboard JSON strictly: an array of objects with
// exactly rank, login, score and counts, counts holding only known kinds
// with n > 0.
func lbDecodeJSON(t *testing.T, stdout string) []lbEntry {
	t.Helper()
	var raw []map[string]json.RawMessage
	if err := json.Unmarshal([]byte(stdout), &raw); err != nil {
		t.Fatalf("output is not a JSON array of objects: %v\n%s", err, stdout)
	}
	if raw == nil {
		t.Fatalf("output is not a JSON array: %s", stdout)
	}
	wantKeys := []string{"counts", "login", "rank", "score"}
	for i, obj := range raw {
		var keys []string
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		if diff := cmp.Diff(wantKeys, keys); diff != "" {
			t.Errorf("entry %d keys (-want +got):\n%s", i, diff)
		}
		var counts map[string]json.Number
		if err := json.Unmarshal(obj["counts"], &counts); err != nil || counts == nil {
			t.Errorf("entry %d counts is not an object: %s", i, obj["counts"])
		}
		for k, n := range counts {
			if !contrib.Kind(k).Valid() {
				t.Errorf("entry %d counts has unknown kind %q", i, k)
			}
			if v, err := n.Int64(); err != nil || v <= 0 {
				t.Errorf("entry %d counts[%q] = %s, want a positive integer", i, k, n)
			}
		}
	}
	var entries []lbEntry
	dec := json.NewDecoder(strings.NewReader(stdout))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&entries); err != nil {
		t.Fatalf("decoding entries: %v", err)
	}
	if entries == nil {
		entries = []lbEntry{}
	}
	return entries
}

const (
	lbFrom = "2024-01-01"
	lbTo   = "2024-02-01"
	lbCDK  = "aws/aws-cdk"
	lbMid  = "2024-01-15T12:00:00Z"
)

func TestLeaderboardJSONShape(t *testing.T) {
	dsn := lbMigratedDB(t)
	lbInsert(t, dsn,
		lbC(t, contrib.Commit, "alice", lbCDK, lbMid),
		lbC(t, contrib.Commit, "alice", lbCDK, lbMid),
		lbC(t, contrib.PROpened, "alice", lbCDK, lbMid),
		lbC(t, contrib.PRMerged, "bob", lbCDK, lbMid),
		lbC(t, contrib.IssueComment, "carol", lbCDK, lbMid),
	)
	code, stdout, stderr := lbLeaderboard(t, dsn, nil, "--from", lbFrom, "--to", lbTo, "--format", "json")
	if code != 0 {
		t.Fatalf("exit code %d, stderr:\n%s", code, stderr)
	}
	got := lbDecodeJSON(t, stdout)
	want := []lbEntry{
		{Rank: 1, Login: "alice", Score: 4, Counts: map[string]uint64{"commit": 2, "pr_opened": 1}},
		{Rank: 2, Login: "bob", Score: 3, Counts: map[string]uint64{"pr_merged": 1}},
		{Rank: 3, Login: "carol", Score: 1, Counts: map[string]uint64{"issue_comment": 1}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("leaderboard (-want +got):\n%s", diff)
	}

	// A period with nothing in it is an empty array, not null.
	code, stdout, stderr = lbLeaderboard(t, dsn, nil, "--from", "2020-01-01", "--to", "2020-02-01", "--format", "json")
	if code != 0 {
		t.Fatalf("empty period: exit code %d, stderr:\n%s", code, stderr)
	}
	if got := strings.TrimSpace(stdout); got != "[]" {
		t.Errorf("empty period printed %q, want []", got)
	}
}

func TestLeaderboardRanking(t *testing.T) {
	dsn := lbMigratedDB(t)
	var cs []contrib.Contribution
	add := func(login string, kinds ...contrib.Kind) {
		for _, k := range kinds {
			cs = append(cs, lbC(t, k, login, lbCDK, lbMid))
		}
	}
	// Default weights: commit 1, pr_opened 2, pr_merged 3, issue_* 1.
	add("dave", contrib.PRMerged, contrib.PROpened)                     // 5
	add("alice", contrib.PRMerged, contrib.Commit)                      // 4
	add("bob", contrib.PROpened, contrib.PROpened)                      // 4
	add("erin", contrib.Commit, contrib.Commit, contrib.IssueOpened)    // 3
	add("frank", contrib.IssueComment)                                  // 1
	add("gina", contrib.Star, contrib.Fork, contrib.Star, contrib.Fork) // signals only
	lbInsert(t, dsn, cs...)

	custom := lbConfigFile(t, "scoring:\n  weights:\n    commit: 5\n    pr_opened: 0.5\n")
	tests := []struct {
		name   string
		global []string
		want   []lbEntry
	}{
		{
			name: "default weights, competition ranking, ties by login",
			want: []lbEntry{
				{Rank: 1, Login: "dave", Score: 5, Counts: map[string]uint64{"pr_merged": 1, "pr_opened": 1}},
				{Rank: 2, Login: "alice", Score: 4, Counts: map[string]uint64{"pr_merged": 1, "commit": 1}},
				{Rank: 2, Login: "bob", Score: 4, Counts: map[string]uint64{"pr_opened": 2}},
				{Rank: 4, Login: "erin", Score: 3, Counts: map[string]uint64{"commit": 2, "issue_opened": 1}},
				{Rank: 5, Login: "frank", Score: 1, Counts: map[string]uint64{"issue_comment": 1}},
			},
		},
		{
			name:   "custom weights from the config file",
			global: []string{"--config", custom},
			// commit 5, pr_opened 0.5; the others keep their defaults.
			want: []lbEntry{
				{Rank: 1, Login: "erin", Score: 11, Counts: map[string]uint64{"commit": 2, "issue_opened": 1}},
				{Rank: 2, Login: "alice", Score: 8, Counts: map[string]uint64{"pr_merged": 1, "commit": 1}},
				{Rank: 3, Login: "dave", Score: 3.5, Counts: map[string]uint64{"pr_merged": 1, "pr_opened": 1}},
				{Rank: 4, Login: "bob", Score: 1, Counts: map[string]uint64{"pr_opened": 2}},
				{Rank: 4, Login: "frank", Score: 1, Counts: map[string]uint64{"issue_comment": 1}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := lbJSON(t, dsn, tt.global, "--from", lbFrom, "--to", lbTo)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("leaderboard (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLeaderboardFilters(t *testing.T) {
	dsn := lbMigratedDB(t)
	const (
		smithy   = "awslabs/smithy"
		patterns = "aws-samples/Serverless-Patterns"
		other    = "aws-samples-archive/old" // an org that merely starts like aws-samples
	)
	lbInsert(t, dsn,
		lbC(t, contrib.Commit, "alice", lbCDK, lbMid),
		lbC(t, contrib.PROpened, "alice", smithy, lbMid),
		lbC(t, contrib.Star, "alice", lbCDK, lbMid),
		lbC(t, contrib.Fork, "alice", lbCDK, lbMid),
		lbC(t, contrib.PRMerged, "bob", lbCDK, lbMid),
		lbC(t, contrib.IssueComment, "bob", patterns, lbMid),
		lbC(t, contrib.IssueOpened, "carol", patterns, lbMid),
		lbC(t, contrib.IssueOpened, "carol", patterns, lbMid),
		lbC(t, contrib.Release, "carol", smithy, lbMid),
		lbC(t, contrib.Star, "stargazer", lbCDK, lbMid),
		lbC(t, contrib.Fork, "stargazer", lbCDK, lbMid),
		lbC(t, contrib.IssueComment, "dan", other, lbMid),
	)
	var (
		alice = lbEntry{Login: "alice", Score: 3, Counts: map[string]uint64{"commit": 1, "pr_opened": 1}}
		bob   = lbEntry{Login: "bob", Score: 4, Counts: map[string]uint64{"pr_merged": 1, "issue_comment": 1}}
		carol = lbEntry{Login: "carol", Score: 4, Counts: map[string]uint64{"issue_opened": 2, "release": 1}}
		dan   = lbEntry{Login: "dan", Score: 1, Counts: map[string]uint64{"issue_comment": 1}}
	)
	at := func(rank int, e lbEntry) lbEntry { e.Rank = rank; return e }
	tests := []struct {
		name string
		args []string
		want []lbEntry
	}{
		{
			name: "everything, without star and fork",
			want: []lbEntry{at(1, bob), at(1, carol), at(3, alice), at(4, dan)},
		},
		{name: "limit 2", args: []string{"--limit", "2"}, want: []lbEntry{at(1, bob), at(1, carol)}},
		{name: "limit 1", args: []string{"--limit", "1"}, want: []lbEntry{at(1, bob)}},
		{
			name: "one kind",
			args: []string{"--kind", "commit"},
			want: []lbEntry{{Rank: 1, Login: "alice", Score: 1, Counts: map[string]uint64{"commit": 1}}},
		},
		{
			name: "repeated kind flag",
			args: []string{"--kind", "pr_opened", "--kind", "issue_opened"},
			want: []lbEntry{
				{Rank: 1, Login: "alice", Score: 2, Counts: map[string]uint64{"pr_opened": 1}},
				{Rank: 1, Login: "carol", Score: 2, Counts: map[string]uint64{"issue_opened": 2}},
			},
		},
		{
			name: "comma-separated kinds",
			args: []string{"--kind", "pr_opened,issue_opened"},
			want: []lbEntry{
				{Rank: 1, Login: "alice", Score: 2, Counts: map[string]uint64{"pr_opened": 1}},
				{Rank: 1, Login: "carol", Score: 2, Counts: map[string]uint64{"issue_opened": 2}},
			},
		},
		{
			name: "signals only when asked for, scoring nothing",
			args: []string{"--kind", "star,fork"},
			want: []lbEntry{
				{Rank: 1, Login: "alice", Score: 0, Counts: map[string]uint64{"star": 1, "fork": 1}},
				{Rank: 1, Login: "stargazer", Score: 0, Counts: map[string]uint64{"star": 1, "fork": 1}},
			},
		},
		{
			name: "org",
			args: []string{"--org", "aws"},
			want: []lbEntry{
				{Rank: 1, Login: "bob", Score: 3, Counts: map[string]uint64{"pr_merged": 1}},
				{Rank: 2, Login: "alice", Score: 1, Counts: map[string]uint64{"commit": 1}},
			},
		},
		{
			name: "org, case-insensitive",
			args: []string{"--org", "AWS-SAMPLES"},
			want: []lbEntry{
				{Rank: 1, Login: "carol", Score: 2, Counts: map[string]uint64{"issue_opened": 2}},
				{Rank: 2, Login: "bob", Score: 1, Counts: map[string]uint64{"issue_comment": 1}},
			},
		},
		{
			name: "repo, case-insensitive",
			args: []string{"--repo", "Aws-Samples/serverless-patterns"},
			want: []lbEntry{
				{Rank: 1, Login: "carol", Score: 2, Counts: map[string]uint64{"issue_opened": 2}},
				{Rank: 2, Login: "bob", Score: 1, Counts: map[string]uint64{"issue_comment": 1}},
			},
		},
		{
			name: "repo",
			args: []string{"--repo", smithy},
			want: []lbEntry{
				{Rank: 1, Login: "alice", Score: 2, Counts: map[string]uint64{"pr_opened": 1}},
				{Rank: 1, Login: "carol", Score: 2, Counts: map[string]uint64{"release": 1}},
			},
		},
		{
			name: "org and kind",
			args: []string{"--org", "aws", "--kind", "pr_merged,commit_comment"},
			want: []lbEntry{{Rank: 1, Login: "bob", Score: 3, Counts: map[string]uint64{"pr_merged": 1}}},
		},
		{
			name: "repo and signals",
			args: []string{"--repo", lbCDK, "--kind", "fork"},
			want: []lbEntry{
				{Rank: 1, Login: "alice", Score: 0, Counts: map[string]uint64{"fork": 1}},
				{Rank: 1, Login: "stargazer", Score: 0, Counts: map[string]uint64{"fork": 1}},
			},
		},
		// An unknown org is an error: TestUnknownNamesAreErrors.
		{name: "a known org, quiet in the period", args: []string{"--org", "aws", "--from", "2020-01-01", "--to", "2020-02-01"}, want: []lbEntry{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := lbJSON(t, dsn, nil, append([]string{"--from", lbFrom, "--to", lbTo}, tt.args...)...)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("leaderboard %v (-want +got):\n%s", tt.args, diff)
			}
		})
	}
}

func TestLeaderboardDateBounds(t *testing.T) {
	dsn := lbMigratedDB(t)
	lbInsert(t, dsn,
		lbC(t, contrib.Commit, "day-before", lbCDK, "2024-02-29T23:59:59Z"),
		lbC(t, contrib.Commit, "first-second", lbCDK, "2024-03-01T00:00:00Z"),
		lbC(t, contrib.Commit, "last-second", lbCDK, "2024-03-01T23:59:59Z"),
		lbC(t, contrib.Commit, "to-midnight", lbCDK, "2024-03-02T00:00:00Z"),
		// Local times: 22:30 UTC on March 1st (in) and 23:30 UTC on
		// February 29th (out), although their local dates say otherwise.
		lbC(t, contrib.Commit, "tz-in", lbCDK, "2024-03-02T00:30:00+02:00"),
		lbC(t, contrib.Commit, "tz-out", lbCDK, "2024-03-01T01:30:00+02:00"),
	)
	one := map[string]uint64{"commit": 1}
	tests := []struct {
		name     string
		from, to string
		want     []lbEntry
	}{
		{
			name: "one day",
			from: "2024-03-01", to: "2024-03-02",
			want: []lbEntry{
				{Rank: 1, Login: "first-second", Score: 1, Counts: one},
				{Rank: 1, Login: "last-second", Score: 1, Counts: one},
				{Rank: 1, Login: "tz-in", Score: 1, Counts: one},
			},
		},
		{
			name: "the day before",
			from: "2024-02-29", to: "2024-03-01",
			want: []lbEntry{
				{Rank: 1, Login: "day-before", Score: 1, Counts: one},
				{Rank: 1, Login: "tz-out", Score: 1, Counts: one},
			},
		},
		{
			name: "the day after",
			from: "2024-03-02", to: "2024-03-03",
			want: []lbEntry{{Rank: 1, Login: "to-midnight", Score: 1, Counts: one}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := lbJSON(t, dsn, nil, "--from", tt.from, "--to", tt.to)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("leaderboard [%s, %s) (-want +got):\n%s", tt.from, tt.to, diff)
			}
		})
	}
}

func TestLeaderboardBots(t *testing.T) {
	dsn := lbMigratedDB(t)
	logins := []string{
		"dependabot[bot]", "Renovate[BOT]", // GitHub App accounts, any case
		"aws-cdk-automation", "GitHub-Actions", // the maintained list, any case
		"my-ci-bot", "release-helper", "svc-eu.deploy", // "my-ci-bot" by the default "*-bot"; the others only by configuration
		"abbot", "robot-fan", "alice", // people
	}
	var cs []contrib.Contribution
	for _, l := range logins {
		cs = append(cs, lbC(t, contrib.Commit, l, lbCDK, lbMid))
	}
	lbInsert(t, dsn, cs...)
	cfg := lbConfigFile(t, "bots:\n  logins: [Release-Helper]\n  patterns: [\"svc-*.deploy\"]\n")
	tests := []struct {
		name   string
		global []string
		args   []string
		want   []string
	}{
		{
			name: "default rules",
			want: []string{"abbot", "alice", "release-helper", "robot-fan", "svc-eu.deploy"},
		},
		{
			name:   "configured logins and patterns",
			global: []string{"--config", cfg},
			want:   []string{"abbot", "alice", "robot-fan"},
		},
		{
			name:   "include bots",
			global: []string{"--config", cfg},
			args:   []string{"--include-bots"},
			want: []string{"GitHub-Actions", "Renovate[BOT]", "abbot", "alice", "aws-cdk-automation",
				"dependabot[bot]", "my-ci-bot", "release-helper", "robot-fan", "svc-eu.deploy"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := lbJSON(t, dsn, tt.global, append([]string{"--from", lbFrom, "--to", lbTo}, tt.args...)...)
			var gotLogins []string
			for _, e := range got {
				gotLogins = append(gotLogins, e.Login)
				if e.Rank != 1 || e.Score != 1 {
					t.Errorf("%s: rank %d score %v, want rank 1 score 1", e.Login, e.Rank, e.Score)
				}
			}
			sort.Strings(gotLogins)
			if diff := cmp.Diff(tt.want, gotLogins); diff != "" {
				t.Errorf("logins (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLeaderboardCountsDuplicatesOnce(t *testing.T) {
	dsn := lbMigratedDB(t)
	pr := lbCKey(t, contrib.PROpened, contrib.KeyForNumber(lbHash("repo:"+lbCDK), 42), "alice", lbCDK, lbMid)
	fromArchive := pr
	fromArchive.Via = contrib.ViaGHArchive
	fromGraphQL := pr
	fromGraphQL.Via = contrib.ViaGraphQL
	commit := lbCKey(t, contrib.Commit, contrib.KeyForCommit(lbHash("repo:"+lbCDK), "abc123"), "alice", lbCDK, lbMid)
	// The same pull request in one batch twice, then again in later
	// batches from other sources; the same commit in two batches.
	lbInsert(t, dsn, pr, pr, commit)
	lbInsert(t, dsn, fromArchive, commit)
	lbInsert(t, dsn, fromGraphQL)
	// A different pull request of the same repository does count.
	lbInsert(t, dsn, lbCKey(t, contrib.PROpened, contrib.KeyForNumber(lbHash("repo:"+lbCDK), 43), "alice", lbCDK, lbMid))

	got := lbJSON(t, dsn, nil, "--from", lbFrom, "--to", lbTo)
	want := []lbEntry{{Rank: 1, Login: "alice", Score: 5, Counts: map[string]uint64{"pr_opened": 2, "commit": 1}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("leaderboard (-want +got):\n%s", diff)
	}
}

func TestLeaderboardEmailOnlyIdentity(t *testing.T) {
	dsn := lbMigratedDB(t)
	const email = "jane.doe@example.com"
	id := contrib.EmailActorID(email)
	label := contrib.EmailLabel(id)
	c1 := lbC(t, contrib.Commit, "", lbCDK, lbMid)
	c2 := lbC(t, contrib.Commit, "", lbCDK, lbMid)
	c1.ActorID, c2.ActorID = id, id
	lbInsert(t, dsn, c1, c2, lbC(t, contrib.Commit, "alice", lbCDK, lbMid))

	got := lbJSON(t, dsn, nil, "--from", lbFrom, "--to", lbTo)
	want := []lbEntry{
		{Rank: 1, Login: label, Score: 2, Counts: map[string]uint64{"commit": 2}},
		{Rank: 2, Login: "alice", Score: 1, Counts: map[string]uint64{"commit": 1}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("leaderboard (-want +got):\n%s", diff)
	}
	for _, format := range []string{"table", "csv", "json"} {
		t.Run(format, func(t *testing.T) {
			code, stdout, stderr := lbLeaderboard(t, dsn, nil, "--from", lbFrom, "--to", lbTo, "--format", format)
			if code != 0 {
				t.Fatalf("exit code %d, stderr:\n%s", code, stderr)
			}
			if !strings.Contains(stdout, label) {
				t.Errorf("output lacks the label %q:\n%s", label, stdout)
			}
			if strings.Contains(stdout+stderr, "example.com") || strings.Contains(stdout+stderr, "jane") {
				t.Errorf("output shows the email:\n%s%s", stdout, stderr)
			}
		})
	}
}

// lbFormatData stores the contributions the output format tests read.
func lbFormatData(t *testing.T) string {
	t.Helper()
	dsn := lbMigratedDB(t)
	lbInsert(t, dsn,
		lbC(t, contrib.PROpened, "alice", lbCDK, lbMid),
		lbC(t, contrib.Commit, "alice", lbCDK, lbMid),
		lbC(t, contrib.IssueComment, "bob", lbCDK, lbMid),
		lbC(t, contrib.Star, "bob", lbCDK, lbMid),
	)
	return dsn
}

func TestLeaderboardCSV(t *testing.T) {
	dsn := lbFormatData(t)
	every := "rank,login,score,commit,pr_opened,pr_merged,pr_closed,pr_review,pr_review_comment," +
		"issue_opened,issue_closed,issue_comment,commit_comment,release"
	tests := []struct {
		name string
		args []string
		want string
	}{
		{
			name: "every contribution kind",
			want: every + "\n" +
				"1,alice,3,1,1,0,0,0,0,0,0,0,0,0\n" +
				"2,bob,1,0,0,0,0,0,0,0,0,1,0,0\n",
		},
		{
			name: "selected kinds in vocabulary order",
			args: []string{"--kind", "pr_opened,commit"},
			want: "rank,login,score,commit,pr_opened\n" +
				"1,alice,3,1,1\n",
		},
		{
			name: "a kind selected twice is one column",
			args: []string{"--kind", "issue_comment", "--kind", "issue_comment"},
			want: "rank,login,score,issue_comment\n" +
				"1,bob,1,1\n",
		},
		{
			name: "nobody matches: header only",
			args: []string{"--kind", "release"},
			want: "rank,login,score,release\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := lbLeaderboard(t, dsn, nil,
				append([]string{"--from", lbFrom, "--to", lbTo, "--format", "csv"}, tt.args...)...)
			if code != 0 {
				t.Fatalf("exit code %d, stderr:\n%s", code, stderr)
			}
			if diff := cmp.Diff(tt.want, stdout); diff != "" {
				t.Errorf("csv (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLeaderboardCSVNeutralisesFormulas(t *testing.T) {
	dsn := lbMigratedDB(t)
	hostile := []string{"=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)"}
	var cs []contrib.Contribution
	for _, l := range hostile {
		cs = append(cs, lbC(t, contrib.Commit, l, lbCDK, lbMid))
	}
	lbInsert(t, dsn, cs...)
	code, stdout, stderr := lbLeaderboard(t, dsn, nil, "--from", lbFrom, "--to", lbTo, "--format", "csv", "--kind", "commit")
	if code != 0 {
		t.Fatalf("exit code %d, stderr:\n%s", code, stderr)
	}
	records, err := csv.NewReader(strings.NewReader(stdout)).ReadAll()
	if err != nil {
		t.Fatalf("output is not CSV: %v\n%s", err, stdout)
	}
	if len(records) != len(hostile)+1 {
		t.Fatalf("got %d records, want a header and %d rows:\n%s", len(records), len(hostile), stdout)
	}
	var logins []string
	for _, r := range records[1:] {
		for i, cell := range r {
			if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
				t.Errorf("cell %d of %q starts with %q", i, r, cell[0])
			}
		}
		logins = append(logins, r[1])
	}
	sort.Strings(logins)
	want := []string{"'+1+1", "'-2+3", "'=cmd|' /C calc'!A0", "'@SUM(A1)"}
	if diff := cmp.Diff(want, logins); diff != "" {
		t.Errorf("logins (-want +got):\n%s", diff)
	}
}

func TestLeaderboardTableWhenNotATerminal(t *testing.T) {
	dsn := lbFormatData(t)
	code, stdout, stderr := lbLeaderboard(t, dsn, nil, "--from", lbFrom, "--to", lbTo)
	if code != 0 {
		t.Fatalf("exit code %d, stderr:\n%s", code, stderr)
	}
	// Tab-separated for scripts, with every column the CSV has (all-zero
	// ones too: a script finds its column whatever the data).
	want := "RANK\tLOGIN\tSCORE\tCOMMIT\tPR_OPENED\tPR_MERGED\tPR_CLOSED\tPR_REVIEW\tPR_REVIEW_COMMENT\t" +
		"ISSUE_OPENED\tISSUE_CLOSED\tISSUE_COMMENT\tCOMMIT_COMMENT\tRELEASE\n" +
		"1\talice\t3\t1\t1\t0\t0\t0\t0\t0\t0\t0\t0\t0\n" +
		"2\tbob\t1\t0\t0\t0\t0\t0\t0\t0\t0\t1\t0\t0\n"
	if diff := cmp.Diff(want, stdout); diff != "" {
		t.Errorf("table (-want +got):\n%s", diff)
	}
}

func TestLeaderboardBadArguments(t *testing.T) {
	// Usage errors are found before connecting: this DSN would fail with
	// exit code 1 if the command got that far.
	const dsn = "clickhouse://127.0.0.1:1/unreachable"
	period := []string{"--from", lbFrom, "--to", lbTo}
	tests := []struct {
		name     string
		args     []string
		wantFlag string // stderr must name it
	}{
		{name: "missing --from", args: []string{"--to", lbTo}, wantFlag: "from"},
		{name: "missing --to", args: []string{"--from", lbFrom}, wantFlag: "to"},
		{name: "--from after --to", args: []string{"--from", "2024-02-02", "--to", "2024-02-01"}, wantFlag: "--to"},
		{name: "--from equal to --to", args: []string{"--from", lbFrom, "--to", lbFrom}, wantFlag: "--to"},
		{name: "bad --from", args: []string{"--from", "yesterday", "--to", lbTo}, wantFlag: "--from"},
		{name: "bad --from month", args: []string{"--from", "2024-13-01", "--to", lbTo}, wantFlag: "--from"},
		{name: "bad --to", args: []string{"--from", lbFrom, "--to", "2024/02/01"}, wantFlag: "--to"},
		{name: "unknown --kind", args: append([]string{"--kind", "commits"}, period...), wantFlag: "--kind"},
		{name: "unknown kind in a list", args: append([]string{"--kind", "commit,bogus"}, period...), wantFlag: "--kind"},
		{name: "--limit 0", args: append([]string{"--limit", "0"}, period...), wantFlag: "--limit"},
		{name: "negative --limit", args: append([]string{"--limit", "-3"}, period...), wantFlag: "--limit"},
		{name: "--limit not a number", args: append([]string{"--limit", "ten"}, period...), wantFlag: "--limit"},
		{name: "--repo without a slash", args: append([]string{"--repo", "aws-cdk"}, period...), wantFlag: "--repo"},
		{name: "--repo with two slashes", args: append([]string{"--repo", "aws/aws-cdk/x"}, period...), wantFlag: "--repo"},
		{name: "--org with a slash", args: append([]string{"--org", "aws/aws-cdk"}, period...), wantFlag: "--org"},
		{name: "unknown --format", args: append([]string{"--format", "xml"}, period...), wantFlag: "--format"},
		{name: "unknown flag", args: append([]string{"--bogus"}, period...), wantFlag: "--bogus"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := lbLeaderboard(t, dsn, nil, tt.args...)
			if code != 2 {
				t.Errorf("exit code %d, want 2; stderr:\n%s", code, stderr)
			}
			if !strings.Contains(stderr, tt.wantFlag) {
				t.Errorf("stderr does not name %s:\n%s", tt.wantFlag, stderr)
			}
			if stdout != "" {
				t.Errorf("stdout is not empty:\n%s", stdout)
			}
		})
	}
}

func TestLeaderboardNotMigrated(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, name string)
	}{
		{name: "database never created", setup: func(*testing.T, string) {}},
		{
			name: "database created, no tables",
			setup: func(t *testing.T, name string) {
				opts, err := clickhouse.ParseDSN(chtest.ServerDSN(t))
				if err != nil {
					t.Fatal(err)
				}
				conn, err := clickhouse.Open(opts)
				if err != nil {
					t.Fatal(err)
				}
				defer conn.Close()
				if err := conn.Exec(context.Background(), "CREATE DATABASE "+name); err != nil {
					t.Fatal(err)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dsn, name := chtest.Database(t)
			tt.setup(t, name)
			code, stdout, stderr := lbLeaderboard(t, dsn, nil, "--from", lbFrom, "--to", lbTo)
			if code != 1 {
				t.Errorf("exit code %d, want 1; stderr:\n%s", code, stderr)
			}
			if !strings.Contains(stderr, "contribtrack migrate") {
				t.Errorf("stderr does not say to run `contribtrack migrate`:\n%s", stderr)
			}
			if stdout != "" {
				t.Errorf("stdout is not empty:\n%s", stdout)
			}
			// After migrating, the same command works.
			if code, _, stderr := lbRun(t, "--clickhouse", dsn, "migrate"); code != 0 {
				t.Fatalf("migrate: exit code %d, stderr:\n%s", code, stderr)
			}
			if code, _, stderr := lbLeaderboard(t, dsn, nil, "--from", lbFrom, "--to", lbTo); code != 0 {
				t.Errorf("after migrate: exit code %d, stderr:\n%s", code, stderr)
			}
		})
	}
}

func TestLeaderboardBadConfigFile(t *testing.T) {
	dsn := lbMigratedDB(t)
	path := lbConfigFile(t, "scoring:\n  weights:\n    commit: 1\n  weigths: {}\n")
	code, stdout, stderr := lbLeaderboard(t, dsn, []string{"--config", path}, "--from", lbFrom, "--to", lbTo)
	if code != 1 {
		t.Errorf("exit code %d, want 1", code)
	}
	if !strings.Contains(stderr, path) || !strings.Contains(stderr, "weigths") {
		t.Errorf("stderr does not name the file and the field:\n%s", stderr)
	}
	if stdout != "" {
		t.Errorf("stdout is not empty:\n%s", stdout)
	}
}

// The CLI reads the environment only through the getenv it is given.
func TestLeaderboardIgnoresProcessEnvironment(t *testing.T) {
	dsn := lbMigratedDB(t)
	lbInsert(t, dsn, lbC(t, contrib.Commit, "alice", lbCDK, lbMid))
	t.Setenv("CONTRIBTRACK_CONFIG", "/nonexistent/contribtrack.yaml")
	t.Setenv("CONTRIBTRACK_CLICKHOUSE", "clickhouse://127.0.0.1:1/unreachable")
	var out, errOut bytes.Buffer
	if code := Main([]string{"--clickhouse", dsn, "leaderboard", "--from", lbFrom, "--to", lbTo, "--format", "json"},
		&out, &errOut, lbNoEnv); code != 0 {
		t.Fatalf("exit code %d, stderr:\n%s", code, errOut.String())
	}
	got := lbDecodeJSON(t, out.String())
	if len(got) != 1 || got[0].Login != "alice" {
		t.Errorf("got %+v, want alice alone", got)
	}
}
