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
// identity derived from its author email.
func (d *Dataset) Truth() []contrib.Contribution {
	d.RLock()
	defer d.RUnlock()
	var out []contrib.Contribution
	for _, r := range d.Repos {
		rid := uint64(r.ID)
		add := func(k contrib.Kind, key string, u *User, at interface{ Unix() int64 }) {
			c := contrib.Contribution{Kind: k, Key: key, RepoID: rid, RepoName: r.FullName(), Org: r.Owner.Login}
			c.ActorID, c.ActorLogin = uint64(u.ID), u.Login
			c.CreatedAt = unixUTC(at.Unix())
			out = append(out, c)
		}
		for _, p := range r.Pulls {
			key := contrib.KeyForNumber(rid, int64(p.Number))
			add(contrib.PROpened, key, p.Author, p.CreatedAt)
			if p.Merged() {
				add(contrib.PRMerged, key, p.Author, p.MergedAt)
			} else if !p.ClosedAt.IsZero() {
				add(contrib.PRClosed, key, p.ClosedBy, p.ClosedAt)
			}
			for _, rv := range p.Reviews {
				add(contrib.PRReview, contrib.KeyForID(rv.ID), rv.Author, rv.SubmittedAt)
			}
		}
		for _, c := range r.ReviewComments {
			add(contrib.PRReviewComment, contrib.KeyForID(c.ID), c.Author, c.CreatedAt)
		}
		for _, is := range r.Issues {
			key := contrib.KeyForNumber(rid, int64(is.Number))
			add(contrib.IssueOpened, key, is.Author, is.CreatedAt)
			if !is.ClosedAt.IsZero() {
				add(contrib.IssueClosed, key, is.ClosedBy, is.ClosedAt)
			}
		}
		for _, c := range r.IssueComments {
			add(contrib.IssueComment, contrib.KeyForID(c.ID), c.Author, c.CreatedAt)
		}
		for _, c := range r.Commits {
			key := contrib.KeyForCommit(rid, c.SHA)
			if c.Author != nil {
				add(contrib.Commit, key, c.Author, c.AuthoredAt)
				continue
			}
			out = append(out, contrib.Contribution{Kind: contrib.Commit, Key: key, RepoID: rid,
				RepoName: r.FullName(), Org: r.Owner.Login, ActorID: contrib.EmailActorID(c.AuthorEmail),
				CreatedAt: unixUTC(c.AuthoredAt.Unix())})
		}
		for _, rel := range r.Releases {
			add(contrib.Release, contrib.KeyForID(rel.ID), rel.Author, rel.PublishedAt)
		}
		for _, s := range r.Stars {
			add(contrib.Star, contrib.KeyForActorOnRepo(rid, uint64(s.User.ID)), s.User, s.StarredAt)
		}
		for _, f := range r.Forks {
			add(contrib.Fork, contrib.KeyForActorOnRepo(rid, uint64(f.Owner.ID)), f.Owner, f.CreatedAt)
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
