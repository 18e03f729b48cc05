package reliability

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"contribtrack/internal/githubtest"
	"contribtrack/internal/githubtest/ghdata"
)

// resetIn is how far away the reset of the budget exhausted mid-run is.
const resetIn = 20 * time.Second

var announcedWait = regexp.MustCompile(`waiting (\S+) for token`)

// testGitHubFaults collects, with one worker, from a test server that
// answers about 10% of requests with a fault (5xx, secondary limits as 403
// and 429, truncated bodies) and, at a random request, finds the budget of
// that request's resource exhausted until resetIn later (as another client
// of the token would). Faults are off from that request until the first
// request after the reset, so that the request that meets the exhausted
// budget is answered with the 403 or RATE_LIMITED that announces it.
func testGitHubFaults(t *testing.T) {
	n := trials(1, 5)
	r := &row{experiment: "the GitHub test server answering with random 5xx, secondary limits, truncated bodies, and an exhausted budget mid-run",
		trials: fmt.Sprintf("%d run%s", n, map[bool]string{true: "", false: "s"}[n == 1])}
	exact, overdue, lateOK := 0, 0, 0
	var faults, retryAfter int
	for i := 0; i < n; i++ {
		g := newGHServer(t, ghdata.Generate(spec(uint64(20+i))), githubtest.Options{})
		on := githubtest.FaultOnREST | githubtest.FaultOnGraphQL
		kinds := []githubtest.FaultKind{githubtest.Fault5xx, githubtest.FaultSecondary, githubtest.FaultSecondary429, githubtest.FaultTruncated}
		g.SetFaultRateOn(on, seed+uint64(i), 0.1, kinds...)
		at := 10 + rng.Int64N(50)
		var mu sync.Mutex
		var resource string
		var exhaustedAt, resetAt, firstAfter time.Time
		g.setHook(func(n int64, req *http.Request) {
			res := githubtest.ResourceCore
			if strings.HasSuffix(req.URL.Path, "graphql") {
				res = githubtest.ResourceGraphQL
			} else if strings.HasSuffix(req.URL.Path, "/rate_limit") {
				return // free: never refused
			}
			mu.Lock()
			defer mu.Unlock()
			switch {
			case n >= at && resource == "":
				g.SetFaultRateOn(on, 0, 0)
				resource, exhaustedAt = res, time.Now()
				resetAt = exhaustedAt.Add(resetIn).Truncate(time.Second).Add(time.Second) // the server's whole-second reset
				g.Exhaust(0, res, resetIn)
			case resource == res && firstAfter.IsZero():
				firstAfter = time.Now()
				g.SetFaultRateOn(on, seed+uint64(i)+1000, 0.1, kinds...)
			}
		})
		dsn := newDSN("faults")
		p := g.collect(t, dsn, "--workers", "1")
		err := p.cmd.Run()
		stats := g.Stats()
		for _, k := range kinds {
			faults += stats.Faults[k]
		}
		retryAfter += stats.SentDuringRetryAfter
		mu.Lock()
		desc := fmt.Sprintf("run %d: %d requests, %d faults; the %s budget exhausted at request %d, reset %s later", i+1, stats.Requests,
			sumFaults(stats), resource, at, resetAt.Sub(exhaustedAt).Round(100*time.Millisecond))
		// The request that met the exhausted budget was sent before anything
		// announced it; any other is one too many.
		sentAgainst := stats.SentWhileExhausted - 1
		if resource == "" {
			sentAgainst = stats.SentWhileExhausted
			desc += " (never: the run sent fewer requests)"
		}
		waitOK := false
		if !firstAfter.IsZero() {
			late := firstAfter.Sub(resetAt)
			announced := resetAt.Sub(exhaustedAt)
			waitOK = late >= -time.Second/10 && late <= announced/10
			desc += fmt.Sprintf("; the next %s request came %s after the reset (allowed: 0 to %s)", resource, late.Round(time.Millisecond), announced/10)
		}
		mu.Unlock()
		if m := announcedWait.FindAllStringSubmatch(p.stderr.String(), -1); len(m) > 0 {
			var ws []string
			for _, x := range m {
				ws = append(ws, x[1])
			}
			desc += "; collect announced waits of " + strings.Join(ws, ", ")
		}
		desc += fmt.Sprintf("; %d requests sent against an exhausted budget after it was announced", sentAgainst)
		switch {
		case err != nil:
			desc += fmt.Sprintf("; collect failed: %v: %s", err, tail(p.stderr.String(), 3))
		default:
			if d := g.checkTruth(t, dsn); d != "" {
				desc += "; not exact: " + d
			} else {
				exact++
			}
		}
		if sentAgainst > 0 {
			overdue += sentAgainst
		}
		if waitOK {
			lateOK++
		}
		r.details = append(r.details, desc)
	}
	r.ok = exact == n && overdue == 0 && lateOK == n
	r.result = fmt.Sprintf("%d of %d exact (%d faults served); %d requests against an exhausted budget; %d of %d waits within 10%% of the announced reset; %d requests during a Retry-After",
		exact, n, faults, overdue, lateOK, n, retryAfter)
	record(t, r)
}

func sumFaults(s githubtest.Stats) int {
	n := 0
	for _, v := range s.Faults {
		n += v
	}
	return n
}
