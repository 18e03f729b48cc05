package api_test

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"contribtrack/internal/api"
	"contribtrack/internal/contrib"
)

// reportData is the base data plus roster members: ana (a hero, also
// through her older login) and kenji.
func reportData(t *testing.T) []contrib.Contribution {
	return append(baseData(t),
		c(t, contrib.Commit, "ana-ferreira-dev", cdk, mid),
		c(t, contrib.PRReview, "ana-ferreira", smithy, mid),
		c(t, contrib.IssueOpened, "kwatanabe", smithy, mid),
		c(t, contrib.Commit, "ana-ferreira-dev", cdk, "2023-06-01T00:00:00Z"), // before: ana returns
	)
}

// generated matches the time a report was made, which differs between two
// runs.
var generated = regexp.MustCompile(`"generated_at": "[^"]*"|\*\*Generated:\*\* [0-9: -]+UTC|<time[^>]*>[^<]*</time>|\d{4}-\d\d-\d\d[ T]\d\d:\d\d(:\d\d)?Z?( UTC)?`)

func withoutTimes(b []byte) string { return generated.ReplaceAllString(string(b), "TIME") }

// TestReportsMatchCLI: /api/v1/reports answers what contribtrack report
// writes, for every scope and format.
func TestReportsMatchCLI(t *testing.T) {
	e := newEnv(t)
	e.insert(t, reportData(t)...)
	e.importRoster(t)
	e.refresh(t)
	base := e.serve(t, api.Options{})
	// Someone who opted out has no report of their own: not found.
	if hidden := get(t, base+"/api/v1/reports?"+query(with([2]string{"member", "dmorales"}))); hidden.status != http.StatusNotFound {
		t.Errorf("member=dmorales (opted out): %d %s", hidden.status, hidden.body)
	}
	for _, scope := range [][2]string{{"org", "aws"}, {"repo", smithy}, {"program", "aws-heroes"}, {"member", "kwatanabe"}, {"", ""}} {
		for _, format := range []string{"json", "md", "csv", "html"} {
			params := with([2]string{"format", format})
			if scope[0] != "" {
				params = append(params, scope)
			}
			resp := get(t, base+"/api/v1/reports?"+query(params))
			if resp.status != http.StatusOK {
				t.Fatalf("%v: %d %s", params, resp.status, resp.body)
			}
			args := append([]string{"--clickhouse", e.dsn, "report"}, cliArgs(params)...)
			code, out, stderr := runCLI(args...)
			if code != 0 {
				t.Fatalf("contribtrack %v: exit %d\n%s", args[2:], code, stderr)
			}
			if d := cmp.Diff(withoutTimes([]byte(out)), withoutTimes(resp.body)); d != "" {
				t.Errorf("%v: API and CLI differ (-cli +api):\n%s", params, d)
			}
		}
	}
}

// reportJSON is the part of the JSON report the cross-checks read.
type reportJSON struct {
	Summary struct {
		Contributions         uint64 `json:"contributions"`
		ActiveContributors    int    `json:"active_contributors"`
		NewContributors       int    `json:"new_contributors"`
		ReturningContributors int    `json:"returning_contributors"`
		PullRequestsMerged    uint64 `json:"pull_requests_merged"`
	} `json:"summary"`
	Contributors []struct {
		Rank      int               `json:"rank"`
		Login     string            `json:"login"`
		Score     float64           `json:"score"`
		Counts    map[string]uint64 `json:"counts"`
		FirstTime bool              `json:"first_time"`
	} `json:"contributors"`
}

// TestReportNumbersMatchAPI: a report's contributors are the leaderboard's
// for the same scope and period, and its summary the project metrics'.
func TestReportNumbersMatchAPI(t *testing.T) {
	e := newEnv(t)
	e.insert(t, reportData(t)...)
	e.importRoster(t)
	e.refresh(t)
	base := e.serve(t, api.Options{})
	for _, scope := range [][2]string{{"org", "aws"}, {"repo", smithy}, {"program", "aws-heroes"}} {
		params := append(with(), scope)
		resp := get(t, base+"/api/v1/reports?"+query(params))
		var r reportJSON
		if err := json.Unmarshal(resp.body, &r); err != nil {
			t.Fatalf("%v: %v\n%s", params, err, resp.body)
		}
		lb := decodeEntries(t, get(t, base+"/api/v1/leaderboard?"+query(append(params, [2]string{"limit", "10000"}))).body)
		if len(lb) != len(r.Contributors) || len(lb) == 0 {
			t.Fatalf("%v: %d contributors, leaderboard %d", params, len(r.Contributors), len(lb))
		}
		for i, en := range lb {
			c := r.Contributors[i]
			nonzero := map[string]uint64{}
			for k, n := range c.Counts {
				if n > 0 {
					nonzero[k] = n
				}
			}
			if c.Rank != en.Rank || c.Login != en.Login || c.Score != en.Score || !cmp.Equal(nonzero, en.Counts) {
				t.Errorf("%v: contributor %d %+v, leaderboard %+v", params, i, c, en)
			}
		}
		if scope[0] == "program" {
			continue // project metrics are of projects
		}
		var m struct {
			Contributions         uint64 `json:"contributions"`
			ActiveContributors    int    `json:"active_contributors"`
			NewContributors       int    `json:"new_contributors"`
			ReturningContributors int    `json:"returning_contributors"`
			PullRequestsMerged    uint64 `json:"pull_requests_merged"`
		}
		if err := json.Unmarshal(get(t, base+"/api/v1/projects/metrics?"+query(params)).body, &m); err != nil {
			t.Fatal(err)
		}
		if m != r.Summary {
			t.Errorf("%v: summary %+v, project metrics %+v", params, r.Summary, m)
		}
	}
}

// TestReportsHTTP checks content types, downloads, the HTML page's
// security policy, and the parameters refused.
func TestReportsHTTP(t *testing.T) {
	e := newEnv(t)
	e.insert(t, reportData(t)...)
	e.refresh(t)
	base := e.serve(t, api.Options{})
	for format, ctype := range map[string]string{"json": "application/json", "md": "text/markdown; charset=utf-8",
		"csv": "text/csv; charset=utf-8", "html": "text/html; charset=utf-8"} {
		resp := get(t, base+"/api/v1/reports?"+query(with([2]string{"format", format}, [2]string{"org", "aws"})))
		if resp.status != http.StatusOK || resp.header.Get("Content-Type") != ctype {
			t.Errorf("%s: %d %q", format, resp.status, resp.header.Get("Content-Type"))
		}
		disposition := resp.header.Get("Content-Disposition")
		if (format == "csv" || format == "md") != (disposition != "") {
			t.Errorf("%s: Content-Disposition %q", format, disposition)
		}
		if format == "csv" {
			if want := `attachment; filename="contribtrack-report-org-aws-2024-01-01-2024-02-01.csv"`; disposition != want {
				t.Errorf("csv: Content-Disposition %q, want %q", disposition, want)
			}
			rows, err := csv.NewReader(strings.NewReader(string(resp.body))).ReadAll()
			if err != nil || len(rows) < 2 || rows[0][1] != "login" {
				t.Errorf("csv: %v %q", err, rows)
			}
		}
		csp := resp.header.Get("Content-Security-Policy")
		if (format == "html") != strings.Contains(csp, "default-src 'none'") {
			t.Errorf("%s: Content-Security-Policy %q", format, csp)
		}
	}
	// Apps' accounts are logins too.
	if bot := get(t, base+"/api/v1/reports?"+query(with([2]string{"member", "dependabot[bot]"}))); bot.status != http.StatusOK {
		t.Errorf("member=dependabot[bot]: %d %s", bot.status, bot.body)
	}
	// A period without activity is an empty report, not an error.
	empty := get(t, base+"/api/v1/reports?from=2030-01-01&to=2030-02-01")
	var r reportJSON
	if empty.status != http.StatusOK || json.Unmarshal(empty.body, &r) != nil || len(r.Contributors) != 0 {
		t.Errorf("empty period: %d %s", empty.status, empty.body)
	}

	for _, tc := range []struct{ query, param string }{
		{"from=2024-01-01", "to"},
		{"from=2024-01-01&to=2024-02-01&format=pdf", "format"},
		{"from=2024-01-01&to=2024-02-01&org=aws&repo=aws/aws-cdk", ""},
		{"from=2024-01-01&to=2024-02-01&member=%3Cscript%3E", "member"},
		{"from=2024-01-01&to=2024-02-01&repo=nope", "repo"},
		{"from=2024-01-01&to=2024-02-01&program=aws-heroes", "program"}, // no roster imported
		{"from=2024-01-01&to=2024-02-01&limit=5", "limit"},
		{"from=2024-02-01&to=2024-01-01", "to"},
		{"from=2024-01-01&to=2024-02-01&format=md&format=csv", "format"},
		{"from=2024-01-01&to=2024-02-01&project=cdk", "project"}, // none configured
	} {
		resp := get(t, base+"/api/v1/reports?"+tc.query)
		if resp.status != http.StatusBadRequest {
			t.Errorf("%s: %d %s, want 400", tc.query, resp.status, resp.body)
			continue
		}
		if got := decodeError(t, resp); got.Parameter != tc.param {
			t.Errorf("%s: parameter %q (%s), want %q", tc.query, got.Parameter, got.Message, tc.param)
		}
	}
}

// TestReportProject: project= reports on a configured set of orgs and
// repositories: here the same as one org's report, and less than the
// whole period's.
func TestReportProject(t *testing.T) {
	e := newEnv(t)
	e.insert(t, reportData(t)...)
	e.refresh(t)
	base := e.serve(t, api.Options{Projects: map[string][]string{"labs": {"awslabs"}, "both": {"awslabs", cdk}}})
	read := func(params ...[2]string) reportJSON {
		resp := get(t, base+"/api/v1/reports?"+query(with(params...)))
		var r reportJSON
		if resp.status != http.StatusOK || json.Unmarshal(resp.body, &r) != nil {
			t.Fatalf("%v: %d %s", params, resp.status, resp.body)
		}
		return r
	}
	labs, org := read([2]string{"project", "labs"}), read([2]string{"org", "awslabs"})
	both, whole := read([2]string{"project", "both"}), read()
	if !cmp.Equal(labs, org) || labs.Summary.Contributions == 0 {
		t.Errorf("project labs %+v, org awslabs %+v", labs, org)
	}
	if labs.Summary.Contributions >= whole.Summary.Contributions {
		t.Errorf("project labs has %d contributions of the period's %d", labs.Summary.Contributions, whole.Summary.Contributions)
	}
	// awslabs and aws/aws-cdk hold every contribution of the base data.
	if !cmp.Equal(both, whole) {
		t.Errorf("project both %+v, everything %+v", both, whole)
	}
	if unknown := get(t, base+"/api/v1/reports?"+query(with([2]string{"project", "other"}))); unknown.status != http.StatusBadRequest {
		t.Errorf("unknown project: %d", unknown.status)
	}
}
