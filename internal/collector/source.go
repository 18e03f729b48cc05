package collector

import (
	"context"

	"contribtrack/internal/contrib"
)

// The collector's two runs as contrib.Sources: Repos syncs the configured
// repositories (Run), Members follows the accounts Targets names when each
// sync starts (RunMembers). Synced.Detail is the run's Summary.

// Repos returns the configured repositories' sync as a source.
func (c *Collector) Repos() contrib.Source { return repos{c} }

// Members returns the sync of the accounts targets lists (read as each
// sync starts: a roster imported meanwhile is followed) as a source.
func (c *Collector) Members(targets func(ctx context.Context) ([]Member, error)) contrib.Source {
	return members{c, targets}
}

type repos struct{ c *Collector }

func (r repos) Name() string { return "github repositories" }

func (r repos) Sync(ctx context.Context, st contrib.SyncStore) (contrib.Synced, error) {
	sum, err := r.c.on(st).Run(ctx)
	return sum.synced("repositories"), err
}

type members struct {
	c       *Collector
	targets func(ctx context.Context) ([]Member, error)
}

func (m members) Name() string { return "github members" }

func (m members) Sync(ctx context.Context, st contrib.SyncStore) (contrib.Synced, error) {
	ms, err := m.targets(ctx)
	if err != nil {
		return contrib.Synced{Unit: "member accounts"}, err
	}
	sum, err := m.c.on(st).RunMembers(ctx, ms)
	return sum.synced("member accounts"), err
}

// on returns a collector like c that stores into st.
func (c *Collector) on(st contrib.SyncStore) *Collector {
	d := *c
	d.store = st
	return &d
}

// synced is the summary in the terms every source shares.
func (s Summary) synced(unit string) contrib.Synced {
	return contrib.Synced{Started: s.Started, Unit: unit, Units: s.Repos, Unchanged: s.Unchanged, Failed: s.Failed,
		Stored: s.Stored, Elapsed: s.Elapsed, Detail: s}
}
