package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"

	"contribtrack/internal/config"
	"contribtrack/internal/localch"
	"contribtrack/internal/store"
)

// factory builds what commands need, once, on first use.
type factory struct {
	stdout, stderr io.Writer
	getenv         func(string) string
	log            *slog.Logger

	configPath string // --config
	dsn        string // --clickhouse
	debug      bool

	cfg   *config.Config
	store *store.Store
}

// config loads the configuration: --config, else CONTRIBTRACK_CONFIG.
func (f *factory) config() (*config.Config, error) {
	if f.cfg != nil {
		return f.cfg, nil
	}
	path := f.configPath
	if path == "" {
		path = f.getenv("CONTRIBTRACK_CONFIG")
	}
	cfg, err := config.Load(path, f.getenv)
	if err != nil {
		return nil, err
	}
	if f.dsn != "" {
		cfg.ClickHouse = f.dsn
	}
	if f.debug {
		fmt.Fprintf(f.stderr, "effective configuration:\n%s\n", cfg.Redacted(store.RedactDSN))
	}
	f.cfg = cfg
	return cfg, nil
}

// localDir is where the embedded ClickHouse lives.
func (f *factory) localDir() (string, error) {
	cfg, err := f.config()
	if err != nil {
		return "", err
	}
	if cfg.DataDir != "" {
		return filepath.Join(cfg.DataDir, "clickhouse"), nil
	}
	return localch.DefaultDir()
}

// openStore connects to the configured ClickHouse, starting the embedded
// one when no DSN is configured.
func (f *factory) openStore(ctx context.Context) (*store.Store, error) {
	if f.store != nil {
		return f.store, nil
	}
	cfg, err := f.config()
	if err != nil {
		return nil, err
	}
	dsn := cfg.ClickHouse
	if dsn == "" {
		dir, err := f.localDir()
		if err != nil {
			return nil, err
		}
		inst, err := localch.Ensure(ctx, dir, f.log)
		if err != nil {
			return nil, fmt.Errorf("starting the local ClickHouse (no --clickhouse DSN given): %w", err)
		}
		dsn = inst.DSN(store.DefaultDatabase)
	}
	s, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	f.store = s
	return s, nil
}

func (f *factory) close() {
	if f.store != nil {
		f.store.Close()
	}
}
