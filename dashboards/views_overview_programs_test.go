package dashboards_test

import (
	"encoding/json"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"contribtrack/internal/leaderboard"
)

// overviewPanelSQL returns the query of a dashboard's panel with that title.
func overviewPanelSQL(t *testing.T, path string, m map[string]any, title string) string {
	t.Helper()
	for _, p := range panels(m) {
		if str(p["title"]) == title {
			targets, _ := p["targets"].([]any)
			if len(targets) != 1 {
				t.Fatalf("%s: panel %q has %d targets, want 1", path, title, len(targets))
			}
			return str(targets[0].(map[string]any)["rawSql"])
		}
	}
	t.Fatalf("%s: no panel titled %q", path, title)
	return ""
}

// TestOverviewPanelsMatchAPI: the overview's "Top contributors this
// period" is the top 25 of /api/v1/leaderboard and its "Community share"
// is /api/v1/share (the classes with contributions), for the same
// question, under the default rules and under other published weights and
// bot rules.
func TestOverviewPanelsMatchAPI(t *testing.T) {
	e := newCHEnv(t)
	known := provisioned(t)
	const path = "contribtrack-overview.json"
	_, m := readDashboard(t, path)
	topSQL := overviewPanelSQL(t, path, m, "Top contributors this period")
	shareSQL := overviewPanelSQL(t, path, m, "Community share")
	list, byName := e.dashboardVars(t, path, m, known)
	custom := customRules()
	type shareRow struct {
		Class         string  `json:"group"`
		Contributions uint64  `json:"contributions"`
		Share         float64 `json:"share"`
		People        uint64  `json:"people"`
	}
	for _, c := range []struct {
		name  string
		vars  map[string][]string
		api   url.Values
		rules *leaderboard.Rules
	}{
		{"whole period", nil, nil, nil},
		{"one org", map[string][]string{"org": {"aws"}}, url.Values{"org": {"aws"}}, nil},
		{"one repository", map[string][]string{"repo": {"awslabs/smithy"}}, url.Values{"repo": {"awslabs/smithy"}}, nil},
		{"two kinds", map[string][]string{"kind": {"commit", "pr_merged"}}, url.Values{"kind": {"commit,pr_merged"}}, nil},
		{"bots included", map[string][]string{"bots": {"include"}}, url.Values{"include_bots": {"true"}}, nil},
		{"configured weights and bots", nil, nil, &custom},
	} {
		t.Run(c.name, func(t *testing.T) {
			rules := defaultRules()
			if c.rules != nil {
				rules = *c.rules
			}
			srv := e.serveRules(t, rules)
			selectVars(list, c.vars)
			runPanel := func(q string) result {
				t.Helper()
				sql, err := expandQuery(q, byName, wholeRange)
				if err != nil {
					t.Fatal(err)
				}
				r, err := e.run(sql)
				if err != nil {
					t.Fatalf("%v\n%s", err, sql)
				}
				return r
			}
			askAPI := func(endpoint string, extra url.Values, out any) {
				t.Helper()
				q := url.Values{"from": {dataFrom.Format(time.DateOnly)}, "to": {dataTo.Format(time.DateOnly)}}
				for k, v := range c.api {
					q[k] = v
				}
				for k, v := range extra {
					q[k] = v
				}
				resp, err := srv.Client().Get(srv.URL + endpoint + "?" + q.Encode())
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				if err := json.NewDecoder(resp.Body).Decode(out); err != nil || resp.StatusCode != 200 {
					t.Fatalf("API %s: %d %v", endpoint, resp.StatusCode, err)
				}
			}

			// Top contributors: the leaderboard's first 25 lines.
			r := runPanel(topSQL)
			panelEntries := leaderboardRows(r)
			var apiEntries []entry
			askAPI("/api/v1/leaderboard", url.Values{"limit": {"25"}}, &apiEntries)
			if len(apiEntries) == 0 {
				t.Fatal("the API's leaderboard is empty: the question checks nothing")
			}
			if !reflect.DeepEqual(normalize(panelEntries), normalize(apiEntries)) {
				t.Errorf("top contributors differ from the API's leaderboard\npanel: %+v\napi:   %+v", panelEntries, apiEntries)
			}

			// Community share: the API lists every class, the panel those
			// with contributions.
			r = runPanel(shareSQL)
			panelShares := []shareRow{}
			for _, row := range r.rows {
				var s shareRow
				for i, name := range r.names {
					switch name {
					case "class":
						s.Class = row[i].(string)
					case "contributions":
						s.Contributions = uint64(toFloat(row[i]))
					case "people":
						s.People = uint64(toFloat(row[i]))
					case "share":
						s.Share = toFloat(row[i])
					}
				}
				panelShares = append(panelShares, s)
			}
			var apiShares []shareRow
			askAPI("/api/v1/share", nil, &apiShares)
			apiShares = slices.DeleteFunc(apiShares, func(s shareRow) bool { return s.Contributions == 0 })
			if len(apiShares) == 0 {
				t.Fatal("the API's share is empty: the question checks nothing")
			}
			byClass := func(a, b shareRow) int { return strings.Compare(a.Class, b.Class) }
			slices.SortFunc(panelShares, byClass)
			slices.SortFunc(apiShares, byClass)
			if !reflect.DeepEqual(panelShares, apiShares) {
				t.Errorf("community share differs from the API's\npanel: %+v\napi:   %+v", panelShares, apiShares)
			}
		})
	}
}
