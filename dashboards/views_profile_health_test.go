package dashboards_test

// The profile and project health dashboards read people, names, opt-outs
// and bots from the views (contributor_days, bot_rules), so they answer as
// the API does: the profile as /api/v1/contributors/{login}, the project
// health panels as /api/v1/projects/metrics, by the bot rules published
// from the configuration rather than the defaults.

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"contribtrack/internal/api"
	"contribtrack/internal/contrib"
)

// panelRows runs a dashboard panel's query with the variables as they are
// set and returns its rows, each by column name.
func (e *chEnv) panelRows(t *testing.T, m map[string]any, title string, vars map[string]*tplVar, tr timeRange) []map[string]any {
	t.Helper()
	for _, p := range panels(m) {
		if str(p["title"]) != title {
			continue
		}
		sql, err := expandQuery(str(p["targets"].([]any)[0].(map[string]any)["rawSql"]), vars, tr)
		if err != nil {
			t.Fatal(err)
		}
		r, err := e.run(sql)
		if err != nil {
			t.Fatalf("%s: %v\n%s", title, err, sql)
		}
		var out []map[string]any
		for _, row := range r.rows {
			named := map[string]any{}
			for i, n := range r.names {
				named[n] = row[i]
			}
			out = append(out, named)
		}
		return out
	}
	t.Fatalf("no panel %q", title)
	return nil
}

func getJSON(t *testing.T, srv *httptest.Server, path string, q url.Values, v any) int {
	t.Helper()
	resp, err := srv.Client().Get(srv.URL + path + "?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
			t.Fatal(err)
		}
	}
	return resp.StatusCode
}

// TestProfilePanelsMatchAPI: for everyone the Login variable lists, the
// profile's repositories, activity and programs are the API's profile of
// that login (bots included: the profile shows whoever is selected).
func TestProfilePanelsMatchAPI(t *testing.T) {
	e := newCHEnv(t)
	known := provisioned(t)
	const path = "contribtrack-profile.json"
	_, m := readDashboard(t, path)
	list, byName := e.dashboardVars(t, path, m, known)
	srv := e.serveRules(t, defaultRules())
	logins := byName["login"].options
	if !slices.Contains(logins, "kwatanabe") || !slices.Contains(logins, realisticLogins[0]) {
		t.Fatalf("the Login variable lists %q", logins)
	}
	compared := 0
	for _, login := range logins {
		if !contrib.ValidLogin(login) {
			continue // email:<id>: the API's profile takes GitHub logins
		}
		for _, kinds := range [][]string{nil, {"commit", "star"}} {
			t.Run(login+"/"+strings.Join(kinds, ","), func(t *testing.T) {
				for _, v := range list {
					v.all, v.values = v.includeAll, nil
				}
				byName["login"].values = []string{login}
				q := url.Values{"from": {dataFrom.Format(time.DateOnly)}, "to": {dataTo.Format(time.DateOnly)}, "include_bots": {"true"}}
				if kinds != nil {
					byName["kind"].all, byName["kind"].values = false, kinds
					q.Set("kind", strings.Join(kinds, ","))
				}
				var prof api.Profile
				if code := getJSON(t, srv, "/api/v1/contributors/"+url.PathEscape(login), q, &prof); code != http.StatusOK {
					t.Fatalf("API: %d", code)
				}
				// Repositories: per repository and kind.
				want := map[string]map[string]uint64{}
				for _, r := range prof.ByRepository {
					want[strings.ToLower(r.Repository)] = r.Counts
				}
				got := map[string]map[string]uint64{}
				total := map[string]uint64{}
				for _, row := range e.panelRows(t, m, "Repositories", byName, wholeRange) {
					counts := map[string]uint64{}
					for _, k := range contrib.Kinds {
						if n := uint64(toFloat(row[string(k)])); n > 0 {
							counts[string(k)] = n
						}
					}
					got[strings.ToLower(row["repo"].(string))] = counts
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("repositories: panel %v, API %v", got, want)
				}
				// Activity: per kind over the period.
				for _, row := range e.panelRows(t, m, "Activity over time, by kind", byName, wholeRange) {
					total[row["kind"].(string)] += uint64(toFloat(row["contributions"]))
				}
				if !reflect.DeepEqual(total, prof.Counts) {
					t.Errorf("activity: panel %v, API %v", total, prof.Counts)
				}
				// Programs held.
				var programs, apiPrograms []string
				for _, row := range e.panelRows(t, m, "Programs held", byName, wholeRange) {
					until := row["held_until"].(string)
					if until == "ongoing" {
						until = ""
					}
					programs = append(programs, strings.Join([]string{row["program"].(string), row["category"].(string), row["user_group"].(string),
						row["held_from"].(time.Time).Format(time.DateOnly), until}, "|"))
				}
				for _, p := range prof.Programs {
					until := ""
					if p.To != nil {
						until = *p.To
					}
					apiPrograms = append(apiPrograms, strings.Join([]string{p.Program, p.Category, p.Group, p.From, until}, "|"))
				}
				slices.Sort(programs)
				slices.Sort(apiPrograms)
				if !slices.Equal(programs, apiPrograms) {
					t.Errorf("programs: panel %q, API %q", programs, apiPrograms)
				}
				compared++
			})
		}
	}
	if compared == 0 {
		t.Fatal("no profile compared")
	}
}

// TestProjectHealthFollowsPublishedRules: with other bot rules than the
// defaults published (as `serve` and `migrate` publish the configuration's),
// the project health panels leave out the bots the API leaves out, and the
// people panels count the API's people: pony factor, active and new
// contributors.
func TestProjectHealthFollowsPublishedRules(t *testing.T) {
	e := newCHEnv(t)
	known := provisioned(t)
	const path = "contribtrack-project-health.json"
	_, m := readDashboard(t, path)
	list, byName := e.dashboardVars(t, path, m, known)
	srv := e.serveRules(t, customRules())
	type durations struct {
		Count  uint64  `json:"count"`
		Median float64 `json:"median_seconds"`
		P90    float64 `json:"p90_seconds"`
	}
	// From 10 November: people active before then are returning, not new.
	from := time.Date(2023, 11, 10, 0, 0, 0, 0, time.UTC)
	tr := timeRange{from: from, to: dataTo.Add(-time.Second), interval: 24 * time.Hour}
	for _, c := range []struct {
		org  string
		bots string
	}{{"", "exclude"}, {"aws", "exclude"}, {"", "include"}} {
		t.Run("org="+c.org+",bots="+c.bots, func(t *testing.T) {
			for _, v := range list {
				v.all, v.values = v.includeAll, nil
			}
			byName["bots"].values = []string{c.bots}
			q := url.Values{"from": {from.Format(time.DateOnly)}, "to": {dataTo.Format(time.DateOnly)}}
			if c.org != "" {
				byName["org"].all, byName["org"].values = false, []string{c.org}
				q.Set("org", c.org)
			}
			if c.bots == "include" {
				q.Set("include_bots", "true")
			}
			var got struct {
				Active      float64    `json:"active_contributors"`
				New         float64    `json:"new_contributors"`
				Contribs    float64    `json:"contributions"`
				PonyFactor  float64    `json:"pony_factor"`
				Merged      float64    `json:"pull_requests_merged"`
				TimeToMerge *durations `json:"time_to_merge"`
				Issues      *durations `json:"time_to_first_response_issues"`
				PRs         *durations `json:"time_to_first_response_pull_requests"`
				IssuesOpen  float64    `json:"issues_opened"`
				PRsOpen     float64    `json:"pull_requests_opened"`
			}
			if code := getJSON(t, srv, "/api/v1/projects/metrics", q, &got); code != http.StatusOK {
				t.Fatalf("API: %d", code)
			}
			if got.TimeToMerge == nil || got.Issues == nil || got.PRs == nil || got.New == 0 || got.New == got.Active {
				t.Fatalf("the API's answer checks too little: %+v", got)
			}
			tm := e.panelRows(t, m, "Time to merge", byName, tr)[0]
			if g, w := []float64{toFloat(tm["merged"]), toFloat(tm["timed"]), toFloat(tm["p50"]), toFloat(tm["p90"])},
				[]float64{got.Merged, float64(got.TimeToMerge.Count), got.TimeToMerge.Median, got.TimeToMerge.P90}; !slices.Equal(g, w) {
				t.Errorf("time to merge: panel %v, API %v", g, w)
			}
			var fr [][]float64
			for _, row := range e.panelRows(t, m, "Time to first response", byName, tr) {
				fr = append(fr, []float64{toFloat(row["opened"]), toFloat(row["responded"]), toFloat(row["p50"]), toFloat(row["p90"])})
			}
			if w := [][]float64{
				{got.IssuesOpen, float64(got.Issues.Count), got.Issues.Median, got.Issues.P90},
				{got.PRsOpen, float64(got.PRs.Count), got.PRs.Median, got.PRs.P90},
			}; !reflect.DeepEqual(fr, w) {
				t.Errorf("time to first response: panel %v, API %v", fr, w)
			}
			pf := e.panelRows(t, m, "Pony factor", byName, tr)[0]
			if g, w := []float64{toFloat(pf["pony_factor"]), toFloat(pf["contributors"]), toFloat(pf["contributions"])},
				[]float64{got.PonyFactor, got.Active, got.Contribs}; !slices.Equal(g, w) {
				t.Errorf("pony factor, contributors, contributions: panel %v, API %v", g, w)
			}
			newcomers := 0.0
			for _, row := range e.panelRows(t, m, "New contributors", byName, tr) {
				newcomers += toFloat(row["new_contributors"])
			}
			if newcomers != got.New {
				t.Errorf("new contributors: panel %v, API %v", newcomers, got.New)
			}
		})
	}
}
