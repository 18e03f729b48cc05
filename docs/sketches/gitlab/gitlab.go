// Package gitlab sketches a GitLab source, to show that a second forge
// fits contribtrack's one shape of source (contrib.Source); see
// docs/sources.md. The types follow GitLab's REST API (v4) as far as a
// source needs them, and merge requests are normalised for real (tested);
// fetching is not built: Sync says so.
package gitlab

import (
	"context"
	"errors"
	"strings"
	"time"

	"contribtrack/internal/contrib"
)

// Platform is GitLab's: its ids and keys never meet GitHub's.
const Platform contrib.Platform = "gitlab"

// The resources a sync walks per project, each with its checkpoint
// (contrib.Checkpoint.Cursor: the updated_after watermark).
const (
	ResourceMergeRequests = "merge_requests"
	ResourceNotes         = "notes"
	ResourceCommits       = "commits"
)

// User is GET /users/:id's account, as events and merge requests embed it.
type User struct {
	ID       uint64 `json:"id"`
	Username string `json:"username"`
	Bot      bool   `json:"bot"`
}

// Project is GET /projects/:id (path_with_namespace "group/sub/name").
type Project struct {
	ID                uint64 `json:"id"`
	PathWithNamespace string `json:"path_with_namespace"`
	DefaultBranch     string `json:"default_branch"`
}

// MergeRequest is GET /projects/:id/merge_requests?updated_after=.
type MergeRequest struct {
	IID       int64      `json:"iid"` // the number within the project
	Author    User       `json:"author"`
	State     string     `json:"state"` // opened, closed, merged, locked
	CreatedAt time.Time  `json:"created_at"`
	MergedAt  *time.Time `json:"merged_at"`
	MergedBy  *User      `json:"merged_by"`
	ClosedAt  *time.Time `json:"closed_at"`
	ClosedBy  *User      `json:"closed_by"`
	Draft     bool       `json:"draft"`
	Labels    []string   `json:"labels"`
}

// Note is GET /projects/:id/merge_requests/:iid/notes: a comment, or a
// system note (approvals, label changes), which is not a contribution.
type Note struct {
	ID        int64     `json:"id"`
	Author    User      `json:"author"`
	System    bool      `json:"system"`
	CreatedAt time.Time `json:"created_at"`
}

// Options say what to collect: groups (every project in them) and
// projects, as github's orgs and repos.
type Options struct {
	BaseURL  string // https://gitlab.com/api/v4/ or a self-managed instance
	Groups   []string
	Projects []string
	Token    string // never logged
}

// Source is the GitLab source.
type Source struct{ Options Options }

// Name says which source this is.
func (Source) Name() string { return "gitlab projects" }

// ErrNotBuilt is what the sketch's Sync returns.
var ErrNotBuilt = errors.New("the GitLab source is a sketch (docs/sources.md): fetching is not built")

// Sync would, per project: read its checkpoints from st; list merge
// requests (then notes, commits) updated after each resource's cursor;
// hand st the contributions (mergeRequest, note) in batches; then save
// the checkpoints that moved past them.
func (s Source) Sync(ctx context.Context, st contrib.SyncStore) (contrib.Synced, error) {
	return contrib.Synced{Unit: "projects"}, ErrNotBuilt
}

// project returns the repository fields a contribution carries: the
// project's id in GitLab's space, its path, and its top group as the org.
func project(p Project) (id uint64, name, org string) {
	org, _, _ = strings.Cut(p.PathWithNamespace, "/")
	return Platform.ID("repo", p.ID), p.PathWithNamespace, org
}

func (u User) actor() (uint64, string) { return Platform.ID("account", u.ID), u.Username }

// mergeRequest is what a merge request contributes: pr_opened by its
// author, and pr_merged (by whoever merged it) or pr_closed, keyed like
// GitHub's pull requests so that two sightings count once.
func mergeRequest(p Project, mr MergeRequest) []contrib.Contribution {
	repoID, name, org := project(p)
	key := Platform.Key(contrib.KeyForNumber(repoID, mr.IID))
	at := func(k contrib.Kind, who User, when time.Time) contrib.Contribution {
		id, login := who.actor()
		return contrib.Contribution{Kind: k, Key: key, CreatedAt: when.UTC(), ActorID: id, ActorLogin: login,
			RepoID: repoID, RepoName: name, Org: org, Via: contrib.ViaREST, Number: mr.IID}
	}
	out := []contrib.Contribution{at(contrib.PROpened, mr.Author, mr.CreatedAt)}
	switch {
	case mr.MergedAt != nil && mr.MergedBy != nil:
		out = append(out, at(contrib.PRMerged, *mr.MergedBy, *mr.MergedAt))
	case mr.State == "closed" && mr.ClosedAt != nil && mr.ClosedBy != nil:
		out = append(out, at(contrib.PRClosed, *mr.ClosedBy, *mr.ClosedAt))
	}
	return out
}

// note is a comment on a merge request: pr_review_comment; system notes
// are not contributions.
func note(p Project, mrIID int64, n Note) (contrib.Contribution, bool) {
	if n.System {
		return contrib.Contribution{}, false
	}
	repoID, name, org := project(p)
	id, login := n.Author.actor()
	return contrib.Contribution{Kind: contrib.PRReviewComment, Key: Platform.Key(contrib.KeyForID(n.ID)), CreatedAt: n.CreatedAt.UTC(),
		ActorID: id, ActorLogin: login, RepoID: repoID, RepoName: name, Org: org, Via: contrib.ViaREST, Number: mrIID}, true
}
