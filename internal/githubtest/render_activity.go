package githubtest

import (
	"fmt"
	"strings"
	"time"

	"contribtrack/internal/githubtest/ghdata"
)

func (l links) repoAPI(r *ghdata.Repo) string { return l.api + "/repos/" + r.FullName() }
func (l links) repoWeb(r *ghdata.Repo) string { return l.web + "/" + r.FullName() }

func association(u *ghdata.User) string {
	if u.IsBot() {
		return "NONE"
	}
	return "CONTRIBUTOR"
}

func headSHA(r *ghdata.Repo, p *ghdata.Pull) string { return fakeSHA(r.ID, "head", p.Number) }

// branch renders a pull request's head or base.
func (l links) branch(r *ghdata.Repo, owner *ghdata.User, ref, sha string) obj {
	return obj{"label": owner.Login + ":" + ref, "ref": ref, "sha": sha, "user": l.user(owner),
		"repo": l.repo(partsOf(r), false)}
}

// pull renders a pull request as the list endpoint does; full adds the
// fields only GET /pulls/{n} has.
func (l links) pull(r *ghdata.Repo, p *ghdata.Pull, full bool, comments, reviewComments int) obj {
	api, web := l.repoAPI(r), l.repoWeb(r)
	self := fmt.Sprintf("%s/pulls/%d", api, p.Number)
	html := fmt.Sprintf("%s/pull/%d", web, p.Number)
	issue := fmt.Sprintf("%s/issues/%d", api, p.Number)
	state := "open"
	if !p.ClosedAt.IsZero() {
		state = "closed"
	}
	merge := p.MergeCommit
	if merge == "" {
		merge = fakeSHA(r.ID, "test-merge", p.Number)
	}
	head := headSHA(r, p)
	o := obj{
		"url": self, "id": p.ID, "node_id": p.NodeID, "html_url": html, "diff_url": html + ".diff",
		"patch_url": html + ".patch", "issue_url": issue, "number": p.Number, "state": state, "locked": false,
		"title": p.Title, "user": l.user(p.Author), "body": "Fixes a problem reported by users.",
		"created_at": ts(p.CreatedAt), "updated_at": ts(p.UpdatedAt), "closed_at": ts(p.ClosedAt),
		"merged_at": ts(p.MergedAt), "merge_commit_sha": merge, "assignee": nil, "assignees": []obj{},
		"requested_reviewers": []obj{}, "requested_teams": []obj{}, "labels": l.labels(r, p.Labels), "milestone": nil,
		"draft": p.Draft, "commits_url": self + "/commits", "review_comments_url": self + "/comments",
		"review_comment_url": api + "/pulls/comments{/number}", "comments_url": issue + "/comments",
		"statuses_url": api + "/statuses/" + head,
		"head":         l.branch(r, p.Author, p.HeadRef, head),
		"base":         l.branch(r, r.Owner, r.DefaultBranch, fakeSHA(r.ID, "base", p.Number)),
		"_links": obj{"self": href(self), "html": href(html), "issue": href(issue),
			"comments": href(issue + "/comments"), "review_comments": href(self + "/comments"),
			"review_comment": href(api + "/pulls/comments{/number}"), "commits": href(self + "/commits"),
			"statuses": href(api + "/statuses/" + head)},
		"author_association": association(p.Author), "auto_merge": nil, "active_lock_reason": nil,
	}
	if full {
		var mergeable, rebaseable any
		mstate := "unknown"
		if state == "open" {
			mergeable, rebaseable, mstate = true, true, "clean"
		}
		var mergedBy any
		if p.Merged() {
			mergedBy = l.user(p.ClosedBy)
		}
		for k, v := range (obj{"merged": p.Merged(), "mergeable": mergeable, "rebaseable": rebaseable,
			"mergeable_state": mstate, "merged_by": mergedBy, "comments": comments,
			"review_comments": reviewComments, "maintainer_can_modify": false, "commits": 1, "additions": p.Additions,
			"deletions": p.Deletions, "changed_files": p.ChangedFiles}) {
			o[k] = v
		}
	}
	return o
}

func href(u string) obj { return obj{"href": u} }

func (l links) review(r *ghdata.Repo, p *ghdata.Pull, rv *ghdata.Review) obj {
	html := fmt.Sprintf("%s/pull/%d#pullrequestreview-%d", l.repoWeb(r), p.Number, rv.ID)
	pr := fmt.Sprintf("%s/pulls/%d", l.repoAPI(r), p.Number)
	return obj{"id": rv.ID, "node_id": rv.NodeID, "user": l.user(rv.Author), "body": rv.Body, "state": rv.State,
		"html_url": html, "pull_request_url": pr, "author_association": association(rv.Author),
		"_links": obj{"html": href(html), "pull_request": href(pr)}, "submitted_at": ts(rv.SubmittedAt),
		"commit_id": headSHA(r, p)}
}

// pullFile is one file of a pull request's diff, as pulls/{n}/files
// renders it (status "modified": the test server's diffs only edit).
func (l links) pullFile(r *ghdata.Repo, p *ghdata.Pull, f ghdata.File) obj {
	head := headSHA(r, p)
	blob := fakeSHA(r.ID, "blob:"+f.Name, p.Number)
	return obj{"sha": blob, "filename": f.Name, "status": "modified", "additions": f.Additions, "deletions": f.Deletions,
		"changes":      f.Additions + f.Deletions,
		"blob_url":     fmt.Sprintf("%s/blob/%s/%s", l.repoWeb(r), head, f.Name),
		"raw_url":      fmt.Sprintf("%s/raw/%s/%s", l.repoWeb(r), head, f.Name),
		"contents_url": fmt.Sprintf("%s/contents/%s?ref=%s", l.repoAPI(r), f.Name, head),
		"patch":        f.Patch}
}

func (l links) reviewComment(r *ghdata.Repo, c *ghdata.ReviewComment) obj {
	self := fmt.Sprintf("%s/pulls/comments/%d", l.repoAPI(r), c.ID)
	html := fmt.Sprintf("%s/pull/%d#discussion_r%d", l.repoWeb(r), c.Number, c.ID)
	pr := fmt.Sprintf("%s/pulls/%d", l.repoAPI(r), c.Number)
	sha := fakeSHA(r.ID, "head", c.Number)
	return obj{"url": self, "pull_request_review_id": c.ReviewID, "id": c.ID, "node_id": c.NodeID,
		"diff_hunk": "@@ -1,3 +1,4 @@\n line one\n+line two", "path": c.Path, "position": 2,
		"original_position": 2, "commit_id": sha, "original_commit_id": sha, "user": l.user(c.Author),
		"body": c.Body, "created_at": ts(c.CreatedAt), "updated_at": ts(c.UpdatedAt), "html_url": html,
		"pull_request_url": pr, "author_association": association(c.Author),
		"_links":    obj{"self": href(self), "html": href(html), "pull_request": href(pr)},
		"reactions": reactions(self), "start_line": nil, "original_start_line": nil, "start_side": nil,
		"line": 2, "original_line": 2, "side": "RIGHT", "subject_type": "line"}
}

// issueItem is an issue or a pull request seen through the issues API.
type issueItem struct {
	number                   int
	id                       int64
	nodeID, title            string
	author, closedBy         *ghdata.User
	created, updated, closed time.Time
	stateReason              string
	pull                     *ghdata.Pull
}

func issueItems(r *ghdata.Repo) []issueItem {
	out := make([]issueItem, 0, len(r.Issues)+len(r.Pulls))
	for _, is := range r.Issues {
		out = append(out, issueItem{number: is.Number, id: is.ID, nodeID: is.NodeID, title: is.Title,
			author: is.Author, closedBy: is.ClosedBy, created: is.CreatedAt, updated: is.UpdatedAt,
			closed: is.ClosedAt, stateReason: is.StateReason})
	}
	for _, p := range r.Pulls {
		out = append(out, issueItem{number: p.Number, id: p.ID, nodeID: p.NodeID, title: p.Title, author: p.Author,
			closedBy: p.ClosedBy, created: p.CreatedAt, updated: p.UpdatedAt, closed: p.ClosedAt, pull: p})
	}
	return out
}

func (l links) issue(r *ghdata.Repo, it issueItem, comments int) obj {
	api := fmt.Sprintf("%s/issues/%d", l.repoAPI(r), it.number)
	kind := "issues"
	if it.pull != nil {
		kind = "pull"
	}
	state := "open"
	if !it.closed.IsZero() {
		state = "closed"
	}
	var reason any
	if it.stateReason != "" && state == "closed" {
		reason = it.stateReason
	}
	o := obj{"url": api, "repository_url": l.repoAPI(r), "labels_url": api + "/labels{/name}",
		"comments_url": api + "/comments", "events_url": api + "/events",
		"html_url": fmt.Sprintf("%s/%s/%d", l.repoWeb(r), kind, it.number), "id": it.id, "node_id": it.nodeID,
		"number": it.number, "title": it.title, "user": l.user(it.author), "labels": []obj{}, "state": state,
		"locked": false, "assignee": nil, "assignees": []obj{}, "milestone": nil, "comments": comments,
		"created_at": ts(it.created), "updated_at": ts(it.updated), "closed_at": ts(it.closed),
		"author_association": association(it.author), "active_lock_reason": nil,
		"body": "Steps to reproduce are below.", "reactions": reactions(api), "timeline_url": api + "/timeline",
		"performed_via_github_app": nil, "state_reason": reason}
	if p := it.pull; p != nil {
		html := fmt.Sprintf("%s/pull/%d", l.repoWeb(r), p.Number)
		o["draft"] = false
		o["pull_request"] = obj{"url": fmt.Sprintf("%s/pulls/%d", l.repoAPI(r), p.Number), "html_url": html,
			"diff_url": html + ".diff", "patch_url": html + ".patch", "merged_at": ts(p.MergedAt)}
	}
	return o
}

func (l links) issueComment(r *ghdata.Repo, c *ghdata.Comment) obj {
	self := fmt.Sprintf("%s/issues/comments/%d", l.repoAPI(r), c.ID)
	kind := "issues"
	if c.OnPull {
		kind = "pull"
	}
	return obj{"url": self, "html_url": fmt.Sprintf("%s/%s/%d#issuecomment-%d", l.repoWeb(r), kind, c.Number, c.ID),
		"issue_url": fmt.Sprintf("%s/issues/%d", l.repoAPI(r), c.Number), "id": c.ID, "node_id": c.NodeID,
		"user": l.user(c.Author), "created_at": ts(c.CreatedAt), "updated_at": ts(c.UpdatedAt),
		"author_association": association(c.Author), "body": c.Body, "reactions": reactions(self),
		"performed_via_github_app": nil}
}

// commitComment renders a commit comment as GET /repos/{o}/{r}/comments
// does (and GH Archive's CommitCommentEvent payload.comment): path,
// position and line are null for a comment on the whole commit.
func (l links) commitComment(r *ghdata.Repo, c *ghdata.CommitComment) obj {
	self := fmt.Sprintf("%s/comments/%d", l.repoAPI(r), c.ID)
	var path, position, line any
	if c.Path != "" {
		path, position, line = c.Path, c.Position, c.Line
	}
	return obj{"url": self, "html_url": fmt.Sprintf("%s/commit/%s#commitcomment-%d", l.repoWeb(r), c.CommitSHA, c.ID),
		"id": c.ID, "node_id": c.NodeID, "user": l.user(c.Author), "position": position, "line": line, "path": path,
		"commit_id": c.CommitSHA, "created_at": ts(c.CreatedAt), "updated_at": ts(c.UpdatedAt),
		"author_association": association(c.Author), "body": c.Body, "reactions": reactions(self)}
}

// commentsOn counts the commit comments on commit sha.
func commentsOn(r *ghdata.Repo, sha string) int {
	n := 0
	for _, cm := range r.CommitComments {
		if cm.CommitSHA == sha {
			n++
		}
	}
	return n
}

// commit renders commit i of the default branch.
func (l links) commit(r *ghdata.Repo, i int) obj {
	c := r.Commits[i]
	api, web := l.repoAPI(r), l.repoWeb(r)
	parents := []obj{}
	if i > 0 {
		p := r.Commits[i-1].SHA
		parents = append(parents, obj{"sha": p, "url": api + "/commits/" + p, "html_url": web + "/commit/" + p})
	}
	sig := func(at time.Time) obj { return obj{"name": c.AuthorName, "email": c.AuthorEmail, "date": ts(at)} }
	return obj{"sha": c.SHA, "node_id": "C_kwDO" + strings.ToUpper(c.SHA[:20]),
		"commit": obj{"author": sig(c.AuthoredAt), "committer": sig(c.CommittedAt), "message": c.Message,
			"tree": obj{"sha": fakeSHA(c.SHA, "tree"), "url": api + "/git/trees/" + fakeSHA(c.SHA, "tree")},
			"url":  api + "/git/commits/" + c.SHA, "comment_count": commentsOn(r, c.SHA),
			"verification": obj{"verified": false, "reason": "unsigned", "signature": nil, "payload": nil,
				"verified_at": nil}},
		"url": api + "/commits/" + c.SHA, "html_url": web + "/commit/" + c.SHA,
		"comments_url": api + "/commits/" + c.SHA + "/comments", "author": l.user(c.Author),
		"committer": l.user(c.Author), "parents": parents}
}

func (l links) release(r *ghdata.Repo, rel *ghdata.Release) obj {
	api := fmt.Sprintf("%s/releases/%d", l.repoAPI(r), rel.ID)
	return obj{"url": api, "assets_url": api + "/assets",
		"upload_url": fmt.Sprintf("%s/api/uploads/repos/%s/releases/%d/assets{?name,label}", l.origin, r.FullName(), rel.ID),
		"html_url":   l.repoWeb(r) + "/releases/tag/" + rel.TagName, "id": rel.ID, "author": l.user(rel.Author),
		"node_id": rel.NodeID, "tag_name": rel.TagName, "target_commitish": r.DefaultBranch, "name": rel.Name,
		"draft": false, "prerelease": rel.Prerelease, "created_at": ts(rel.CreatedAt),
		"published_at": ts(rel.PublishedAt), "assets": []obj{},
		"tarball_url": l.repoAPI(r) + "/tarball/" + rel.TagName, "zipball_url": l.repoAPI(r) + "/zipball/" + rel.TagName,
		"body": "What's changed: fixes and improvements."}
}
