package metrics

import "github.com/prometheus/client_golang/prometheus"

// BuildInfo is what the running binary was built from.
type BuildInfo struct {
	Version   string // a release (v1.2.3), else "devel"
	Commit    string // the VCS revision, else "unknown"
	GoVersion string // the Go release it was built with
}

// newBuildInfo is contribtrack_build_info, filled in by SetBuildInfo.
func newBuildInfo(reg prometheus.Registerer) *prometheus.GaugeVec {
	g := prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Namespace: namespace, Name: "build_info",
		Help: "Always 1; its labels say which build of contribtrack is running: version, commit (VCS revision) and goversion.",
	}, []string{"version", "commit", "goversion"})
	reg.MustRegister(g)
	return g
}

// SetBuildInfo sets contribtrack_build_info{version, commit, goversion} to
// 1, as Prometheus exporters do, so that a dashboard can tell which build
// answered (and join it to other series). A later call replaces it.
func (m *Metrics) SetBuildInfo(b BuildInfo) {
	m.build.Reset()
	m.build.WithLabelValues(b.Version, b.Commit, b.GoVersion).Set(1)
}
