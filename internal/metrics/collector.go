package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"contribtrack/internal/collector"
)

type collectorMetrics struct {
	batchRows    prometheus.Histogram
	flushSeconds prometheus.Histogram
	errors       *prometheus.CounterVec // stage
	repoSuccess  *prometheus.GaugeVec   // repo
	repoSeconds  *prometheus.GaugeVec   // repo
	runSuccess   *prometheus.GaugeVec   // run
	runSeconds   *prometheus.GaugeVec   // run
}

// collectorStages are the stages collector.Observer.Failed names.
var collectorStages = []string{collector.StageProbe, collector.StageFetch, collector.StageStore, collector.StageCheckpoint}

func newCollectorMetrics(reg prometheus.Registerer) collectorMetrics {
	c := collectorMetrics{
		batchRows: prometheus.NewHistogram(prometheus.HistogramOpts{
			Namespace: namespace, Subsystem: "collector", Name: "batch_rows",
			Help:    "Contributions per insert the API collector stored.",
			Buckets: []float64{10, 100, 1000, 5000, 10000, 20000, 50000, 100000},
		}),
		flushSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Namespace: namespace, Subsystem: "collector", Name: "flush_duration_seconds",
			Help:    "Seconds the API collector took to store a batch of contributions and the checkpoints it completes (successful flushes, retries included).",
			Buckets: []float64{0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300},
		}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: "collector", Name: "errors_total",
			Help: "Failures of the API collector, by stage (probe: listing or probing repositories and member accounts; fetch: fetching a resource; store: inserting contributions; checkpoint: reading or saving checkpoints). An interrupted run adds none.",
		}, []string{"stage"}),
		repoSuccess: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Namespace: namespace, Subsystem: "collector", Name: "repo_last_success_timestamp_seconds",
			Help: "When a repository's last successful sync ended (unix seconds), by repository (owner/name; the set is bounded by the configured orgs and repos).",
		}, []string{"repo"}),
		repoSeconds: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Namespace: namespace, Subsystem: "collector", Name: "repo_sync_duration_seconds",
			Help: "Seconds a repository's last sync took, failed or not, by repository (owner/name; the set is bounded by the configured orgs and repos).",
		}, []string{"repo"}),
		runSuccess: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Namespace: namespace, Subsystem: "collector", Name: "run_last_success_timestamp_seconds",
			Help: "When the last collection run that failed nowhere ended (unix seconds), by run (repositories, members).",
		}, []string{"run"}),
		runSeconds: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Namespace: namespace, Subsystem: "collector", Name: "run_duration_seconds",
			Help: "Seconds the last collection run took, failed or not, by run (repositories, members).",
		}, []string{"run"}),
	}
	reg.MustRegister(c.batchRows, c.flushSeconds, c.errors, c.repoSuccess, c.repoSeconds, c.runSuccess, c.runSeconds)
	for _, s := range collectorStages {
		c.errors.WithLabelValues(s)
	}
	return c
}

// CollectorObserver returns the observer to set as
// collector.Options.Observer.
func (m *Metrics) CollectorObserver() collector.Observer { return collectorObserver{m} }

type collectorObserver struct{ m *Metrics }

func (o collectorObserver) Flushed(f collector.Flush) {
	for sk, n := range f.Stored {
		o.m.stored.WithLabelValues(string(sk.Via), string(sk.Kind)).Add(float64(n))
	}
	if f.Err != nil {
		return
	}
	c := &o.m.collector
	if f.Rows > 0 {
		c.batchRows.Observe(float64(f.Rows))
	}
	c.flushSeconds.Observe(f.Elapsed.Seconds())
}

func (o collectorObserver) Failed(stage string, _ error) {
	o.m.collector.errors.WithLabelValues(stage).Inc()
}

func (o collectorObserver) RepoSynced(r collector.RepoResult) {
	c := &o.m.collector
	c.repoSeconds.WithLabelValues(r.Repo).Set(r.Elapsed.Seconds())
	if r.Err == nil {
		c.repoSuccess.WithLabelValues(r.Repo).Set(unixSeconds(o.m.now()))
	}
}

func (o collectorObserver) RunFinished(run string, elapsed time.Duration, err error) {
	c := &o.m.collector
	c.runSeconds.WithLabelValues(run).Set(elapsed.Seconds())
	if err == nil {
		c.runSuccess.WithLabelValues(run).Set(unixSeconds(o.m.now()))
	}
}
