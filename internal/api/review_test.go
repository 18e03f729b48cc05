package api_test

import (
	"net/http"
	"testing"

	"contribtrack/internal/api"
)

// Fixes after the first review of the API: the bearer scheme is read
// case-insensitively, answers vary by Origin whenever CORS is configured,
// and share refuses an affiliation filter as the CLI does.
func TestReviewFixes(t *testing.T) {
	e := newEnv(t)
	e.insert(t, baseData(t)...)
	const token = "review-token-0123456789"
	base := e.serve(t, api.Options{Token: token, CORSOrigins: []string{"https://community.example.org"}})
	q := "/api/v1/leaderboard?from=2024-01-01&to=2025-01-01"
	for _, scheme := range []string{"Bearer", "bearer", "BEARER"} {
		if r := do(t, http.MethodGet, base+q, map[string]string{"Authorization": scheme + " " + token}, nil); r.status != http.StatusOK {
			t.Errorf("scheme %q: %d, want 200", scheme, r.status)
		}
	}
	if r := do(t, http.MethodGet, base+q, map[string]string{"Authorization": "Basic " + token}, nil); r.status != http.StatusUnauthorized {
		t.Errorf("Basic scheme: %d, want 401", r.status)
	}
	r := do(t, http.MethodGet, base+q, map[string]string{"Authorization": "Bearer " + token, "Origin": "https://elsewhere.example"}, nil)
	if r.header.Get("Vary") != "Origin" || r.header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("other origin: Vary %q, Allow-Origin %q; want Vary: Origin and no Allow-Origin", r.header.Get("Vary"), r.header.Get("Access-Control-Allow-Origin"))
	}
	r = do(t, http.MethodGet, base+"/api/v1/share?from=2024-01-01&to=2025-01-01&affiliation=community",
		map[string]string{"Authorization": "Bearer " + token}, nil)
	if r.status != http.StatusBadRequest || decodeError(t, r).Parameter != "affiliation" {
		t.Errorf("share with affiliation: %d %s, want 400 naming affiliation", r.status, r.body)
	}
}

func TestSyncStatusEndpoint(t *testing.T) {
	e := newEnv(t)
	base := e.serve(t, api.Options{})
	r := get(t, base+"/api/v1/sync")
	if r.status != http.StatusOK || string(r.body) != "[]\n" || r.header.Get("X-Contribtrack-Cache") != "none" {
		t.Errorf("no repositories synced: %d %q (cache %q), want 200 [] uncached", r.status, r.body, r.header.Get("X-Contribtrack-Cache"))
	}
	r = get(t, base+"/api/v1/sync?repo=aws/x")
	if r.status != http.StatusBadRequest || decodeError(t, r).Parameter != "repo" {
		t.Errorf("unknown parameter: %d %s, want 400 naming repo", r.status, r.body)
	}
}
