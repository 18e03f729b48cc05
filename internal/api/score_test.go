package api_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"contribtrack/internal/api"
	"contribtrack/internal/contrib"
	"contribtrack/internal/leaderboard"
)

// /api/v1/contributors/{login}/score lists the contributions behind a
// person's score, their points adding up to it; a member is found under
// another of their logins; opt-outs and unknown logins are not found.
func TestContributorScoreExplained(t *testing.T) {
	e := newEnv(t)
	e.importRoster(t)
	e.insert(t,
		c(t, contrib.Commit, "ana-ferreira-dev", cdk, "2024-01-10T10:00:00Z"),
		c(t, contrib.PROpened, "ana-ferreira-dev", smithy, "2024-02-10T10:00:00Z"),
		c(t, contrib.IssueComment, "ana-ferreira", cdk, "2024-02-11T10:00:00Z"),
		c(t, contrib.Commit, "dmorales", cdk, "2024-01-15T12:00:00Z"),
	)
	base := e.serve(t, api.Options{})
	r := get(t, base+"/api/v1/contributors/ana-ferreira-dev/score?from=2024-01-01&to=2024-03-01")
	if r.status != http.StatusOK {
		t.Fatalf("%d %s", r.status, r.body)
	}
	var ex leaderboard.Explanation
	if err := json.Unmarshal(r.body, &ex); err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for _, it := range ex.Items {
		sum += it.Points
	}
	w := contrib.DefaultWeights()
	if want := w[contrib.Commit] + w[contrib.PROpened] + w[contrib.IssueComment]; ex.Score != want || sum != want || len(ex.Items) != 3 || ex.Profile != contrib.ProfileActivity {
		t.Errorf("score %v from %d items adding to %v (%s); want %v from 3", ex.Score, len(ex.Items), sum, ex.Profile, want)
	}
	for path, want := range map[string]int{
		"/api/v1/contributors/dmorales/score":                                       http.StatusNotFound, // opted out
		"/api/v1/contributors/nobody-here/score":                                    http.StatusNotFound,
		"/api/v1/contributors/-bad-/score":                                          http.StatusBadRequest,
		"/api/v1/contributors/ana-ferreira-dev/score?from=2024-03-01&to=2024-01-01": http.StatusBadRequest,
		"/api/v1/contributors/ana-ferreira-dev/score?region=EMEA":                   http.StatusBadRequest,
	} {
		if got := get(t, base+path); got.status != want {
			t.Errorf("%s: %d %s, want %d", path, got.status, got.body, want)
		}
	}
}
