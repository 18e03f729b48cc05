package githubtest

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"contribtrack/internal/githubtest/ghdata"
)

func messageResult(status int, msg string) result {
	return result{status: status, body: obj{"message": msg, "documentation_url": docsREST}}
}

// listCommits answers GET /repos/{o}/{r}/commits: the history of the
// default branch (or of the commit named by sha), newest first, filtered
// by committer date (since, until) and author (login or email).
func listCommits(c *restCtx) result {
	r := c.repo()
	if r == nil {
		return notFound()
	}
	if len(r.Commits) == 0 {
		return messageResult(http.StatusConflict, "Git Repository is empty.")
	}
	since, ok1 := c.timeParam("since")
	until, ok2 := c.timeParam("until")
	if !ok1 || !ok2 {
		return invalid("since/until", c.r.URL.RawQuery)
	}
	from := len(r.Commits) - 1
	if sha := c.q.Get("sha"); sha != "" && sha != r.DefaultBranch && sha != "HEAD" {
		from = -1
		if len(sha) >= 7 {
			for i, cm := range r.Commits {
				if strings.HasPrefix(cm.SHA, strings.ToLower(sha)) {
					from = i
					break
				}
			}
		}
		if from < 0 {
			return messageResult(http.StatusNotFound, "No commit found for SHA: "+sha)
		}
	}
	author := c.q.Get("author")
	var idx []int
	for _, i := range r.LogOrder(from) {
		cm := r.Commits[i]
		if cm.CommittedAt.Before(since) || (!until.IsZero() && cm.CommittedAt.After(until)) {
			continue
		}
		if author != "" && !strings.EqualFold(author, cm.AuthorEmail) &&
			(cm.Author == nil || !strings.EqualFold(author, cm.Author.Login)) {
			continue
		}
		idx = append(idx, i)
	}
	return list(c, idx, func(i int) obj { return c.l.commit(r, i) })
}

// compareCommits answers GET /repos/{o}/{r}/compare/{base}...{head}: the
// commits reachable from head and not from base, oldest first (commits
// are kept in the order they reached the default branch, so these are
// the ones after base, up to head).
func compareCommits(c *restCtx) result {
	r := c.repo()
	if r == nil {
		return notFound()
	}
	base, head, ok := strings.Cut(c.vars["basehead"], "...")
	if !ok {
		return notFound()
	}
	find := func(ref string) int {
		if ref == r.DefaultBranch || ref == "HEAD" {
			return len(r.Commits) - 1
		}
		for i, cm := range r.Commits {
			if len(ref) >= 7 && strings.HasPrefix(cm.SHA, strings.ToLower(ref)) {
				return i
			}
		}
		return -1
	}
	b, h := find(base), find(head)
	if b < 0 || h < 0 {
		return notFound()
	}
	var idx []int
	for i := b + 1; i <= h; i++ {
		idx = append(idx, i)
	}
	status := "ahead"
	switch {
	case b == h:
		status = "identical"
	case b > h:
		status = "behind"
	}
	res := list(c, idx, func(i int) obj { return c.l.commit(r, i) })
	if res.status != http.StatusOK {
		return res
	}
	res.body = obj{"url": c.l.repoAPI(r) + "/compare/" + base + "..." + head, "status": status,
		"ahead_by": len(idx), "behind_by": max(b-h, 0), "total_commits": len(idx),
		"base_commit": c.l.commit(r, b), "merge_base_commit": c.l.commit(r, min(b, h)),
		"commits": res.body, "files": []any{}}
	return res
}

// issueEvent is a closed or merged event of an issue or pull request.
type issueEvent struct {
	id     int64
	event  string
	actor  *ghdata.User
	at     time.Time
	commit string
	item   issueItem
}

// issueEvents derives a repository's closed and merged events, newest
// first. Ids follow the events' chronological order within the
// repository, so they stay put when AddActivity adds later ones.
func issueEvents(r *ghdata.Repo) []issueEvent {
	var evs []issueEvent
	for _, it := range issueItems(r) {
		if it.closed.IsZero() {
			continue
		}
		if it.pull != nil && it.pull.Merged() {
			evs = append(evs, issueEvent{event: "merged", actor: it.closedBy, at: it.closed, commit: it.pull.MergeCommit, item: it})
		}
		evs = append(evs, issueEvent{event: "closed", actor: it.closedBy, at: it.closed, item: it})
	}
	slices.SortStableFunc(evs, func(a, b issueEvent) int {
		// merged comes before closed at the same instant
		return cmp.Or(a.at.Compare(b.at), cmp.Compare(a.item.number, b.item.number), -cmp.Compare(a.event, b.event))
	})
	for i := range evs {
		evs[i].id = 10_000_000_000 + r.ID*1_000_000 + int64(i)
	}
	slices.Reverse(evs)
	return evs
}

func listIssueEvents(c *restCtx) result {
	r := c.repo()
	if r == nil {
		return notFound()
	}
	counts := commentCounts(r)
	return list(c, issueEvents(r), func(e issueEvent) obj {
		prefix := "CE_kwDO"
		var commit, commitURL any
		if e.event == "merged" {
			prefix = "ME_kwDO"
			commit, commitURL = e.commit, c.l.repoAPI(r)+"/commits/"+e.commit
		}
		return obj{"id": e.id, "node_id": fmt.Sprintf("%s%010X", prefix, e.id),
			"url": fmt.Sprintf("%s/issues/events/%d", c.l.repoAPI(r), e.id), "actor": c.l.user(e.actor),
			"event": e.event, "commit_id": commit, "commit_url": commitURL, "created_at": ts(e.at),
			"performed_via_github_app": nil, "issue": c.l.issue(r, e.item, counts[e.item.number])}
	})
}
