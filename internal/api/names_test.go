package api_test

import (
	"net/http"
	"strings"
	"testing"

	"contribtrack/internal/api"
	"contribtrack/internal/contrib"
)

// TestUnknownNamesAre404: the API answers a name nothing knows (org,
// repository, program, member) with 404 and the JSON error naming the
// parameter, as the CLI exits 1; a known name without activity in the
// period is an empty answer.
func TestUnknownNamesAre404(t *testing.T) {
	e := newEnv(t)
	e.insert(t, c(t, contrib.PROpened, "kwatanabe", "aws-samples/demo", "2024-03-01T10:00:00Z"))
	e.importRoster(t)
	base := e.serve(t, api.Options{})
	period := "&from=2024-01-01&to=2025-01-01"
	for _, tc := range []struct{ path, parameter, want string }{
		{"/api/v1/leaderboard?org=nope-org", "org", `unknown org "nope-org"`},
		{"/api/v1/leaderboard?repo=aws-samples/nope", "repo", `did you mean "aws-samples/demo"?`},
		{"/api/v1/leaderboard?program=aws-superstars", "program", "known programs: aws-community-builders"},
		{"/api/v1/share?org=nope-org", "org", `unknown org "nope-org"`},
		{"/api/v1/reports?member=nobody-zz", "member", `unknown member "nobody-zz"`},
		{"/api/v1/reports?org=nope-org", "org", `unknown org "nope-org"`},
	} {
		r := get(t, base+tc.path+period)
		if r.status != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404: %s", tc.path, r.status, r.body)
			continue
		}
		got := decodeError(t, r)
		if got.Error != "unknown_name" || got.Parameter != tc.parameter || !strings.Contains(got.Message, tc.want) {
			t.Errorf("%s: %+v, want unknown_name for %s saying %q", tc.path, got, tc.parameter, tc.want)
		}
	}
	r := get(t, base+"/api/v1/leaderboard?org=aws-samples&from=2020-01-01&to=2021-01-01")
	if r.status != http.StatusOK || strings.TrimSpace(string(r.body)) != "[]" {
		t.Errorf("a known org in a quiet period: %d %s, want 200 []", r.status, r.body)
	}
}
