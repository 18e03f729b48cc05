package api_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"contribtrack/internal/api"
)

func TestProjects(t *testing.T) {
	e := newEnv(t)
	e.insert(t, baseData(t)...)
	want := map[string][]api.Project{
		"repo": {
			{Name: cdk, Contributions: 4, ActiveContributors: 2, Score: 7, FirstContribution: "2024-01-15", LatestContribution: "2024-01-15"},
			{Name: smithy, Contributions: 2, ActiveContributors: 2, Score: 3, FirstContribution: "2024-01-15", LatestContribution: "2024-01-31"},
		},
		"org": {
			{Name: "aws", Contributions: 4, ActiveContributors: 2, Score: 7, FirstContribution: "2024-01-15", LatestContribution: "2024-01-15"},
			{Name: "awslabs", Contributions: 2, ActiveContributors: 2, Score: 3, FirstContribution: "2024-01-15", LatestContribution: "2024-01-31"},
		},
	}
	for _, refresh := range []bool{false, true} {
		if refresh {
			e.refresh(t)
		}
		base := e.serve(t, api.Options{})
		for by, w := range want {
			r := get(t, base+"/api/v1/projects?from=2024-01-01&to=2024-02-01&by="+by)
			var got []api.Project
			if err := json.Unmarshal(r.body, &got); err != nil || r.status != http.StatusOK {
				t.Fatalf("rollup %v, by %s: %d %s", refresh, by, r.status, r.body)
			}
			if diff := cmp.Diff(w, got); diff != "" {
				t.Errorf("rollup %v, by %s (-want +got):\n%s", refresh, by, diff)
			}
		}
		// Bots in: the bot's three commits count.
		r := get(t, base+"/api/v1/projects?from=2024-01-01&to=2024-02-01&include_bots=true")
		var got []api.Project
		if err := json.Unmarshal(r.body, &got); err != nil || len(got) != 2 || got[0].Contributions != 6 || got[0].ActiveContributors != 3 {
			t.Errorf("rollup %v, bots in: %d %s", refresh, r.status, r.body)
		}
		if r := get(t, base+"/api/v1/projects?from=2024-01-01&to=2024-02-01&by=team"); r.status != http.StatusBadRequest {
			t.Errorf("by=team: %d, want 400", r.status)
		}
	}
}
