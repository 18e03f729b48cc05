package store

import (
	"context"
	"fmt"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"contribtrack/internal/contrib"
	"contribtrack/queries"
)

var insertPullRequestsSQL = queries.MustRead("pull_requests_insert.sql")

// pullRequestRow is one row of pull_requests: a pull request's facts as a
// source saw them.
type pullRequestRow struct {
	repoID, number, version uint64
	pr                      contrib.PullRequest
}

// pullRequestVersion orders observations of a pull request: the later
// one wins, and the API's over GH Archive's at the same second.
func pullRequestVersion(pr contrib.PullRequest, via contrib.Via) uint64 {
	v := uint64(pr.ObservedAt.Unix()) * 4
	if via != contrib.ViaGHArchive {
		v++
	}
	return v
}

// pullRequestsOf collects the pull request facts the contributions carry,
// one row per pull request and version.
func pullRequestsOf(cs []contrib.Contribution) []pullRequestRow {
	type key struct{ repo, number, version uint64 }
	seen := map[key]bool{}
	var out []pullRequestRow
	for _, c := range cs {
		if c.PR == nil || c.RepoID == 0 || c.Number <= 0 || c.PR.ObservedAt.Unix() <= 0 {
			continue
		}
		r := pullRequestRow{repoID: c.RepoID, number: uint64(c.Number), version: pullRequestVersion(*c.PR, c.Via), pr: *c.PR}
		if k := (key{r.repoID, r.number, r.version}); !seen[k] {
			seen[k] = true
			out = append(out, r)
		}
	}
	return out
}

// insertPullRequests stores pull request facts (nothing when there are
// none). They are stored before the contributions that carry them: a
// batch that fails after them leaves only facts, which the next delivery
// writes again.
func (s *Store) insertPullRequests(ctx context.Context, conn driver.Conn, rows []pullRequestRow) error {
	if len(rows) == 0 {
		return nil
	}
	b, err := conn.PrepareBatch(ctx, insertPullRequestsSQL)
	if err != nil {
		return fmt.Errorf("preparing insert of %d pull requests' facts: %w", len(rows), err)
	}
	for _, r := range rows {
		labels := r.pr.Labels
		if labels == nil {
			labels = []string{}
		}
		opened := r.pr.OpenedAt
		if opened.IsZero() {
			opened = time.Unix(0, 0)
		}
		if err := b.Append(r.repoID, r.number, r.version, r.pr.ObservedAt, opened, r.pr.AuthorID, r.pr.AuthorType, r.pr.Title,
			boolInt(r.pr.Draft), labels, r.pr.MergedByID, r.pr.Additions, r.pr.Deletions, r.pr.ChangedFiles, r.pr.Whitespace); err != nil {
			b.Abort()
			return fmt.Errorf("inserting pull requests' facts: %w", err)
		}
	}
	if err := b.Send(); err != nil {
		return fmt.Errorf("inserting %d pull requests' facts: %w", len(rows), err)
	}
	return nil
}
