// Package store keeps contributions in ClickHouse: it connects, applies the
// schema migrations, inserts batches and runs the queries in queries/. It
// never talks to GitHub.
package store

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"sync"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"contribtrack/internal/chversion"
	"contribtrack/queries"
)

// DefaultDatabase is used when the DSN names no database.
const DefaultDatabase = "contribtrack"

// ErrNotMigrated means the schema is missing or older than this binary.
var ErrNotMigrated = errors.New("the database schema is not up to date: run `contribtrack migrate`")

// identifier is what a database name may look like; names are pasted into
// DDL (they cannot be bound), so nothing else is accepted.
var identifier = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,62}$`)

// Store is a connection to contribtrack's database.
type Store struct {
	conn     driver.Conn
	opts     *clickhouse.Options
	database string
	layout   Layout
	// rawReads makes queries read the raw sightings even when the rollup
	// is fresh (tests compare the two).
	rawReads bool
	// identityReads makes leaderboards read the identity rollup even when
	// the people rollup could answer (tests compare the two).
	identityReads bool
	// bots caches the people rollup's logins that the bot rules leave out.
	bots peopleBots
	// reads are the settings leaderboard statements run with (readContext).
	readOnce sync.Once
	reads    clickhouse.Settings
	// version is the server's release (versionText as it says it), and
	// allowOld lets the store run on an unsupported one (version.go).
	version     chversion.Version
	versionText string
	allowOld    bool
	// hooks are where tests step in (nil outside tests).
	hooks testHooks
}

// testHooks are the points where tests step into a store's work.
type testHooks struct {
	// afterInsertRows runs between an Insert's rows and its second mark
	// (tests stop ClickHouse there).
	afterInsertRows func() error
	// beforeSwap runs between a rebuild's check for newer builds and the
	// swap (where another refresh can slip in); afterSwap right after a
	// month's rows are swapped in (to cut a refresh short there).
	beforeSwap func()
	afterSwap  func() error
}

// Open connects to the ClickHouse server and database named by dsn
// (clickhouse://host:9000/database). The database need not exist yet:
// Migrate creates it.
func Open(ctx context.Context, dsn string) (*Store, error) { return OpenWith(ctx, dsn, Layout{}) }

// clusterSettings are what every statement runs with on a cluster:
// inserts return once every shard has stored its rows, so that checkpoints
// never move past what is stored. (Subqueries: see clusterConn.)
var clusterSettings = clickhouse.Settings{
	"insert_distributed_sync": 1,
}

// OpenWith is Open for a layout: a single node, or a cluster whose nodes
// the DSN lists (clickhouse://h1:9000,h2:9000/database: connections fail
// over between them).
func OpenWith(ctx context.Context, dsn string, layout Layout) (*Store, error) {
	opts, err := clickhouse.ParseDSN(dsn)
	if err != nil {
		return nil, fmt.Errorf("clickhouse DSN %s: %w", RedactDSN(dsn), err)
	}
	if opts.Auth.Database == "" {
		opts.Auth.Database = DefaultDatabase
	}
	if !identifier.MatchString(opts.Auth.Database) {
		return nil, fmt.Errorf("clickhouse DSN %s: database name %q: use letters, digits and _ only", RedactDSN(dsn), opts.Auth.Database)
	}
	if opts.Protocol != clickhouse.Native {
		return nil, fmt.Errorf("clickhouse DSN %s: only the native protocol (clickhouse://, port 9000) is supported", RedactDSN(dsn))
	}
	if opts.DialTimeout == 0 || opts.DialTimeout == 30*time.Second {
		opts.DialTimeout = 5 * time.Second
	}
	if layout.Cluster != "" {
		if !identifier.MatchString(layout.Cluster) {
			return nil, fmt.Errorf("cluster name %q: use letters, digits and _ only", layout.Cluster)
		}
		if opts.Settings == nil {
			opts.Settings = clickhouse.Settings{}
		}
		for k, v := range clusterSettings {
			opts.Settings[k] = v
		}
	}
	s := &Store{opts: opts, database: opts.Auth.Database, layout: layout}
	exists, err := s.databaseExists(ctx)
	if err != nil {
		return nil, fmt.Errorf("connecting to clickhouse %s: %w", RedactDSN(dsn), err)
	}
	s.layout.Legacy = !s.modern()
	if !exists {
		return s, nil // Migrate creates it
	}
	if err := s.connect(ctx); err != nil {
		var ex *clickhouse.Exception
		if !errors.As(err, &ex) || ex.Code != codeUnknownDatabase {
			return nil, fmt.Errorf("connecting to clickhouse %s: %w", RedactDSN(dsn), err)
		}
		// Dropped since databaseExists looked; Migrate creates it.
	}
	return s, nil
}

// databaseExists asks the server, through its default database, which
// release it runs and whether the store's database exists. Naming a missing database in the native
// handshake is an error on a real server but aborts a clickhouse-local
// server (the embedded default), so the handshake only ever names a
// database that this check has just seen.
func (s *Store) databaseExists(ctx context.Context) (bool, error) {
	o := *s.opts
	o.Auth.Database = "default"
	conn, err := clickhouse.Open(&o)
	if err != nil {
		return false, err
	}
	defer conn.Close()
	if s.version, s.versionText, err = serverVersion(ctx, conn); err != nil {
		return false, err
	}
	if s.layout.Cluster != "" {
		// A cluster without a keeper cannot replicate: sharded only.
		var keeper uint64
		if err := conn.QueryRow(ctx, serverKeeperSQL).Scan(&keeper); err != nil {
			return false, fmt.Errorf("asking whether the server has a keeper: %w", err)
		}
		s.layout.Unreplicated = keeper == 0
	}
	var n uint64
	if err := conn.QueryRow(ctx, queries.MustRead("database_exists.sql"), s.database).Scan(&n); err != nil {
		return false, err
	}
	return n > 0, nil
}

var serverKeeperSQL = queries.MustRead("server_keeper.sql")

// codeUnknownDatabase is ClickHouse's error code for a missing database.
const codeUnknownDatabase = 81

// connect opens the connection to the store's database.
func (s *Store) connect(ctx context.Context) error {
	conn, err := clickhouse.Open(s.opts)
	if err != nil {
		return err
	}
	if err := conn.Ping(ctx); err != nil {
		conn.Close()
		return err
	}
	s.conn = conn
	if s.layout.Cluster != "" {
		cc := clusterConn{Conn: conn, database: s.database}
		if s.layout.unreplicated() {
			cc.every = &everyNode{store: s, base: conn}
		}
		s.conn = cc
	}
	return nil
}

// db returns the connection, or ErrNotMigrated when the database does not
// exist yet.
func (s *Store) db() (driver.Conn, error) {
	if s.conn == nil {
		return nil, fmt.Errorf("database %s does not exist: %w", s.database, ErrNotMigrated)
	}
	return s.conn, nil
}

// Close closes the connection.
func (s *Store) Close() error {
	if s.conn == nil {
		return nil
	}
	return s.conn.Close()
}

// Database returns the name of the database the store uses.
func (s *Store) Database() string { return s.database }

// Conn returns the underlying connection (nil before the database exists),
// for tests and tools that need raw access.
func (s *Store) Conn() driver.Conn { return s.conn }

// RedactDSN removes the password from a DSN so that it can be shown.
func RedactDSN(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "(unparseable DSN)"
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	q := u.Query()
	if q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.String()
}
