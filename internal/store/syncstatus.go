package store

import (
	"context"
	"fmt"
	"sort"
	"time"

	"contribtrack/internal/contrib"
	"contribtrack/queries"
)

// RepoSync is where the API collector stands for one repository.
type RepoSync struct {
	RepoID   uint64
	RepoName string
	// LastSync is when every resource was last in sync (zero: never).
	LastSync  time.Time
	Resources []ResourceSync
}

// ResourceSync is one resource of a repository: when it last changed and
// was fetched, and what GitHub reported against what is stored.
type ResourceSync struct {
	Resource    string
	SyncedAt    time.Time
	GitHubTotal uint64 // as GitHub reported it at that sync (0: not reported)
	Stored      uint64 // contributions of the matching kind stored (0 when no kind matches)
	Kind        string // the kind compared ("" for none)
}

var storedPerRepoSQL = queries.MustRead("stored_per_repo.sql")

// SyncStatus returns every tracked repository's sync state, by name.
func (s *Store) SyncStatus(ctx context.Context) ([]RepoSync, error) {
	cps, err := s.Checkpoints(ctx)
	if err != nil {
		return nil, err
	}
	conn, err := s.db()
	if err != nil {
		return nil, err
	}
	type repoKind struct {
		repo uint64
		kind string
	}
	stored := map[repoKind]uint64{}
	rows, err := conn.Query(ctx, storedPerRepoSQL)
	if err != nil {
		return nil, fmt.Errorf("counting stored contributions per repository: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k repoKind
		var n uint64
		if err := rows.Scan(&k.repo, &k.kind, &n); err != nil {
			return nil, fmt.Errorf("counting stored contributions per repository: %w", err)
		}
		stored[k] = n
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	byRepo := map[uint64]*RepoSync{}
	for key, cp := range cps {
		if !contrib.OfRepository(key.Resource) {
			continue // a roster member's account, or GH Archive's hours
		}
		r := byRepo[key.RepoID]
		if r == nil {
			r = &RepoSync{RepoID: key.RepoID}
			byRepo[key.RepoID] = r
		}
		if cp.RepoName != "" {
			r.RepoName = cp.RepoName
		}
		if key.Resource == contrib.ResourceRepo {
			r.LastSync = cp.SyncedAt
			continue
		}
		rs := ResourceSync{Resource: key.Resource, SyncedAt: cp.SyncedAt, GitHubTotal: cp.Total}
		if kind, ok := contrib.ResourceKind(key.Resource); ok {
			rs.Kind, rs.Stored = string(kind), stored[repoKind{key.RepoID, string(kind)}]
		}
		r.Resources = append(r.Resources, rs)
	}
	out := make([]RepoSync, 0, len(byRepo))
	for _, r := range byRepo {
		sort.Slice(r.Resources, func(i, j int) bool { return r.Resources[i].Resource < r.Resources[j].Resource })
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].RepoName < out[j].RepoName })
	return out, nil
}
