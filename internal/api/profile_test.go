package api_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"contribtrack/internal/api"
	"contribtrack/internal/contrib"
)

func TestContributorProfile(t *testing.T) {
	e := newEnv(t)
	e.importRoster(t)
	e.insert(t,
		// Ana under her login and her older account (an identity correction),
		// in two repositories and two months.
		c(t, contrib.Commit, "ana-ferreira-dev", cdk, "2024-01-10T10:00:00Z"),
		c(t, contrib.PROpened, "ana-ferreira-dev", smithy, "2024-02-10T10:00:00Z"),
		c(t, contrib.IssueComment, "ana-ferreira", cdk, "2024-02-11T10:00:00Z"),
		c(t, contrib.Star, "ana-ferreira-dev", cdk, "2024-02-12T10:00:00Z"), // a signal: not counted
		// Someone else.
		c(t, contrib.Commit, "bob", cdk, "2024-01-15T12:00:00Z"),
		// Diego opted out.
		c(t, contrib.Commit, "dmorales", cdk, "2024-01-15T12:00:00Z"),
	)
	for _, refresh := range []bool{false, true} {
		if refresh {
			e.refresh(t)
		}
		base := e.serve(t, api.Options{})
		r := get(t, base+"/api/v1/contributors/ana-ferreira")
		if r.status != http.StatusOK {
			t.Fatalf("rollup %v: %d %s", refresh, r.status, r.body)
		}
		var got api.Profile
		if err := json.Unmarshal(r.body, &got); err != nil {
			t.Fatal(err)
		}
		if got.Login != "ana-ferreira-dev" || got.Name != "Ana Ferreira" {
			t.Errorf("rollup %v: shown as %q (%q), want the roster's ana-ferreira-dev (Ana Ferreira)", refresh, got.Login, got.Name)
		}
		wantCounts := map[string]uint64{"commit": 1, "pr_opened": 1, "issue_comment": 1}
		if diff := cmp.Diff(wantCounts, got.Counts); diff != "" {
			t.Errorf("rollup %v: counts (-want +got):\n%s", refresh, diff)
		}
		if got.Score != 1+2+1 || got.FirstContribution != "2024-01-10" || got.LatestContribution != "2024-02-11" {
			t.Errorf("rollup %v: score %v, first %s, latest %s", refresh, got.Score, got.FirstContribution, got.LatestContribution)
		}
		var repos, months []string
		for _, p := range got.ByRepository {
			repos = append(repos, p.Repository)
		}
		for _, p := range got.ByMonth {
			months = append(months, p.Month)
		}
		if diff := cmp.Diff([]string{cdk, smithy}, repos); diff != "" {
			t.Errorf("rollup %v: repositories (-want +got):\n%s", refresh, diff)
		}
		if diff := cmp.Diff([]string{"2024-01", "2024-02"}, months); diff != "" {
			t.Errorf("rollup %v: months (-want +got):\n%s", refresh, diff)
		}
		if len(got.Programs) != 3 || len(got.Affiliations) != 1 || got.Affiliations[0].Employer != "Amazon Web Services" || got.Affiliations[0].To != nil {
			t.Errorf("rollup %v: programs %+v, affiliations %+v", refresh, got.Programs, got.Affiliations)
		}
		// A period narrows it.
		r = get(t, base+"/api/v1/contributors/ana-ferreira-dev?from=2024-02-01&to=2024-03-01")
		got = api.Profile{}
		if err := json.Unmarshal(r.body, &got); err != nil || got.Counts["commit"] != 0 || got.Counts["pr_opened"] != 1 {
			t.Errorf("rollup %v: February: %d %s", refresh, r.status, r.body)
		}
		// Not members: by their login.
		r = get(t, base+"/api/v1/contributors/bob")
		got = api.Profile{}
		if err := json.Unmarshal(r.body, &got); err != nil || r.status != http.StatusOK || got.Login != "bob" || got.Counts["commit"] != 1 || got.Name != "" {
			t.Errorf("rollup %v: bob: %d %s", refresh, r.status, r.body)
		}
		for path, want := range map[string]int{
			"/api/v1/contributors/dmorales":               http.StatusNotFound, // opted out
			"/api/v1/contributors/nobody-here":            http.StatusNotFound,
			"/api/v1/contributors/bad%20login":            http.StatusBadRequest,
			"/api/v1/contributors/bob?from=2024-01-01":    http.StatusBadRequest, // half a period
			"/api/v1/contributors/bob?affiliation=vendor": http.StatusBadRequest,
		} {
			if r := get(t, base+path); r.status != want {
				t.Errorf("rollup %v: %s: %d %s, want %d", refresh, path, r.status, r.body, want)
			}
		}
	}
}
