package ghdata

import (
	"time"

	"contribtrack/internal/contrib"
)

// Following people rather than repositories: the contributions a user made
// anywhere in the dataset, as GitHub's User.contributionsCollection shows
// them and as contribtrack stores them.

// AccountByNodeID returns the user, bot or organisation whose GraphQL node
// id is id, or nil. The caller holds the lock.
func (d *Dataset) AccountByNodeID(id string) *User {
	for _, list := range [][]*User{d.Users, d.Orgs} {
		for _, u := range list {
			if u.NodeID == id {
				return u
			}
		}
	}
	return nil
}

// CountsAsContribution reports whether GitHub credits activity of kind k in
// repository r to its author's contributions (the profile graph and
// User.contributionsCollection). GitHub documents that issues, pull
// requests and commits count only when made in a standalone repository,
// not in a fork; its criteria for pull request reviews name no such
// restriction. A merge counts where its pull request does. Kinds the
// contributions collection does not list (comments, closes, releases,
// stars, forks) are false.
func CountsAsContribution(k contrib.Kind, r *Repo) bool {
	switch k {
	case contrib.PROpened, contrib.PRMerged, contrib.IssueOpened, contrib.Commit:
		return !r.Fork
	case contrib.PRReview:
		return true
	}
	return false
}

// TruthOf returns the ground truth of following the accounts userIDs
// across every repository of the dataset: what they opened, merged,
// reviewed and committed, in contribtrack's vocabulary, with the natural
// keys and actors of Truth:
//
//   - pr_opened at CreatedAt, for the pull requests they opened;
//   - pr_merged at MergedAt, credited to the author, for those merged;
//   - issue_opened at CreatedAt;
//   - pr_review at SubmittedAt, every review they submitted;
//   - commit at AuthoredAt, for the default-branch commits GitHub links to
//     their account (Commit.Author); unlinked commits are nobody's.
//
// Each item's own time must be in [from, to). Every element equals (all
// fields) the element of Truth with the same kind and key.
//
// This is the whole truth, forks included. GitHub's contributions
// collection leaves out what CountsAsContribution rejects, and lists one
// review per pull request (the latest): a collector that follows people
// through it alone sees the subset described in gqlexec.
func (d *Dataset) TruthOf(userIDs map[int64]bool, from, to time.Time) []contrib.Contribution {
	d.RLock()
	defer d.RUnlock()
	var out []contrib.Contribution
	for _, r := range d.Repos {
		rid := uint64(r.ID)
		add := func(k contrib.Kind, key string, number int, u *User, at time.Time) {
			if u == nil || !userIDs[u.ID] || at.Before(from) || !at.Before(to) {
				return
			}
			out = append(out, contrib.Contribution{Kind: k, Key: key, CreatedAt: unixUTC(at.Unix()),
				ActorID: uint64(u.ID), ActorLogin: u.Login, RepoID: rid, RepoName: r.FullName(),
				Org: r.Owner.Login, Number: int64(number)})
		}
		for _, p := range r.Pulls {
			key := contrib.KeyForNumber(rid, int64(p.Number))
			add(contrib.PROpened, key, p.Number, p.Author, p.CreatedAt)
			if p.Merged() {
				add(contrib.PRMerged, key, p.Number, p.Author, p.MergedAt)
			}
			for _, rv := range p.Reviews {
				add(contrib.PRReview, contrib.KeyForID(rv.ID), p.Number, rv.Author, rv.SubmittedAt)
			}
		}
		for _, is := range r.Issues {
			add(contrib.IssueOpened, contrib.KeyForNumber(rid, int64(is.Number)), is.Number, is.Author, is.CreatedAt)
		}
		for _, c := range r.Commits {
			add(contrib.Commit, contrib.KeyForCommit(rid, c.SHA), 0, c.Author, c.AuthoredAt)
		}
	}
	return out
}
