// Package metrics is contribtrack's Prometheus instrumentation: the GitHub
// client, the API collector, the GH Archive import and community gauges,
// in a registry of its own (never the global one).
//
// The producing packages know nothing of Prometheus: each defines an
// observer interface, and Metrics hands out adapters for them
// (GitHubObserver, CollectorObserver, ImportObserver). Labels are kept
// low-cardinality: tokens by index, never their text; no logins; repositories
// only where the configuration bounds them.
package metrics

import (
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// namespace prefixes every metric name.
const namespace = "contribtrack"

// Options configures a Metrics.
type Options struct {
	// Runtime adds the Go runtime and process collectors (go_*, process_*).
	Runtime bool
	// Now is the clock for "last success" timestamps and the GH Archive
	// lag; default time.Now.
	Now func() time.Time
}

// Metrics holds every contribtrack metric and the registry they are in.
type Metrics struct {
	reg *prometheus.Registry
	now func() time.Time

	stored *prometheus.CounterVec // source, kind: shared by the collector and the import

	github    githubMetrics
	collector collectorMetrics
	archive   archiveMetrics
	community communityMetrics
	build     *prometheus.GaugeVec // contribtrack_build_info

	mu         sync.Mutex
	newestHour time.Time // the newest GH Archive hour imported; zero: none yet
}

// New returns metrics in a new registry with the Go runtime and process
// collectors: what serve exposes.
func New() *Metrics { return NewWith(Options{Runtime: true}) }

// NewWithoutRuntime returns metrics in a new registry without the runtime
// and process collectors, so that a scrape is deterministic (tests).
func NewWithoutRuntime() *Metrics { return NewWith(Options{}) }

// NewWith returns metrics configured by o.
func NewWith(o Options) *Metrics {
	if o.Now == nil {
		o.Now = time.Now
	}
	m := &Metrics{reg: prometheus.NewRegistry(), now: o.Now}
	m.stored = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Name: "contributions_stored_total",
		Help: "Contributions and signals (stars, forks) stored, by source (rest, graphql: the API collector; gharchive: the GH Archive import) and kind. One stored again (a resync, an overlapping import) counts again.",
	}, []string{"source", "kind"})
	m.reg.MustRegister(m.stored)
	m.github = newGitHubMetrics(m.reg)
	m.collector = newCollectorMetrics(m.reg)
	m.archive = newArchiveMetrics(m)
	m.community = newCommunityMetrics(m.reg)
	m.build = newBuildInfo(m.reg)
	if o.Runtime {
		m.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	return m
}

// Registry is the registry the metrics are in (to add more collectors).
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the registry in the Prometheus exposition formats.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// unixSeconds is t as a Prometheus timestamp value.
func unixSeconds(t time.Time) float64 { return float64(t.UnixNano()) / 1e9 }
