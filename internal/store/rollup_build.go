// Building the identity rollup: a stale bucket's rows built in tables of
// their own, swapped in with REPLACE PARTITION (shard by shard on a
// cluster), and the build recorded.

package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"contribtrack/queries"
)

// The statements that build the identity rollup.
var (
	rollupDaysSQL         = queries.MustRead("rollup_days.sql")
	rollupMonthsSQL       = queries.MustRead("rollup_months.sql")
	rollupYearsSQL        = queries.MustRead("rollup_years.sql")
	rollupSpreadSQL       = queries.MustRead("rollup_spread.sql")
	rollupLatestGenSQL    = queries.MustRead("rollup_builds_latest_gen.sql")
	rollupBuildsInsertSQL = queries.MustRead("rollup_builds_insert.sql")
	rollupBuildsNewerSQL  = queries.MustRead("rollup_builds_newer.sql")
	rollupBuildDropSQL    = queries.MustRead("rollup_build_drop.sql")
	rollupLeftoversSQL    = queries.MustRead("rollup_build_leftovers.sql")
)

// nextGen returns a generation number later than every recorded one of
// the buckets.
func (s *Store) nextGen(ctx context.Context, buckets []uint32) (uint64, error) {
	conn, err := s.db()
	if err != nil {
		return 0, err
	}
	var latest uint64
	if err := conn.QueryRow(ctx, rollupLatestGenSQL, clickhouse.Named("buckets", groupSet(buckets))).Scan(&latest); err != nil {
		return 0, fmt.Errorf("reading rollup generations: %w", err)
	}
	gen := uint64(time.Now().UnixNano())
	if gen <= latest {
		gen = latest + 1
	}
	return gen, nil
}

// buildMonths rebuilds the day and month rows of some stale months.
func (s *Store) buildMonths(ctx context.Context, months []staleBucket) error {
	buckets := make([]uint32, len(months))
	raw := false
	for i, m := range months {
		buckets[i] = m.bucket
		raw = raw || m.raw
	}
	// What this build covers is read before any contribution is: a mark
	// written later (by an insert that this build may not see) stays
	// uncovered.
	covers, err := s.latestMarks(ctx, buckets)
	if err != nil {
		return err
	}
	// Every replica has what those marks cover before anything is read.
	if err := s.syncReplicas(ctx, s.layout.LocalTable("contributions")); err != nil {
		return err
	}
	gen, err := s.nextGen(ctx, buckets)
	if err != nil {
		return err
	}
	lo, hi := monthStart(buckets[0]), monthStart(buckets[len(buckets)-1]).AddDate(0, 1, 0)
	args := []any{
		clickhouse.Named("months", groupSet(buckets)),
		clickhouse.Named("lo", uint32(lo.Unix())),
		clickhouse.Named("hi", uint32(hi.Unix())),
	}
	if raw {
		// Keys whose new sighting won here leave the month of their old
		// winner: rebuild those months too (without spreading further:
		// their own sightings did not change).
		moved, err := s.spread(ctx, args)
		if err != nil {
			return err
		}
		if err := s.markBuckets(ctx, moved, true); err != nil {
			return err
		}
	}
	// The years of these months will sum other day rows: they are marked
	// before the swap (so that a refresh cut short after it still leaves
	// them stale) and after it (so that a year rebuilt in between does not
	// count as covering the new rows).
	yearSet := map[uint32]bool{}
	var years []uint32
	for _, b := range buckets {
		if y := b / 100; !yearSet[y] {
			yearSet[y] = true
			years = append(years, y)
		}
	}
	if err := s.markBuckets(ctx, years, true); err != nil {
		return err
	}
	// So is the people rollup, from the first of these months on.
	if err := s.markPeople(ctx, buckets[0]); err != nil {
		return err
	}
	if err := s.rebuild(ctx, []string{"rollup_days"}, []string{rollupDaysSQL}, args, buckets, gen, covers); err != nil {
		return err
	}
	if s.hooks.afterSwap != nil {
		if err := s.hooks.afterSwap(); err != nil {
			return err
		}
	}
	if err := s.markBuckets(ctx, years, true); err != nil {
		return err
	}
	return s.markPeople(ctx, buckets[0])
}

// buildYears rebuilds the year rows of some stale years from their
// months' current rows.
func (s *Store) buildYears(ctx context.Context, years []staleBucket) error {
	buckets := make([]uint32, len(years))
	for i, y := range years {
		buckets[i] = y.bucket
	}
	covers, err := s.latestMarks(ctx, buckets)
	if err != nil {
		return err
	}
	if err := s.syncReplicas(ctx, s.layout.LocalTable("rollup_days")); err != nil {
		return err
	}
	gen, err := s.nextGen(ctx, buckets)
	if err != nil {
		return err
	}
	args := []any{clickhouse.Named("years", groupSet(buckets))}
	return s.rebuild(ctx, []string{"rollup_months", "rollup_years"}, []string{rollupMonthsSQL, rollupYearsSQL}, args, buckets, gen, covers)
}

// spread returns the months outside the given ones where their keys were
// also seen.
func (s *Store) spread(ctx context.Context, args []any) ([]uint32, error) {
	conn, err := s.db()
	if err != nil {
		return nil, err
	}
	rows, err := conn.Query(ctx, rollupSpreadSQL, args...)
	if err != nil {
		return nil, fmt.Errorf("finding moved contributions: %w", err)
	}
	defer rows.Close()
	var out []uint32
	for rows.Next() {
		var m uint32
		if err := rows.Scan(&m); err != nil {
			return nil, fmt.Errorf("finding moved contributions: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// recordBuilds records that the buckets were rebuilt (build gen), covering
// their marks up to covers.
func (s *Store) recordBuilds(ctx context.Context, buckets []uint32, gen uint64, covers map[uint32]uint64) error {
	if len(buckets) == 0 {
		return nil
	}
	conn, err := s.db()
	if err != nil {
		return err
	}
	batch, err := conn.PrepareBatch(ctx, rollupBuildsInsertSQL)
	if err != nil {
		return fmt.Errorf("recording rollup builds: %w", err)
	}
	for _, b := range buckets {
		if err := batch.Append(b, gen, covers[b]); err != nil {
			batch.Abort()
			return fmt.Errorf("recording rollup builds: %w", err)
		}
	}
	if err := batch.Send(); err != nil {
		return fmt.Errorf("recording rollup builds: %w", err)
	}
	return nil
}

// rollupBuildTables create each rollup table's build table: its table's
// structure and partitions, and none of its replication (on a cluster it
// is one node's scratch table).
var rollupBuildTables = map[string]string{
	"rollup_days":        queries.MustRead("rollup_build_table_days.sql"),
	"rollup_months":      queries.MustRead("rollup_build_table_months.sql"),
	"rollup_years":       queries.MustRead("rollup_build_table_years.sql"),
	"rollup_people":      queries.MustRead("rollup_build_table_people.sql"),
	"rollup_people_days": queries.MustRead("rollup_build_table_people_days.sql"),
}

// rebuild builds the buckets' rows of some rollup tables on every shard
// (one server: itself) into build tables of its own (named after each
// table, with a random suffix: concurrent refreshes never share one) with
// the statements, which name them <table>_build; then, unless a newer
// build got there first, swaps each bucket in on every shard with REPLACE
// PARTITION (an empty partition empties the bucket) and records the build.
// A shard's rollup is built from the shard's own contributions: their
// natural keys are there whole.
func (s *Store) rebuild(ctx context.Context, tables, statements []string, args []any, buckets []uint32, gen uint64, covers map[uint32]uint64) error {
	shards, release, err := s.shards(ctx)
	if err != nil {
		return err
	}
	defer release()
	var suffix [6]byte
	if _, err := rand.Read(suffix[:]); err != nil {
		return err
	}
	names := map[string]string{}
	for _, t := range tables {
		names[t+"_build"] = t + buildSuffix + hex.EncodeToString(suffix[:])
	}
	defer func() {
		for _, sh := range shards {
			for _, name := range names {
				// Best effort: a leftover build table is only disk space,
				// and dropStaleBuildTables removes it later.
				_ = sh.Exec(context.WithoutCancel(ctx), queries.MustName(rollupBuildDropSQL, map[string]string{"build": name}))
			}
		}
	}()
	for _, sh := range shards {
		for _, t := range tables {
			create := queries.MustName(rollupBuildTables[t], map[string]string{"build": names[t+"_build"], "table": s.layout.LocalTable(t)})
			if err := sh.Exec(ctx, create); err != nil {
				return fmt.Errorf("creating a rollup build table: %w", err)
			}
		}
		for _, q := range statements {
			if err := sh.Exec(ctx, s.shardSQL(renameTables(q, names)), args...); err != nil {
				return fmt.Errorf("rebuilding the rollup of %s: %w", bucketList(buckets), err)
			}
		}
	}
	settings := make([]clickhouse.Settings, len(shards))
	for i, sh := range shards {
		if settings[i], err = knownSettings(ctx, sh, swapSettings); err != nil {
			return fmt.Errorf("swapping in the rollup: %w", err)
		}
	}
	newer, err := s.newerBuilds(ctx, buckets, gen)
	if err != nil {
		return err
	}
	if s.hooks.beforeSwap != nil {
		s.hooks.beforeSwap()
	}
	var done []uint32
	for _, b := range buckets {
		if newer[b] {
			continue
		}
		for i, sh := range shards {
			for _, t := range tables {
				if err := swapBucket(ctx, sh, settings[i], s.layout.LocalTable(t), names[t+"_build"], partitionOf(b)); err != nil {
					return fmt.Errorf("swapping in the rollup of %d: %w", b, err)
				}
			}
		}
		done = append(done, b)
	}
	// Every replica has the swapped rows before they are said to be fresh.
	var locals []string
	for _, t := range tables {
		locals = append(locals, s.layout.LocalTable(t))
	}
	if err := s.syncReplicas(ctx, locals...); err != nil {
		return err
	}
	if err := s.recordBuilds(ctx, done, gen, covers); err != nil {
		return err
	}
	// A newer build recorded between the check and the swap was replaced
	// by this older one: mark its buckets stale again, so that the next
	// refresh rebuilds them rather than trusting the newer build's covers.
	overtaken, err := s.newerBuilds(ctx, done, gen)
	if err != nil {
		return err
	}
	var again []uint32
	for _, b := range done {
		if overtaken[b] {
			again = append(again, b)
		}
	}
	return s.markBuckets(ctx, again, true)
}

var rollupSwapSQL = queries.MustRead("rollup_swap.sql")

// swapSettings are what a swap needs on current releases: a build without
// rows in the bucket empties it (18.16 does that without being asked, and
// knows no such setting).
var swapSettings = clickhouse.Settings{"allow_replace_partition_from_empty_source": 1}

// swapBucket replaces a bucket's rows of a shard's rollup table with its
// build table's (settings: what knownSettings kept of swapSettings).
func swapBucket(ctx context.Context, sh driver.Conn, settings clickhouse.Settings, table, build string, bucket uint32) error {
	q := queries.MustName(rollupSwapSQL, map[string]string{"table": table, "build": build})
	return sh.Exec(clickhouse.Context(ctx, clickhouse.WithSettings(settings)), q, bucket)
}

// localTables matches the sharded tables' names in a rollup statement.
var localTables = regexp.MustCompile(`\b(contributions|rollup_days|rollup_months|rollup_years)\b`)

// shardSQL points a rollup statement run on one shard at the shard's own
// tables (the statement itself on one server).
func (s *Store) shardSQL(q string) string {
	if s.layout.Cluster == "" {
		return q
	}
	return localTables.ReplaceAllString(q, "${1}_local")
}

// shards returns a connection to one answering node of each shard (the
// store's own on one server), and a function that closes them.
func (s *Store) shards(ctx context.Context) ([]driver.Conn, func(), error) {
	conn, err := s.db()
	if err != nil {
		return nil, nil, err
	}
	if s.layout.Cluster == "" {
		return []driver.Conn{conn}, func() {}, nil
	}
	nodes, err := s.Nodes(ctx)
	if err != nil {
		return nil, nil, err
	}
	if down := ShardsDown(nodes); len(down) > 0 {
		return nil, nil, fmt.Errorf("rollup: no node of shard %v answers", down)
	}
	var out []driver.Conn
	release := func() {
		for _, c := range out {
			c.Close()
		}
	}
	seen := map[uint32]bool{}
	for _, n := range nodes {
		if seen[n.Shard] || !n.Up {
			continue
		}
		o := *s.opts
		o.Addr = []string{n.Address}
		c, err := clickhouse.Open(&o)
		if err != nil {
			release()
			return nil, nil, fmt.Errorf("rollup: connecting to shard %d (%s): %w", n.Shard, n.Address, err)
		}
		seen[n.Shard] = true
		out = append(out, c)
	}
	return out, release, nil
}

// staleBuildAge is how old a build table must be to be taken for one a
// crashed refresh left behind.
const staleBuildAge = time.Hour

// dropStaleBuildTables drops build tables that refreshes which did not
// finish left behind.
func (s *Store) dropStaleBuildTables(ctx context.Context) error {
	shards, release, err := s.shards(ctx)
	if err != nil {
		return err
	}
	defer release()
	for _, conn := range shards {
		rows, err := conn.Query(ctx, rollupLeftoversSQL, clickhouse.Named("age", uint32(staleBuildAge.Seconds())))
		if err != nil {
			return fmt.Errorf("listing rollup build tables: %w", err)
		}
		var names []string
		for rows.Next() {
			var name string
			if err := rows.Scan(&name); err != nil {
				rows.Close()
				return fmt.Errorf("listing rollup build tables: %w", err)
			}
			names = append(names, name)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, name := range names {
			if err := conn.Exec(ctx, queries.MustName(rollupBuildDropSQL, map[string]string{"build": name})); err != nil {
				return fmt.Errorf("dropping a leftover rollup build table: %w", err)
			}
		}
	}
	return nil
}

// buildSuffix separates a rollup table's name from its build's random id.
const buildSuffix = "_build_"

// renameTables puts the build tables' names in a build statement, which
// names them <table>_build.
func renameTables(query string, names map[string]string) string {
	for placeholder, name := range names {
		query = strings.ReplaceAll(query, placeholder, name)
	}
	return query
}

// newerBuilds returns the buckets with a build recorded after gen.
func (s *Store) newerBuilds(ctx context.Context, buckets []uint32, gen uint64) (map[uint32]bool, error) {
	if len(buckets) == 0 {
		return map[uint32]bool{}, nil
	}
	conn, err := s.db()
	if err != nil {
		return nil, err
	}
	rows, err := conn.Query(ctx, rollupBuildsNewerSQL, clickhouse.Named("buckets", groupSet(buckets)), clickhouse.Named("gen", gen))
	if err != nil {
		return nil, fmt.Errorf("reading rollup builds: %w", err)
	}
	defer rows.Close()
	out := map[uint32]bool{}
	for rows.Next() {
		var b uint32
		if err := rows.Scan(&b); err != nil {
			return nil, fmt.Errorf("reading rollup builds: %w", err)
		}
		out[b] = true
	}
	return out, rows.Err()
}
