package report_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/net/html"

	"contribtrack/internal/community"
	"contribtrack/internal/contrib"
	"contribtrack/internal/leaderboard"
	"contribtrack/internal/report"
	"contribtrack/internal/store"
)

var update = flag.Bool("update", false, "rewrite the golden reports in testdata/")

// goldenCase is a report of the fixed dataset and the formats kept as
// golden files.
type goldenCase struct {
	name    string
	req     report.Request
	formats []string
}

var goldenCases = []goldenCase{
	{"org", report.Request{Scope: report.Scope{Org: "awslabs"}, From: periodFrom, To: periodTo}, report.Formats},
	{"repo", report.Request{Scope: report.Scope{Repo: widget}, From: periodFrom, To: periodTo}, []string{"md", "json"}},
	{"all", report.Request{From: periodFrom, To: periodTo}, []string{"md", "csv"}},
	{"project", report.Request{Scope: report.Scope{Project: "widgets"}, Set: widgets, From: periodFrom, To: periodTo}, []string{"md", "json"}},
	{"program", report.Request{Scope: report.Scope{Program: "aws-community-builders"}, From: periodFrom, To: periodTo}, []string{"md", "json"}},
	{"member", report.Request{Scope: report.Scope{Member: "kwatanabe"}, From: periodFrom, To: periodTo}, []string{"md", "json"}},
	{"empty", report.Request{Scope: report.Scope{Org: "awslabs"}, From: day("2030-01-01"), To: day("2030-02-01")}, report.Formats},
}

func build(t *testing.T, e *env, req report.Request) *report.Report {
	t.Helper()
	r, err := report.Build(context.Background(), e.store, req, e.settings(t), report.Options{Now: now})
	if err != nil {
		t.Fatalf("report %+v: %v", req, err)
	}
	return r
}

func render(t *testing.T, r *report.Report, format string) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := report.Write(&b, format, r); err != nil {
		t.Fatalf("write %s: %v", format, err)
	}
	return b.Bytes()
}

// TestGolden compares every format of the fixed dataset's reports with the
// files in testdata/ (go test -run Golden -update rewrites them).
func TestGolden(t *testing.T) {
	e := newEnv(t)
	e.load(t)
	for _, gc := range goldenCases {
		r := build(t, e, gc.req)
		for _, format := range gc.formats {
			got := render(t, r, format)
			path := filepath.Join("testdata", gc.name+"."+format)
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -run Golden -update to write it)", err)
			}
			if d := cmp.Diff(string(want), string(got)); d != "" {
				t.Errorf("%s differs from the golden file (-want +got):\n%s", path, d)
			}
		}
	}
}

// TestNumbersMatchLeaderboardAndMetrics checks the report's numbers
// against the leaderboard's and the community metrics' for the same scope
// and period.
func TestNumbersMatchLeaderboardAndMetrics(t *testing.T) {
	e := newEnv(t)
	e.load(t)
	ctx := context.Background()
	s := e.settings(t)
	for _, gc := range goldenCases {
		t.Run(gc.name, func(t *testing.T) {
			r := build(t, e, gc.req)
			q := leaderboard.Query{
				Question: store.Question{
					From:    gc.req.From,
					To:      gc.req.To,
					Org:     gc.req.Org,
					Repo:    gc.req.Repo,
					Set:     gc.req.Set,
					Program: gc.req.Program,
					Member:  gc.req.Member,
					Limit:   leaderboard.MaxLimit,
				},
			}
			entries, err := leaderboard.Compute(ctx, e.store, q, s)
			if err != nil {
				t.Fatal(err)
			}
			if len(entries) != len(r.Contributors) {
				t.Fatalf("%d contributors, the leaderboard has %d", len(r.Contributors), len(entries))
			}
			var total uint64
			for i, en := range entries {
				c := r.Contributors[i]
				counts := map[string]uint64{}
				for k, n := range c.Counts {
					if n > 0 {
						counts[k] = n
					}
				}
				if c.Rank != en.Rank || c.Login != en.Login || c.Score != en.Score || !cmp.Equal(counts, en.Counts) {
					t.Errorf("contributor %d: %+v, leaderboard %+v", i, c, en)
				}
				for _, n := range en.Counts {
					total += n
				}
			}
			if r.Summary.Contributions != total {
				t.Errorf("summary: %d contributions, the leaderboard's add up to %d", r.Summary.Contributions, total)
			}
			m, err := community.Compute(ctx, e.store, q, s)
			if err != nil {
				t.Fatal(err)
			}
			sm := r.Summary
			if sm.ActiveContributors != m.ActiveContributors || sm.NewContributors != m.NewContributors ||
				sm.ReturningContributors != m.ReturningContributors || sm.Contributions != m.Contributions {
				t.Errorf("summary %+v, metrics %+v", sm, m)
			}
			if gc.req.Program == "" && gc.req.Member == "" {
				if sm.PullRequestsMerged != m.PullRequestsMerged {
					t.Errorf("%d pull requests merged, metrics say %d", sm.PullRequestsMerged, m.PullRequestsMerged)
				}
				if m.TimeToMerge != nil && (sm.MedianTimeToMergeSeconds == nil || *sm.MedianTimeToMergeSeconds != m.TimeToMerge.MedianSeconds) {
					t.Errorf("median time to merge %v, metrics %+v", sm.MedianTimeToMergeSeconds, m.TimeToMerge)
				}
			}
			first := 0
			for _, c := range r.Contributors {
				if c.FirstTime {
					first++
				}
			}
			if first != sm.NewContributors {
				t.Errorf("%d contributors marked first-time, %d new", first, sm.NewContributors)
			}
			var bucketed uint64
			for _, b := range r.Activity.Buckets {
				bucketed += b.Contributions
			}
			if bucketed != sm.Contributions {
				t.Errorf("activity buckets add up to %d, summary %d", bucketed, sm.Contributions)
			}
		})
	}
}

// TestReportContents checks what the fixed dataset's org report must say,
// worked out by hand from data_test.go.
func TestReportContents(t *testing.T) {
	e := newEnv(t)
	e.load(t)
	r := build(t, e, report.Request{Scope: report.Scope{Org: "awslabs"}, From: periodFrom, To: periodTo})
	byLogin := map[string]report.Contributor{}
	for _, c := range r.Contributors {
		byLogin[c.Login] = c
	}
	for _, bot := range []string{"dependabot[bot]", "release-helper-ci"} {
		if _, ok := byLogin[bot]; ok {
			t.Errorf("bot %s listed", bot)
		}
	}
	// dependabot: a pull request opened, merged, 2 commits; the roster's
	// bot: a release.
	if r.Summary.BotContributions != 5 || r.Summary.BotAccounts != 2 {
		t.Errorf("bots left out: %d contributions by %d accounts, want 5 by 2", r.Summary.BotContributions, r.Summary.BotAccounts)
	}
	k := byLogin["kwatanabe"]
	if k.Name != "Kenji Watanabe" || !cmp.Equal(k.Programs, []string{"aws-community-builders"}) || k.Counts["commit"] != 2 {
		t.Errorf("kwatanabe (with kenji-w-old's commits): %+v", k)
	}
	if !k.FirstTime || byLogin["ana-ferreira-dev"].FirstTime || byLogin["alice"].FirstTime || !byLogin["bob"].FirstTime {
		t.Errorf("first-time marks: %+v", r.Contributors)
	}
	if byLogin["ana-ferreira-dev"].URL != "https://github.com/ana-ferreira-dev" {
		t.Errorf("profile link %q", byLogin["ana-ferreira-dev"].URL)
	}
	for _, p := range r.Welcome {
		if p.Login == "ana-ferreira-dev" || p.Login == leaderboard.Hidden {
			t.Errorf("welcome lists %s", p.Login)
		}
	}
	// ana and carol reviewed two pull requests each (ties by login), kenji
	// one.
	var reviewers []string
	for _, rv := range r.TopReviewers {
		reviewers = append(reviewers, rv.Login+":"+strconv.FormatUint(rv.Reviews, 10))
	}
	if want := []string{"ana-ferreira-dev:2", "carol:2", "kwatanabe:1"}; !cmp.Equal(reviewers, want) {
		t.Errorf("top reviewers %q, want %q", reviewers, want)
	}
	// widget: 4 pull requests reported by GitHub, 4 stored (10, 11, 12
	// and the bot's 16); gadget: 2 reported, 1 stored.
	if r.Summary.Completeness == nil || *r.Summary.Completeness != 5.0/6 {
		t.Errorf("completeness %v, want 5/6", r.Summary.Completeness)
	}
	if r.Summary.LastSync == nil || r.Summary.LastSync.Hour() != 4 || r.Summary.RepositoriesSynced != 2 {
		t.Errorf("last sync %v over %d repositories, want gadget's 04:00 over 2", r.Summary.LastSync, r.Summary.RepositoriesSynced)
	}
	if r.Activity.Unit != "week" || len(r.Activity.Buckets) != 14 || r.Activity.Buckets[0].Start != "2024-03-01" || r.Activity.Buckets[1].Start != "2024-03-04" {
		t.Errorf("activity %s, %d buckets, first %+v", r.Activity.Unit, len(r.Activity.Buckets), r.Activity.Buckets[:2])
	}
	if len(r.Repositories) != 2 || r.Repositories[0].Name != widget {
		t.Errorf("repositories %+v", r.Repositories)
	}
	if r.Summary.CommunityShare == nil {
		t.Error("community share missing with a roster")
	}

	// A program's report counts members' contributions made while members:
	// kenji from 2024-03-01, and not ana (a hero, a builder until 2022).
	p := build(t, e, report.Request{Scope: report.Scope{Program: "aws-community-builders"}, From: periodFrom, To: periodTo})
	if len(p.Contributors) != 1 || p.Contributors[0].Login != "kwatanabe" || p.Summary.MedianTimeToMergeSeconds != nil {
		t.Errorf("program report: %+v, time to merge %v", p.Contributors, p.Summary.MedianTimeToMergeSeconds)
	}
	// A member's report: that person only, everywhere, through both
	// logins. By hand from data_test.go: pull request 13 opened and merged,
	// reviews (with a comment each) of 11 and 15, kenji-w-old's two
	// commits, issue 20 commented on and closed.
	kenjiCounts := map[string]uint64{"commit": 2, "pr_opened": 1, "pr_merged": 1, "pr_review": 2, "pr_review_comment": 2,
		"issue_closed": 1, "issue_comment": 1}
	m := build(t, e, report.Request{Scope: report.Scope{Member: "kenji-w-old"}, From: periodFrom, To: periodTo})
	if len(m.Contributors) != 1 || m.Contributors[0].Login != "kwatanabe" || len(m.Repositories) != 3 {
		t.Fatalf("member report: %+v in %+v", m.Contributors, m.Repositories)
	}
	if got := nonzero(m.Contributors[0].Counts); !cmp.Equal(got, kenjiCounts) || m.Summary.Contributions != 10 {
		t.Errorf("member report counts %v (%d), want %v (10)", got, m.Summary.Contributions, kenjiCounts)
	}
	if m.Summary.ActiveContributors != 1 || m.Summary.CommunityShare != nil {
		t.Errorf("member report: %d active contributors, community share %v; want 1 and none (one person)", m.Summary.ActiveContributors, m.Summary.CommunityShare)
	}
	if got := nonzero(p.Contributors[0].Counts); !cmp.Equal(got, kenjiCounts) || p.Summary.Contributions != 10 || p.Summary.PullRequestsMerged != 1 {
		t.Errorf("program report counts %v (%+v), want %v", got, p.Summary, kenjiCounts)
	}
	// Someone who opted out has no report of their own.
	if _, err := report.Build(context.Background(), e.store, report.Request{Scope: report.Scope{Member: "dmorales"}, From: periodFrom, To: periodTo},
		e.settings(t), report.Options{Now: now}); !errors.Is(err, report.ErrNotShown) {
		t.Errorf("an opted-out member's report: %v, want ErrNotShown", err)
	}
	for _, c := range r.Contributors {
		if c.Login == leaderboard.Hidden && (c.FirstTime || c.Name != "" || c.URL != "" || len(c.Programs) > 0) {
			t.Errorf("hidden contributor shows %+v", c)
		}
	}
}

func nonzero(m map[string]uint64) map[string]uint64 {
	out := map[string]uint64{}
	for k, n := range m {
		if n > 0 {
			out[k] = n
		}
	}
	return out
}

// TestMemberIsOneAccount: a login that is no member's names the account
// that used it last, with its contributions under a later login too, and
// not those of an earlier account that used the login.
func TestMemberIsOneAccount(t *testing.T) {
	e := newEnv(t)
	var b builder
	first, second := person{"zed", 111}, person{"zed", 222}
	b.add(contrib.Commit, first, widget, "2024-03-04T10:00:00Z", 0)
	b.add(contrib.Commit, second, widget, "2024-03-11T10:00:00Z", 0)
	b.add(contrib.Commit, person{"zed-renamed", 222}, widget, "2024-03-18T10:00:00Z", 0)
	// Commits whose email no account or member claims: someone else's,
	// whatever member is asked for (they once showed in every member's
	// report, because their login is empty).
	b.add(contrib.Commit, person{"", contrib.EmailActorID("someone@example.org")}, widget, "2024-03-19T10:00:00Z", 0)
	b.add(contrib.Commit, person{"", contrib.EmailActorID("other@example.net")}, widget, "2024-03-20T10:00:00Z", 0)
	if err := e.store.Insert(context.Background(), b.out); err != nil {
		t.Fatal(err)
	}
	r := build(t, e, report.Request{Scope: report.Scope{Member: "zed"}, From: periodFrom, To: periodTo})
	if len(r.Contributors) != 1 || r.Summary.Contributions != 2 || r.Contributors[0].Login != "zed-renamed" {
		t.Errorf("zed's report: %+v, %d contributions; want account 222's 2 (shown as zed-renamed)", r.Contributors, r.Summary.Contributions)
	}
}

// TestTruncatedAndUnits: a capped contributor list says so and keeps the
// totals; periods of every length cut into the right unit, and the
// buckets add up.
func TestTruncatedAndUnits(t *testing.T) {
	e := newEnv(t)
	e.load(t)
	s := e.settings(t)
	req := report.Request{Scope: report.Scope{Org: "awslabs"}, From: periodFrom, To: periodTo}
	full := build(t, e, req)
	capped, err := report.Build(context.Background(), e.store, req, s, report.Options{Now: now, MaxContributors: 2})
	if err != nil {
		t.Fatal(err)
	}
	if !capped.Summary.Truncated || full.Summary.Truncated || len(capped.Contributors) != 2 ||
		capped.Summary.Contributions != full.Summary.Contributions || !cmp.Equal(capped.Summary.ByKind, full.Summary.ByKind) {
		t.Errorf("capped at 2: truncated %v (full %v), %d listed, totals %d vs %d", capped.Summary.Truncated, full.Summary.Truncated,
			len(capped.Contributors), capped.Summary.Contributions, full.Summary.Contributions)
	}
	for _, tc := range []struct {
		from, to string
		unit     string
		buckets  int
	}{
		{"2024-03-03", "2024-03-13", "day", 10},
		{"2024-01-01", "2025-01-01", "month", 12},
		{"2023-11-15", "2024-04-10", "week", 22},
		{"2020-01-01", "2025-01-01", "year", 5},
	} {
		r := build(t, e, report.Request{From: day(tc.from), To: day(tc.to)})
		var sum uint64
		for _, b := range r.Activity.Buckets {
			sum += b.Contributions
		}
		lb, err := leaderboard.Compute(context.Background(), e.store, leaderboard.Query{Question: store.Question{From: day(tc.from), To: day(tc.to), Limit: 1000}}, s)
		if err != nil {
			t.Fatal(err)
		}
		var want uint64
		for _, en := range lb {
			for _, n := range en.Counts {
				want += n
			}
		}
		if r.Activity.Unit != tc.unit || len(r.Activity.Buckets) != tc.buckets || sum != want || r.Activity.Buckets[0].Start != tc.from {
			t.Errorf("%s..%s: %s x %d from %s adding up to %d; want %s x %d from %s adding up to %d", tc.from, tc.to,
				r.Activity.Unit, len(r.Activity.Buckets), r.Activity.Buckets[0].Start, sum, tc.unit, tc.buckets, tc.from, want)
		}
	}
}

// widgets is a project of the configuration: one repository of awslabs
// and the whole aws org.
var widgets = report.ProjectSet([]string{widget, "aws"})

// TestProjectScope: a project's report adds up its parts, whether the
// rollup is behind (raw sightings) or current.
func TestProjectScope(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if err := e.store.Insert(ctx, dataset()); err != nil {
		t.Fatal(err)
	}
	project := report.Request{Scope: report.Scope{Project: "widgets"}, Set: widgets, From: periodFrom, To: periodTo}
	stale := build(t, e, project)
	if _, err := e.store.RefreshRollup(ctx); err != nil {
		t.Fatal(err)
	}
	fresh := build(t, e, project)
	if d := cmp.Diff(stale, fresh); d != "" {
		t.Errorf("the rollup changes the project's report (-raw +rollup):\n%s", d)
	}
	repo := build(t, e, report.Request{Scope: report.Scope{Repo: widget}, From: periodFrom, To: periodTo})
	org := build(t, e, report.Request{Scope: report.Scope{Org: "aws"}, From: periodFrom, To: periodTo})
	for _, k := range fresh.Kinds {
		if got, want := fresh.Summary.ByKind[k], repo.Summary.ByKind[k]+org.Summary.ByKind[k]; got != want {
			t.Errorf("%s: project %d, its repository and org %d", k, got, want)
		}
	}
	if fresh.Summary.Contributions == 0 || fresh.Summary.PullRequestsMerged != repo.Summary.PullRequestsMerged+org.Summary.PullRequestsMerged {
		t.Errorf("project %+v", fresh.Summary)
	}
	var names []string
	for _, r := range fresh.Repositories {
		names = append(names, r.Name)
	}
	if want := []string{widget, thing}; !cmp.Equal(names, want) {
		t.Errorf("project repositories %q, want %q", names, want)
	}
	if err := (report.Request{Scope: report.Scope{Project: "widgets"}, From: periodFrom, To: periodTo}).Validate(); err == nil {
		t.Error("a project without its set validates")
	}
}

// TestEmptyPeriod: a period without activity is a valid, empty report in
// every format.
func TestEmptyPeriod(t *testing.T) {
	e := newEnv(t)
	e.load(t)
	// The repository is known (a name nothing knows is an error), but was
	// quiet in the period.
	var b builder
	b.add(contrib.Commit, account("someone"), "nobody/nothing", "2010-01-04T10:00:00Z", 0)
	if err := e.store.Insert(context.Background(), b.out); err != nil {
		t.Fatal(err)
	}
	r := build(t, e, report.Request{Scope: report.Scope{Repo: "nobody/nothing"}, From: periodFrom, To: periodTo})
	if len(r.Contributors) != 0 || r.Summary.Contributions != 0 || len(r.Activity.Buckets) != 14 {
		t.Fatalf("empty report: %+v", r)
	}
	for _, format := range report.Formats {
		out := render(t, r, format)
		switch format {
		case "json":
			validate(t, out)
		case "csv":
			rows, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
			if err != nil || len(rows) != 1 {
				t.Errorf("csv: %v, %d rows", err, len(rows))
			}
		case "md":
			if !bytes.Contains(out, []byte("No contributions in this period.")) {
				t.Errorf("markdown does not say the period is empty:\n%s", out)
			}
		}
	}
}

var schema = func() *jsonschema.Schema {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(report.Schema))
	if err != nil {
		panic(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(report.SchemaID, doc); err != nil {
		panic(err)
	}
	return c.MustCompile(report.SchemaID)
}()

func validate(t *testing.T, out []byte) {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("json: %v", err)
	}
	if err := schema.Validate(inst); err != nil {
		t.Errorf("the JSON report does not validate against schema.json: %v", err)
	}
}

// TestJSONValidatesAgainstSchema validates every golden case's JSON, and
// checks that the schema catches a report that breaks it.
func TestJSONValidatesAgainstSchema(t *testing.T) {
	e := newEnv(t)
	e.load(t)
	for _, gc := range goldenCases {
		validate(t, render(t, build(t, e, gc.req), "json"))
	}
	var doc map[string]any
	if err := json.Unmarshal(render(t, build(t, e, goldenCases[0].req), "json"), &doc); err != nil {
		t.Fatal(err)
	}
	doc["contributors"].([]any)[0].(map[string]any)["rank"] = "first"
	broken, _ := json.Marshal(doc)
	inst, _ := jsonschema.UnmarshalJSON(bytes.NewReader(broken))
	if schema.Validate(inst) == nil {
		t.Error("a report with a string rank validates")
	}
}

// TestCSVColumns reads the CSV form as a spreadsheet would: the stable
// header, one row per contributor, numbers that match the JSON form.
func TestCSVColumns(t *testing.T) {
	e := newEnv(t)
	e.load(t)
	r := build(t, e, goldenCases[0].req)
	rows, err := csv.NewReader(bytes.NewReader(render(t, r, "csv"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := append([]string{"rank", "login", "name", "profile_url", "score", "contributions"}, kindNames()...)
	want = append(want, "programs", "first_time")
	if !cmp.Equal(rows[0], want) {
		t.Fatalf("header %q, want %q", rows[0], want)
	}
	if len(rows)-1 != len(r.Contributors) {
		t.Fatalf("%d rows for %d contributors", len(rows)-1, len(r.Contributors))
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for i, row := range rows[1:] {
		c := r.Contributors[i]
		if row[col["login"]] != c.Login || row[col["first_time"]] != strconv.FormatBool(c.FirstTime) ||
			row[col["programs"]] != strings.Join(c.Programs, ";") {
			t.Errorf("row %d %q, contributor %+v", i, row, c)
		}
		score, err := strconv.ParseFloat(row[col["score"]], 64)
		if err != nil || score != c.Score {
			t.Errorf("row %d score %q, want %v", i, row[col["score"]], c.Score)
		}
		for _, k := range kindNames() {
			if n, err := strconv.ParseUint(row[col[k]], 10, 64); err != nil || n != c.Counts[k] {
				t.Errorf("row %d %s %q, want %d", i, k, row[col[k]], c.Counts[k])
			}
		}
	}
}

func kindNames() []string {
	var out []string
	for _, k := range contrib.ContributionKinds {
		out = append(out, string(k))
	}
	return out
}

// TestRequestValidation: bad scopes and periods are refused with the
// parameter named.
func TestRequestValidation(t *testing.T) {
	for _, tc := range []struct {
		req  report.Request
		want string
	}{
		{report.Request{Scope: report.Scope{Org: "a", Repo: "a/b"}, From: periodFrom, To: periodTo}, "not several"},
		{report.Request{Scope: report.Scope{Org: "a/b"}, From: periodFrom, To: periodTo}, "org"},
		{report.Request{Scope: report.Scope{Repo: "ab"}, From: periodFrom, To: periodTo}, "repo"},
		{report.Request{Scope: report.Scope{Member: "<b>"}, From: periodFrom, To: periodTo}, "member"},
		{report.Request{From: periodTo, To: periodFrom}, "to: "},
		{report.Request{From: periodFrom.Add(3600e9), To: periodTo}, "whole UTC days"},
	} {
		err := tc.req.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want an error about %q", tc.req, err, tc.want)
		}
	}
}

// hostile are logins and names made to break out of each format: formula
// starters for spreadsheets, HTML and Markdown markup, table-cell breaks,
// mentions.
var hostileLogins = []string{
	`=HYPERLINK("http://evil.example","x")`,
	`+cmd|' /C calc'!A0`,
	`-2+3`,
	`@SUM(A1)`,
	`<img src=x onerror=alert(1)>`,
	`[click](javascript:alert(1))`,
	`a|b`,
	"line\nbreak",
	// Terminal escapes: a file printed with cat must not drive the
	// terminal (ESC, NUL, and the one-byte C1 CSI).
	"\x1b[2J\x1b[31mPWNED",
	"nul\x00byte",
	"c1\u009b31mcsi",
}

const hostileRoster = `members:
  - name: "<script>alert(1)</script> *bold* | [x](javascript:alert(2)) @everyone https://phish.example www.phish.example aws/aws-cdk#1234"
    github: [mallory]
    country: PT
    region: EMEA
    memberships:
      - program: aws-heroes
        from: 2020-01-01
`

// TestEscaping renders reports of hostile logins and roster names in
// every format and checks that none of them is read as markup, a formula
// or a mention.
func TestEscaping(t *testing.T) {
	e := newEnv(t)
	var b builder
	for _, l := range hostileLogins {
		b.add(contrib.Commit, account(l), widget, "2024-03-05T10:00:00Z", 0)
	}
	b.add(contrib.Commit, account("mallory"), widget, "2024-03-06T10:00:00Z", 0)
	if err := e.store.Insert(context.Background(), b.out); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "roster.yaml")
	if err := os.WriteFile(path, []byte(hostileRoster), 0o600); err != nil {
		t.Fatal(err)
	}
	e.importRoster(t, path)
	r := build(t, e, report.Request{Scope: report.Scope{Repo: widget}, From: periodFrom, To: periodTo})
	if len(r.Contributors) != len(hostileLogins)+1 {
		t.Fatalf("%d contributors, want %d", len(r.Contributors), len(hostileLogins)+1)
	}

	md := string(render(t, r, "md"))
	for _, bad := range []string{"<script", "<img", "](javascript:", "@everyone", "*bold*", "https://phish", "www.phish", "#1234"} {
		if strings.Contains(md, bad) {
			t.Errorf("markdown contains %q:\n%s", bad, md)
		}
	}
	// Every row of the contributors table has as many cells as its header.
	unescapedPipes := regexp.MustCompile(`(^|[^\\])\|`)
	var header int
	for _, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(line, "| # |") {
			header = len(unescapedPipes.FindAllString(line, -1))
			continue
		}
		if header > 0 && strings.HasPrefix(line, "| ") && !strings.HasPrefix(line, "| ---") {
			if n := len(unescapedPipes.FindAllString(line, -1)); n != header {
				t.Errorf("table row with %d cell borders, header %d: %s", n, header, line)
			}
		}
		if line == "" {
			header = 0
		}
	}
	// Hostile logins get no profile link.
	for _, c := range r.Contributors {
		if c.Login != "mallory" && c.URL != "" {
			t.Errorf("%q links to %s", c.Login, c.URL)
		}
	}

	rawCSV := render(t, r, "csv")
	for _, c := range string(rawCSV) {
		if unicode.IsControl(c) && c != '\n' {
			t.Errorf("csv holds the control character %U", c)
		}
	}
	if !bytes.Contains(rawCSV, []byte("[2J[31mPWNED")) || !bytes.Contains(rawCSV, []byte("nulbyte")) {
		t.Errorf("csv lost the printable part of the escapes' logins:\n%s", rawCSV)
	}
	rows, err := csv.NewReader(bytes.NewReader(rawCSV)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range rows[1:] {
		for i, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("csv cell %s = %q starts a formula", rows[0][i], cell)
			}
		}
	}

	// The page, as a browser parses it: no script or img element, no event
	// handler, no link anywhere but to GitHub, and the hostile text shown
	// as text.
	doc, err := html.Parse(bytes.NewReader(render(t, r, "html")))
	if err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	for n := range doc.Descendants() {
		switch n.Type {
		case html.TextNode:
			text.WriteString(n.Data)
		case html.ElementNode:
			if n.Data == "script" || n.Data == "img" || n.Data == "iframe" {
				t.Errorf("html has a %s element", n.Data)
			}
			for _, a := range n.Attr {
				if strings.HasPrefix(a.Key, "on") || (a.Key == "href" && !strings.HasPrefix(a.Val, "https://github.com/") && !strings.HasPrefix(a.Val, "#")) {
					t.Errorf("html: <%s %s=%q>", n.Data, a.Key, a.Val)
				}
			}
		}
	}
	for _, want := range []string{hostileLogins[4], "<script>alert(1)</script>"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("html does not show %q as text", want)
		}
	}

	var parsed report.Report
	if err := json.Unmarshal(render(t, r, "json"), &parsed); err != nil {
		t.Fatal(err)
	}
	var logins []string
	for _, c := range parsed.Contributors {
		logins = append(logins, c.Login)
	}
	for _, l := range hostileLogins {
		if !slices.Contains(logins, l) {
			t.Errorf("json lost login %q (JSON keeps text as it is)", l)
		}
	}
}
