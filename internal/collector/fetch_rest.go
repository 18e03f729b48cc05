package collector

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/go-github/v60/github"

	"contribtrack/internal/contrib"
	"contribtrack/internal/ghclient"
)

// restPages calls list for page 1, 2, ... until GitHub's Link header has
// no next page. list returns the response of its go-github call.
func (r *repoSync) restPages(ctx context.Context, first int, list func(ctx context.Context, gh *github.Client, page int) (*github.Response, error)) error {
	page := first
	for {
		resp, err := r.c.gh.REST(ctx, func(ctx context.Context, gh *github.Client) (*github.Response, error) {
			return list(ctx, gh, page)
		})
		if err != nil {
			return err
		}
		if resp == nil || resp.NextPage == 0 {
			return nil
		}
		page = resp.NextPage
	}
}

// walkByUpdate reads a repository-wide comment list oldest update first,
// from since on. Each request asks for what was updated since the latest
// update read (less a second, in case GitHub's since is exclusive), rather
// than for the next page number: a comment deleted or moved meanwhile
// cannot then shift an unread one into a page already read. Only when a
// whole page shares that second does it turn the page. list returns the
// update times of the items it handled, in order.
func (r *repoSync) walkByUpdate(ctx context.Context, since time.Time,
	list func(ctx context.Context, gh *github.Client, since time.Time, page int) ([]time.Time, *github.Response, error)) (time.Time, int, error) {
	var seen time.Time
	n, page, cur := 0, 1, since
	for {
		var ups []time.Time
		resp, err := r.c.gh.REST(ctx, func(ctx context.Context, gh *github.Client) (*github.Response, error) {
			var resp *github.Response
			var err error
			ups, resp, err = list(ctx, gh, cur, page)
			return resp, err
		})
		if err != nil {
			return seen, n, err
		}
		n += len(ups)
		for _, u := range ups {
			seen = later(seen, u)
		}
		if resp == nil || resp.NextPage == 0 || len(ups) == 0 {
			return seen, n, nil
		}
		if next := ups[len(ups)-1].Add(-time.Second); next.After(cur) {
			cur, page = next, 1
		} else {
			page = resp.NextPage
		}
	}
}

// comment is what the collector needs of a REST comment of either kind.
type comment struct {
	id               int64
	number           int64 // the issue or pull request it is on, 0 if unknown
	user             *github.User
	created, updated time.Time
}

// listComments lists one page of a repository's comments updated since.
type listComments func(ctx context.Context, gh *github.Client, since time.Time, page int) ([]comment, *github.Response, error)

// comments fetches a repository's comments of one kind updated since the
// watermark, walked by update time.
func (r *repoSync) comments(ctx context.Context, cursor string, kind contrib.Kind, list listComments) (string, uint64, error) {
	since, err := watermark(cursor)
	if err != nil {
		return "", 0, err
	}
	seen, n, err := r.walkByUpdate(ctx, since, func(ctx context.Context, gh *github.Client, since time.Time, page int) ([]time.Time, *github.Response, error) {
		cs, resp, err := list(ctx, gh, since, page)
		if err != nil {
			return nil, resp, err
		}
		var out []contrib.Contribution
		ups := make([]time.Time, len(cs))
		for i, cm := range cs {
			ups[i] = cm.updated
			if w, ok := fromUser(cm.user); ok {
				out = append(out, r.make(kind, contrib.KeyForID(cm.id), cm.number, w, cm.created, contrib.ViaREST))
			}
		}
		return ups, resp, r.emit(ctx, out)
	})
	if err != nil {
		return "", 0, err
	}
	return r.advance(since, seen), uint64(n), nil
}

// issueComments fetches comments on issues and pull request conversations.
func (r *repoSync) issueComments(ctx context.Context, cursor string) (string, uint64, error) {
	return r.comments(ctx, cursor, contrib.IssueComment, func(ctx context.Context, gh *github.Client, since time.Time, page int) ([]comment, *github.Response, error) {
		opts := &github.IssueListCommentsOptions{Sort: github.String("updated"), Direction: github.String("asc"),
			ListOptions: github.ListOptions{Page: page, PerPage: 100}}
		if !since.IsZero() {
			opts.Since = &since
		}
		cs, resp, err := gh.Issues.ListComments(ctx, r.owner, r.name, 0, opts)
		out := make([]comment, len(cs))
		for i, c := range cs {
			// issue_url is .../issues/<n>, pull requests' conversations included.
			out[i] = comment{c.GetID(), numberFromURL(c.GetIssueURL(), "issues"), c.User, c.GetCreatedAt().Time, c.GetUpdatedAt().Time}
		}
		return out, resp, err
	})
}

// reviewComments fetches comments on pull request diffs.
func (r *repoSync) reviewComments(ctx context.Context, cursor string) (string, uint64, error) {
	return r.comments(ctx, cursor, contrib.PRReviewComment, func(ctx context.Context, gh *github.Client, since time.Time, page int) ([]comment, *github.Response, error) {
		opts := &github.PullRequestListCommentsOptions{Sort: "updated", Direction: "asc", Since: since,
			ListOptions: github.ListOptions{Page: page, PerPage: 100}}
		cs, resp, err := gh.PullRequests.ListComments(ctx, r.owner, r.name, 0, opts)
		out := make([]comment, len(cs))
		for i, c := range cs {
			out[i] = comment{c.GetID(), numberFromURL(c.GetPullRequestURL(), "pulls"), c.User, c.GetCreatedAt().Time, c.GetUpdatedAt().Time}
		}
		return out, resp, err
	})
}

// releases fetches every published release (a repository has few).
func (r *repoSync) releases(ctx context.Context, _ string) (string, uint64, error) {
	n := 0
	err := r.restPages(ctx, 1, func(ctx context.Context, gh *github.Client, page int) (*github.Response, error) {
		rels, resp, err := gh.Repositories.ListReleases(ctx, r.owner, r.name, &github.ListOptions{Page: page, PerPage: 100})
		if err != nil {
			return resp, err
		}
		var out []contrib.Contribution
		for _, rel := range rels {
			if rel.GetDraft() || rel.PublishedAt == nil {
				continue
			}
			if w, ok := fromUser(rel.Author); ok {
				out = append(out, r.make(contrib.Release, contrib.KeyForID(rel.GetID()), 0, w, rel.GetPublishedAt().Time, contrib.ViaREST))
			}
			n++
		}
		return resp, r.emit(ctx, out)
	})
	return "", uint64(n), err
}

// forks fetches forks, newest first, down to the watermark.
func (r *repoSync) forks(ctx context.Context, cursor string) (string, uint64, error) {
	since, err := watermark(cursor)
	if err != nil {
		return "", 0, err
	}
	var seen time.Time
	page := 1
	for {
		var fs []*github.Repository
		resp, err := r.c.gh.REST(ctx, func(ctx context.Context, gh *github.Client) (*github.Response, error) {
			var resp *github.Response
			var err error
			fs, resp, err = gh.Repositories.ListForks(ctx, r.owner, r.name, &github.RepositoryListForksOptions{Sort: "newest",
				ListOptions: github.ListOptions{Page: page, PerPage: 100}})
			return resp, err
		})
		if err != nil {
			return "", 0, err
		}
		var out []contrib.Contribution
		stop := false
		for _, f := range fs {
			at := f.GetCreatedAt().Time
			if at.Before(since) {
				stop = true
				break
			}
			seen = later(seen, at)
			if w, ok := fromUser(f.Owner); ok {
				key := contrib.KeyForActorOnRepo(uint64(r.probe.DatabaseID), w.id)
				out = append(out, r.make(contrib.Fork, key, 0, w, at, contrib.ViaREST))
			}
		}
		if err := r.emit(ctx, out); err != nil {
			return "", 0, err
		}
		if stop || resp == nil || resp.NextPage == 0 {
			break
		}
		page = resp.NextPage
	}
	return r.advance(since, seen), uint64(r.probe.ForkCount), nil
}

// compare stores the commits reachable from head and not from base
// (REST compare, 100 a page) and returns how many there were.
func (r *repoSync) compare(ctx context.Context, base, head string) (int, error) {
	n := 0
	err := r.restPages(ctx, 1, func(ctx context.Context, gh *github.Client, page int) (*github.Response, error) {
		cmp, resp, err := gh.Repositories.CompareCommits(ctx, r.owner, r.name, base, head, &github.ListOptions{Page: page, PerPage: 100})
		if err != nil {
			return resp, err
		}
		var out []contrib.Contribution
		for _, c := range cmp.Commits {
			a := c.GetCommit().GetAuthor()
			var uid int64
			var login string
			if u := c.GetAuthor(); u != nil {
				uid, login = u.GetID(), u.GetLogin()
			}
			w, ok := commitAuthor(uid, login, a.GetEmail(), r.c.opts.EmailKey)
			if !ok {
				continue
			}
			key := contrib.KeyForCommit(uint64(r.probe.DatabaseID), c.GetSHA())
			cc := r.make(contrib.Commit, key, 0, w, a.GetDate().Time, contrib.ViaREST)
			cc.EmailDomain = contrib.DomainOf(a.GetEmail())
			out = append(out, cc)
		}
		n += len(cmp.Commits)
		return resp, r.emit(ctx, out)
	})
	return n, err
}

// judgeDiff reads the diff of a small merged pull request (at most
// Options.DiffCheckLines changed lines) and records on its contributions'
// facts whether it changes only whitespace. Others are left unread (-1).
func (r *repoSync) judgeDiff(ctx context.Context, n *pullNode, cs []contrib.Contribution) error {
	limit := r.c.opts.DiffCheckLines
	lines := n.Additions + n.Deletions
	if limit <= 0 || !n.Merged || lines == 0 || lines > limit {
		return nil
	}
	var patches []string
	_, err := r.c.gh.REST(ctx, func(ctx context.Context, gh *github.Client) (*github.Response, error) {
		files, resp, err := gh.PullRequests.ListFiles(ctx, r.owner, r.name, n.Number, &github.ListOptions{PerPage: 100})
		patches = patches[:0]
		for _, f := range files {
			patches = append(patches, f.GetPatch())
		}
		return resp, err
	})
	if errors.Is(err, ghclient.ErrNotFound) {
		return nil // gone since it was listed: left unread
	}
	if err != nil {
		return fmt.Errorf("reading the diff of pull request #%d: %w", n.Number, err)
	}
	ws := int8(0)
	if contrib.WhitespaceOnlyDiff(patches) {
		ws = 1
	}
	for i := range cs {
		if cs[i].PR != nil {
			cs[i].PR.Whitespace = ws
		}
	}
	return nil
}
