package githubtest

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"contribtrack/internal/githubtest/ghdata"
)

// param returns query parameter name, def when absent, and false when its
// value is not one of allowed.
func (c *restCtx) param(name, def string, allowed ...string) (string, bool) {
	v := c.q.Get(name)
	if v == "" {
		return def, true
	}
	return v, slices.Contains(allowed, v)
}

// timeParam parses an ISO 8601 time parameter; zero when absent.
func (c *restCtx) timeParam(name string) (time.Time, bool) {
	v := c.q.Get(name)
	if v == "" {
		return time.Time{}, true
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// direction reads the direction parameter: "desc" → true.
func (c *restCtx) direction(def string) (desc, ok bool) {
	d, ok := c.param("direction", def, "asc", "desc")
	return d == "desc", ok
}

func (c *restCtx) repo() *ghdata.Repo { return c.ds.Repo(c.vars["owner"], c.vars["repo"]) }

func (c *restCtx) pull(r *ghdata.Repo) *ghdata.Pull {
	n, err := strconv.Atoi(c.vars["number"])
	if err != nil {
		return nil
	}
	i, found := slices.BinarySearchFunc(r.Pulls, n, func(p *ghdata.Pull, n int) int { return cmp.Compare(p.Number, n) })
	if !found {
		return nil
	}
	return r.Pulls[i]
}

// sortBy sorts items by key (then by tie, both ascending) and reverses the
// whole order when desc.
func sortBy[T any](items []T, desc bool, key func(T) time.Time, tie func(T) int64) {
	slices.SortStableFunc(items, func(a, b T) int {
		c := key(a).Compare(key(b))
		if c == 0 {
			c = cmp.Compare(tie(a), tie(b))
		}
		if desc {
			return -c
		}
		return c
	})
}

func getUser(c *restCtx) result {
	u := c.ds.Account(c.vars["login"])
	if u == nil {
		return notFound()
	}
	repos := 0
	if u.Type == "Organization" {
		repos = len(c.ds.OrgRepos(u.Login))
	}
	return ok(c.l.fullUser(u, repos))
}

func listOrgRepos(c *restCtx) result {
	org := c.ds.Account(c.vars["org"])
	if org == nil || org.Type != "Organization" {
		return notFound()
	}
	typ, ok1 := c.param("type", "all", "all", "public", "private", "forks", "sources", "member")
	sortKey, ok2 := c.param("sort", "created", "created", "updated", "pushed", "full_name")
	defDir := "desc"
	if sortKey == "full_name" {
		defDir = "asc"
	}
	desc, ok3 := c.direction(defDir)
	if !ok1 || !ok2 || !ok3 {
		return invalid("type/sort/direction", c.r.URL.RawQuery)
	}
	var repos []*ghdata.Repo
	for _, r := range c.ds.OrgRepos(org.Login) {
		if typ == "private" || (typ == "forks" && !r.Fork) || (typ == "sources" && r.Fork) {
			continue
		}
		repos = append(repos, r)
	}
	if sortKey == "full_name" {
		slices.SortStableFunc(repos, func(a, b *ghdata.Repo) int {
			x := cmp.Compare(strings.ToLower(a.FullName()), strings.ToLower(b.FullName()))
			if desc {
				return -x
			}
			return x
		})
	} else {
		key := map[string]func(*ghdata.Repo) time.Time{
			"created": func(r *ghdata.Repo) time.Time { return r.CreatedAt },
			"updated": func(r *ghdata.Repo) time.Time { return r.UpdatedAt },
			"pushed":  func(r *ghdata.Repo) time.Time { return r.PushedAt },
		}[sortKey]
		sortBy(repos, desc, key, func(r *ghdata.Repo) int64 { return r.ID })
	}
	return list(c, repos, func(r *ghdata.Repo) obj { return c.l.repo(partsOf(r), false) })
}

func getRepo(c *restCtx) result {
	r := c.repo()
	if r == nil {
		return notFound()
	}
	return ok(c.l.repo(partsOf(r), true))
}

// stateOK filters by the state parameter (open, closed or all).
func stateOK(state string, closed time.Time) bool {
	return state == "all" || (state == "open") == closed.IsZero()
}

func listPulls(c *restCtx) result {
	r := c.repo()
	if r == nil {
		return notFound()
	}
	state, ok1 := c.param("state", "open", "open", "closed", "all")
	sortKey, ok2 := c.param("sort", "created", "created", "updated", "popularity", "long-running")
	defDir := "desc"
	if sortKey != "created" {
		defDir = "asc"
	}
	desc, ok3 := c.direction(defDir)
	if !ok1 || !ok2 || !ok3 {
		return invalid("state/sort/direction", c.r.URL.RawQuery)
	}
	base, head := c.q.Get("base"), c.q.Get("head")
	var pulls []*ghdata.Pull
	for _, p := range r.Pulls {
		if !stateOK(state, p.ClosedAt) || (base != "" && base != r.DefaultBranch) ||
			(head != "" && !strings.EqualFold(head, p.Author.Login+":"+p.HeadRef)) {
			continue
		}
		pulls = append(pulls, p)
	}
	key := func(p *ghdata.Pull) time.Time { return p.CreatedAt }
	if sortKey == "updated" {
		key = func(p *ghdata.Pull) time.Time { return p.UpdatedAt }
	}
	sortBy(pulls, desc, key, func(p *ghdata.Pull) int64 { return int64(p.Number) })
	return list(c, pulls, func(p *ghdata.Pull) obj { return c.l.pull(r, p, false, 0, 0) })
}

func getPull(c *restCtx) result {
	r := c.repo()
	if r == nil {
		return notFound()
	}
	p := c.pull(r)
	if p == nil {
		return notFound()
	}
	comments, reviewComments := 0, 0
	for _, cm := range r.IssueComments {
		if cm.Number == p.Number {
			comments++
		}
	}
	for _, cm := range r.ReviewComments {
		if cm.Number == p.Number {
			reviewComments++
		}
	}
	return ok(c.l.pull(r, p, true, comments, reviewComments))
}

func listReviews(c *restCtx) result {
	r := c.repo()
	if r == nil {
		return notFound()
	}
	p := c.pull(r)
	if p == nil {
		return notFound()
	}
	return list(c, p.Reviews, func(rv *ghdata.Review) obj { return c.l.review(r, p, rv) })
}

// listPullFiles lists a pull request's files with their patches
// (ghdata.Pull.Files).
func listPullFiles(c *restCtx) result {
	r := c.repo()
	if r == nil {
		return notFound()
	}
	p := c.pull(r)
	if p == nil {
		return notFound()
	}
	return list(c, p.Files(), func(f ghdata.File) obj { return c.l.pullFile(r, p, f) })
}

// commentOrder reads sort, direction and since for the repository-wide
// comment lists: ascending by id unless sort is given.
func (c *restCtx) commentOrder() (sortKey string, desc bool, since time.Time, ok bool) {
	sortKey, ok1 := c.param("sort", "", "created", "updated")
	desc, ok2 := c.direction("asc")
	since, ok3 := c.timeParam("since")
	return sortKey, desc && sortKey != "", since, ok1 && ok2 && ok3
}

func listReviewComments(c *restCtx) result {
	r := c.repo()
	if r == nil {
		return notFound()
	}
	sortKey, desc, since, ok := c.commentOrder()
	if !ok {
		return invalid("sort/direction/since", c.r.URL.RawQuery)
	}
	var out []*ghdata.ReviewComment
	for _, cm := range r.ReviewComments {
		if !cm.UpdatedAt.Before(since) {
			out = append(out, cm)
		}
	}
	key := func(cm *ghdata.ReviewComment) time.Time { return cm.CreatedAt }
	if sortKey == "updated" {
		key = func(cm *ghdata.ReviewComment) time.Time { return cm.UpdatedAt }
	}
	sortBy(out, desc, key, func(cm *ghdata.ReviewComment) int64 { return cm.ID })
	return list(c, out, func(cm *ghdata.ReviewComment) obj { return c.l.reviewComment(r, cm) })
}

func commentCounts(r *ghdata.Repo) map[int]int {
	m := map[int]int{}
	for _, cm := range r.IssueComments {
		m[cm.Number]++
	}
	return m
}

func listIssues(c *restCtx) result {
	r := c.repo()
	if r == nil {
		return notFound()
	}
	state, ok1 := c.param("state", "open", "open", "closed", "all")
	sortKey, ok2 := c.param("sort", "created", "created", "updated", "comments")
	desc, ok3 := c.direction("desc")
	since, ok4 := c.timeParam("since")
	if !ok1 || !ok2 || !ok3 || !ok4 {
		return invalid("state/sort/direction/since", c.r.URL.RawQuery)
	}
	counts := commentCounts(r)
	creator := c.q.Get("creator")
	var items []issueItem
	for _, it := range issueItems(r) {
		if stateOK(state, it.closed) && !it.updated.Before(since) &&
			(creator == "" || strings.EqualFold(creator, it.author.Login)) {
			items = append(items, it)
		}
	}
	switch sortKey {
	case "comments":
		slices.SortStableFunc(items, func(a, b issueItem) int {
			x := cmp.Or(cmp.Compare(counts[a.number], counts[b.number]), cmp.Compare(a.number, b.number))
			if desc {
				return -x
			}
			return x
		})
	case "updated":
		sortBy(items, desc, func(it issueItem) time.Time { return it.updated }, func(it issueItem) int64 { return int64(it.number) })
	default:
		sortBy(items, desc, func(it issueItem) time.Time { return it.created }, func(it issueItem) int64 { return int64(it.number) })
	}
	return list(c, items, func(it issueItem) obj { return c.l.issue(r, it, counts[it.number]) })
}

func listIssueComments(c *restCtx) result {
	r := c.repo()
	if r == nil {
		return notFound()
	}
	sortKey, desc, since, ok := c.commentOrder()
	if !ok {
		return invalid("sort/direction/since", c.r.URL.RawQuery)
	}
	var out []*ghdata.Comment
	for _, cm := range r.IssueComments {
		if !cm.UpdatedAt.Before(since) {
			out = append(out, cm)
		}
	}
	key := func(cm *ghdata.Comment) time.Time { return cm.CreatedAt }
	if sortKey == "updated" {
		key = func(cm *ghdata.Comment) time.Time { return cm.UpdatedAt }
	}
	sortBy(out, desc, key, func(cm *ghdata.Comment) int64 { return cm.ID })
	return list(c, out, func(cm *ghdata.Comment) obj { return c.l.issueComment(r, cm) })
}

// listCommitComments answers GET /repos/{o}/{r}/comments: every commit
// comment of the repository, in ascending order by id (GitHub's documented
// order; the endpoint takes no sort, direction or since).
func listCommitComments(c *restCtx) result {
	r := c.repo()
	if r == nil {
		return notFound()
	}
	return list(c, r.CommitComments, func(cm *ghdata.CommitComment) obj { return c.l.commitComment(r, cm) })
}

func listReleases(c *restCtx) result {
	r := c.repo()
	if r == nil {
		return notFound()
	}
	rels := slices.Clone(r.Releases)
	slices.Reverse(rels) // newest first
	return list(c, rels, func(rel *ghdata.Release) obj { return c.l.release(r, rel) })
}

func listStargazers(c *restCtx) result {
	r := c.repo()
	if r == nil {
		return notFound()
	}
	if strings.Contains(c.r.Header.Get("Accept"), "star+json") {
		return list(c, r.Stars, func(st *ghdata.Star) obj {
			return obj{"starred_at": ts(st.StarredAt), "user": c.l.user(st.User)}
		})
	}
	return list(c, r.Stars, func(st *ghdata.Star) obj { return c.l.user(st.User).(obj) })
}

func listForks(c *restCtx) result {
	r := c.repo()
	if r == nil {
		return notFound()
	}
	sortKey, ok := c.param("sort", "newest", "newest", "oldest", "stargazers", "watchers")
	if !ok {
		return invalid("sort", sortKey)
	}
	forks := slices.Clone(r.Forks)
	// Forks have no stars of their own: by stargazers is newest first.
	sortBy(forks, sortKey != "oldest", func(f *ghdata.Fork) time.Time { return f.CreatedAt },
		func(f *ghdata.Fork) int64 { return f.ID })
	return list(c, forks, func(f *ghdata.Fork) obj { return c.l.repo(forkParts(r, f), false) })
}
