package dashboards_test

import (
	"regexp"
	"strings"
	"testing"

	"contribtrack/internal/contrib"
)

// rebuiltByHand are what a dashboard query would need to re-implement who
// a person is, their name, opt-outs, bots, affiliations or the score:
// the roster's identity, flag, member and affiliation tables, the
// rollup's per-kind count columns, and a pasted RE2 bot rule. The views
// (docs/schema.md, "Views") hold all of these.
func rebuiltByHand() *regexp.Regexp {
	var cols []string
	for _, k := range contrib.Kinds {
		cols = append(cols, "c_"+string(k))
	}
	return regexp.MustCompile(`\b(roster_identities|roster_flags|roster_members|roster_affiliations|roster_domains|` +
		strings.Join(cols, "|") + `)\b|\(\?i`)
}

// Every ClickHouse query of every dashboard reads people, bots and scores
// through the views, never its own copy of them.
func TestDashboardsReadPeopleThroughTheViews(t *testing.T) {
	known := provisioned(t)
	re := rebuiltByHand()
	viewReaders := 0
	for _, path := range dashboardFiles(t) {
		_, m := readDashboard(t, path)
		for _, q := range mustQueries(path, m, known) {
			if known[q.uid] != clickhouseType {
				continue
			}
			if hit := re.FindString(q.text); hit != "" {
				t.Errorf("%s: %s uses %s: read people, bots and scores from the views (contributor_days, sightings, scoring_weights, bot_rules)", path, q.where, hit)
			}
			if strings.Contains(q.text, "contributor_days") {
				viewReaders++
			}
		}
	}
	if viewReaders == 0 {
		t.Error("no dashboard query reads contributor_days")
	}
}

// The check finds each thing it looks for.
func TestRebuiltByHandFindsCopies(t *testing.T) {
	re := rebuiltByHand()
	for _, s := range []string{
		"SELECT member_id FROM roster_identities",
		"sum(c_" + string(contrib.Kinds[len(contrib.Kinds)-1]) + ")",
		"match(actor_login, '(?i)^.*\\[bot\\]$')",
		"lower(x) IN (SELECT value FROM roster_flags)",
	} {
		if re.FindString(s) == "" {
			t.Errorf("not found in %q", s)
		}
	}
	for _, s := range []string{"SELECT name, sum(points) FROM contributor_days", "SELECT kind FROM scoring_weights", "roster_memberships"} {
		if hit := re.FindString(s); hit != "" {
			t.Errorf("found %q in %q", hit, s)
		}
	}
}

// The kind variables' statements give the kind table: every kind in its
// order, and All its contribution kinds.
func TestKindVariablesAreTheTable(t *testing.T) {
	e := newCHEnv(t)
	var all, counted []string
	for _, k := range contrib.KindTable() {
		all = append(all, string(k.Kind))
		if k.Contribution {
			counted = append(counted, string(k.Kind))
		}
	}
	for _, c := range []struct {
		sql  string
		want []string
	}{{kindOptions, all}, {kindAll, counted}} {
		r, err := e.run(c.sql)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, row := range r.rows {
			got = append(got, row[0].(string))
		}
		if strings.Join(got, ",") != strings.Join(c.want, ",") {
			t.Errorf("%s: %v, want %v", c.sql, got, c.want)
		}
	}
}

// A query with a column per kind has one for every kind of the kind
// table: a kind added to the table fails here until the tables that show
// counts per kind show it too (go test -tags kindtest ./dashboards/).
func TestPerKindColumnsAreComplete(t *testing.T) {
	known := provisioned(t)
	var names []string
	for _, k := range contrib.Kinds {
		names = append(names, string(k))
	}
	column := regexp.MustCompile(`(?i)\bAS (` + strings.Join(names, "|") + `)\b`)
	withColumns := 0
	for _, path := range dashboardFiles(t) {
		_, m := readDashboard(t, path)
		for _, q := range mustQueries(path, m, known) {
			found := map[string]bool{}
			for _, sub := range column.FindAllStringSubmatch(q.text, -1) {
				found[strings.ToLower(sub[1])] = true
			}
			if len(found) == 0 {
				continue
			}
			withColumns++
			for _, k := range names {
				if !found[k] {
					t.Errorf("%s: %s has columns per kind but none for %s", path, q.where, k)
				}
			}
		}
	}
	if withColumns == 0 {
		t.Error("no dashboard query has columns per kind: the leaderboard's should")
	}
}
