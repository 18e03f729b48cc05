package ghdata

import (
	"contribtrack/internal/contrib"
)

// Truth returns every contribution and signal in the dataset, the way
// contribtrack's vocabulary defines them (docs/schema.md): what a perfect
// collector of the whole dataset stores, one per natural key. Bots are
// included; Bot reports which actor ids GitHub marks as bots.
//
// A commit is credited to the account GitHub links to it, otherwise to an
// identity derived from its author email. Number is the issue's or pull
// request's own for pr_* and issue_* kinds and the parent's for reviews,
// review comments and issue comments (a pull request's when the comment is
// on its conversation); 0 for the other kinds. A commit comment is keyed by
// its id, as GH Archive's CommitCommentEvent keys it.
func (d *Dataset) Truth() []contrib.Contribution {
	d.RLock()
	defer d.RUnlock()
	var out []contrib.Contribution
	for _, r := range d.Repos {
		rid := uint64(r.ID)
		add := func(k contrib.Kind, key string, number int, u *User, at interface{ Unix() int64 }) {
			c := contrib.Contribution{Kind: k, Key: key, RepoID: rid, RepoName: r.FullName(), Org: r.Owner.Login,
				Number: int64(number)}
			c.ActorID, c.ActorLogin = uint64(u.ID), u.Login
			c.CreatedAt = unixUTC(at.Unix())
			out = append(out, c)
		}
		for _, p := range r.Pulls {
			key := contrib.KeyForNumber(rid, int64(p.Number))
			add(contrib.PROpened, key, p.Number, p.Author, p.CreatedAt)
			if p.Merged() {
				add(contrib.PRMerged, key, p.Number, p.Author, p.MergedAt)
			} else if !p.ClosedAt.IsZero() {
				add(contrib.PRClosed, key, p.Number, p.ClosedBy, p.ClosedAt)
			}
			for _, rv := range p.Reviews {
				add(contrib.PRReview, contrib.KeyForID(rv.ID), p.Number, rv.Author, rv.SubmittedAt)
			}
		}
		for _, c := range r.ReviewComments {
			add(contrib.PRReviewComment, contrib.KeyForID(c.ID), c.Number, c.Author, c.CreatedAt)
		}
		for _, is := range r.Issues {
			key := contrib.KeyForNumber(rid, int64(is.Number))
			add(contrib.IssueOpened, key, is.Number, is.Author, is.CreatedAt)
			if !is.ClosedAt.IsZero() {
				add(contrib.IssueClosed, key, is.Number, is.ClosedBy, is.ClosedAt)
			}
		}
		for _, c := range r.IssueComments {
			add(contrib.IssueComment, contrib.KeyForID(c.ID), c.Number, c.Author, c.CreatedAt)
		}
		for _, c := range r.Commits {
			key := contrib.KeyForCommit(rid, c.SHA)
			if c.Author != nil {
				add(contrib.Commit, key, 0, c.Author, c.AuthoredAt)
				continue
			}
			out = append(out, contrib.Contribution{Kind: contrib.Commit, Key: key, RepoID: rid,
				RepoName: r.FullName(), Org: r.Owner.Login, ActorID: contrib.EmailActorID(c.AuthorEmail),
				CreatedAt: unixUTC(c.AuthoredAt.Unix())})
		}
		for _, c := range r.CommitComments {
			add(contrib.CommitComment, contrib.KeyForID(c.ID), 0, c.Author, c.CreatedAt)
		}
		for _, rel := range r.Releases {
			add(contrib.Release, contrib.KeyForID(rel.ID), 0, rel.Author, rel.PublishedAt)
		}
		for _, s := range r.Stars {
			add(contrib.Star, contrib.KeyForActorOnRepo(rid, uint64(s.User.ID)), 0, s.User, s.StarredAt)
		}
		for _, f := range r.Forks {
			add(contrib.Fork, contrib.KeyForActorOnRepo(rid, uint64(f.Owner.ID)), 0, f.Owner, f.CreatedAt)
		}
	}
	return out
}

// Bots returns the ids of the accounts GitHub marks as bots (type Bot).
func (d *Dataset) Bots() map[uint64]string {
	d.RLock()
	defer d.RUnlock()
	out := map[uint64]string{}
	for _, u := range d.Users {
		if u.IsBot() {
			out[uint64(u.ID)] = u.Login
		}
	}
	return out
}
