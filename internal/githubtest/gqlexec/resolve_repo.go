package gqlexec

import (
	"encoding/base64"
	"regexp"
	"strconv"
	"strings"

	"contribtrack/internal/githubtest/ghdata"
)

// Repository and what hangs off it directly: its default branch (Ref,
// Commit, history, GitActor), releases and stargazers. Pull requests and
// issues are in resolve_issues.go.

type refObj struct{ r *ghdata.Repo }

func (*refObj) gqlType() string { return "Ref" }

// commitObj is commit i of r.Commits.
type commitObj struct {
	r *ghdata.Repo
	i int
}

func (*commitObj) gqlType() string { return "Commit" }

func (c *commitObj) commit() *ghdata.Commit { return c.r.Commits[c.i] }

// gitActor is a commit's author (or committer: ghdata has one identity
// per commit, so the committer is the author at the commit date).
type gitActor struct {
	c         *ghdata.Commit
	committer bool
}

func (*gitActor) gqlType() string { return "GitActor" }

type releaseObj struct {
	r   *ghdata.Repo
	rel *ghdata.Release
}

func (*releaseObj) gqlType() string { return "Release" }

func repoURL(r *ghdata.Repo) string { return "https://github.com/" + r.FullName() }

// opaqueID makes a GitHub-like global node id for objects ghdata gives
// none (refs, commits).
func opaqueID(prefix string, parts ...string) string {
	return prefix + "_" + base64.RawURLEncoding.EncodeToString([]byte(strings.Join(parts, ":")))
}

func registerRepository(reg map[string]resolver) {
	on(reg, "Repository", map[string]func(*run, *ghdata.Repo, args) (any, error){
		"databaseId":    plain(func(r *ghdata.Repo) any { return r.ID }),
		"id":            plain(func(r *ghdata.Repo) any { return r.NodeID }),
		"name":          plain(func(r *ghdata.Repo) any { return r.Name }),
		"nameWithOwner": plain(func(r *ghdata.Repo) any { return r.FullName() }),
		"description": plain(func(r *ghdata.Repo) any {
			if r.Description == "" {
				return nil
			}
			return r.Description
		}),
		"isArchived":     plain(func(r *ghdata.Repo) any { return r.Archived }),
		"isFork":         plain(func(r *ghdata.Repo) any { return r.Fork }),
		"isPrivate":      plain(func(r *ghdata.Repo) any { return false }),
		"stargazerCount": plain(func(r *ghdata.Repo) any { return len(r.Stars) }),
		"forkCount":      plain(func(r *ghdata.Repo) any { return len(r.Forks) }),
		"createdAt":      plain(func(r *ghdata.Repo) any { return r.CreatedAt }),
		"updatedAt":      plain(func(r *ghdata.Repo) any { return r.UpdatedAt }),
		"pushedAt":       plain(func(r *ghdata.Repo) any { return timeOrNil(r.PushedAt) }),
		"url":            plain(func(r *ghdata.Repo) any { return repoURL(r) }),
		"owner":          plain(func(r *ghdata.Repo) any { return r.Owner }),
		"defaultBranchRef": plain(func(r *ghdata.Repo) any {
			if len(r.Commits) == 0 {
				return nil // an empty repository has no default branch yet
			}
			return &refObj{r}
		}),
		"pullRequests":   repoPulls,
		"pullRequest":    repoPull,
		"issues":         repoIssues,
		"issue":          repoIssue,
		"releases":       repoReleases,
		"commitComments": repoCommitComments,
		"stargazers":     repoStargazers,
	})
	on(reg, "Ref", map[string]func(*run, *refObj, args) (any, error){
		"name":   plain(func(o *refObj) any { return o.r.DefaultBranch }),
		"prefix": plain(func(o *refObj) any { return "refs/heads/" }),
		"id":     plain(func(o *refObj) any { return opaqueID("REF", o.r.NodeID, "refs/heads/"+o.r.DefaultBranch) }),
		"target": plain(func(o *refObj) any { return &commitObj{o.r, len(o.r.Commits) - 1} }),
	})
	on(reg, "Commit", map[string]func(*run, *commitObj, args) (any, error){
		"oid":            plain(func(c *commitObj) any { return c.commit().SHA }),
		"abbreviatedOid": plain(func(c *commitObj) any { return c.commit().SHA[:7] }),
		"id":             plain(func(c *commitObj) any { return opaqueID("C", c.r.NodeID, c.commit().SHA) }),
		"url":            plain(func(c *commitObj) any { return repoURL(c.r) + "/commit/" + c.commit().SHA }),
		"committedDate":  plain(func(c *commitObj) any { return c.commit().CommittedAt }),
		"authoredDate":   plain(func(c *commitObj) any { return c.commit().AuthoredAt }),
		"message":        plain(func(c *commitObj) any { return c.commit().Message }),
		"messageHeadline": plain(func(c *commitObj) any {
			h, _, _ := strings.Cut(c.commit().Message, "\n")
			return h
		}),
		"author":    plain(func(c *commitObj) any { return &gitActor{c: c.commit()} }),
		"committer": plain(func(c *commitObj) any { return &gitActor{c: c.commit(), committer: true} }),
		"history":   commitHistory,
	})
	on(reg, "GitActor", map[string]func(*run, *gitActor, args) (any, error){
		"email": plain(func(g *gitActor) any { return g.c.AuthorEmail }),
		"name":  plain(func(g *gitActor) any { return g.c.AuthorName }),
		"user":  plain(func(g *gitActor) any { return userOnly(g.c.Author) }),
		"date": plain(func(g *gitActor) any {
			if g.committer {
				return g.c.CommittedAt
			}
			return g.c.AuthoredAt
		}),
	})
	on(reg, "Release", map[string]func(*run, *releaseObj, args) (any, error){
		"databaseId":   plain(func(o *releaseObj) any { return o.rel.ID }),
		"id":           plain(func(o *releaseObj) any { return o.rel.NodeID }),
		"tagName":      plain(func(o *releaseObj) any { return o.rel.TagName }),
		"name":         plain(func(o *releaseObj) any { return o.rel.Name }),
		"createdAt":    plain(func(o *releaseObj) any { return o.rel.CreatedAt }),
		"publishedAt":  plain(func(o *releaseObj) any { return timeOrNil(o.rel.PublishedAt) }),
		"updatedAt":    plain(func(o *releaseObj) any { return o.rel.PublishedAt }),
		"isDraft":      plain(func(o *releaseObj) any { return false }),
		"isPrerelease": plain(func(o *releaseObj) any { return o.rel.Prerelease }),
		"url":          plain(func(o *releaseObj) any { return repoURL(o.r) + "/releases/tag/" + o.rel.TagName }),
		// Release.author is of type User: releases published by an app
		// (github-actions[bot]) have a null author in GraphQL.
		"author": plain(func(o *releaseObj) any { return userOnly(o.rel.Author) }),
	})
}

// commitCommentObj is a commit comment of r.
type commitCommentObj struct {
	r *ghdata.Repo
	c *ghdata.CommitComment
}

func (*commitCommentObj) gqlType() string { return "CommitComment" }

func registerCommitComments(reg map[string]resolver) {
	on(reg, "CommitComment", map[string]func(*run, *commitCommentObj, args) (any, error){
		"id":         plain(func(o *commitCommentObj) any { return o.c.NodeID }),
		"databaseId": plain(func(o *commitCommentObj) any { return o.c.ID }),
		"body":       plain(func(o *commitCommentObj) any { return o.c.Body }),
		"author":     plain(func(o *commitCommentObj) any { return actor(o.c.Author) }),
		"createdAt":  plain(func(o *commitCommentObj) any { return o.c.CreatedAt }),
		"updatedAt":  plain(func(o *commitCommentObj) any { return o.c.UpdatedAt }),
		"path": plain(func(o *commitCommentObj) any {
			if o.c.Path == "" {
				return nil
			}
			return o.c.Path
		}),
		"position": plain(func(o *commitCommentObj) any {
			if o.c.Path == "" {
				return nil
			}
			return o.c.Position
		}),
		"url": plain(func(o *commitCommentObj) any {
			return repoURL(o.r) + "/commit/" + o.c.CommitSHA + "#commitcomment-" + strconv.FormatInt(o.c.ID, 10)
		}),
		"repository": plain(func(o *commitCommentObj) any { return o.r }),
		"commit": plain(func(o *commitCommentObj) any {
			for i, c := range o.r.Commits {
				if c.SHA == o.c.CommitSHA {
					return &commitObj{o.r, i}
				}
			}
			return nil
		}),
	})
}

// repoCommitComments is Repository.commitComments, in ascending order by
// id (the connection takes no orderBy).
func repoCommitComments(_ *run, r *ghdata.Repo, a args) (any, error) {
	return paginate(a, "commitComments", "CommitCommentConnection", r.CommitComments,
		func(c *ghdata.CommitComment) ckey { return ckey{ID: c.ID} }, false,
		func(c *ghdata.CommitComment) any { return &commitCommentObj{r, c} })
}

func repoReleases(_ *run, r *ghdata.Repo, a args) (any, error) {
	key := func(rel *ghdata.Release) ckey { return tkey(rel.CreatedAt, rel.ID) }
	field, desc, _ := a.order()
	if field == "NAME" {
		key = func(rel *ghdata.Release) ckey { return ckey{S: rel.Name, ID: rel.ID} }
	}
	return paginate(a, "releases", "ReleaseConnection", r.Releases, key, desc,
		func(rel *ghdata.Release) any { return &releaseObj{r, rel} })
}

func repoStargazers(_ *run, r *ghdata.Repo, a args) (any, error) {
	_, desc, _ := a.order() // STARRED_AT is the only StarOrderField
	c, err := paginate(a, "stargazers", "StargazerConnection", r.Stars,
		func(s *ghdata.Star) ckey { return tkey(s.StarredAt, s.User.ID) }, desc,
		func(s *ghdata.Star) any { return s })
	if err != nil {
		return nil, err
	}
	stars := c.nodes
	users := make([]any, len(stars))
	for i, s := range stars {
		users[i] = s.(*ghdata.Star).User
	}
	c.nodes = users
	c.edgeField = map[string]func(int) any{"starredAt": func(i int) any { return stars[i].(*ghdata.Star).StarredAt }}
	return c, nil
}

var historyCursor = regexp.MustCompile(`^([0-9a-f]{40}) (\d+)$`)

// commitHistory is Commit.history: the commits reachable from c, newest
// first, like git log, filtered by author and by committed date (since and
// until, like git log's). Its cursors are GitHub's: "<oid> <offset>", the
// offset counting the filtered commits.
func commitHistory(x *run, c *commitObj, a args) (any, error) {
	if err := a.unsupported("history", "path"); err != nil {
		return nil, err
	}
	byAuthor, err := historyAuthor(x, a.obj("author"))
	if err != nil {
		return nil, err
	}
	cs := c.r.Commits
	since, hasSince, err := timeArg(a.m["since"], "since")
	if err != nil {
		return nil, err
	}
	until, hasUntil, err := timeArg(a.m["until"], "until")
	if err != nil {
		return nil, err
	}
	// The listed commits, newest commit date first, like git log.
	var order []int
	for _, i := range c.r.LogOrder(c.i) {
		if (hasSince && cs[i].CommittedAt.Before(since)) || (hasUntil && cs[i].CommittedAt.After(until)) ||
			(byAuthor != nil && !byAuthor(cs[i])) {
			continue
		}
		order = append(order, i)
	}
	n := len(order)
	offset := func(name string) (int, error) {
		m := historyCursor.FindStringSubmatch(a.str(name))
		if m == nil {
			return 0, errorf("INVALID_CURSOR_ARGUMENTS", "`%s` does not appear to be a valid cursor.", a.str(name))
		}
		return strconv.Atoi(m[2])
	}
	start, end := 0, n
	if a.has("after") {
		o, err := offset("after")
		if err != nil {
			return nil, err
		}
		start = min(o+1, n)
	}
	if a.has("before") {
		o, err := offset("before")
		if err != nil {
			return nil, err
		}
		end = min(o, n)
	}
	filtered := max(end-start, 0)
	start, end, err = window(a, "history", start, end)
	if err != nil {
		return nil, err
	}
	conn := &connection{typ: "CommitHistoryConnection", edgeTyp: "CommitEdge", total: n, filtered: filtered,
		hasPrev: start > 0, hasNext: end < n, nodes: []any{}}
	head := c.commit().SHA
	for p := start; p < end; p++ {
		conn.nodes = append(conn.nodes, &commitObj{c.r, order[p]})
		conn.cursors = append(conn.cursors, head+" "+strconv.Itoa(p))
	}
	return conn, nil
}

// historyAuthor is history's author filter (CommitAuthor), nil for none.
// id, a user's node id, selects the commits GitHub links to that account
// and takes precedence over emails, which select the commits whose author
// email is one of them, ignoring case. An empty list of emails filters
// nothing.
func historyAuthor(x *run, author map[string]any) (func(*ghdata.Commit) bool, error) {
	if id, ok := author["id"].(string); ok {
		u := x.e.ds.AccountByNodeID(id)
		if u == nil || u.Type != "User" {
			return nil, errorf("NOT_FOUND", "Could not resolve to a node with the global id of '%s'", id)
		}
		return func(c *ghdata.Commit) bool { return c.Author == u }, nil
	}
	emails := toStrs(author["emails"])
	if len(emails) == 0 {
		return nil, nil
	}
	return func(c *ghdata.Commit) bool {
		for _, e := range emails {
			if strings.EqualFold(e, c.AuthorEmail) {
				return true
			}
		}
		return false
	}, nil
}
