package store

import (
	"context"
	"fmt"
	"regexp"
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
	kindsRollupColumns = queries.MustRead("kinds_rollup_columns.sql")
)

// enumValue is one 'name' = value of an Enum8 type.
var enumValue = regexp.MustCompile(`'((?:[^'\\]|\\.)*)' = (-?\d+)`)

// kindsMissing says what the schema lacks of the kind table: whether the
// kind enum lacks a kind, and whether a rollup table lacks a count column.
// A kind valued otherwise than by its position is an error: the schema
// was written by another table (a binary whose kinds differ), and
// guessing would count one kind as another.
func (s *Store) kindsMissing(ctx context.Context) (enum, columns bool, err error) {
	conn, err := s.db()
	if err != nil {
		return false, false, err
	}
	rows, err := conn.Query(ctx, kindsSchema, clickhouse.Named("database", s.database))
	if err != nil {
		return false, false, fmt.Errorf("reading the schema's kinds: %w", err)
	}
	defer rows.Close()
	var enumType string
	cols := map[string]map[string]bool{}
	for rows.Next() {
		var table, name, typ string
		if err := rows.Scan(&table, &name, &typ); err != nil {
			return false, false, fmt.Errorf("reading the schema's kinds: %w", err)
		}
		if table == "contributions" {
			enumType = typ
			continue
		}
		if cols[table] == nil {
			cols[table] = map[string]bool{}
		}
		cols[table][name] = true
	}
	if err := rows.Err(); err != nil {
		return false, false, fmt.Errorf("reading the schema's kinds: %w", err)
	}
	return kindsLacking(enumType, cols)
}

// kindsLacking compares the kind enum's type and the rollup tables'
// count columns with the kind table (see kindsMissing).
func kindsLacking(enumType string, cols map[string]map[string]bool) (enum, columns bool, err error) {
	have := map[string]int{}
	for _, m := range enumValue.FindAllStringSubmatch(enumType, -1) {
		v, _ := strconv.Atoi(m[2])
		have[m[1]] = v
	}
	if len(have) == 0 {
		return false, false, fmt.Errorf("the contributions table's kind column is %q, not an enum of kinds: %w", enumType, ErrNotMigrated)
	}
	for i, k := range contrib.Kinds {
		v, ok := have[string(k)]
		switch {
		case !ok:
			enum = true
		case v != i+1:
			return false, false, fmt.Errorf("the contributions table values kind %s as %d, the kind table as %d: this database was written by a contribtrack whose kinds differ", k, v, i+1)
		}
		delete(have, string(k))
	}
	if len(have) > 0 {
		names := make([]string, 0, len(have))
		for n := range have {
			names = append(names, n)
		}
		return false, false, fmt.Errorf("the contributions table knows kinds this contribtrack does not (%s): it was written by a newer one", strings.Join(names, ", "))
	}
	for _, table := range []string{"rollup_days", "rollup_months", "rollup_years"} {
		for _, k := range contrib.Kinds {
			if !cols[table]["c_"+string(k)] {
				columns = true
			}
		}
	}
	return enum, columns, nil
}

// ensureKinds gives the schema the kinds it lacks of the kind table.
func (s *Store) ensureKinds(ctx context.Context) error {
	enum, columns, err := s.kindsMissing(ctx)
	if err != nil || (!enum && !columns) {
		return err
	}
	var text []string
	if enum {
		text = append(text, kindsEnum)
	}
	if columns {
		text = append(text, kindsRollupColumns)
	}
	for _, t := range text {
		sql, err := render(t, s.database, s.layout)
		if err != nil {
			return err
		}
		for _, stmt := range Statements(sql) {
			if err := s.execDDL(ctx, stmt); err != nil && !columnExists(stmt, err) {
				return fmt.Errorf("adding the kind table's kinds to the schema: %w", err)
			}
		}
	}
	return nil
}
