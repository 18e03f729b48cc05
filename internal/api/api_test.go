package api_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"contribtrack/internal/api"
	"contribtrack/internal/contrib"
)

// leaderboardCases are questions on baseData with their answers.
var leaderboardCases = []struct {
	name   string
	params [][2]string
	want   []entry
}{
	{
		name:   "the period, bots left out, signals not counted",
		params: period,
		want: []entry{
			{Rank: 1, Login: "bob", Score: 5, Counts: map[string]uint64{"pr_merged": 1, "pr_review": 1}},
			{Rank: 2, Login: "alice", Score: 4, Counts: map[string]uint64{"commit": 2, "pr_opened": 1}},
			{Rank: 3, Login: "carol", Score: 1, Counts: map[string]uint64{"issue_comment": 1}},
		},
	},
	{
		name:   "include_bots=true keeps the [bot]",
		params: with([2]string{"include_bots", "true"}),
		want: []entry{
			{Rank: 1, Login: "bob", Score: 5, Counts: map[string]uint64{"pr_merged": 1, "pr_review": 1}},
			{Rank: 2, Login: "alice", Score: 4, Counts: map[string]uint64{"commit": 2, "pr_opened": 1}},
			{Rank: 3, Login: "dependabot[bot]", Score: 3, Counts: map[string]uint64{"commit": 3}},
			{Rank: 4, Login: "carol", Score: 1, Counts: map[string]uint64{"issue_comment": 1}},
		},
	},
	{
		name:   "include_bots=false",
		params: with([2]string{"include_bots", "false"}),
		want: []entry{
			{Rank: 1, Login: "bob", Score: 5, Counts: map[string]uint64{"pr_merged": 1, "pr_review": 1}},
			{Rank: 2, Login: "alice", Score: 4, Counts: map[string]uint64{"commit": 2, "pr_opened": 1}},
			{Rank: 3, Login: "carol", Score: 1, Counts: map[string]uint64{"issue_comment": 1}},
		},
	},
	{
		name:   "the month before: from inclusive",
		params: [][2]string{{"from", "2023-12-31"}, {"to", "2024-01-01"}},
		want:   []entry{{Rank: 1, Login: "dave", Score: 1, Counts: map[string]uint64{"commit": 1}}},
	},
	{
		name:   "the day after: to exclusive",
		params: [][2]string{{"from", "2024-02-01"}, {"to", "2024-02-02"}},
		want:   []entry{{Rank: 1, Login: "dave", Score: 2, Counts: map[string]uint64{"pr_opened": 1}}},
	},
	{
		name:   "a period with nothing in it",
		params: [][2]string{{"from", "2020-01-01"}, {"to", "2020-02-01"}},
		want:   []entry{},
	},
	{
		name:   "org",
		params: with([2]string{"org", "aws"}),
		want: []entry{
			{Rank: 1, Login: "bob", Score: 5, Counts: map[string]uint64{"pr_merged": 1, "pr_review": 1}},
			{Rank: 2, Login: "alice", Score: 2, Counts: map[string]uint64{"commit": 2}},
		},
	},
	{
		name:   "org in another case",
		params: with([2]string{"org", "AWSLabs"}),
		want: []entry{
			{Rank: 1, Login: "alice", Score: 2, Counts: map[string]uint64{"pr_opened": 1}},
			{Rank: 2, Login: "carol", Score: 1, Counts: map[string]uint64{"issue_comment": 1}},
		},
	},
	{
		// An org nothing was stored for is a 404 (TestUnknownNamesAre404).
		name:   "a known org, quiet in the period",
		params: [][2]string{{"from", "2020-01-01"}, {"to", "2020-02-01"}, {"org", "aws"}},
		want:   []entry{},
	},
	{
		name:   "repo",
		params: with([2]string{"repo", smithy}),
		want: []entry{
			{Rank: 1, Login: "alice", Score: 2, Counts: map[string]uint64{"pr_opened": 1}},
			{Rank: 2, Login: "carol", Score: 1, Counts: map[string]uint64{"issue_comment": 1}},
		},
	},
	{
		name:   "repo with bots",
		params: with([2]string{"repo", smithy}, [2]string{"include_bots", "1"}),
		want: []entry{
			{Rank: 1, Login: "alice", Score: 2, Counts: map[string]uint64{"pr_opened": 1}},
			{Rank: 2, Login: "carol", Score: 1, Counts: map[string]uint64{"issue_comment": 1}},
			{Rank: 2, Login: "dependabot[bot]", Score: 1, Counts: map[string]uint64{"commit": 1}},
		},
	},
	{
		name:   "one kind",
		params: with([2]string{"kind", "commit"}),
		want:   []entry{{Rank: 1, Login: "alice", Score: 2, Counts: map[string]uint64{"commit": 2}}},
	},
	{
		name:   "kind repeated",
		params: with([2]string{"kind", "commit"}, [2]string{"kind", "pr_merged"}),
		want: []entry{
			{Rank: 1, Login: "bob", Score: 3, Counts: map[string]uint64{"pr_merged": 1}},
			{Rank: 2, Login: "alice", Score: 2, Counts: map[string]uint64{"commit": 2}},
		},
	},
	{
		name:   "kind as a comma list",
		params: with([2]string{"kind", "pr_merged,commit"}),
		want: []entry{
			{Rank: 1, Login: "bob", Score: 3, Counts: map[string]uint64{"pr_merged": 1}},
			{Rank: 2, Login: "alice", Score: 2, Counts: map[string]uint64{"commit": 2}},
		},
	},
	{
		name:   "kind list and repeat mixed, with a duplicate",
		params: with([2]string{"kind", "issue_comment,pr_review"}, [2]string{"kind", "pr_review"}),
		want: []entry{
			{Rank: 1, Login: "bob", Score: 2, Counts: map[string]uint64{"pr_review": 1}},
			{Rank: 2, Login: "carol", Score: 1, Counts: map[string]uint64{"issue_comment": 1}},
		},
	},
	{
		name:   "limit",
		params: with([2]string{"limit", "2"}),
		want: []entry{
			{Rank: 1, Login: "bob", Score: 5, Counts: map[string]uint64{"pr_merged": 1, "pr_review": 1}},
			{Rank: 2, Login: "alice", Score: 4, Counts: map[string]uint64{"commit": 2, "pr_opened": 1}},
		},
	},
	{
		name:   "limit 1",
		params: with([2]string{"limit", "1"}),
		want:   []entry{{Rank: 1, Login: "bob", Score: 5, Counts: map[string]uint64{"pr_merged": 1, "pr_review": 1}}},
	},
	{
		name:   "the largest limit",
		params: with([2]string{"limit", "10000"}, [2]string{"format", "json"}),
		want: []entry{
			{Rank: 1, Login: "bob", Score: 5, Counts: map[string]uint64{"pr_merged": 1, "pr_review": 1}},
			{Rank: 2, Login: "alice", Score: 4, Counts: map[string]uint64{"commit": 2, "pr_opened": 1}},
			{Rank: 3, Login: "carol", Score: 1, Counts: map[string]uint64{"issue_comment": 1}},
		},
	},
	{
		name:   "the widest period",
		params: [][2]string{{"from", "1970-01-01"}, {"to", "2105-12-31"}, {"kind", "commit"}},
		want:   []entry{{Rank: 1, Login: "alice", Score: 2, Counts: map[string]uint64{"commit": 2}}, {Rank: 2, Login: "dave", Score: 1, Counts: map[string]uint64{"commit": 1}}},
	},
}

// Every filter, answered from the raw sightings while the rollup is stale
// and from the rollup once refreshed; the same answers either way.
func TestLeaderboardFilters(t *testing.T) {
	e := newEnv(t)
	e.insert(t, baseData(t)...)
	base := e.serve(t, api.Options{})
	check := func(t *testing.T, phase string) {
		for _, tc := range leaderboardCases {
			t.Run(phase+"/"+tc.name, func(t *testing.T) {
				r := get(t, base+"/api/v1/leaderboard?"+query(tc.params))
				if r.status != http.StatusOK {
					t.Fatalf("status %d: %s", r.status, r.body)
				}
				if ct := r.header.Get("Content-Type"); ct != "application/json" {
					t.Errorf("Content-Type %q", ct)
				}
				if diff := cmp.Diff(tc.want, decodeEntries(t, r.body)); diff != "" {
					t.Errorf("leaderboard (-want +got):\n%s", diff)
				}
			})
		}
	}
	if fresh, err := e.store.RollupFresh(context.Background()); err != nil || fresh {
		t.Fatalf("rollup fresh before any refresh: %v, %v", fresh, err)
	}
	check(t, "stale")
	e.refresh(t)
	check(t, "rollup")

	// Inserted after the refresh: the rollup is stale again and the answer
	// still exact.
	e.insert(t, c(t, contrib.PRMerged, "carol", smithy, mid))
	r := get(t, base+"/api/v1/leaderboard?"+query(period))
	want := []entry{
		{Rank: 1, Login: "bob", Score: 5, Counts: map[string]uint64{"pr_merged": 1, "pr_review": 1}},
		{Rank: 2, Login: "alice", Score: 4, Counts: map[string]uint64{"commit": 2, "pr_opened": 1}},
		{Rank: 2, Login: "carol", Score: 4, Counts: map[string]uint64{"issue_comment": 1, "pr_merged": 1}},
	}
	if diff := cmp.Diff(want, decodeEntries(t, r.body)); diff != "" {
		t.Errorf("after an insert, stale rollup (-want +got):\n%s", diff)
	}
}

// The API's JSON is the CLI's `leaderboard --format json` for the same
// question on the same database.
func TestLeaderboardMatchesCLI(t *testing.T) {
	e := newEnv(t)
	e.insert(t, baseData(t)...)
	base := e.serve(t, api.Options{})
	compare := func(t *testing.T, params [][2]string) {
		t.Helper()
		r := get(t, base+"/api/v1/leaderboard?"+query(params))
		if r.status != http.StatusOK {
			t.Fatalf("status %d: %s", r.status, r.body)
		}
		got := decodeEntries(t, r.body)
		want := decodeEntries(t, []byte(e.cliJSON(t, "leaderboard", params)))
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("API vs CLI (-cli +api):\n%s", diff)
		}
	}
	for _, phase := range []string{"stale", "rollup"} {
		if phase == "rollup" {
			e.refresh(t)
		}
		for _, tc := range leaderboardCases {
			params := tc.params
			if params[len(params)-1][0] == "format" {
				params = params[:len(params)-1] // the CLI's --format is given by cliJSON
			}
			t.Run(phase+"/"+tc.name, func(t *testing.T) { compare(t, params) })
		}
	}
}

func TestLeaderboardCSV(t *testing.T) {
	e := newEnv(t)
	e.insert(t, baseData(t)...)
	base := e.serve(t, api.Options{})

	r := get(t, base+"/api/v1/leaderboard?"+query(with([2]string{"format", "csv"}, [2]string{"include_bots", "true"})))
	if r.status != http.StatusOK {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("Content-Type %q, want text/csv; charset=utf-8", ct)
	}
	if cd := r.header.Get("Content-Disposition"); cd != `attachment; filename="leaderboard.csv"` {
		t.Errorf("Content-Disposition %q", cd)
	}
	if nosniff := r.header.Get("X-Content-Type-Options"); nosniff != "nosniff" {
		t.Errorf("X-Content-Type-Options %q", nosniff)
	}
	rows, err := csv.NewReader(strings.NewReader(string(r.body))).ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v\n%s", err, r.body)
	}
	header := []string{"rank", "login", "score"}
	for _, k := range contrib.ContributionKinds {
		header = append(header, string(k))
	}
	if len(rows) == 0 {
		t.Fatal("empty CSV")
	}
	if diff := cmp.Diff(header, rows[0]); diff != "" {
		t.Errorf("header (-want +got):\n%s", diff)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	var got [][]string
	for _, row := range rows[1:] {
		got = append(got, []string{row[0], row[1], row[2], row[col["commit"]], row[col["pr_merged"]], row[col["issue_comment"]]})
	}
	want := [][]string{
		{"1", "bob", "5", "0", "1", "0"},
		{"2", "alice", "4", "2", "0", "0"},
		{"3", "dependabot[bot]", "3", "3", "0", "0"},
		{"4", "carol", "1", "0", "0", "1"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}

	// The columns are the kinds asked for, in the vocabulary's order.
	r = get(t, base+"/api/v1/leaderboard?"+query(with([2]string{"format", "csv"}, [2]string{"kind", "pr_merged,commit"})))
	rows, err = csv.NewReader(strings.NewReader(string(r.body))).ReadAll()
	if err != nil || r.status != http.StatusOK {
		t.Fatalf("status %d, %v\n%s", r.status, err, r.body)
	}
	want = [][]string{{"rank", "login", "score", "commit", "pr_merged"}, {"1", "bob", "3", "0", "1"}, {"2", "alice", "2", "2", "0"}}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("kind columns (-want +got):\n%s", diff)
	}

	// Nothing in the period: the header alone.
	r = get(t, base+"/api/v1/leaderboard?"+query([][2]string{{"from", "2020-01-01"}, {"to", "2020-01-02"}, {"format", "csv"}, {"kind", "commit"}}))
	if r.status != http.StatusOK || string(r.body) != "rank,login,score,commit\n" {
		t.Errorf("empty CSV: status %d, %q", r.status, r.body)
	}

	// The JSON answer of the same question is not served for the CSV one
	// (nor the other way round) from the cache.
	j := get(t, base+"/api/v1/leaderboard?"+query(with([2]string{"kind", "pr_merged,commit"})))
	if j.header.Get("Content-Type") != "application/json" || j.header.Get("Content-Disposition") != "" {
		t.Errorf("JSON after CSV: headers %v", j.header)
	}
	decodeEntries(t, j.body)
}

// rosterData is contributions of the example roster's members (and others)
// from 2021 to 2024. Between 2020-01-01 and 2026-01-01, ana-ferreira-dev
// has 4 (a Community Builder in 2021, a Hero since 2022, AWS staff from
// 2024-07), kwatanabe 2 (APJ, JP), dmorales 1 (opted out), amara-builds 1
// (NG), outsider 2, and an amazon.com email 1 (vendor).
func rosterData(t *testing.T) []contrib.Contribution {
	const repo = "aws-samples/demo"
	return []contrib.Contribution{
		withID(c(t, contrib.PROpened, "ana-ferreira-dev", repo, "2021-06-01T10:00:00Z"), 5830001),
		withID(c(t, contrib.PROpened, "ana-ferreira-dev", repo, "2023-06-01T10:00:00Z"), 5830001),
		c(t, contrib.IssueOpened, "ana-ferreira", repo, "2023-07-01T10:00:00Z"), // her older account
		withID(c(t, contrib.PROpened, "ana-ferreira-dev", repo, "2024-08-01T10:00:00Z"), 5830001),
		c(t, contrib.PRReview, "kwatanabe", repo, "2023-06-01T10:00:00Z"),
		emailCommit(t, "kenji@work.example", repo, "2024-04-02T10:00:00Z"),
		c(t, contrib.Commit, "dmorales", repo, "2023-05-01T10:00:00Z"),
		c(t, contrib.Commit, "outsider", repo, "2023-05-01T10:00:00Z"),
		c(t, contrib.Commit, "outsider", repo, "2023-05-02T10:00:00Z"),
		withID(c(t, contrib.PROpened, "amara-builds", repo, "2024-10-01T10:00:00Z"), 7011001),
		emailCommit(t, "someone@amazon.com", repo, "2024-09-01T10:00:00Z"),
	}
}

var rosterPeriod = [][2]string{{"from", "2020-01-01"}, {"to", "2026-01-01"}}

func rosterWith(more ...[2]string) [][2]string {
	return append(append([][2]string{}, rosterPeriod...), more...)
}

// The roster filters select what the members did while they held a
// matching membership, the same as the CLI's.
func TestLeaderboardRosterFilters(t *testing.T) {
	e := newEnv(t)
	e.insert(t, rosterData(t)...)
	base := e.serve(t, api.Options{})

	// Before the import: no roster filter, and dmorales is shown.
	r := get(t, base+"/api/v1/leaderboard?"+query(rosterWith([2]string{"program", "aws-heroes"})))
	if r.status != http.StatusBadRequest || decodeError(t, r).Parameter != "program" {
		t.Errorf("program before a roster import: status %d %s", r.status, r.body)
	}
	before := counts(decodeEntries(t, get(t, base+"/api/v1/leaderboard?"+query(rosterPeriod)).body))
	if before["dmorales"] != 1 || before["(hidden)"] != 0 {
		t.Errorf("before the import: %v, want dmorales shown", before)
	}

	e.importRoster(t)
	amazon := contrib.EmailLabel(emailID("someone@amazon.com"))
	tests := []struct {
		name   string
		params [][2]string
		want   map[string]uint64 // contributions by login shown
	}{
		{"everyone: members by their roster login, opt-outs hidden", rosterPeriod,
			map[string]uint64{"ana-ferreira-dev": 4, "kwatanabe": 2, "(hidden)": 1, "amara-builds": 1, "outsider": 2, amazon: 1}},
		{"program", rosterWith([2]string{"program", "aws-heroes"}), map[string]uint64{"ana-ferreira-dev": 3}},
		{"program in another case", rosterWith([2]string{"program", "AWS-Heroes"}), map[string]uint64{"ana-ferreira-dev": 3}},
		{"program and category", rosterWith([2]string{"program", "aws-community-builders"}, [2]string{"category", "serverless"}),
			map[string]uint64{"ana-ferreira-dev": 1}},
		{"category", rosterWith([2]string{"category", "Containers"}), map[string]uint64{"kwatanabe": 1}},
		{"group", rosterWith([2]string{"group", "AWS User Group Lisbon"}), map[string]uint64{"ana-ferreira-dev": 4}},
		{"group of an opted-out member", rosterWith([2]string{"group", "AWS User Group Santiago"}), map[string]uint64{"(hidden)": 1}},
		{"region", rosterWith([2]string{"region", "APJ"}), map[string]uint64{"kwatanabe": 2}},
		{"region in a period", [][2]string{{"from", "2024-01-01"}, {"to", "2025-01-01"}, {"region", "EMEA"}},
			map[string]uint64{"ana-ferreira-dev": 1, "amara-builds": 1}},
		{"country", rosterWith([2]string{"country", "NG"}), map[string]uint64{"amara-builds": 1}},
		{"affiliation vendor", rosterWith([2]string{"affiliation", "vendor"}), map[string]uint64{"ana-ferreira-dev": 1, amazon: 1}},
		{"affiliation other", rosterWith([2]string{"affiliation", "other"}), map[string]uint64{"outsider": 2}},
		{"affiliation community", rosterWith([2]string{"affiliation", "community"}),
			map[string]uint64{"ana-ferreira-dev": 3, "kwatanabe": 2, "(hidden)": 1, "amara-builds": 1}},
		{"program and region that never meet", rosterWith([2]string{"program", "aws-heroes"}, [2]string{"region", "APJ"}), map[string]uint64{}},
		// A program the roster does not name is a 404: TestUnknownNamesAre404.
		{"kind and program", rosterWith([2]string{"program", "aws-heroes"}, [2]string{"kind", "issue_opened"}), map[string]uint64{"ana-ferreira-dev": 1}},
	}
	for _, phase := range []string{"stale", "rollup"} {
		if phase == "rollup" {
			e.refresh(t)
		}
		for _, tc := range tests {
			t.Run(phase+"/"+tc.name, func(t *testing.T) {
				r := get(t, base+"/api/v1/leaderboard?"+query(tc.params))
				if r.status != http.StatusOK {
					t.Fatalf("status %d: %s", r.status, r.body)
				}
				got := decodeEntries(t, r.body)
				if diff := cmp.Diff(tc.want, counts(got)); diff != "" {
					t.Errorf("contributions by login (-want +got):\n%s", diff)
				}
				want := decodeEntries(t, []byte(e.cliJSON(t, "leaderboard", tc.params)))
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("API vs CLI (-cli +api):\n%s", diff)
				}
			})
		}
	}
}

func TestShare(t *testing.T) {
	e := newEnv(t)
	e.insert(t, rosterData(t)...)
	base := e.serve(t, api.Options{})

	// Without a roster: by affiliation (the default) works, everyone is
	// "other"; grouping by anything else needs a roster.
	r := get(t, base+"/api/v1/share?"+query(rosterPeriod))
	if r.status != http.StatusOK {
		t.Fatalf("share without a roster: status %d: %s", r.status, r.body)
	}
	want := []shareRow{{Group: "community"}, {Group: "vendor"}, {Group: "other", Contributions: 11, Share: 1, People: 8, Score: 16}}
	if diff := cmp.Diff(want, decodeShare(t, r.body)); diff != "" {
		t.Errorf("share without a roster (-want +got):\n%s", diff)
	}
	var cliRows []shareRow
	if err := json.Unmarshal([]byte(e.cliJSON(t, "share", rosterPeriod)), &cliRows); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(cliRows, decodeShare(t, r.body)); diff != "" {
		t.Errorf("share without a roster, API vs CLI (-cli +api):\n%s", diff)
	}
	for _, by := range []string{"program", "category", "group", "region", "country"} {
		r := get(t, base+"/api/v1/share?"+query(rosterWith([2]string{"by", by})))
		if r.status != http.StatusBadRequest {
			t.Errorf("by=%s without a roster: status %d, want 400", by, r.status)
			continue
		}
		if e := decodeError(t, r); e.Error != "bad_parameter" || e.Parameter != "by" || !strings.Contains(e.Message, "roster") {
			t.Errorf("by=%s without a roster: %+v", by, e)
		}
	}

	e.importRoster(t)
	tests := []struct {
		name   string
		params [][2]string
		want   map[string]uint64 // contributions by group
	}{
		{"by affiliation, the default", rosterPeriod, map[string]uint64{"community": 7, "vendor": 2, "other": 2}},
		{"by=affiliation", rosterWith([2]string{"by", "affiliation"}), map[string]uint64{"community": 7, "vendor": 2, "other": 2}},
		{"by program", rosterWith([2]string{"by", "program"}),
			// ana's 2021 PR was a Community Builder's, kenji's two too;
			// amara's a student group's; ana's three later ones a Hero's
			// and a Lisbon leader's; dmorales' a Santiago leader's.
			map[string]uint64{"aws-community-builders": 3, "aws-heroes": 3, "aws-user-group-leaders": 5, "aws-student-builder-groups": 1, "(none)": 3}},
		{"by region", rosterWith([2]string{"by", "region"}), map[string]uint64{"EMEA": 5, "APJ": 2, "LATAM": 1, "(none)": 3}},
		{"by country with a kind", rosterWith([2]string{"by", "country"}, [2]string{"kind", "pr_opened"}), map[string]uint64{"PT": 3, "NG": 1}},
		{"by program in a region", rosterWith([2]string{"by", "program"}, [2]string{"region", "APJ"}), map[string]uint64{"aws-community-builders": 2}},
	}
	for _, phase := range []string{"stale", "rollup"} {
		if phase == "rollup" {
			e.refresh(t)
		}
		for _, tc := range tests {
			t.Run(phase+"/"+tc.name, func(t *testing.T) {
				r := get(t, base+"/api/v1/share?"+query(tc.params))
				if r.status != http.StatusOK {
					t.Fatalf("status %d: %s", r.status, r.body)
				}
				if ct := r.header.Get("Content-Type"); ct != "application/json" {
					t.Errorf("Content-Type %q", ct)
				}
				got := decodeShare(t, r.body)
				byGroup := map[string]uint64{}
				for _, row := range got {
					if row.Contributions > 0 {
						byGroup[row.Group] = row.Contributions
					}
				}
				if diff := cmp.Diff(tc.want, byGroup); diff != "" {
					t.Errorf("contributions by group (-want +got):\n%s", diff)
				}
				var cliRows []shareRow
				if err := json.Unmarshal([]byte(e.cliJSON(t, "share", tc.params)), &cliRows); err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(cliRows, got); diff != "" {
					t.Errorf("API vs CLI (-cli +api):\n%s", diff)
				}
			})
		}
	}

	// By affiliation: every class listed, community first, shares of all.
	got := decodeShare(t, get(t, base+"/api/v1/share?"+query(rosterPeriod)).body)
	if len(got) != 3 || got[0].Group != "community" || got[1].Group != "vendor" || got[2].Group != "other" {
		t.Fatalf("classes %+v", got)
	}
	if got[0].Share != 0.6364 || got[1].Share != 0.1818 || got[2].Share != 0.1818 || got[0].People != 4 {
		t.Errorf("shares %+v: want 7/11, 2/11, 2/11 and 4 community people", got)
	}

	// A period with nothing: every class, zero.
	r = get(t, base+"/api/v1/share?"+query([][2]string{{"from", "2010-01-01"}, {"to", "2010-02-01"}}))
	if diff := cmp.Diff([]shareRow{{Group: "community"}, {Group: "vendor"}, {Group: "other"}}, decodeShare(t, r.body)); r.status != 200 || diff != "" {
		t.Errorf("empty period: status %d (-want +got):\n%s", r.status, diff)
	}
	// Grouping by program when nothing matches: an empty array, not null.
	r = get(t, base+"/api/v1/share?"+query([][2]string{{"from", "2010-01-01"}, {"to", "2010-02-01"}, {"by", "program"}}))
	if r.status != http.StatusOK || strings.TrimSpace(string(r.body)) != "[]" {
		t.Errorf("empty period by program: status %d %q, want []", r.status, r.body)
	}
}

// /api/v1/projects/metrics goes through the same parameter checks, token,
// cache and errors as the other endpoints.
func TestProjectMetricsEndpoint(t *testing.T) {
	const token = "metrics-endpoint-token"
	e := newEnv(t)
	e.insert(t, baseData(t)...)
	base := e.serve(t, api.Options{Token: token})
	auth := map[string]string{"Authorization": "Bearer " + token}
	path := base + "/api/v1/projects/metrics?"

	if r := get(t, path+okPeriod); r.status != http.StatusUnauthorized {
		t.Errorf("without the token: status %d", r.status)
	}
	r := do(t, "GET", path+okPeriod, auth, nil)
	if r.status != http.StatusOK || r.header.Get("Content-Type") != "application/json" || cacheState(r) != "miss" {
		t.Fatalf("status %d, headers %v: %s", r.status, r.header, r.body)
	}
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("not a JSON object: %v\n%s", err, r.body)
	}
	// alice, bob and carol (the bot left out) made 6 contributions.
	if m["active_contributors"] != 3.0 || m["contributions"] != 6.0 {
		t.Errorf("metrics %s: want 3 active contributors and 6 contributions", r.body)
	}
	if r := do(t, "GET", path+okPeriod, auth, nil); cacheState(r) != "hit" {
		t.Errorf("second request: cache %q, want hit", cacheState(r))
	}
	r = do(t, "GET", path+okPeriod+"&org=aws", auth, nil)
	if err := json.Unmarshal(r.body, &m); err != nil || r.status != http.StatusOK || m["org"] != "aws" || m["active_contributors"] != 2.0 {
		t.Errorf("org=aws: status %d: %s", r.status, r.body)
	}

	for _, tc := range []struct{ query, param string }{
		{"to=2024-02-01", "from"},
		{okPeriod + "&org=aws&repo=aws/aws-cdk", "repo"},
		{okPeriod + "&limit=5", "limit"},
		{okPeriod + "&format=csv", "format"},
		{okPeriod + "&by=program", "by"},
		{okPeriod + "&program=aws-heroes", "program"},
		{okPeriod + "&repo=a/b;x", "repo"},
		{okPeriod + "&kind=nope", "kind"},
	} {
		r := do(t, "GET", path+tc.query, auth, nil)
		if r.status != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400: %s", tc.query, r.status, r.body)
			continue
		}
		if e := decodeError(t, r); e.Error != "bad_parameter" || e.Parameter != tc.param {
			t.Errorf("%s: %+v, want bad_parameter naming %q", tc.query, e, tc.param)
		}
	}
}
