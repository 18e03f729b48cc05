package collector

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/shurcooL/githubv4"

	"contribtrack/internal/contrib"
	"contribtrack/internal/ghclient"
)

// cursorPages runs page for each page of a GraphQL connection, from the
// cursor after (nil: the first page), until page says to stop or the
// connection has no next page.
func cursorPages(after *string, page func(after *string) (pi pageInfo, stop bool, err error)) error {
	for {
		pi, stop, err := page(after)
		if err != nil || stop || !pi.HasNextPage {
			return err
		}
		cur := string(pi.EndCursor)
		after = &cur
	}
}

func (r *repoSync) vars(after *string) map[string]any {
	return map[string]any{"owner": str(r.owner), "name": str(r.name), "after": strPtr(after)}
}

func (r *repoSync) notFound() error {
	return fmt.Errorf("repository %s: %w", r.probe.NameWithOwner, ghclient.ErrNotFound)
}

// pulls fetches pull requests updated since the watermark, most recent
// first, with their reviews and who closed them.
func (r *repoSync) pulls(ctx context.Context, cursor string) (string, uint64, error) {
	since, err := watermark(cursor)
	if err != nil {
		return "", 0, err
	}
	var seen time.Time
	total := 0
	err = cursorPages(nil, func(after *string) (pageInfo, bool, error) {
		var q pullsQuery
		if err := r.c.gh.Query(ctx, &q, r.vars(after), 1); err != nil {
			return pageInfo{}, false, err
		}
		if q.Repository == nil {
			return pageInfo{}, false, r.notFound()
		}
		conn := q.Repository.PullRequests
		total = conn.TotalCount
		var out []contrib.Contribution
		stop := false
		for i := range conn.Nodes {
			n := &conn.Nodes[i]
			if n.UpdatedAt.Before(since) {
				stop = true // ordered by update, newest first: the rest is older
				break
			}
			seen = later(seen, n.UpdatedAt.Time)
			start := len(out)
			out = r.pullContributions(out, n)
			if err := r.judgeDiff(ctx, n, out[start:]); err != nil {
				return pageInfo{}, false, err
			}
			if n.Reviews.PageInfo.HasNextPage {
				more, err := r.moreReviews(ctx, n.Number, string(n.Reviews.PageInfo.EndCursor))
				if err != nil {
					return pageInfo{}, false, err
				}
				out = append(out, more...)
			}
		}
		return conn.PageInfo, stop, r.emit(ctx, out)
	})
	if err != nil {
		return "", 0, err
	}
	return r.advance(since, seen), uint64(total), nil
}

func (r *repoSync) pullContributions(out []contrib.Contribution, n *pullNode) []contrib.Contribution {
	number := int64(n.Number)
	key := contrib.KeyForNumber(uint64(r.probe.DatabaseID), number)
	author, ok := fromActor(n.Author)
	if ok {
		opened := r.make(contrib.PROpened, key, number, author, n.CreatedAt.Time, contrib.ViaGraphQL)
		opened.PR = n.pullFactFields.facts(author, n.Author.Typename)
		out = append(out, opened)
		if n.Merged && n.MergedAt != nil {
			out = append(out, r.make(contrib.PRMerged, key, number, author, n.MergedAt.Time, contrib.ViaGraphQL))
		}
	}
	if !n.Merged && n.ClosedAt != nil {
		if w, ok := closer(n.TimelineItems); ok {
			out = append(out, r.make(contrib.PRClosed, key, number, w, n.ClosedAt.Time, contrib.ViaGraphQL))
		}
	}
	return r.reviewContributions(out, number, n.Reviews.Nodes)
}

// reviewContributions adds the submitted reviews of pull request number.
func (r *repoSync) reviewContributions(out []contrib.Contribution, number int64, rvs []reviewNode) []contrib.Contribution {
	for _, rv := range rvs {
		w, ok := fromActor(rv.Author)
		if !ok || rv.SubmittedAt == nil { // pending reviews are not submitted yet
			continue
		}
		c := r.make(contrib.PRReview, contrib.KeyForID(rv.DatabaseID), number, w, rv.SubmittedAt.Time, contrib.ViaGraphQL)
		c.ReviewState = contrib.ReviewStateOf(rv.State)
		out = append(out, c)
	}
	return out
}

// facts are what the API says of a pull request now (as of its last
// update), opened by author, an account of the given GraphQL type.
func (f *pullFactFields) facts(author who, authorType string) *contrib.PullRequest {
	pr := &contrib.PullRequest{ObservedAt: f.UpdatedAt.UTC().Truncate(time.Second), OpenedAt: f.CreatedAt.UTC().Truncate(time.Second),
		AuthorID: author.id, AuthorType: authorType,
		Title: f.Title, Draft: f.IsDraft, Additions: int64(f.Additions), Deletions: int64(f.Deletions), ChangedFiles: int64(f.ChangedFiles),
		Whitespace: -1}
	if m, ok := fromActor(f.MergedBy); ok && f.Merged {
		pr.MergedByID = m.id
	}
	names := make([]string, len(f.Labels.Nodes))
	for i, l := range f.Labels.Nodes {
		names[i] = l.Name
	}
	pr.Labels = contrib.NormalLabels(names)
	return pr
}

// closer is whoever closed an issue or pull request last.
func closer(ev closedEvents) (who, bool) {
	for i := len(ev.Nodes) - 1; i >= 0; i-- {
		if a := ev.Nodes[i].ClosedEvent.Actor; a != nil {
			return fromActor(a)
		}
	}
	return who{}, false
}

// moreReviews pages through the reviews of a pull request past the first
// page that pullsQuery brought.
func (r *repoSync) moreReviews(ctx context.Context, number int, cursor string) ([]contrib.Contribution, error) {
	var out []contrib.Contribution
	err := cursorPages(&cursor, func(after *string) (pageInfo, bool, error) {
		var q reviewsQuery
		vars := r.vars(after)
		vars["number"] = githubv4.Int(number)
		if err := r.c.gh.Query(ctx, &q, vars, 1); err != nil {
			return pageInfo{}, false, err
		}
		if q.Repository == nil || q.Repository.PullRequest == nil {
			return pageInfo{}, false, fmt.Errorf("pull request %s#%d: %w", r.probe.NameWithOwner, number, ghclient.ErrNotFound)
		}
		conn := q.Repository.PullRequest.Reviews
		out = r.reviewContributions(out, int64(number), conn.Nodes)
		return conn.PageInfo, false, nil
	})
	return out, err
}

// issues fetches issues updated since the watermark.
func (r *repoSync) issues(ctx context.Context, cursor string) (string, uint64, error) {
	since, err := watermark(cursor)
	if err != nil {
		return "", 0, err
	}
	var seen time.Time
	total := 0
	err = cursorPages(nil, func(after *string) (pageInfo, bool, error) {
		var q issuesQuery
		vars := r.vars(after)
		vars["since"] = (*githubv4.DateTime)(nil)
		if !since.IsZero() {
			vars["since"] = &githubv4.DateTime{Time: since}
		}
		if err := r.c.gh.Query(ctx, &q, vars, 1); err != nil {
			return pageInfo{}, false, err
		}
		if q.Repository == nil {
			return pageInfo{}, false, r.notFound()
		}
		conn := q.Repository.Issues
		if since.IsZero() {
			total = conn.TotalCount
		} else {
			total = r.probe.Issues.TotalCount
		}
		var out []contrib.Contribution
		for i := range conn.Nodes {
			n := &conn.Nodes[i]
			seen = later(seen, n.UpdatedAt.Time)
			number := int64(n.Number)
			key := contrib.KeyForNumber(uint64(r.probe.DatabaseID), number)
			if w, ok := fromActor(n.Author); ok {
				out = append(out, r.make(contrib.IssueOpened, key, number, w, n.CreatedAt.Time, contrib.ViaGraphQL))
			}
			if n.ClosedAt != nil {
				if w, ok := closer(n.TimelineItems); ok {
					out = append(out, r.make(contrib.IssueClosed, key, number, w, n.ClosedAt.Time, contrib.ViaGraphQL))
				}
			}
		}
		return conn.PageInfo, false, r.emit(ctx, out)
	})
	if err != nil {
		return "", 0, err
	}
	return r.advance(since, seen), uint64(total), nil
}

// commits fetches the default branch's new commits. The first time it
// walks the whole history (GraphQL, 100 a page). After that it asks REST's
// compare for exactly the commits reachable from the new head and not
// from the head synced last time (cursor): walking history back to the old
// head would miss the commits a merge commit brings in, which git log
// lists after it. When the old head is gone (a force push), the history is
// walked again; commits already stored count once anyway.
func (r *repoSync) commits(ctx context.Context, cursor string) (string, uint64, error) {
	if r.probe.DefaultBranchRef == nil {
		return cursor, 0, nil // an empty repository
	}
	head := r.probe.DefaultBranchRef.Target.Oid
	if cursor != "" {
		n, err := r.compare(ctx, cursor, head)
		if err == nil {
			prev := r.cps[contrib.CheckpointKey{RepoID: uint64(r.probe.DatabaseID), Resource: contrib.ResourceCommits}].Total
			return head, prev + uint64(n), nil
		}
		if !errors.Is(err, ghclient.ErrNotFound) {
			return "", 0, err
		}
		r.c.log.Info("the last commit synced is gone (force push?): walking the history again", "repo", r.probe.NameWithOwner)
	}
	return r.walkHistory(ctx)
}

// walkHistory stores every commit reachable from the default branch's head.
func (r *repoSync) walkHistory(ctx context.Context) (string, uint64, error) {
	head, total := "", 0
	err := cursorPages(nil, func(after *string) (pageInfo, bool, error) {
		var q commitsQuery
		if err := r.c.gh.Query(ctx, &q, r.vars(after), 1); err != nil {
			return pageInfo{}, false, err
		}
		if q.Repository == nil {
			return pageInfo{}, false, r.notFound()
		}
		if q.Repository.DefaultBranchRef == nil {
			return pageInfo{}, true, nil // emptied since the probe
		}
		h := q.Repository.DefaultBranchRef.Target.Commit.History
		total = h.TotalCount
		var out []contrib.Contribution
		for _, n := range h.Nodes {
			if head == "" {
				head = n.Oid
			}
			var uid int64
			var login, email string
			if n.Author != nil {
				email = n.Author.Email
				if n.Author.User != nil {
					uid, login = n.Author.User.DatabaseID, n.Author.User.Login
				}
			}
			w, ok := commitAuthor(uid, login, email, r.c.opts.EmailKey)
			if !ok {
				continue
			}
			key := contrib.KeyForCommit(uint64(r.probe.DatabaseID), n.Oid)
			c := r.make(contrib.Commit, key, 0, w, n.AuthoredDate.Time, contrib.ViaGraphQL)
			c.EmailDomain = contrib.DomainOf(email)
			out = append(out, c)
		}
		return h.PageInfo, false, r.emit(ctx, out)
	})
	if err != nil {
		return "", 0, err
	}
	return head, uint64(total), nil
}

// stars fetches stargazers, latest first, down to the watermark.
func (r *repoSync) stars(ctx context.Context, cursor string) (string, uint64, error) {
	since, err := watermark(cursor)
	if err != nil {
		since = time.Time{} // a checkpoint from before stars had a time watermark: read them all
	}
	var seen time.Time
	total := 0
	err = cursorPages(nil, func(after *string) (pageInfo, bool, error) {
		var q stargazersQuery
		if err := r.c.gh.Query(ctx, &q, r.vars(after), 1); err != nil {
			return pageInfo{}, false, err
		}
		if q.Repository == nil {
			return pageInfo{}, false, r.notFound()
		}
		conn := q.Repository.Stargazers
		total = conn.TotalCount
		var out []contrib.Contribution
		stop := false
		for _, e := range conn.Edges {
			if e.StarredAt.Before(since) {
				stop = true
				break
			}
			seen = later(seen, e.StarredAt.Time)
			w := who{uint64(e.Node.DatabaseID), e.Node.Login}
			key := contrib.KeyForActorOnRepo(uint64(r.probe.DatabaseID), w.id)
			out = append(out, r.make(contrib.Star, key, 0, w, e.StarredAt.Time, contrib.ViaGraphQL))
		}
		return conn.PageInfo, stop, r.emit(ctx, out)
	})
	if err != nil {
		return "", 0, err
	}
	return r.advance(since, seen), uint64(total), nil
}
