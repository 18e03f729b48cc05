// Reading the identity rollup: a period split into the whole years,
// whole months and edge days its rows are read from.

package store

import (
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"contribtrack/queries"
)

// rollupRanges splits [from, to) into what the rollup reads: whole years,
// whole months before and after them, and days at the edges. Day-aligned
// times are assumed (the leaderboard's periods are days). coarsest is the
// coarsest level a statement can use: days (org or repository filters,
// answers dated by day), months (answers dated by month), or years.
type rollupRanges struct {
	d1, d2, m1, m2, y [2]time.Time
}

// Rollup levels, finest first.
const (
	levelDays = iota
	levelMonths
	levelYears
)

func splitPeriod(from, to time.Time, coarsest int) rollupRanges {
	var r rollupRanges
	empty := [2]time.Time{from, from}
	r.d1, r.d2, r.m1, r.m2, r.y = [2]time.Time{from, to}, empty, empty, empty, empty
	if coarsest == levelDays || !from.Before(to) {
		return r
	}
	// The first month start at or after from, the last at or before to.
	mFrom := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, time.UTC)
	if mFrom.Before(from) {
		mFrom = mFrom.AddDate(0, 1, 0)
	}
	mTo := time.Date(to.Year(), to.Month(), 1, 0, 0, 0, 0, time.UTC)
	if !mFrom.Before(mTo) {
		return r // no whole month
	}
	r.d1, r.d2 = [2]time.Time{from, mFrom}, [2]time.Time{mTo, to}
	yFrom := time.Date(mFrom.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	if yFrom.Before(mFrom) {
		yFrom = yFrom.AddDate(1, 0, 0)
	}
	yTo := time.Date(mTo.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	if coarsest == levelMonths || !yFrom.Before(yTo) {
		r.m1 = [2]time.Time{mFrom, mTo}
		return r
	}
	r.m1, r.y, r.m2 = [2]time.Time{mFrom, yFrom}, [2]time.Time{yFrom, yTo}, [2]time.Time{yTo, mTo}
	return r
}

// rollupRows are the branches that read a range of rows from each rollup
// table, and what joins two of them.
var (
	rollupRows = map[string]string{
		"rollup_days":   queries.MustRead("rollup_rows_days.sql"),
		"rollup_months": queries.MustRead("rollup_rows_months.sql"),
		"rollup_years":  queries.MustRead("rollup_rows_years.sql"),
	}
	rollupRowsUnion = queries.MustRead("rollup_rows_union.sql")
)

// rowsSQL returns the statement part that reads the ranges' rows from the
// rollup (in place of the rows line of people.sql), and its arguments.
// Only non-empty ranges are read: a branch per range. only is what fills
// each branch's only line: contribution_rows_only.sql to restrict the rows
// to some identities, or nothing.
func (r rollupRanges) rowsSQL(only string) (string, []any) {
	var branches []string
	var args []any
	add := func(name, table string, rg [2]time.Time) {
		if !rg[0].Before(rg[1]) {
			return
		}
		branch := queries.MustName(rollupRows[table], map[string]string{"range": name})
		branches = append(branches, queries.MustFill(branch, "only", only))
		args = append(args, clickhouse.Named(name+"_from", uint32(rg[0].Unix())), clickhouse.Named(name+"_to", uint32(rg[1].Unix())))
	}
	add("d1", "rollup_days", r.d1)
	add("m1", "rollup_months", r.m1)
	add("y", "rollup_years", r.y)
	add("m2", "rollup_months", r.m2)
	add("d2", "rollup_days", r.d2)
	if len(branches) == 0 {
		// An empty period: a branch that reads nothing.
		add("d1", "rollup_days", [2]time.Time{time.Unix(0, 0), time.Unix(86400, 0)})
	}
	return strings.Join(branches, "\n"+rollupRowsUnion+"\n"), args
}
