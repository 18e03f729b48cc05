package queries_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestNoSQLOutsideQueries keeps every SQL statement in this package: it
// parses every non-test Go file of the repository outside queries/ and
// fails, naming file and line, on each string literal that reads as a SQL
// statement or as a fragment of one (see sqlText). Identifiers that cannot
// be bound (a table's name in DDL) may still be put into a statement by Go
// code, but the statement's text comes from a file here.
func TestNoSQLOutsideQueries(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	files := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			name := d.Name()
			// queries/ is where SQL belongs; testdata, hidden and
			// underscore directories are no Go packages of this module.
			if rel == "queries" || rel != "." && (name == "testdata" || name == "vendor" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		files++
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				t.Errorf("%s: %v", fset.Position(lit.Pos()), err)
				return true
			}
			if why := sqlText(s); why != "" {
				pos := fset.Position(lit.Pos())
				t.Errorf("%s:%d: a string holds SQL (%s): move it to a file in queries/: %.80q", rel, pos.Line, why, s)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 50 {
		t.Fatalf("only %d Go files found under %s: the walk is broken", files, root)
	}
}

var (
	// leadingComment is a SQL comment (or blank space) at the start of a
	// text.
	leadingComment = regexp.MustCompile(`^(?:\s+|--[^\n]*(?:\n|$)|/\*[\s\S]*?\*/)`)
	// statementStart is how a statement begins: a keyword in capitals (the
	// style of every statement here) followed by more of the statement.
	statementStart = regexp.MustCompile(`^(?:` +
		`SELECT\s+\S|INSERT\s+INTO\s|CREATE\s+\S|ALTER\s+\S|DROP\s+\S|RENAME\s+\S|TRUNCATE\s+\S|` +
		`OPTIMIZE\s+\S|SYSTEM\s+\S|KILL\s+\S|EXCHANGE\s+\S|ATTACH\s+\S|DETACH\s+\S|DELETE\s+FROM\s|` +
		`UPDATE\s+\S+\s+SET\s|SHOW\s+[A-Z]|DESCRIBE\s+\S|EXPLAIN\s+\S|GRANT\s+\S|REVOKE\s+\S|` +
		`WITH\s[\s\S]*\bSELECT\s)`)
	// statementStartAnyCase is how a statement begins in any case: only
	// phrases that prose does not use.
	statementStartAnyCase = regexp.MustCompile(`(?i)^(?:` +
		`insert\s+into\s+[\w.]+\s*(?:\(|select\b|values\b|format\b)|` +
		`select\s+[\s\S]*\bfrom\s+(?:system\.)?[a-z_][\w.]*\s*(?:$|\bwhere\b|\bgroup\b|\border\b|\blimit\b|\bfinal\b|\bas\b)|` +
		`(?:create|attach)\s+(?:temporary\s+)?(?:table|database|view|materialized\s+view|dictionary)\s+(?:if\s+not\s+exists\s+)?[\w.{]|` +
		`(?:drop|detach)\s+(?:table|database|view|dictionary)\s+(?:if\s+exists\s+)?[\w.{]|` +
		`(?:alter|optimize|truncate)\s+table\s+[\w.{]|rename\s+table\s|exchange\s+tables\s|` +
		`system\s+(?:sync|flush|reload|drop|stop|start)\s)`)
	// selectFrom is a query inside a text: SELECT ... FROM in capitals.
	selectFrom = regexp.MustCompile(`\bSELECT\s[\s\S]*?\bFROM\b`)
	// boundCondition is a fragment of a statement: a condition on a bound
	// value (@name), with a keyword in capitals.
	boundCondition = regexp.MustCompile(`\b(?:WHERE|AND|OR|IN|NOT|ON|LIMIT|SET|HAVING|PREWHERE)\s+(?:[\w.()']+\s*(?:=|!=|<>|<=|>=|<|>|IN|NOT IN|LIKE)\s*)?\(?@[A-Za-z_]\w*`)
	// clauseKeywords in capitals with an engine or DDL clause.
	ddlClause = regexp.MustCompile(`\b(?:ENGINE\s*=|PARTITION BY|ORDER BY \(|ON CLUSTER|IF NOT EXISTS|IF EXISTS|REPLACE PARTITION|GLOBAL (?:NOT )?IN)\b`)
)

// sqlText says why s reads as SQL ("" when it does not): it starts (after
// blank space and comments) as a statement does, or holds SELECT ... FROM,
// a condition on a bound value, or a DDL clause.
func sqlText(s string) string {
	t := s
	for {
		loc := leadingComment.FindStringIndex(t)
		if loc == nil || loc[1] == 0 {
			break
		}
		t = t[loc[1]:]
	}
	switch {
	case statementStart.MatchString(t), statementStartAnyCase.MatchString(t):
		return "a statement"
	case selectFrom.MatchString(s):
		return "SELECT ... FROM"
	case boundCondition.MatchString(s):
		return "a condition on a bound value"
	case ddlClause.MatchString(s):
		return "a DDL clause"
	}
	return ""
}

func TestSQLText(t *testing.T) {
	for _, tt := range []struct {
		name string
		in   string
		sql  bool
	}{
		{"select", "SELECT count() FROM contributions", true},
		{"select without from", "SELECT version()", true},
		{"select after blank lines", "\n\t\tSELECT bucket, max(at) FROM rollup_marks", true},
		{"select after a comment", "-- the latest mark\nSELECT max(at) FROM rollup_marks", true},
		{"select after a block comment", "/* why */ SELECT 1", true},
		{"lower-case select", "select name from system.settings where name = ?", true},
		{"insert", "INSERT INTO settings (name, value)", true},
		{"insert by concatenation", "INSERT INTO ", true},
		{"lower-case insert", "insert into settings (name, value)", true},
		{"create table", "CREATE TABLE %s AS %s ENGINE = %s", true},
		{"create database", "CREATE DATABASE IF NOT EXISTS ", true},
		{"lower-case create", "create table if not exists t (x UInt8) engine = Memory", true},
		{"alter", "ALTER TABLE {table} REPLACE PARTITION ? FROM {build}", true},
		{"drop", "DROP TABLE IF EXISTS ", true},
		{"rename", "RENAME TABLE a TO b", true},
		{"truncate", "TRUNCATE TABLE t", true},
		{"optimize", "OPTIMIZE TABLE contributions FINAL", true},
		{"system", "SYSTEM SYNC REPLICA ", true},
		{"kill", "KILL QUERY WHERE query_id = ?", true},
		{"exchange", "EXCHANGE TABLES a AND b", true},
		{"with", "WITH 1 AS x SELECT x", true},
		{"subquery in an expression", "greatest(now(), (SELECT max(version) FROM work_leases WHERE resource = @r) + 1)", true},
		{"regexp of a subquery", `\b(\w+) (NOT )?IN \(SELECT (\w+) FROM (\w+)\b`, true},
		{"condition on a bound value", "\n  AND (actor_id IN @only_ids OR lower(actor_login) IN @only_logins)", true},
		{"comparison with a bound value", "(@in_set = 0 OR lower(%s) IN @set_orgs)", true},
		{"where on a bound value", "WHERE import_id = @imp", true},
		{"engine clause", "MergeTree PARTITION BY toYYYYMM(period) ORDER BY (period, actor_id)", true},
		{"on cluster", "ON CLUSTER ", true},
		{"global in", " GLOBAL IN (", true},

		{"empty", "", false},
		{"error message", "reading the roster: %w", false},
		{"error naming a statement", "creating a rollup build table: %w", false},
		{"prose with select", "Select the repositories to sync from the config file", false},
		{"prose with select and from", "select one of the orgs from the list", false},
		{"prose with drop", "drop the table of contents", false},
		{"prose with create", "create the database first: run `contribtrack migrate`", false},
		{"prose with insert", "insert into the queue", false},
		{"prose with show", "SHOW", false},
		{"http method", "DELETE", false},
		{"sort order", "DESC", false},
		{"graphql", "query Repo($owner: String!) { repository(owner: $owner) { id } }", false},
		{"graphql enum", "CREATED_AT", false},
		{"email", "ana@example.com AND bo@example.com", false},
		{"a table's name", "contributions_local", false},
		{"a marker's name", "rows", false},
		{"a setting", "allow_replace_partition_from_empty_source", false},
		{"an RE2 expression", `^\x00$`, false},
		{"a dsn", "clickhouse://127.0.0.1:9000/contribtrack", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := sqlText(tt.in) != ""; got != tt.sql {
				t.Errorf("sqlText(%q) = %q, want SQL: %v", tt.in, sqlText(tt.in), tt.sql)
			}
		})
	}
}
