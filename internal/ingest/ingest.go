// Package ingest holds the use cases that bring data in: collect from the
// GitHub API (repositories and roster members), import GH Archive files,
// follow GH Archive's hours, and refresh the leaderboards' rollup after
// any of them. The CLI's commands and serve's scheduled jobs both call
// it, so each use case is wired once: from the configuration and the
// store to a contrib.Source, synced into the store, then the rollup.
//
// The read-side use cases (leaderboard, share, profile, report, community
// metrics) are the question packages: leaderboard, report, community.
package ingest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"contribtrack/internal/config"
	"contribtrack/internal/contrib"
	"contribtrack/internal/store"
)

// Env is what the use cases run against: a store whose schema is
// current, the configuration, and the email key checked against the
// store (Open).
type Env struct {
	Store    *store.Store
	Config   *config.Config
	EmailKey contrib.EmailKey
	Log      *slog.Logger
}

// emailKeySetting keeps the fingerprint of the key a database's email
// identities were derived with.
const emailKeySetting = "email_key_fingerprint"

// Open returns the use cases' Env after checking key against the store:
// identities derived with another key would never match. The first
// writer records the key's fingerprint.
func Open(ctx context.Context, s *store.Store, cfg *config.Config, key contrib.EmailKey, log *slog.Logger) (Env, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	have, err := s.Setting(ctx, emailKeySetting)
	if err != nil {
		return Env{}, err
	}
	switch fp := key.Fingerprint(); {
	case have == "":
		if err := s.SetSetting(ctx, emailKeySetting, fp); err != nil {
			return Env{}, err
		}
	case have != fp:
		return Env{}, errors.New("this database's email identities were derived with another key: set privacy.email_key (CONTRIBTRACK_EMAIL_KEY) to the key the other hosts use")
	}
	return Env{Store: s, Config: cfg, EmailKey: key, Log: log}, nil
}

// Result is what a sync did: the source's account, and what the store
// confirmed it kept (batches and contributions), which is what a failure
// report may truthfully say was stored.
type Result struct {
	contrib.Synced
	Batches, Rows int
	// SyncErr is the source's failure; RollupErr the refresh's after it
	// (what was stored is kept, and leaderboards stay exact). Sync's error
	// joins them.
	SyncErr, RollupErr error
}

// Sync runs src into the store, then refreshes the rollup when anything
// was stored (or the sync succeeded): what a failed sync stored is kept
// and counted. The error joins the sync's and the refresh's.
func (e Env) Sync(ctx context.Context, src contrib.Source) (Result, error) {
	c := &counting{SyncStore: e.Store}
	syn, err := src.Sync(ctx, c)
	c.mu.Lock()
	res := Result{Synced: syn, Batches: c.batches, Rows: c.rows, SyncErr: err}
	c.mu.Unlock()
	if !syn.Started || (err != nil && res.Batches == 0) {
		return res, err
	}
	res.RollupErr = e.Refresh(context.WithoutCancel(ctx)) // what was stored is worth a refresh, even when stopped
	return res, errors.Join(err, res.RollupErr)
}

// Refresh brings the leaderboards' rollup up to date. Leaderboards stay
// exact while it is behind (they read the raw sightings, slower), so a
// failure loses nothing: the next import, collect or migrate catches up,
// and so does one that ctx cut short.
func (e Env) Refresh(ctx context.Context) error {
	return Refresh(ctx, e.Store, e.Log)
}

// Refresh is Env.Refresh for callers that only hold a store (migrate).
func Refresh(ctx context.Context, s *store.Store, log *slog.Logger) error {
	start := time.Now()
	st, err := s.RefreshRollup(ctx)
	if err != nil {
		return fmt.Errorf("the leaderboard rollup could not be refreshed (leaderboards stay exact, slower, until the next import, collect or migrate refreshes it): %w", err)
	}
	if log != nil && st.Months+st.Years+st.People > 0 {
		log.Info("leaderboard rollup refreshed", "months", st.Months, "years", st.Years, "people", st.People, "took", time.Since(start).Round(time.Millisecond))
	}
	return nil
}

// counting counts the batches and contributions the store confirmed:
// accepted, or stored before a later step failed (store.ErrRowsStored).
// A source that sends such a batch again (the collector retries it)
// has it counted twice: what matters to Sync is whether anything was
// stored, and the import, whose messages give the counts, sends each
// batch once.
type counting struct {
	contrib.SyncStore
	mu            sync.Mutex
	batches, rows int
}

func (c *counting) Insert(ctx context.Context, cs []contrib.Contribution) error {
	err := c.SyncStore.Insert(ctx, cs)
	if err == nil || errors.Is(err, store.ErrRowsStored) {
		c.mu.Lock()
		c.batches++
		c.rows += len(cs)
		c.mu.Unlock()
	}
	return err
}
