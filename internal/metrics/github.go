package metrics

import (
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"contribtrack/internal/ghclient"
)

type githubMetrics struct {
	requests  *prometheus.CounterVec // api, resource, status_class
	remaining *prometheus.GaugeVec   // token, resource
	reset     *prometheus.GaugeVec   // token, resource
	waits     *prometheus.CounterVec // reason
	waited    *prometheus.CounterVec // reason
}

// Wait reasons, as labels.
var waitReasons = []string{"primary", "secondary"}

func newGitHubMetrics(reg prometheus.Registerer) githubMetrics {
	g := githubMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: "github", Name: "requests_total",
			Help: "HTTP requests sent to the GitHub API with a token, retries included, by API (rest, graphql), rate-limit resource (core, search, graphql, ...) and answer status class (2xx, 3xx, 4xx, 5xx; error: no answer).",
		}, []string{"api", "resource", "status_class"}),
		remaining: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Namespace: namespace, Subsystem: "github", Name: "rate_limit_remaining_points",
			Help: "Rate-limit points left in a token's budget for a resource, as GitHub's last answer said. token is the token's index (1 for the first), never its text.",
		}, []string{"token", "resource"}),
		reset: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Namespace: namespace, Subsystem: "github", Name: "rate_limit_reset_timestamp_seconds",
			Help: "When a token's budget for a resource resets (unix seconds, GitHub's clock), as GitHub's last answer said. token is the token's index (1 for the first), never its text.",
		}, []string{"token", "resource"}),
		waits: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: "github", Name: "rate_limit_waits_total",
			Help: "Pauses for a GitHub rate limit, by reason (primary: a spent budget; secondary: GitHub asked to slow down).",
		}, []string{"reason"}),
		waited: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: "github", Name: "rate_limit_wait_seconds_total",
			Help: "Seconds of pauses for a GitHub rate limit, by reason, as expected when each pause began.",
		}, []string{"reason"}),
	}
	reg.MustRegister(g.requests, g.remaining, g.reset, g.waits, g.waited)
	for _, r := range waitReasons {
		g.waits.WithLabelValues(r)
		g.waited.WithLabelValues(r)
	}
	return g
}

// GitHubObserver returns the observer to set as ghclient.Options.Observer.
func (m *Metrics) GitHubObserver() ghclient.Observer { return githubObserver{&m.github} }

type githubObserver struct{ g *githubMetrics }

func (o githubObserver) Request(api, resource string, status int, err error) {
	o.g.requests.WithLabelValues(api, resource, statusClass(status, err)).Inc()
}

func (o githubObserver) RateLimit(token int, resource string, remaining int, reset time.Time) {
	tok := strconv.Itoa(token)
	o.g.remaining.WithLabelValues(tok, resource).Set(float64(remaining))
	o.g.reset.WithLabelValues(tok, resource).Set(float64(reset.Unix()))
}

func (o githubObserver) Wait(w ghclient.Wait, expected time.Duration) {
	reason := strings.TrimSuffix(w.Reason, " limit") // "primary limit" -> "primary"
	o.g.waits.WithLabelValues(reason).Inc()
	o.g.waited.WithLabelValues(reason).Add(expected.Seconds())
}

// statusClass is "2xx" for 200-299 and so on; "error" when no answer came.
func statusClass(status int, err error) string {
	if err != nil || status < 100 || status > 599 {
		return "error"
	}
	return strconv.Itoa(status/100) + "xx"
}
