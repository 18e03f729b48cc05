package ingest

import (
	"context"
	"errors"

	"contribtrack/internal/collector"
	"contribtrack/internal/contrib"
	"contribtrack/internal/ghclient"
)

// CollectOptions are what a caller of the collector chooses beyond the
// configuration.
type CollectOptions struct {
	Full     bool // ignore checkpoints and fetch everything again
	Workers  int  // repositories synced at once; 0: github.workers
	Progress func(collector.RepoResult)
	Observer collector.Observer
	Holder   string // this process's name for shared leases; "": collects alone
}

// Collector returns the GitHub API collector the configuration
// describes: its orgs and repositories, their filters, and the leases
// when github.shared is set (Holder). Its Repos and Members are the
// sources Sync runs.
func (e Env) Collector(gh *ghclient.Client, o CollectOptions) *collector.Collector {
	g := e.Config.GitHub
	workers := o.Workers
	if workers == 0 {
		workers = g.Workers
	}
	// Diffs are read only when the accepted profile judges them.
	diffLines := 0
	if e.Config.Scoring.Profile == contrib.ProfileAccepted {
		diffLines = e.Config.Scoring.Accepted.DiffCheckLines
	}
	return collector.New(gh, e.Store, collector.Options{EmailKey: e.EmailKey, DiffCheckLines: diffLines,
		Orgs: e.Config.Orgs, Repos: e.Config.Repos, Include: g.Include, Exclude: g.Exclude,
		SkipArchived: g.SkipArchived, SkipForks: g.SkipForks,
		Full: o.Full, Workers: workers, Logger: e.Log, Progress: o.Progress, Observer: o.Observer,
		Holder: o.Holder, Leases: e.Store,
	})
}

// ErrNoRoster is returned when members are to be followed but no roster
// was imported.
var ErrNoRoster = errors.New("--members follows the roster's members: import a roster first (contribtrack roster import)")

// Members returns the source that follows the active roster's members
// (read as each sync starts). With no roster imported, a sync fails with
// ErrNoRoster unless quiet is set, when it follows nobody (serve, whose
// roster may come later).
func (e Env) Members(c *collector.Collector, quiet bool) contrib.Source {
	return members{e, c, quiet}
}

type members struct {
	env   Env
	c     *collector.Collector
	quiet bool
}

func (m members) Name() string { return m.c.Members(nil).Name() }

func (m members) Sync(ctx context.Context, st contrib.SyncStore) (contrib.Synced, error) {
	imp, err := m.env.Store.ActiveRoster(ctx)
	if err != nil {
		return contrib.Synced{Unit: "member accounts"}, err
	}
	if imp.ID == 0 {
		if m.quiet {
			return contrib.Synced{Unit: "member accounts"}, nil // nobody to follow yet: no run
		}
		return contrib.Synced{Unit: "member accounts"}, ErrNoRoster
	}
	return m.c.Members(func(ctx context.Context) ([]collector.Member, error) { return m.env.memberTargets(ctx, imp.ID) }).Sync(ctx, st)
}

// memberTargets reads the accounts of roster import importID's members.
func (e Env) memberTargets(ctx context.Context, importID uint64) ([]collector.Member, error) {
	targets, err := e.Store.MemberTargets(ctx, importID)
	if err != nil {
		return nil, err
	}
	ms := make([]collector.Member, len(targets))
	for i, t := range targets {
		ms[i] = collector.Member{Key: t.Key, Logins: t.Logins, IDs: t.IDs, Since: t.Since}
	}
	return ms, nil
}
