package cli

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"contribtrack/internal/config"
	"contribtrack/internal/contrib"
	"contribtrack/internal/ingest"
	"contribtrack/internal/leaderboard"
	"contribtrack/internal/localch"
	"contribtrack/internal/store"
)

// factory builds what commands need, once, on first use.
type factory struct {
	stdout, stderr io.Writer
	getenv         func(string) string
	log            *slog.Logger
	stamp          build // what -ldflags set at build time (tests: their own)

	configPath string // --config
	dsn        string // --clickhouse
	debug      bool
	// pool, when set, is the number of ClickHouse connections the store
	// keeps (serve sizes it for its API); else clickhouse-go's default.
	pool int
	// terminal, when set, is where listings go instead of asking stdout
	// (tests: a terminal of a given width).
	terminal *leaderboard.Output

	cfg   *config.Config
	store *store.Store
	// local is the embedded server the store runs on (nil with a DSN),
	// and localSince when this command started using it.
	local      *localch.Instance
	localSince time.Time
}

// localCrashes returns the deaths of the embedded server's engine since
// this command started using it: a command that failed because of one
// says so (the supervisor has restarted it).
func (f *factory) localCrashes() []localch.Crash {
	if f.local == nil {
		return nil
	}
	cs, _ := localch.Crashes(f.local.Dir, f.localSince)
	return cs
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
		fmt.Fprintf(f.stderr, "effective configuration (defaults filled in, secrets removed):\n%s\n", effective(cfg).Redacted(store.RedactDSN))
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

// readStore opens the store for a command that only reads: the schema
// must be current, and the active roster is returned with it.
func (f *factory) readStore(ctx context.Context) (*store.Store, store.RosterImport, error) {
	s, err := f.openStore(ctx)
	if err != nil {
		return nil, store.RosterImport{}, err
	}
	if err := s.CheckSchema(ctx); err != nil {
		return nil, store.RosterImport{}, err
	}
	imp, err := s.ActiveRoster(ctx)
	if err != nil {
		return nil, store.RosterImport{}, err
	}
	return s, imp, nil
}

// writeStore opens the store for a command that writes: the schema is
// made ready (store.EnsureSchema), and the configuration's scoring rules
// are published where the views the dashboards read find them, so that
// the dashboards score as the commands and the API of this configuration
// do.
func (f *factory) writeStore(ctx context.Context) (*store.Store, error) {
	cfg, err := f.config()
	if err != nil {
		return nil, err
	}
	s, err := f.openStore(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.EnsureSchema(ctx); err != nil {
		return nil, err
	}
	if err := s.PublishRules(ctx, rules(cfg)); err != nil {
		return nil, err
	}
	return s, nil
}

// emailKey returns the secret email identities are derived with: the
// configured one, else a random one kept in the data directory.
func (f *factory) emailKey() (contrib.EmailKey, error) {
	cfg, err := f.config()
	if err != nil {
		return nil, err
	}
	if cfg.Privacy.EmailKey != "" {
		return contrib.EmailKey(cfg.Privacy.EmailKey), nil
	}
	dir, err := f.localDir()
	if err != nil {
		return nil, err
	}
	path := filepath.Join(filepath.Dir(dir), "email.key")
	if b, err := os.ReadFile(path); err == nil && len(bytes.TrimSpace(b)) >= 16 {
		return contrib.EmailKey(bytes.TrimSpace(b)), nil
	}
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return nil, err
	}
	key := []byte(hex.EncodeToString(raw[:]))
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("creating the email key: %w", err)
	}
	// O_EXCL: two processes starting at once keep the first one's key.
	fh, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if b, rerr := os.ReadFile(path); rerr == nil && len(bytes.TrimSpace(b)) >= 16 {
			return contrib.EmailKey(bytes.TrimSpace(b)), nil
		}
		return nil, fmt.Errorf("creating the email key %s: %w", path, err)
	}
	defer fh.Close()
	if _, err := fh.Write(append(key, '\n')); err != nil {
		return nil, fmt.Errorf("writing the email key %s: %w", path, err)
	}
	f.log.Info("created a secret for email identities (set privacy.email_key to share it between hosts)", "file", path)
	return contrib.EmailKey(key), nil
}

// ingest returns the use cases that bring data into s, with the email
// key checked against it.
func (f *factory) ingest(ctx context.Context, s *store.Store) (ingest.Env, error) {
	cfg, err := f.config()
	if err != nil {
		return ingest.Env{}, err
	}
	key, err := f.emailKey()
	if err != nil {
		return ingest.Env{}, err
	}
	return ingest.Open(ctx, s, cfg, key, f.log)
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
		f.localSince = time.Now()
		inst, err := localch.Ensure(ctx, dir, f.log)
		if err != nil {
			return nil, fmt.Errorf("starting the local ClickHouse (no --clickhouse DSN given): %w", err)
		}
		f.local = inst
		dsn = inst.DSN(store.DefaultDatabase)
	}
	if f.pool > 0 {
		dsn = withPool(dsn, f.pool)
	}
	s, err := store.OpenWith(ctx, dsn, store.Layout{Cluster: cfg.Cluster})
	if err != nil {
		return nil, err
	}
	// Only contribtrack's own replication tests, which run on 18.16
	// (docs/clickhouse.md).
	if f.getenv("CONTRIBTRACK_ALLOW_UNSUPPORTED_CLICKHOUSE") == "1" {
		s.AllowUnsupportedServer()
	}
	f.store = s
	return s, nil
}

// withPool sets the DSN's connection pool to n connections, kept open
// between requests, unless the DSN sets its own (max_open_conns,
// max_idle_conns).
func withPool(dsn string, n int) string {
	for _, p := range []string{"max_open_conns", "max_idle_conns"} {
		if strings.Contains(dsn, p+"=") {
			continue
		}
		sep := "?"
		if strings.Contains(dsn, "?") {
			sep = "&"
		}
		dsn += sep + p + "=" + strconv.Itoa(n)
	}
	return dsn
}

func (f *factory) close() {
	if f.store != nil {
		f.store.Close()
	}
}
