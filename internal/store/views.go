package store

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"contribtrack/queries"
)

// The views: who a person is, what counts as a bot and what a
// contribution is worth, defined once in queries/views/ from the
// statements the API's own questions use, for the dashboards and anyone's
// SQL to read (docs/schema.md, "Views"). Every migrate replaces them, so
// that they follow the kind table and the statements they include.
// Views are the names of the views the store keeps, in the order they are
// created (queries/views/NAME.sql).
var Views = []string{"scoring_weights", "bot_rules", "accepted_rules", "contributor_days", "contributor_period", "contributor_credits", "sightings"}

// viewRows are the rows each view built on views/people_rows.sql resolves
// to people.
var viewRows = map[string]string{
	"contributor_days":    "views/contributor_days_rows.sql",
	"contributor_credits": "views/contributor_credits_rows.sql",
}

// viewParams are what credits.sql's parameters are in a view
// (queries/views/parameters.sql).
var viewParams = func() map[string]string {
	m := map[string]string{}
	for _, line := range strings.Split(queries.MustRead("views/parameters.sql"), "\n") {
		if p := viewParam.FindStringSubmatch(line); p != nil {
			m[p[1]] = p[2]
		}
	}
	return m
}()

// viewParam is a line of queries/views/parameters.sql.
var viewParam = regexp.MustCompile(`^-- param (\w+): (.+)$`)

// activeRosterParam is a roster import's parameter in the statements a
// view includes (@roster, @imp): in a view it is the active roster.
var activeRosterParam = regexp.MustCompile(`@(roster|imp)\b`)

// anyParam is a bound parameter left in a view's text.
var anyParam = regexp.MustCompile(`@[a-z_]+\b`)

// viewText is the text of a view's file with the active roster in place
// of the roster parameter.
func viewText(name string) (string, error) {
	var roster []string
	for _, line := range strings.Split(queries.MustRead("views/active_roster.sql"), "\n") {
		if !strings.HasPrefix(line, "--") {
			roster = append(roster, line)
		}
	}
	text := queries.MustRead(name)
	if rows, ok := viewRows[strings.TrimSuffix(strings.TrimPrefix(name, "views/"), ".sql")]; ok {
		text = queries.MustFill(text, "rows", queries.MustRead(rows))
	}
	text = activeRosterParam.ReplaceAllLiteralString(text, strings.TrimSpace(strings.Join(roster, " ")))
	text = anyParam.ReplaceAllStringFunc(text, func(p string) string {
		if v, ok := viewParams[p[1:]]; ok {
			return v
		}
		return p
	})
	return text, unbound(name, text)
}

// unbound checks that a view's text binds nothing: a view is DDL, which
// takes no parameters, so a parameter left is an error in its file.
func unbound(name, text string) error {
	for _, line := range strings.Split(text, "\n") {
		code, _, _ := strings.Cut(line, "--")
		if p := anyParam.FindString(code); p != "" {
			return fmt.Errorf("%s: a view cannot bind %s", name, p)
		}
	}
	return nil
}

// ensureViews creates or replaces the views. A server older than the
// oldest supported release (only the replication tests run one) has none:
// the dashboards need a current release. On a cluster each node that
// answers gets its own views, in the store's database: a view holds no
// data, and DDL sent ON CLUSTER would resolve the views' unqualified
// tables in each node's default database. A node that does not answer
// gets them from the next command that writes.
func (s *Store) ensureViews(ctx context.Context) error {
	if s.layout.Legacy {
		return nil
	}
	var stmts []string
	for _, v := range Views {
		text, err := viewText("views/" + v + ".sql")
		if err != nil {
			return err
		}
		if s.layout.Cluster != "" {
			// Their subqueries run on every shard, as the store's own
			// statements do there.
			text = queries.ForCluster(text, s.database)
		}
		stmts = append(stmts, Statements(text)...)
	}
	create := func(c driver.Conn) error {
		for _, stmt := range stmts {
			if err := c.Exec(ctx, stmt); err != nil {
				return fmt.Errorf("creating the views the dashboards read: %w", err)
			}
		}
		return nil
	}
	if s.layout.Cluster == "" {
		conn, err := s.db()
		if err != nil {
			return err
		}
		return create(conn)
	}
	_, err, listErr := s.eachNode(ctx, func(n NodeStatus, c driver.Conn) error {
		if err := create(c); err != nil {
			return fmt.Errorf("on node %s: %w", n.Address, err)
		}
		return nil
	})
	if listErr != nil {
		return listErr
	}
	return err
}
