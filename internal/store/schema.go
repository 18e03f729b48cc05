package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/template"

	"github.com/ClickHouse/clickhouse-go/v2"

	"contribtrack/queries"
)

// Layout says how tables are laid out on the server. The zero value is a
// single node. The same migrations serve a cluster: every table's name and
// engine come from the layout (see docs/cluster.md), their DDL text from
// the definitions of queries/layout.tmpl.
//
// On a cluster, the big tables (contributions and the rollups) are
// sharded: each shard keeps its part in <name>_local, and <name> is a
// Distributed table over them. Contributions are sharded by key_hash, so
// that every sighting of a natural key lands on the same shard and the
// reduction to one winner per key stays exact on each shard; a rollup
// shard holds the rollup of its shard's contributions. The small tables
// (roster, checkpoints, settings, marks, leases, migrations) are whole on
// every node, so that any node joins them locally.
//
// A cluster is either replicated (ZooKeeper or ClickHouse Keeper): DDL
// runs ON CLUSTER, every engine is Replicated*, and replication copies the
// small tables to every node; or, on servers with no keeper (Unreplicated:
// ClickHouse's library servers, or a cluster set up without one), sharded
// and not replicated: the store runs the DDL on every node itself, the
// engines are plain MergeTree families, and it writes each row of a small
// table on every node.
type Layout struct {
	Cluster string // when set, the cluster's name in remote_servers
	// Unreplicated: the cluster's servers have no keeper (no
	// system.zookeeper), so one replica per shard, no Replicated* engines
	// and no ON CLUSTER. The store sets it from the server when it opens.
	Unreplicated bool
	// Legacy renders the migrations for a server older than the oldest
	// supported release (no LowCardinality, no codecs): only contribtrack's
	// replication tests run one (docs/clickhouse.md). The store sets it
	// from the server's version.
	Legacy bool
}

// replicated reports whether the layout is a replicated cluster's.
func (l Layout) replicated() bool { return l.Cluster != "" && !l.Unreplicated }

// unreplicated reports whether the layout is a cluster's without
// replication, where the store writes DDL and small tables on every node.
func (l Layout) unreplicated() bool { return l.Cluster != "" && l.Unreplicated }

// shardedTables are the tables split across shards on a cluster, with
// their sharding keys ("": only ever written shard by shard).
var shardedTables = map[string]string{
	"contributions":        "key_hash",
	"contributions_yearly": "key_hash",
	"rollup_days":          "",
	"rollup_months":        "",
	"rollup_years":         "",
}

// LocalTable is the table that holds a shard's rows of a sharded table on
// a cluster (the table itself elsewhere).
func (l Layout) LocalTable(table string) string {
	if _, sharded := shardedTables[table]; sharded && l.Cluster != "" {
		return table + "_local"
	}
	return table
}

// layoutDDL are the definitions of queries/layout.tmpl: how DDL reads for
// a layout.
var layoutDDL = template.Must(template.New("layout.tmpl").ParseFS(queries.FS(), "layout.tmpl"))

// ddlNames are what layout.tmpl's definitions put in.
type ddlNames struct {
	Cluster, Database, Table, Local, Key, Family string
	Sharded, Replicated                          bool
	Args                                         []string
}

// ddl executes one definition of layout.tmpl.
func (l Layout) ddl(name string, d ddlNames) string {
	d.Cluster, d.Replicated = l.Cluster, l.replicated()
	var b strings.Builder
	if err := layoutDDL.ExecuteTemplate(&b, name, d); err != nil {
		panic(fmt.Sprintf("queries/layout.tmpl: %v", err)) // fixed definitions, which every migration test runs
	}
	return b.String()
}

// Engine returns the ENGINE clause body for a table of the given MergeTree
// family (MergeTree, ReplacingMergeTree, ...) with the family's arguments.
// On a replicated cluster a sharded table's replicas are its shard's
// nodes; a small table's replicas are every node.
func (l Layout) Engine(database, table, family string, args ...string) string {
	_, sharded := shardedTables[strings.TrimSuffix(table, "_local")]
	return l.ddl("engine", ddlNames{Database: database, Table: table, Family: family, Args: args, Sharded: sharded})
}

// Distributed is the statement that creates a sharded table's Distributed
// table over its local tables ("" on a single node).
func (l Layout) Distributed(database, table string) string {
	key, sharded := shardedTables[table]
	if !sharded || l.Cluster == "" {
		return ""
	}
	return l.ddl("distributed", ddlNames{Database: database, Table: table, Local: l.LocalTable(table), Key: key, Sharded: true})
}

// redistributed is the statements that recreate a table's Distributed
// table after its local tables changed ("" on a single node).
func (l Layout) redistributed(database, table string) string {
	if l.Cluster == "" {
		return ""
	}
	key, sharded := shardedTables[table]
	return l.ddl("redistributed", ddlNames{Database: database, Table: table, Local: l.LocalTable(table), Key: key, Sharded: sharded})
}

// OnCluster returns the ON CLUSTER clause, or "" on a single node and on
// a cluster without replication (the store runs DDL on each node there).
func (l Layout) OnCluster() string { return l.ddl("on_cluster", ddlNames{}) }

// Migration is one numbered schema change.
type Migration struct {
	Version int
	Name    string
	SQL     string // rendered for the store's layout
}

// migrationsTable records which migrations ran.
const migrationsTable = "schema_migrations"

// ClickHouse's errors for adding a column that exists: ILLEGAL_COLUMN on
// 18.16, DUPLICATE_COLUMN on current releases.
const (
	codeColumnExists    = 44
	codeDuplicateColumn = 15
)

// columnExists reports whether err is an ADD COLUMN finding its column
// already there (18.16 has no ADD COLUMN IF NOT EXISTS): the statement ran
// before a failure part-way through its migration.
func columnExists(stmt string, err error) bool {
	var ex *clickhouse.Exception
	return errors.As(err, &ex) && (ex.Code == codeColumnExists || ex.Code == codeDuplicateColumn) && strings.Contains(strings.ToUpper(stmt), "ADD COLUMN")
}

// Statements splits a migration into its statements: they end with ";"
// at the end of a line (the native protocol runs one at a time). Comment
// lines are dropped.
func Statements(sql string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(sql, "\n") {
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "--") {
			continue
		}
		// A comment after the statement's end: "...; -- note".
		if i := strings.Index(t, "--"); i >= 0 && strings.Contains(t[:i], ";") {
			t = strings.TrimSpace(t[:i])
			line = t
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
		if strings.HasSuffix(t, ";") {
			out = append(out, strings.TrimSuffix(strings.TrimSpace(cur.String()), ";"))
			cur.Reset()
		}
	}
	if rest := strings.TrimSpace(cur.String()); rest != "" {
		out = append(out, rest)
	}
	// A statement a layout renders empty ({{distributed}} on one node).
	return slices.DeleteFunc(out, func(s string) bool { return strings.TrimSpace(s) == "" })
}

// Migrations returns the embedded migrations rendered for a layout, in
// version order.
func Migrations(database string, l Layout) ([]Migration, error) {
	names, err := fs.Glob(queries.FS(), "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var out []Migration
	for _, n := range names {
		base := strings.TrimSuffix(path.Base(n), ".sql")
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must be NNNN_name.sql", n)
		}
		text, err := fs.ReadFile(queries.FS(), n)
		if err != nil {
			return nil, err
		}
		sql, err := render(string(text), database, l)
		if err != nil {
			return nil, fmt.Errorf("migration %s: %w", n, err)
		}
		if len(out) > 0 && out[len(out)-1].Version == v {
			return nil, fmt.Errorf("migration %s: version %d used twice", n, v)
		}
		out = append(out, Migration{Version: v, Name: base, SQL: sql})
	}
	return out, nil
}

func render(text, database string, l Layout) (string, error) {
	var table string
	t, err := template.New("m").Funcs(template.FuncMap{
		"onCluster": l.OnCluster,
		"cluster":   func() bool { return l.Cluster != "" },
		"legacy":    func() bool { return l.Legacy },
		// ON CLUSTER DDL runs on each node in its default database: names
		// are qualified there.
		"table": func(name string) string {
			table = l.LocalTable(name)
			if l.Cluster != "" {
				return database + "." + table
			}
			return table
		},
		"distributed":   func(name string) string { return l.Distributed(database, name) },
		"redistributed": func(name string) string { return l.redistributed(database, name) },
		// database is the store's (checked) name, for the statements that
		// name it.
		"database": func() string { return database },
		"engine": func(family string, args ...string) (string, error) {
			if table == "" {
				return "", fmt.Errorf("engine used before {{table \"name\"}}")
			}
			return l.Engine(database, table, family, args...), nil
		},
	}).Parse(text)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	if err := t.Execute(&b, nil); err != nil {
		return "", err
	}
	return b.String(), nil
}

// renderStatement renders the one statement of a query file for the
// store's layout, as the migrations are (comments dropped).
func (s *Store) renderStatement(name string) (string, error) {
	sql, err := render(queries.MustRead(name), s.database, s.layout)
	if err != nil {
		return "", fmt.Errorf("%s: %w", name, err)
	}
	stmts := Statements(sql)
	if len(stmts) != 1 {
		return "", fmt.Errorf("%s: %d statements, want 1", name, len(stmts))
	}
	return stmts[0], nil
}

// Migrate creates the database if needed and applies the migrations that
// have not run yet. It returns the names of those it applied; running it
// again applies nothing. Each migration is itself safe to re-run (IF NOT
// EXISTS), so a run interrupted between a migration and its record is
// repaired by the next.
func (s *Store) Migrate(ctx context.Context) ([]string, error) {
	return s.migrateTo(ctx, 1<<30)
}

// migrateTo applies the migrations up to version last.
func (s *Store) migrateTo(ctx context.Context, last int) ([]string, error) {
	if err := s.checkVersion(); err != nil {
		return nil, err
	}
	// Without replication every node needs its database: each one's DDL
	// is the store's to run.
	if s.conn == nil || s.layout.unreplicated() {
		if err := s.createDatabase(ctx); err != nil {
			return nil, err
		}
	}
	ms, err := Migrations(s.database, s.layout)
	if err != nil {
		return nil, err
	}
	boot, err := s.renderStatement("schema_migrations_table.sql")
	if err != nil {
		return nil, err
	}
	if err := s.execDDL(ctx, boot); err != nil {
		return nil, fmt.Errorf("creating %s: %w", migrationsTable, err)
	}
	done, err := s.appliedVersions(ctx)
	if err != nil {
		return nil, err
	}
	var applied []string
	for _, m := range ms {
		if done[m.Version] || m.Version > last {
			continue
		}
		for i, stmt := range Statements(m.SQL) {
			if err := s.execDDL(ctx, stmt); err != nil && !columnExists(stmt, err) {
				return applied, fmt.Errorf("migration %s, statement %d: %w", m.Name, i+1, err)
			}
		}
		if err := s.recordMigration(ctx, m); err != nil {
			return applied, fmt.Errorf("recording migration %s: %w", m.Name, err)
		}
		applied = append(applied, m.Name)
	}
	if len(ms) > 0 && ms[len(ms)-1].Version <= last {
		// Every migration ran: now the kinds the kind table added since.
		if err := s.ensureKinds(ctx); err != nil {
			return applied, err
		}
		if err := s.ensureViews(ctx); err != nil {
			return applied, err
		}
	}
	return applied, nil
}

// recordMigration notes that m ran. It goes through a batch: an
// INSERT ... VALUES sent with Exec hangs on ClickHouse 18.16's native
// protocol.
func (s *Store) recordMigration(ctx context.Context, m Migration) error {
	b, err := s.conn.PrepareBatch(ctx, queries.MustRead("schema_migrations_insert.sql"))
	if err != nil {
		return err
	}
	if err := b.Append(uint32(m.Version), m.Name); err != nil {
		b.Abort()
		return err
	}
	return b.Send()
}

// execDDL runs a statement of the schema: once (ON CLUSTER where the
// layout says so), or on every node of a cluster without replication.
// A statement that fails part-way through the nodes is run again on all of
// them by the next Migrate (every statement is safe to repeat).
func (s *Store) execDDL(ctx context.Context, stmt string) error {
	if c, ok := s.conn.(clusterConn); ok && c.every != nil {
		return c.every.exec(ctx, stmt)
	}
	return s.conn.Exec(ctx, stmt)
}

func (s *Store) createDatabase(ctx context.Context) error {
	o := *s.opts
	o.Auth.Database = "default"
	conn, err := clickhouse.Open(&o)
	if err != nil {
		return fmt.Errorf("connecting to clickhouse: %w", err)
	}
	defer conn.Close()
	// The name was checked against identifier in Open: DDL cannot bind it.
	create, err := s.renderStatement("database_create.sql")
	if err != nil {
		return err
	}
	if s.layout.unreplicated() {
		// Each node through its default database: a handshake naming a
		// database a node lacks would abort a library server.
		nodes, err := s.listNodes(ctx, conn)
		if err != nil {
			return err
		}
		for _, n := range nodes {
			nc, err := s.nodeConn(n, "default")
			if err == nil {
				err = nc.Exec(ctx, create)
				nc.Close()
			}
			if err != nil {
				return fmt.Errorf("creating database %s on node %s (shard %d): %w", s.database, n.Address, n.Shard, err)
			}
		}
	} else if err := conn.Exec(ctx, create); err != nil {
		return fmt.Errorf("creating database %s: %w", s.database, err)
	}
	if s.conn != nil {
		return nil
	}
	return s.connect(ctx)
}

func (s *Store) appliedVersions(ctx context.Context) (map[int]bool, error) {
	rows, err := s.conn.Query(ctx, queries.MustRead("schema_migrations_applied.sql"))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", migrationsTable, err)
	}
	defer rows.Close()
	done := map[int]bool{}
	for rows.Next() {
		var v uint32
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		done[int(v)] = true
	}
	return done, rows.Err()
}

// EnsureSchema prepares the database for a command that writes: a new
// database (nothing migrated yet, or migrations cut short before any
// contribution was stored: a command killed while it created the schema)
// is migrated, an existing one must be current, and the views are
// replaced by this binary's. Upgrading a database that
// holds contributions is left to `contribtrack migrate`, run once with
// collectors stopped: some migrations copy tables, and rows written
// meanwhile by another process would be lost.
func (s *Store) EnsureSchema(ctx context.Context) error {
	if s.conn != nil {
		if done, err := s.appliedVersions(ctx); err == nil && len(done) > 0 {
			err := s.CheckSchema(ctx)
			if err == nil {
				// The views hold no data: replacing them is always safe, and
				// keeps them those of this binary's statements.
				return s.ensureViews(ctx)
			}
			if !errors.Is(err, ErrNotMigrated) {
				return err
			}
			if stored, serr := s.anyContribution(ctx); serr != nil || stored {
				return err
			}
		}
	}
	_, err := s.Migrate(ctx)
	return err
}

// anyContribution reports whether the database holds a contribution (false
// when the table is not there yet).
func (s *Store) anyContribution(ctx context.Context) (bool, error) {
	var n uint64
	if err := s.conn.QueryRow(ctx, queries.MustRead("table_exists.sql"), clickhouse.Named("table", "contributions")).Scan(&n); err != nil || n == 0 {
		return false, err
	}
	if err := s.conn.QueryRow(ctx, queries.MustRead("contributions_stored.sql")).Scan(&n); err != nil {
		return false, err
	}
	return n > 0, nil
}

// CheckSchema returns ErrNotMigrated unless every embedded migration has run.
func (s *Store) CheckSchema(ctx context.Context) error {
	if err := s.checkVersion(); err != nil {
		return err
	}
	if _, err := s.db(); err != nil {
		return err
	}
	ms, err := Migrations(s.database, s.layout)
	if err != nil {
		return err
	}
	done, err := s.appliedVersions(ctx)
	var exc *clickhouse.Exception
	switch {
	case errors.As(err, &exc): // the server answered: no database, no table
		return fmt.Errorf("%v: %w", err, ErrNotMigrated)
	case err != nil:
		return fmt.Errorf("ClickHouse did not answer: %w", err)
	}
	for _, m := range ms {
		if !done[m.Version] {
			return fmt.Errorf("migration %s has not run: %w", m.Name, ErrNotMigrated)
		}
	}
	g, err := s.kindsMissing(ctx)
	switch {
	case err != nil:
		return err
	case !g.empty():
		return fmt.Errorf("the schema lacks kinds of this contribtrack's kind table: %w", ErrNotMigrated)
	}
	return nil
}
