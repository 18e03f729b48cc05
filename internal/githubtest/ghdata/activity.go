package ghdata

import (
	"fmt"
	"hash/fnv"
	"sort"
	"time"
)

var (
	reviewStates = []string{"APPROVED", "APPROVED", "COMMENTED", "CHANGES_REQUESTED"}
	paths        = []string{"src/index.ts", "lib/handler.py", "README.md", "cmd/main.go", "test/unit.test.ts"}
	topics       = []string{"retries", "pagination", "IAM policy", "VPC endpoints", "cold starts", "log retention",
		"cross-account access", "KMS keys", "timeouts", "IPv6", "nested stacks", "streaming"}
)

// activity generates new pull requests, issues, commits, releases, stars
// and forks for r between from and to. w scales comment and review counts.
func (g *generator) activity(r *Repo, w float64, from, to time.Time, s Spec) {
	if from.Before(r.CreatedAt) {
		from = r.CreatedAt
	}
	// Numbers are shared by issues and pull requests and follow creation time.
	type opening struct {
		at   time.Time
		pull bool
	}
	var opens []opening
	for i := 0; i < s.PullsPerRepo; i++ {
		opens = append(opens, opening{g.between(from, to), true})
	}
	for i := 0; i < s.IssuesPerRepo; i++ {
		opens = append(opens, opening{g.between(from, to), false})
	}
	sort.SliceStable(opens, func(i, j int) bool { return opens[i].at.Before(opens[j].at) })
	for _, o := range opens {
		r.nextNumber++
		if o.pull {
			g.pull(r, r.nextNumber, o.at, to, s)
		} else {
			g.issue(r, r.nextNumber, o.at, to, s)
		}
	}
	g.commits(r, s.CommitsPerRepo, from, to)
	g.commitComments(r, s.CommitCommentsPerRepo, from, to)
	for i := 0; i < s.ReleasesPerRepo; i++ {
		at := g.between(from, to)
		rel := &Release{Author: g.maintainer(), CreatedAt: at, PublishedAt: g.after(at, to, time.Hour),
			Prerelease: i%5 == 4}
		if i%6 == 5 {
			rel.Author = g.bots[1] // github-actions[bot] publishes some releases
		}
		r.Releases = append(r.Releases, rel)
	}
	starred := map[int64]bool{}
	for _, st := range r.Stars {
		starred[st.User.ID] = true
	}
	for i := 0; i < s.StarsPerRepo; i++ {
		u := g.people[g.rng.IntN(len(g.people))]
		if starred[u.ID] {
			continue
		}
		starred[u.ID] = true
		r.Stars = append(r.Stars, &Star{User: u, StarredAt: g.between(from, to)})
	}
	sort.SliceStable(r.Stars, func(i, j int) bool { return r.Stars[i].StarredAt.Before(r.Stars[j].StarredAt) })
	forked := map[int64]bool{}
	for _, f := range r.Forks {
		forked[f.Owner.ID] = true
	}
	for i := 0; i < s.ForksPerRepo; i++ {
		u := g.people[g.rng.IntN(len(g.people))]
		if forked[u.ID] {
			continue
		}
		forked[u.ID] = true
		r.Forks = append(r.Forks, &Fork{Owner: u, Name: r.Name, CreatedAt: g.between(from, to)})
	}
	sort.SliceStable(r.Forks, func(i, j int) bool { return r.Forks[i].CreatedAt.Before(r.Forks[j].CreatedAt) })
	g.bump(r, to)
}

func (g *generator) pull(r *Repo, number int, at, end time.Time, s Spec) *Pull {
	author := g.person()
	switch g.rng.IntN(12) {
	case 0:
		author = g.bots[0]
	case 1:
		author = g.bots[2]
	}
	p := &Pull{Number: number, Author: author, CreatedAt: at, UpdatedAt: at,
		Title:   fmt.Sprintf("Fix %s in %s", topics[g.rng.IntN(len(topics))], r.Name),
		HeadRef: fmt.Sprintf("%s/patch-%d", author.Login, number)}
	p.sizeFrom(r)
	r.Pulls = append(r.Pulls, p)
	last := at
	for i, n := 0, g.count(s.ReviewsPerPull); i < n; i++ {
		rv := g.review(r, p, g.after(last, end, 72*time.Hour), end, s)
		last = rv.SubmittedAt
	}
	for i, n := 0, g.count(s.CommentsPerIssue/3); i < n; i++ {
		c := g.comment(r, p.Number, true, g.after(at, end, 240*time.Hour))
		last = latest(last, c.CreatedAt)
		p.UpdatedAt = latest(p.UpdatedAt, c.CreatedAt)
	}
	switch x := g.rng.IntN(100); {
	case x < 70:
		g.merge(r, p, g.after(last, end, 96*time.Hour))
	case x < 85:
		closer := p.Author
		if g.rng.IntN(2) == 0 {
			closer = g.maintainer()
		}
		p.ClosedAt, p.ClosedBy = g.after(last, end, 240*time.Hour), closer
	}
	g.settlePull(p)
	return p
}

func (g *generator) merge(r *Repo, p *Pull, at time.Time) {
	p.MergedAt, p.ClosedAt, p.ClosedBy = at, at, g.maintainer()
	p.MergeCommit = g.sha(r.ID, "merge", p.Number)
}

func (g *generator) review(r *Repo, p *Pull, at, end time.Time, s Spec) *Review {
	who := g.maintainer()
	if g.rng.IntN(3) == 0 {
		who = g.person()
	}
	if who == p.Author {
		who = g.maint[(g.rng.IntN(len(g.maint)-1)+1)%len(g.maint)]
	}
	rv := &Review{Author: who, State: reviewStates[g.rng.IntN(len(reviewStates))], SubmittedAt: at,
		Body: "Looks reasonable; see inline notes."}
	p.Reviews = append(p.Reviews, rv)
	n := g.count(s.ReviewCommentsPerPull / max(s.ReviewsPerPull, 1))
	for i := 0; i < n; i++ {
		rc := &ReviewComment{Author: who, Body: "Consider handling the error here.", Number: p.Number,
			Path: paths[g.rng.IntN(len(paths))], CreatedAt: at, UpdatedAt: at}
		rc.review = rv
		r.ReviewComments = append(r.ReviewComments, rc)
	}
	return rv
}

func (g *generator) comment(r *Repo, number int, onPull bool, at time.Time) *Comment {
	who := g.person()
	if g.rng.IntN(20) == 0 {
		who = g.bots[1]
	} else if g.rng.IntN(25) == 0 {
		who = g.listed
	}
	c := &Comment{Author: who, Number: number, OnPull: onPull, CreatedAt: at, UpdatedAt: at,
		Body: "Thanks! I can reproduce this with the latest version."}
	r.IssueComments = append(r.IssueComments, c)
	return c
}

func (g *generator) issue(r *Repo, number int, at, end time.Time, s Spec) *Issue {
	is := &Issue{Number: number, Author: g.person(), CreatedAt: at, UpdatedAt: at,
		Title: fmt.Sprintf("%s fails with %s", r.Name, topics[g.rng.IntN(len(topics))])}
	r.Issues = append(r.Issues, is)
	last := at
	for i, n := 0, g.count(s.CommentsPerIssue); i < n; i++ {
		last = g.comment(r, number, false, g.after(last, end, 120*time.Hour)).CreatedAt
	}
	is.UpdatedAt = last
	if g.rng.IntN(100) < 65 {
		closer := g.maintainer()
		if g.rng.IntN(3) == 0 {
			closer = is.Author
		}
		is.ClosedAt, is.ClosedBy = g.after(last, end, 240*time.Hour), closer
		is.StateReason = "completed"
		if g.rng.IntN(5) == 0 {
			is.StateReason = "not_planned"
		}
	}
	g.settleIssue(r, is)
	return is
}

// settlePull sets UpdatedAt to the latest thing that happened to p.
func (g *generator) settlePull(p *Pull) {
	for _, rv := range p.Reviews {
		p.UpdatedAt = latest(p.UpdatedAt, rv.SubmittedAt)
	}
	p.UpdatedAt = latest(p.UpdatedAt, p.ClosedAt)
}

func (g *generator) settleIssue(r *Repo, is *Issue) {
	is.UpdatedAt = latest(is.UpdatedAt, is.ClosedAt)
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// mergedBranch adds n commits made on a branch before head h (committed
// up to two days earlier) and the merge commit that brings
// them onto the default branch: in git log order they come after the old
// head, which is what makes walking history back to the last head synced
// miss them.
func (g *generator) mergedBranch(r *Repo, n int, h *Commit, at time.Time) {
	if h == nil || n == 0 {
		return
	}
	base := h.CommittedAt.Add(-48 * time.Hour)
	for i := 0; i < n; i++ {
		u := g.person()
		when := base.Add(time.Duration(i+1) * time.Hour)
		c := &Commit{CommittedAt: when, AuthoredAt: when, Author: u, AuthorName: u.Name, AuthorEmail: u.Email,
			Message: "feat: work on a branch", SHA: g.sha(r.ID, "branch", len(r.Commits), i)}
		r.Commits = append(r.Commits, c)
	}
	m := g.maintainer()
	merge := &Commit{CommittedAt: at, AuthoredAt: at, Author: m, AuthorName: m.Name, AuthorEmail: m.Email,
		Message: "Merge pull request from a branch", SHA: g.sha(r.ID, "merge", len(r.Commits))}
	r.Commits = append(r.Commits, merge)
	r.PushedAt = latest(r.PushedAt, at)
}

// LogOrder returns the indices of r.Commits reachable from commit head
// (every commit up to it: Commits are kept in the order they reached the
// default branch) in git log order: newest commit date first.
func (r *Repo) LogOrder(head int) []int {
	idx := make([]int, head+1)
	for i := range idx {
		idx[i] = head - i
	}
	sort.SliceStable(idx, func(a, b int) bool { return r.Commits[idx[a]].CommittedAt.After(r.Commits[idx[b]].CommittedAt) })
	return idx
}

func (g *generator) commits(r *Repo, n int, from, to time.Time) {
	times := make([]time.Time, n)
	for i := range times {
		times[i] = g.between(from, to)
	}
	sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
	for i, at := range times {
		c := &Commit{CommittedAt: at, AuthoredAt: at.Add(-time.Duration(g.rng.IntN(48*3600)) * time.Second),
			Message: fmt.Sprintf("fix: handle %s", topics[g.rng.IntN(len(topics))])}
		if h := r.Head(); h != nil && !c.CommittedAt.After(h.CommittedAt) {
			c.CommittedAt = h.CommittedAt.Add(time.Second)
		}
		switch x := g.rng.IntN(100); {
		case x < 84:
			u := g.person()
			c.Author, c.AuthorName, c.AuthorEmail = u, u.Name, u.Email
		case x < 94:
			e := g.emails[g.rng.IntN(len(g.emails))]
			c.AuthorName, c.AuthorEmail = "Unlinked Dev", e
		default:
			b := g.bots[0]
			c.Author, c.AuthorName, c.AuthorEmail = b, b.Login, b.Email
		}
		c.SHA = g.sha(r.ID, "commit", len(r.Commits), i, at.Unix())
		r.Commits = append(r.Commits, c)
		r.PushedAt = latest(r.PushedAt, c.CommittedAt)
	}
}

// commitComments adds n comments on commits of r (any commit already on
// the default branch, old ones too) made between from and to. They use
// their own random source (ccRng): the rest of the activity is the same
// with or without them.
func (g *generator) commitComments(r *Repo, n int, from, to time.Time) {
	rng := g.ccRng
	for i := 0; i < n && len(r.Commits) > 0; i++ {
		c := r.Commits[rng.IntN(len(r.Commits))]
		lo := latest(from, c.CommittedAt)
		at := lo
		if to.After(lo) {
			at = lo.Add(time.Duration(rng.Int64N(int64(to.Sub(lo))))).Truncate(time.Second)
		}
		x := rng.Float64()
		who := g.people[int(x*x*x*float64(len(g.people)))%len(g.people)]
		cc := &CommitComment{Author: who, CommitSHA: c.SHA, CreatedAt: at, UpdatedAt: at,
			Body: "This change broke the build on arm64; see the CI log."}
		switch rng.IntN(4) {
		case 0:
			// github-actions[bot] comments on commits (deploy previews).
			cc.Author, cc.Body = g.bots[1], "Deployed a preview of this commit."
		case 1:
			cc.Path, cc.Position, cc.Line = paths[rng.IntN(len(paths))], 1+rng.IntN(20), 1+rng.IntN(300)
		}
		r.CommitComments = append(r.CommitComments, cc)
	}
}

// touchOld changes existing issues and pull requests: comments, reviews,
// closes and merges. It is what makes incremental collection hard.
func (g *generator) touchOld(r *Repo, a Activity, from, to time.Time) {
	if len(r.Issues)+len(r.Pulls) == 0 {
		return
	}
	for i := 0; i < a.CommentsOnOld; i++ {
		k := g.rng.IntN(len(r.Issues) + len(r.Pulls))
		at := g.between(from, to)
		if k < len(r.Issues) {
			is := r.Issues[k]
			g.comment(r, is.Number, false, at)
			is.UpdatedAt = latest(is.UpdatedAt, at)
		} else {
			p := r.Pulls[k-len(r.Issues)]
			g.comment(r, p.Number, true, at)
			p.UpdatedAt = latest(p.UpdatedAt, at)
		}
	}
	var open []*Pull
	for _, p := range r.Pulls {
		if p.ClosedAt.IsZero() {
			open = append(open, p)
		}
	}
	for i := 0; i < a.ReviewsOnOld && len(open) > 0; i++ {
		p := open[g.rng.IntN(len(open))]
		rv := g.review(r, p, g.between(from, to), to, g.spec)
		p.UpdatedAt = latest(p.UpdatedAt, rv.SubmittedAt)
	}
	closed := 0
	for _, p := range open {
		if closed >= a.CloseOld {
			break
		}
		if p.ClosedAt.IsZero() {
			g.merge(r, p, g.between(from, to))
			p.UpdatedAt = latest(p.UpdatedAt, p.ClosedAt)
			closed++
		}
	}
	for _, is := range r.Issues {
		if closed >= 2*a.CloseOld {
			break
		}
		if is.ClosedAt.IsZero() {
			is.ClosedAt, is.ClosedBy, is.StateReason = g.between(from, to), g.maintainer(), "completed"
			is.UpdatedAt = latest(is.UpdatedAt, is.ClosedAt)
			closed++
		}
	}
	g.bump(r, to)
}

func (g *generator) newcomerPull(r *Repo, u *User, at time.Time) {
	r.nextNumber++
	p := &Pull{Number: r.nextNumber, Author: u, CreatedAt: at, UpdatedAt: at, Title: "Fix a typo in the README",
		HeadRef: u.Login + "/typo", Additions: 1, Deletions: 1, ChangedFiles: 1}
	r.Pulls = append(r.Pulls, p)
}

// bump moves the repository's update time forward.
func (g *generator) bump(r *Repo, to time.Time) {
	r.UpdatedAt = latest(r.UpdatedAt, r.PushedAt)
	for _, p := range r.Pulls {
		r.UpdatedAt = latest(r.UpdatedAt, p.UpdatedAt)
	}
	for _, is := range r.Issues {
		r.UpdatedAt = latest(r.UpdatedAt, is.UpdatedAt)
	}
	_ = to
}

// assignIDs gives every object created since the last call a GitHub id,
// in creation order across the whole dataset (GitHub's ids grow with
// time), and sorts the per-repository lists the way GitHub keeps them.
func (g *generator) assignIDs() {
	type pending struct {
		at  time.Time
		set func(int64)
	}
	var todo []pending
	add := func(id *int64, node *string, prefix string, at time.Time) {
		if *id != 0 {
			return
		}
		todo = append(todo, pending{at, func(v int64) { *id, *node = v, nodeID(prefix, v) }})
	}
	for _, r := range g.d.Repos {
		for _, p := range r.Pulls {
			add(&p.ID, &p.NodeID, "PR", p.CreatedAt)
			for _, rv := range p.Reviews {
				add(&rv.ID, &rv.NodeID, "PRR", rv.SubmittedAt)
			}
		}
		for _, is := range r.Issues {
			add(&is.ID, &is.NodeID, "I", is.CreatedAt)
		}
		for _, c := range r.IssueComments {
			add(&c.ID, &c.NodeID, "IC", c.CreatedAt)
		}
		for _, c := range r.ReviewComments {
			add(&c.ID, &c.NodeID, "PRRC", c.CreatedAt)
		}
		for _, rel := range r.Releases {
			add(&rel.ID, &rel.NodeID, "RE", rel.CreatedAt)
		}
		for _, f := range r.Forks {
			add(&f.ID, &f.NodeID, "R", f.CreatedAt)
		}
	}
	sort.SliceStable(todo, func(i, j int) bool { return todo[i].at.Before(todo[j].at) })
	for _, p := range todo {
		p.set(g.d.newID())
	}
	// Commit comments: a sequence of their own, as on GitHub (and so that
	// the other objects' ids do not depend on them).
	var ccs []*CommitComment
	for _, r := range g.d.Repos {
		for _, c := range r.CommitComments {
			if c.ID == 0 {
				ccs = append(ccs, c)
			}
		}
	}
	sort.SliceStable(ccs, func(i, j int) bool { return ccs[i].CreatedAt.Before(ccs[j].CreatedAt) })
	for _, c := range ccs {
		g.d.nextCC++
		c.ID, c.NodeID = g.d.nextCC, nodeID("CC", g.d.nextCC)
	}
	for _, r := range g.d.Repos {
		for _, c := range r.ReviewComments {
			c.ReviewID = c.review.ID
		}
		sort.SliceStable(r.Pulls, func(i, j int) bool { return r.Pulls[i].Number < r.Pulls[j].Number })
		sort.SliceStable(r.Issues, func(i, j int) bool { return r.Issues[i].Number < r.Issues[j].Number })
		sort.SliceStable(r.IssueComments, func(i, j int) bool { return r.IssueComments[i].ID < r.IssueComments[j].ID })
		sort.SliceStable(r.ReviewComments, func(i, j int) bool { return r.ReviewComments[i].ID < r.ReviewComments[j].ID })
		sort.SliceStable(r.Releases, func(i, j int) bool { return r.Releases[i].ID < r.Releases[j].ID })
		sort.SliceStable(r.CommitComments, func(i, j int) bool { return r.CommitComments[i].ID < r.CommitComments[j].ID })
		for i, rel := range r.Releases {
			if rel.TagName == "" {
				rel.TagName = fmt.Sprintf("v1.%d.0", i)
				rel.Name = "Release " + rel.TagName
			}
		}
	}
}

// sizeFrom gives the pull request a diff size derived from its repository
// and number, without drawing from the generator's random stream (which
// would change every dataset generated before).
func (p *Pull) sizeFrom(r *Repo) {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s#%d", r.Name, p.Number)
	v := h.Sum64()
	p.Additions, p.Deletions, p.ChangedFiles = int(v%400)+1, int(v>>16%120), int(v>>32%12)+1
	switch v >> 40 % 10 {
	case 0:
		p.Labels = []string{"bug"}
	case 1:
		p.Labels = []string{"Documentation", "good first issue"}
	}
}
