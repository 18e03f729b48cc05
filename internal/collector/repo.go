package collector

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shurcooL/githubv4"

	"contribtrack/internal/contrib"
	"contribtrack/internal/ghclient"
)

// repoSync syncs one repository.
type repoSync struct {
	c           *Collector
	probe       repoProbe
	sink        *sink
	cps         map[contrib.CheckpointKey]contrib.Checkpoint // read only
	t0          time.Time                                    // when the sync started
	owner, name string
	stored      int
}

// resource is one thing to fetch: its probe signature, and a fetch that
// resumes from a checkpoint's cursor and returns the next cursor and the
// total GitHub reports.
type resource struct {
	name      string
	signature string
	fetch     func(ctx context.Context, cursor string) (next string, total uint64, err error)
}

func (r *repoSync) resources() []resource {
	p := r.probe
	top := func(n []struct{ UpdatedAt githubv4.DateTime }) string {
		if len(n) == 0 {
			return ""
		}
		return n[0].UpdatedAt.UTC().Format(time.RFC3339)
	}
	pulls := fmt.Sprintf("%d|%s", p.PullRequests.TotalCount, top(p.PullRequests.Nodes))
	issues := fmt.Sprintf("%d|%s", p.Issues.TotalCount, top(p.Issues.Nodes))
	// The five latest releases' update times: publishing a draft changes
	// neither the count nor which release was created last.
	releases := strconv.Itoa(p.Releases.TotalCount)
	for _, n := range p.Releases.Nodes {
		releases += fmt.Sprintf("|%d@%s", n.DatabaseID, n.UpdatedAt.UTC().Format(time.RFC3339))
	}
	// A new comment changes the newest id, a deleted one the count.
	commitComments := strconv.Itoa(p.CommitComments.TotalCount)
	for _, n := range p.CommitComments.Nodes {
		commitComments += "|" + strconv.FormatInt(n.DatabaseID, 10)
	}
	head := ""
	if p.DefaultBranchRef != nil {
		head = p.DefaultBranchRef.Name + "@" + p.DefaultBranchRef.Target.Oid
	}
	return []resource{
		{contrib.ResourcePulls, pulls, r.pulls},
		{contrib.ResourceReviewComments, pulls, r.reviewComments},
		{contrib.ResourceIssues, issues, r.issues},
		{contrib.ResourceIssueComments, issues + "/" + pulls, r.issueComments},
		{contrib.ResourceCommits, head, r.commits},
		{contrib.ResourceCommitComments, commitComments, r.commitComments},
		{contrib.ResourceReleases, releases, r.releases},
		{contrib.ResourceStars, strconv.Itoa(p.StargazerCount), r.stars},
		{contrib.ResourceForks, strconv.Itoa(p.ForkCount), r.forks},
	}
}

func (r *repoSync) run(ctx context.Context) RepoResult {
	r.owner, r.name, _ = strings.Cut(r.probe.NameWithOwner, "/")
	res := RepoResult{Repo: r.probe.NameWithOwner}
	var done []contrib.Checkpoint
	for _, rs := range r.resources() {
		cp, had := r.cps[contrib.CheckpointKey{RepoID: uint64(r.probe.DatabaseID), Resource: rs.name}]
		if had && cp.Signature == rs.signature {
			res.Unchanged++
			continue
		}
		next, total, err := rs.fetch(ctx, cp.Cursor)
		if err != nil {
			// The other resources are still synced; this one resumes from
			// its old checkpoint next time.
			err = fmt.Errorf("%s: %s: %w", r.probe.NameWithOwner, rs.name, err)
			res.Err = errors.Join(res.Err, err)
			r.c.failed(ctx.Err() != nil, StageFetch, err)
			if ctx.Err() != nil || r.sink.failed() != nil || errors.Is(err, ghclient.ErrUnauthorized) {
				break
			}
			continue
		}
		res.Changed = append(res.Changed, rs.name)
		done = append(done, contrib.Checkpoint{RepoID: uint64(r.probe.DatabaseID), RepoName: r.probe.NameWithOwner,
			Resource: rs.name, Signature: rs.signature, Cursor: next, Total: total, SyncedAt: r.c.opts.Now()})
	}
	if res.Err == nil && ctx.Err() == nil {
		done = append(done, contrib.Checkpoint{RepoID: uint64(r.probe.DatabaseID), RepoName: r.probe.NameWithOwner,
			Resource: contrib.ResourceRepo, SyncedAt: r.c.opts.Now()})
	}
	// The checkpoints of the resources that completed are saved even when a
	// later one failed; the failed one resumes from its old checkpoint.
	if err := r.sink.done(ctx, done); err != nil && res.Err == nil {
		res.Err = fmt.Errorf("%s: storing: %w", r.probe.NameWithOwner, err)
	}
	res.Stored = r.stored
	return res
}

// emit hands contributions to the sink.
func (r *repoSync) emit(ctx context.Context, cs []contrib.Contribution) error {
	r.stored += len(cs)
	return r.sink.add(ctx, cs...)
}

// safety is how far behind the sync's start a time watermark stays, so
// that anything updated while the sync ran (or stamped by a clock slightly
// behind ours) is fetched again next time.
const safety = 10 * time.Minute

// advance returns the next time watermark: the latest update seen, but
// never later than the sync's start minus safety, and never earlier than
// the old watermark.
func (r *repoSync) advance(old, seen time.Time) string {
	w := seen
	if lim := r.t0.Add(-safety); w.After(lim) {
		w = lim
	}
	if w.Before(old) {
		w = old
	}
	if w.IsZero() {
		return ""
	}
	return w.UTC().Format(time.RFC3339)
}

// watermark reads a time cursor ("" is the beginning).
func watermark(cursor string) (time.Time, error) {
	if cursor == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, cursor)
	if err != nil {
		return time.Time{}, fmt.Errorf("bad checkpoint cursor %q: %w", cursor, err)
	}
	return t, nil
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// DefaultBranches are the repositories' default branches as the API last
// reported them (repository id -> branch name), read from the commits'
// checkpoints, whose signature is "branch@oid": what a GH Archive import
// uses for repositories the archive has not named yet.
func DefaultBranches(cps map[contrib.CheckpointKey]contrib.Checkpoint) map[uint64]string {
	out := map[uint64]string{}
	for k, cp := range cps {
		if k.Resource != contrib.ResourceCommits {
			continue
		}
		if i := strings.LastIndexByte(cp.Signature, '@'); i > 0 {
			out[k.RepoID] = cp.Signature[:i]
		}
	}
	return out
}
