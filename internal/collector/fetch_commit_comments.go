package collector

import (
	"context"
	"fmt"
	"strconv"

	"github.com/google/go-github/v60/github"

	"contribtrack/internal/contrib"
)

// commentsPerPage is the page size of the commit comment list (GitHub's
// largest).
const commentsPerPage = 100

// commitComments fetches the repository's commit comments newer than the
// newest one stored (the cursor: its id), with REST's
// GET /repos/{owner}/{repo}/comments. GitHub lists them in ascending order
// by id, by page number, with no since, sort or direction; so the walk
// starts at the last page (found from the probe's count) and goes back
// until a page starts at or before the id stored. Newest page first, a
// comment deleted meanwhile can only shift one already read into the page
// read next (read twice, stored once), never an unread one into a page
// already read; a comment added meanwhile is appended after every page
// read, with a newer id, so the next sync (whose probe sees it) reads it.
//
// Each comment is credited to its author, at its creation time, keyed by
// its id: the natural key GH Archive's CommitCommentEvent gives it.
func (r *repoSync) commitComments(ctx context.Context, cursor string) (string, uint64, error) {
	var last int64
	if cursor != "" {
		v, err := strconv.ParseInt(cursor, 10, 64)
		if err != nil || v < 0 {
			return "", 0, fmt.Errorf("bad checkpoint cursor %q: want a comment id", cursor)
		}
		last = v
	}
	total := r.probe.CommitComments.TotalCount
	if total == 0 {
		return cursor, 0, nil // none (any deleted since stay stored)
	}
	newest := last
	page := (total + commentsPerPage - 1) / commentsPerPage
	jumped := false
	for {
		var cs []*github.RepositoryComment
		resp, err := r.c.gh.REST(ctx, func(ctx context.Context, gh *github.Client) (*github.Response, error) {
			var resp *github.Response
			var err error
			cs, resp, err = gh.Repositories.ListComments(ctx, r.owner, r.name,
				&github.ListOptions{Page: page, PerPage: commentsPerPage})
			return resp, err
		})
		if err != nil {
			return "", 0, err
		}
		var out []contrib.Contribution
		for _, c := range cs {
			if c.GetID() <= last {
				continue // stored by an earlier sync
			}
			newest = max(newest, c.GetID())
			if w, ok := fromUser(c.User); ok {
				out = append(out, r.make(contrib.CommitComment, contrib.KeyForID(c.GetID()), 0, w,
					c.GetCreatedAt().Time, contrib.ViaREST))
			}
		}
		if err := r.emit(ctx, out); err != nil {
			return "", 0, err
		}
		// More pages than the probe counted: comments were added since.
		// Start again from GitHub's last page (once: later additions have
		// newer ids than any read, and the next sync reads them).
		if !jumped && resp != nil && resp.LastPage > page {
			page, jumped = resp.LastPage, true
			continue
		}
		jumped = true
		if page <= 1 || (len(cs) > 0 && cs[0].GetID() <= last) {
			break
		}
		page--
	}
	return strconv.FormatInt(newest, 10), uint64(total), nil
}
