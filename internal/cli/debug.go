package cli

import (
	"path/filepath"

	"contribtrack/internal/api"
	"contribtrack/internal/config"
	"contribtrack/internal/ghclient"
	"contribtrack/internal/localch"
)

// The defaults other packages apply to a setting left at zero, as
// --debug shows them. They must equal collector.New's Workers,
// ghclient.New's MaxInFlight and gharchive.Follower's MaxHours, which are
// not exported.
const (
	defaultWorkers       = 4
	defaultMaxInFlight   = 1
	defaultHoursPerRound = 24
)

// effective is cfg with every default filled in, so that --debug shows
// the values the commands run with (workers: 4, every kind's weight), not
// the zeros that stand for them. cfg itself is left as it is.
func effective(cfg *config.Config) *config.Config {
	cp := *cfg
	if cp.DataDir == "" {
		if dir, err := localch.DefaultDir(); err == nil {
			cp.DataDir = filepath.Dir(dir)
		}
	}
	if cp.GitHub.URL == "" {
		cp.GitHub.URL = ghclient.DefaultURL
	}
	if cp.GitHub.Workers <= 0 {
		cp.GitHub.Workers = defaultWorkers
	}
	if cp.GitHub.MaxInFlight <= 0 {
		cp.GitHub.MaxInFlight = defaultMaxInFlight
	}
	cp.Scoring.Weights = map[string]float64{}
	for k, w := range cfg.Weights() {
		cp.Scoring.Weights[string(k)] = w
	}
	s := &cp.Serve
	s.Interval = s.SyncInterval().String()
	s.RequestTimeout = s.Timeout().String()
	s.VersionRefresh = s.VersionInterval().String()
	if s.GHArchiveHoursPerRound <= 0 {
		s.GHArchiveHoursPerRound = defaultHoursPerRound
	}
	if s.MaxConcurrentQueries <= 0 {
		s.MaxConcurrentQueries = api.DefaultMaxQueries()
	}
	if s.MaxQueuedRequests <= 0 {
		s.MaxQueuedRequests = api.DefaultMaxQueued
	}
	return &cp
}
