package collector

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shurcooL/githubv4"

	"contribtrack/internal/contrib"
	"contribtrack/internal/ghclient"
)

// Member is a person member-wide collection follows.
type Member struct {
	Key    string
	Logins []string  // collected one by one (a person may have several accounts)
	IDs    []uint64  // GitHub ids the roster knows: a login now owned by someone else is skipped
	Since  time.Time // the first day their work counts; zero: a year back
}

// lookBack is how far before its checkpoint an account is read again.
const lookBack = 90 * 24 * time.Hour

// commitLag is how long after the end of a window commits authored in it
// are looked for: history filters by commit date, contributions count by
// author date, and a commit can land days after it was written.
const commitLag = 30 * 24 * time.Hour

// maxCommitRepos is how many repositories commitContributionsByRepository
// lists at most (the query asks for GitHub's maximum).
const maxCommitRepos = 100

// earliest is where following starts for anyone: GitHub opened in 2008.
var earliest = time.Date(2008, 1, 1, 0, 0, 0, 0, time.UTC)

// RunMembers follows people across every public repository: the pull
// requests and issues they opened, the reviews they submitted and their
// commits on default branches, from their contributionsCollection (a year
// at a time, as GitHub allows). They are stored with the same natural keys
// as the repository collector's, so work in a tracked repository counts
// once. Each account's checkpoint is the end of the last window stored.
func (c *Collector) RunMembers(ctx context.Context, members []Member) (_ Summary, err error) {
	start := time.Now()
	defer func() { c.runFinished("members", start, err) }()
	sum := Summary{Stored: map[contrib.Kind]int{}}
	cps := map[contrib.CheckpointKey]contrib.Checkpoint{}
	if !c.opts.Full {
		if cps, err = c.store.Checkpoints(ctx); err != nil {
			c.failed(ctx.Err() != nil, StageCheckpoint, err)
			return sum, err
		}
	}
	sum.Started = true
	runCtx, abort := context.WithCancel(ctx)
	defer abort()
	sink := newSink(c.store, c.opts.BatchSize, c.opts.FlushEvery, abort)
	sink.obs = c.opts.Observer
	type account struct {
		m     Member
		login string
	}
	var pending []account
	for _, m := range members {
		for _, login := range m.Logins {
			pending = append(pending, account{m, login})
			sum.Repos++
		}
	}
	runStart := c.opts.Now().Truncate(time.Second) // checkpoints keep seconds
	for len(pending) > 0 && runCtx.Err() == nil {
		var held []account
		for _, a := range pending {
			if runCtx.Err() != nil {
				break
			}
			var res RepoResult
			claimed, err := c.leased(runCtx, "member:"+strings.ToLower(a.login), sink, func() {
				ms := &memberSync{c: c, sink: sink, member: a.m, login: a.login, cps: cps, t0: c.opts.Now()}
				t := time.Now()
				res = ms.run(runCtx)
				res.Elapsed = time.Since(t)
			})
			switch {
			case err != nil:
				res = RepoResult{Repo: "@" + a.login, Err: fmt.Errorf("member %s (@%s): %w", a.m.Key, a.login, err)}
			case !claimed:
				held = append(held, a)
				continue
			}
			if res.Err != nil {
				sum.Failed++
				sum.Errors = append(sum.Errors, res.Err)
				if errors.Is(res.Err, ghclient.ErrUnauthorized) {
					abort()
				}
			} else if len(res.Changed) == 0 {
				sum.Unchanged++
			}
			if c.opts.Progress != nil {
				c.opts.Progress(res)
			}
		}
		// Accounts another collector holds: done when their checkpoint says
		// they were followed since this run started; else looked at again
		// once their lease may have expired.
		pending = nil
		if len(held) == 0 {
			break
		}
		now, err := c.store.Checkpoints(runCtx)
		if err != nil {
			now = nil
		}
		for _, a := range held {
			if followedSince(now, a.login, runStart) {
				sum.Unchanged++
				if c.opts.Progress != nil {
					c.opts.Progress(RepoResult{Repo: "@" + a.login, Skipped: syncedElsewhere})
				}
				continue
			}
			pending = append(pending, a)
		}
		if len(pending) > 0 {
			select {
			case <-time.After(c.opts.LeaseTTL / 4):
			case <-runCtx.Done():
			}
		}
	}
	return c.finish(ctx, sink, sum, start, "accounts")
}

// followedSince reports whether an account's checkpoint says it was
// followed at or after t.
func followedSince(cps map[contrib.CheckpointKey]contrib.Checkpoint, login string, t time.Time) bool {
	for k, cp := range cps {
		if k.Resource == contrib.ResourceMember && strings.EqualFold(cp.RepoName, contrib.MemberCheckpointName(login)) && !cp.SyncedAt.Before(t) {
			return true
		}
	}
	return false
}

// memberSync follows one account.
type memberSync struct {
	c      *Collector
	sink   *sink
	member Member
	login  string
	cps    map[contrib.CheckpointKey]contrib.Checkpoint
	t0     time.Time
	user   memberUser
	stored int
}

func (m *memberSync) run(ctx context.Context) RepoResult {
	res := RepoResult{Repo: "@" + m.login}
	from := m.member.Since
	if from.IsZero() {
		from = m.t0.AddDate(-1, 0, 0)
	}
	if from.Before(earliest) {
		from = earliest
	}
	// Who the login is now: its id must be one the roster knows (a login
	// given up can belong to someone else since).
	if err := m.lookup(ctx); err != nil {
		var gone *goneLogin
		if errors.As(err, &gone) && len(m.member.Logins) > 1 {
			// One of several logins, given up or renamed: the others carry on.
			res.Skipped = err.Error()
			return res
		}
		res.Err = fmt.Errorf("member %s (@%s): %w", m.member.Key, m.login, err)
		m.c.failed(ctx.Err() != nil, StageProbe, res.Err)
		return res
	}
	key := contrib.CheckpointKey{RepoID: uint64(m.user.DatabaseID), Resource: contrib.ResourceMember}
	// The checkpoint holds for the same start: when the roster moves a
	// member's start earlier, the earlier years are read.
	sig := m.member.Key + "|" + from.Format(time.DateOnly)
	if cp, ok := m.cps[key]; ok && cp.Signature == sig {
		// Resume where the last run stopped, less a look-back: a pull
		// request opened before then and merged since is listed only in
		// the window it was opened in.
		if w, err := watermark(cp.Cursor); err == nil && w.Add(-lookBack).After(from) {
			from = w.Add(-lookBack)
		}
	}
	end := m.t0
	var done []contrib.Checkpoint
	for w := from; w.Before(end); {
		to := w.AddDate(1, 0, 0).Add(-time.Second) // GitHub allows at most a year per collection
		if to.After(end) {
			to = end
		}
		if err := m.window(ctx, w, to); err != nil {
			res.Err = fmt.Errorf("member %s (@%s), %s to %s: %w", m.member.Key, m.login, w.Format(time.DateOnly), to.Format(time.DateOnly), err)
			m.c.failed(ctx.Err() != nil, StageFetch, res.Err)
			break
		}
		// Resume after this window next time, less a margin for what was
		// still changing when it was read.
		next := to
		if lim := m.t0.Add(-safety); next.After(lim) {
			next = lim
		}
		cp := contrib.MemberCheckpoint(uint64(m.user.DatabaseID), m.user.Login, m.c.opts.Now())
		cp.Signature, cp.Cursor = sig, next.UTC().Format(time.RFC3339)
		done = []contrib.Checkpoint{cp}
		res.Changed = []string{contrib.ResourceMember}
		w = to.Add(time.Second)
	}
	if err := m.sink.done(ctx, done); err != nil && res.Err == nil {
		res.Err = fmt.Errorf("member %s: storing: %w", m.member.Key, err)
	}
	res.Stored = m.stored
	return res
}

// lookup finds the account behind the login and checks it against the
// roster's ids.
func (m *memberSync) lookup(ctx context.Context) error {
	var q struct {
		User *memberUser `graphql:"user(login: $login)"`
	}
	err := m.c.gh.Query(ctx, &q, map[string]any{"login": str(m.login)}, 1)
	if err != nil && !errors.Is(err, ghclient.ErrNotFound) {
		return err
	}
	if q.User == nil {
		return &goneLogin{fmt.Errorf("@%s: no such GitHub user (renamed or deleted?): %w", m.login, ghclient.ErrNotFound)}
	}
	if len(m.member.IDs) > 0 {
		ok := false
		for _, id := range m.member.IDs {
			ok = ok || id == uint64(q.User.DatabaseID)
		}
		if !ok {
			return &goneLogin{fmt.Errorf("@%s is GitHub user %d now, not one of the roster's ids %v: renamed? (fix the roster)", m.login, q.User.DatabaseID, m.member.IDs)}
		}
	}
	m.user = *q.User
	return nil
}

// window stores one window's contributions.
func (m *memberSync) window(ctx context.Context, from, to time.Time) error {
	vars := func(after *string) map[string]any {
		return map[string]any{"login": str(m.login), "from": githubv4.DateTime{Time: from}, "to": githubv4.DateTime{Time: to}, "after": strPtr(after)}
	}
	who := who{uint64(m.user.DatabaseID), m.user.Login}
	page := func(fetch func(after *string) (pageInfo, []contrib.Contribution, error)) error {
		return cursorPages(nil, func(after *string) (pageInfo, bool, error) {
			pi, out, err := fetch(after)
			if err != nil {
				return pi, false, err
			}
			return pi, false, m.emit(ctx, out)
		})
	}
	err := page(func(after *string) (pageInfo, []contrib.Contribution, error) {
		var q memberPullsQuery
		if err := m.c.gh.Query(ctx, &q, vars(after), 1); err != nil || q.User == nil {
			return pageInfo{}, nil, orNotFound(err)
		}
		conn := q.User.ContributionsCollection.PullRequestContributions
		var out []contrib.Contribution
		for _, n := range conn.Nodes {
			pr, r := n.PullRequest, n.PullRequest.Repository
			if r.IsPrivate || r.DatabaseID == 0 {
				continue
			}
			number := int64(pr.Number)
			key := contrib.KeyForNumber(uint64(r.DatabaseID), number)
			opened := memberContribution(contrib.PROpened, key, number, who, pr.CreatedAt.Time, r)
			opened.PR = pr.pullFactFields.facts(who, "User")
			out = append(out, opened)
			if pr.Merged && pr.MergedAt != nil {
				out = append(out, memberContribution(contrib.PRMerged, key, number, who, pr.MergedAt.Time, r))
			}
		}
		return conn.PageInfo, out, nil
	})
	if err != nil {
		return fmt.Errorf("pull requests: %w", err)
	}
	err = page(func(after *string) (pageInfo, []contrib.Contribution, error) {
		var q memberIssuesQuery
		if err := m.c.gh.Query(ctx, &q, vars(after), 1); err != nil || q.User == nil {
			return pageInfo{}, nil, orNotFound(err)
		}
		conn := q.User.ContributionsCollection.IssueContributions
		var out []contrib.Contribution
		for _, n := range conn.Nodes {
			is, r := n.Issue, n.Issue.Repository
			if r.IsPrivate || r.DatabaseID == 0 {
				continue
			}
			number := int64(is.Number)
			out = append(out, memberContribution(contrib.IssueOpened, contrib.KeyForNumber(uint64(r.DatabaseID), number), number, who, is.CreatedAt.Time, r))
		}
		return conn.PageInfo, out, nil
	})
	if err != nil {
		return fmt.Errorf("issues: %w", err)
	}
	var reviewed []reviewedPull
	err = page(func(after *string) (pageInfo, []contrib.Contribution, error) {
		var q memberReviewsQuery
		if err := m.c.gh.Query(ctx, &q, vars(after), 1); err != nil || q.User == nil {
			return pageInfo{}, nil, orNotFound(err)
		}
		conn := q.User.ContributionsCollection.PullRequestReviewContributions
		var out []contrib.Contribution
		for _, n := range conn.Nodes {
			rv, r := n.PullRequestReview, n.Repository
			if r.IsPrivate || r.DatabaseID == 0 || rv.SubmittedAt == nil {
				continue
			}
			c := memberContribution(contrib.PRReview, contrib.KeyForID(rv.DatabaseID), int64(n.PullRequest.Number), who, rv.SubmittedAt.Time, r)
			c.ReviewState = contrib.ReviewStateOf(rv.State)
			out = append(out, c)
			reviewed = append(reviewed, reviewedPull{r, n.PullRequest.Number})
		}
		return conn.PageInfo, out, nil
	})
	if err != nil {
		return fmt.Errorf("reviews: %w", err)
	}
	// Only the latest review of each pull request is listed: fetch the
	// user's other reviews of it, unless the repository collector covers
	// the repository anyway.
	for _, rp := range reviewed {
		if m.c.tracked(rp.repo.NameWithOwner) {
			continue
		}
		if err := m.pullReviews(ctx, rp, who, from, to); err != nil {
			return fmt.Errorf("reviews of %s#%d: %w", rp.repo.NameWithOwner, rp.number, err)
		}
	}
	return m.commits(ctx, from, to, who)
}

// commits stores the user's default-branch commits of the window, repository
// by repository.
func (m *memberSync) commits(ctx context.Context, from, to time.Time, w who) error {
	var q memberCommitReposQuery
	vars := map[string]any{"login": str(m.login), "from": githubv4.DateTime{Time: from}, "to": githubv4.DateTime{Time: to}}
	if err := m.c.gh.Query(ctx, &q, vars, 1); err != nil || q.User == nil {
		return fmt.Errorf("commit repositories: %w", orNotFound(err))
	}
	repos := q.User.ContributionsCollection.CommitContributionsByRepository
	if len(repos) >= maxCommitRepos && to.Sub(from) > 48*time.Hour {
		// GitHub lists at most 100 repositories: halve the window until it
		// lists fewer.
		mid := from.Add(to.Sub(from) / 2).Truncate(time.Second)
		if err := m.commits(ctx, from, mid, w); err != nil {
			return err
		}
		return m.commits(ctx, mid.Add(time.Second), to, w)
	}
	for _, cr := range repos {
		r := cr.Repository
		if r.IsPrivate || r.DatabaseID == 0 {
			continue
		}
		owner, name, _ := strings.Cut(r.NameWithOwner, "/")
		err := cursorPages(nil, func(after *string) (pageInfo, bool, error) {
			var hq memberCommitsQuery
			until := to.Add(commitLag)
			if until.After(m.t0) {
				until = m.t0
			}
			v := map[string]any{"owner": str(owner), "name": str(name), "author": m.user.ID,
				"since": githubv4.GitTimestamp{Time: from}, "until": githubv4.GitTimestamp{Time: until}, "after": strPtr(after)}
			if err := m.c.gh.Query(ctx, &hq, v, 1); err != nil {
				return pageInfo{}, false, fmt.Errorf("commits in %s: %w", r.NameWithOwner, err)
			}
			if hq.Repository == nil || hq.Repository.DefaultBranchRef == nil {
				return pageInfo{}, true, nil
			}
			h := hq.Repository.DefaultBranchRef.Target.Commit.History
			var out []contrib.Contribution
			for _, n := range h.Nodes {
				if a := n.AuthoredDate.Time; a.Before(from) || a.After(to) {
					continue // another window's
				}
				var email string
				if n.Author != nil {
					email = n.Author.Email
				}
				c := memberContribution(contrib.Commit, contrib.KeyForCommit(uint64(r.DatabaseID), n.Oid), 0, w, n.AuthoredDate.Time, r)
				c.EmailDomain = contrib.DomainOf(email)
				out = append(out, c)
			}
			return h.PageInfo, false, m.emit(ctx, out)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func (m *memberSync) emit(ctx context.Context, cs []contrib.Contribution) error {
	m.stored += len(cs)
	return m.sink.add(ctx, cs...)
}

// memberContribution builds a contribution to repository r; number is the
// issue or pull request it belongs to (contrib.Contribution.Number), 0 for none.
func memberContribution(k contrib.Kind, key string, number int64, w who, at time.Time, r repoRef) contrib.Contribution {
	return contrib.Contribution{Kind: k, Key: key, CreatedAt: at.UTC().Truncate(time.Second), ActorID: w.id, ActorLogin: w.login,
		RepoID: uint64(r.DatabaseID), RepoName: r.NameWithOwner, Org: contrib.OrgOf(r.NameWithOwner), Via: contrib.ViaGraphQL,
		Number: number}
}

func orNotFound(err error) error {
	if err != nil {
		return err
	}
	return fmt.Errorf("no such GitHub user: %w", ghclient.ErrNotFound)
}

type reviewedPull struct {
	repo   repoRef
	number int
}

// pullReviews stores the user's submitted reviews of one pull request made
// in the window.
func (m *memberSync) pullReviews(ctx context.Context, rp reviewedPull, w who, from, to time.Time) error {
	owner, name, _ := strings.Cut(rp.repo.NameWithOwner, "/")
	return cursorPages(nil, func(after *string) (pageInfo, bool, error) {
		var q memberPullReviewsQuery
		v := map[string]any{"owner": str(owner), "name": str(name), "number": githubv4.Int(rp.number),
			"login": str(m.user.Login), "after": strPtr(after)}
		if err := m.c.gh.Query(ctx, &q, v, 1); err != nil {
			return pageInfo{}, false, err
		}
		if q.Repository == nil || q.Repository.PullRequest == nil {
			return pageInfo{}, true, nil // gone since
		}
		conn := q.Repository.PullRequest.Reviews
		var out []contrib.Contribution
		for _, rv := range conn.Nodes {
			if rv.SubmittedAt == nil || rv.SubmittedAt.Before(from) || rv.SubmittedAt.After(to) {
				continue
			}
			c := memberContribution(contrib.PRReview, contrib.KeyForID(rv.DatabaseID), int64(rp.number), w, rv.SubmittedAt.Time, rp.repo)
			c.ReviewState = contrib.ReviewStateOf(rv.State)
			out = append(out, c)
		}
		return conn.PageInfo, false, m.emit(ctx, out)
	})
}

// tracked reports whether the repository collector covers owner/name (its
// configured orgs and repos, when no filter may leave one out).
func (c *Collector) tracked(nameWithOwner string) bool {
	if len(c.opts.Include)+len(c.opts.Exclude) > 0 || c.opts.SkipArchived || c.opts.SkipForks {
		return false // filters may leave it out: do not count on it
	}
	owner, _, _ := strings.Cut(nameWithOwner, "/")
	for _, o := range c.opts.Orgs {
		if strings.EqualFold(o, owner) {
			return true
		}
	}
	for _, r := range c.opts.Repos {
		if strings.EqualFold(r, nameWithOwner) {
			return true
		}
	}
	return false
}

// goneLogin is a login that no longer names the member's account.
type goneLogin struct{ err error }

func (e *goneLogin) Error() string { return e.err.Error() }
func (e *goneLogin) Unwrap() error { return e.err }
