package store

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/ClickHouse/clickhouse-go/v2"

	"contribtrack/internal/contrib"
	"contribtrack/queries"
)

// The kind table (contrib.KindTable) writes the schema's kinds: the
// statements' per-kind lists are expanded from it ({{kinds}} in queries/),
// and after the migrations the store makes the tables hold every kind the
// table has: the contributions' kind enum values each kind by its
// position from 1, and the identity rollup's tables count it in a column
// c_<kind>. A kind is added at the end of the table; the migrations, which
// ran once, stay as they were written.
var (
	kindsSchema        = queries.MustRead("kinds_schema.sql")
	kindsEnum          = queries.MustRead("kinds_enum.sql")
	kindsRollupColumn  = queries.MustRead("kinds_rollup_column.sql")
	kindsRedistribute  = queries.MustRead("kinds_redistribute.sql")
	kindsCountedTables = []string{"rollup_days", "rollup_months", "rollup_years"}
)

// kindsTables are the tables that hold kinds: the contributions' enum,
// and the identity rollup's count columns.
func kindsTables() []string { return append([]string{"contributions"}, kindsCountedTables...) }

// enumValue is one 'name' = value of an Enum8 type.
var enumValue = regexp.MustCompile(`'((?:[^'\\]|\\.)*)' = (-?\d+)`)

// kindsGap is what the schema lacks of the kind table.
type kindsGap struct {
	enum    bool                // the kind enum lacks a kind
	columns map[string][]string // table -> its missing c_<kind> columns
	// tables are the Distributed tables to recreate over their local
	// tables (a cluster's: their local tables changed, or a recreation
	// was cut short).
	tables []string
}

func (g kindsGap) empty() bool { return !g.enum && len(g.columns) == 0 && len(g.tables) == 0 }

// kindsMissing says what the schema lacks of the kind table. A kind
// valued otherwise than by its position is an error: the schema was
// written by another table (a binary whose kinds differ), and guessing
// would count one kind as another. On a cluster without replication it
// reads the node it is connected to.
func (s *Store) kindsMissing(ctx context.Context) (kindsGap, error) {
	conn, err := s.db()
	if err != nil {
		return kindsGap{}, err
	}
	var tables []string
	for _, t := range kindsTables() {
		tables = append(tables, t)
		if local := s.layout.LocalTable(t); local != t {
			tables = append(tables, local)
		}
	}
	rows, err := conn.Query(ctx, kindsSchema, clickhouse.Named("database", s.database), clickhouse.Named("tables", tables))
	if err != nil {
		return kindsGap{}, fmt.Errorf("reading the schema's kinds: %w", err)
	}
	defer rows.Close()
	seen := map[string]map[string]string{} // table -> column -> type
	for rows.Next() {
		var table, name, typ string
		if err := rows.Scan(&table, &name, &typ); err != nil {
			return kindsGap{}, fmt.Errorf("reading the schema's kinds: %w", err)
		}
		if seen[table] == nil {
			seen[table] = map[string]string{}
		}
		seen[table][name] = typ
	}
	if err := rows.Err(); err != nil {
		return kindsGap{}, fmt.Errorf("reading the schema's kinds: %w", err)
	}
	local := func(t string) map[string]string { return seen[s.layout.LocalTable(t)] }
	g, err := kindsLacking(local("contributions")["kind"], func(table, column string) bool {
		_, ok := local(table)[column]
		return ok
	})
	if err != nil {
		return kindsGap{}, err
	}
	for _, t := range kindsTables() {
		if s.layout.LocalTable(t) == t {
			continue
		}
		// The Distributed table must read what its local tables hold.
		_, changed := g.columns[t]
		if changed || (t == "contributions" && g.enum) || !sameColumns(seen[t], local(t)) {
			g.tables = append(g.tables, t)
		}
	}
	return g, nil
}

func sameColumns(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// kindsLacking compares the kind enum's type and the rollup tables' count
// columns (has) with the kind table.
func kindsLacking(enumType string, has func(table, column string) bool) (kindsGap, error) {
	var g kindsGap
	have := map[string]int{}
	for _, m := range enumValue.FindAllStringSubmatch(enumType, -1) {
		v, _ := strconv.Atoi(m[2])
		have[m[1]] = v
	}
	if len(have) == 0 {
		return g, fmt.Errorf("the contributions table's kind column is %q, not an enum of kinds: %w", enumType, ErrNotMigrated)
	}
	for i, k := range contrib.Kinds {
		v, ok := have[string(k)]
		switch {
		case !ok:
			g.enum = true
		case v != i+1:
			return g, fmt.Errorf("the contributions table values kind %s as %d, the kind table as %d: this database was written by a contribtrack whose kinds differ", k, v, i+1)
		}
		delete(have, string(k))
	}
	if len(have) > 0 {
		names := make([]string, 0, len(have))
		for n := range have {
			names = append(names, n)
		}
		sort.Strings(names)
		return g, fmt.Errorf("the contributions table knows kinds this contribtrack does not (%s): it was written by a newer one", strings.Join(names, ", "))
	}
	for _, table := range kindsCountedTables {
		for _, k := range contrib.Kinds {
			if c := "c_" + string(k); !has(table, c) {
				if g.columns == nil {
					g.columns = map[string][]string{}
				}
				g.columns[table] = append(g.columns[table], c)
			}
		}
	}
	return g, nil
}

// ensureKinds gives the schema what it lacks of the kind table: the
// enum's new values (and the people rollup rebuilt, its arrays one count
// longer), the identity rollup's missing count columns, and on a cluster
// the Distributed tables over what changed.
func (s *Store) ensureKinds(ctx context.Context) error {
	g, err := s.kindsMissing(ctx)
	if err != nil || g.empty() {
		return err
	}
	return s.fillKindsGap(ctx, g)
}

// fillKindsGap runs the statements that fill g.
func (s *Store) fillKindsGap(ctx context.Context, g kindsGap) error {
	var texts []string
	if g.enum {
		texts = append(texts, kindsEnum)
	}
	tables := make([]string, 0, len(g.columns))
	for t := range g.columns {
		tables = append(tables, t)
	}
	slices.Sort(tables)
	for _, t := range tables {
		for _, c := range g.columns[t] {
			texts = append(texts, queries.MustName(kindsRollupColumn, map[string]string{"table": t, "column": c}))
		}
	}
	for _, t := range g.tables {
		texts = append(texts, queries.MustName(kindsRedistribute, map[string]string{"table": t}))
	}
	for _, text := range texts {
		sql, err := render(text, s.database, s.layout)
		if err != nil {
			return err
		}
		for _, stmt := range Statements(sql) {
			if err := s.execDDL(ctx, stmt); err != nil && !columnExists(stmt, err) {
				return fmt.Errorf("adding the kind table's kinds to the schema: %w", err)
			}
		}
	}
	if g.enum && s.hasPeopleRollup() {
		// The people rollup's count arrays are one count short: its
		// months are rebuilt at the new length by the next refresh, and
		// leaderboards read the identity rollup until then.
		months, err := s.contributionMonths(ctx)
		if err != nil {
			return err
		}
		for i := range months {
			months[i] += peopleBase
		}
		if err := s.markBuckets(ctx, months, true); err != nil {
			return fmt.Errorf("marking the people rollup stale after a kind was added: %w", err)
		}
	}
	return nil
}
