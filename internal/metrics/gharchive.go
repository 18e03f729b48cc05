package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"contribtrack/internal/contrib"
	"contribtrack/internal/gharchive"
)

type archiveMetrics struct {
	hours     prometheus.Counter
	events    prometheus.Counter
	malformed prometheus.Counter
}

func newArchiveMetrics(m *Metrics) archiveMetrics {
	a := archiveMetrics{
		hours: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: "gharchive", Name: "hour_files_imported_total",
			Help: "GH Archive hour files read to their end and stored by an import that succeeded.",
		}),
		events: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: "gharchive", Name: "events_read_total",
			Help: "GH Archive events decoded, kept or not.",
		}),
		malformed: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: "gharchive", Name: "malformed_lines_total",
			Help: "GH Archive lines that were not valid events and were skipped.",
		}),
	}
	m.reg.MustRegister(a.hours, a.events, a.malformed, lagCollector{m})
	return a
}

// lagDesc describes the GH Archive lag, exported once an hour is imported.
var lagDesc = prometheus.NewDesc(namespace+"_gharchive_lag_seconds",
	"Seconds between now and the end of the newest GH Archive hour imported (absent until one is).", nil, nil)

// lagCollector computes the lag at scrape time, so that it grows while
// no hour is imported.
type lagCollector struct{ m *Metrics }

func (c lagCollector) Describe(ch chan<- *prometheus.Desc) { ch <- lagDesc }

func (c lagCollector) Collect(ch chan<- prometheus.Metric) {
	c.m.mu.Lock()
	newest := c.m.newestHour
	c.m.mu.Unlock()
	if newest.IsZero() {
		return
	}
	lag := max(c.m.now().Sub(newest.Add(time.Hour)), 0)
	ch <- prometheus.MustNewConstMetric(lagDesc, prometheus.GaugeValue, lag.Seconds())
}

// ImportObserver returns the observer to set as gharchive.Options.Observer.
func (m *Metrics) ImportObserver() gharchive.Observer { return importObserver{m} }

type importObserver struct{ m *Metrics }

func (o importObserver) Decoded(events, malformed int64) {
	o.m.archive.events.Add(float64(events))
	o.m.archive.malformed.Add(float64(malformed))
}

func (o importObserver) Stored(kinds map[contrib.Kind]int) {
	for k, n := range kinds {
		o.m.stored.WithLabelValues(string(contrib.ViaGHArchive), string(k)).Add(float64(n))
	}
}

func (o importObserver) HourImported(hour time.Time) {
	o.m.archive.hours.Inc()
	o.m.mu.Lock()
	if hour.After(o.m.newestHour) {
		o.m.newestHour = hour
	}
	o.m.mu.Unlock()
}
