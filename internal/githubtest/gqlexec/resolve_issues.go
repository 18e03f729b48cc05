package gqlexec

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"contribtrack/internal/githubtest/ghdata"
)

// Pull requests, issues, reviews, comments and timeline events.

type pullObj struct {
	r *ghdata.Repo
	p *ghdata.Pull
}

func (*pullObj) gqlType() string { return "PullRequest" }

func (o *pullObj) url() string { return fmt.Sprintf("%s/pull/%d", repoURL(o.r), o.p.Number) }

type issueObj struct {
	r  *ghdata.Repo
	is *ghdata.Issue
}

func (*issueObj) gqlType() string { return "Issue" }

func (o *issueObj) url() string { return fmt.Sprintf("%s/issues/%d", repoURL(o.r), o.is.Number) }

type reviewObj struct {
	pr *pullObj
	rv *ghdata.Review
}

func (*reviewObj) gqlType() string { return "PullRequestReview" }

type commentObj struct {
	parent string // URL of the issue or pull request
	c      *ghdata.Comment
}

func (*commentObj) gqlType() string { return "IssueComment" }

// event is a ClosedEvent or MergedEvent of a timeline.
type event struct {
	typ    string // "ClosedEvent" or "MergedEvent"
	parent string // URL of the issue or pull request
	id     int64  // the issue or pull request's database id
	at     time.Time
	actor  *ghdata.User
	reason string // ClosedEvent.stateReason, issues only
	ref    string // MergedEvent.mergeRefName
}

func (e *event) gqlType() string { return e.typ }

var eventPrefix = map[string]string{"ClosedEvent": "CE", "MergedEvent": "ME"}

func pullState(p *ghdata.Pull) string {
	switch {
	case p.Merged():
		return "MERGED"
	case !p.ClosedAt.IsZero():
		return "CLOSED"
	}
	return "OPEN"
}

func issueState(is *ghdata.Issue) string {
	if is.ClosedAt.IsZero() {
		return "OPEN"
	}
	return "CLOSED"
}

// stateReason maps ghdata's REST spelling to IssueStateReason.
func stateReason(s string) any {
	if s == "" {
		return nil
	}
	return strings.ToUpper(s)
}

// labelObj is a label of a repository, by name.
type labelObj struct {
	r    *ghdata.Repo
	name string
}

func (*labelObj) gqlType() string { return "Label" }

func registerIssues(reg map[string]resolver) {
	on(reg, "Label", map[string]func(*run, *labelObj, args) (any, error){
		"name":  plain(func(o *labelObj) any { return o.name }),
		"id":    plain(func(o *labelObj) any { return fmt.Sprintf("LA_%d_%s", o.r.ID, o.name) }),
		"color": plain(func(o *labelObj) any { return "ededed" }),
	})
	on(reg, "PullRequest", map[string]func(*run, *pullObj, args) (any, error){
		"id":           plain(func(o *pullObj) any { return o.p.NodeID }),
		"databaseId":   plain(func(o *pullObj) any { return o.p.ID }),
		"number":       plain(func(o *pullObj) any { return o.p.Number }),
		"title":        plain(func(o *pullObj) any { return o.p.Title }),
		"body":         plain(func(o *pullObj) any { return "" }),
		"url":          plain(func(o *pullObj) any { return o.url() }),
		"createdAt":    plain(func(o *pullObj) any { return o.p.CreatedAt }),
		"updatedAt":    plain(func(o *pullObj) any { return o.p.UpdatedAt }),
		"closedAt":     plain(func(o *pullObj) any { return timeOrNil(o.p.ClosedAt) }),
		"mergedAt":     plain(func(o *pullObj) any { return timeOrNil(o.p.MergedAt) }),
		"merged":       plain(func(o *pullObj) any { return o.p.Merged() }),
		"closed":       plain(func(o *pullObj) any { return !o.p.ClosedAt.IsZero() }),
		"state":        plain(func(o *pullObj) any { return pullState(o.p) }),
		"isDraft":      plain(func(o *pullObj) any { return o.p.Draft }),
		"additions":    plain(func(o *pullObj) any { return o.p.Additions }),
		"deletions":    plain(func(o *pullObj) any { return o.p.Deletions }),
		"changedFiles": plain(func(o *pullObj) any { return o.p.ChangedFiles }),
		"labels": func(_ *run, o *pullObj, a args) (any, error) {
			return paginate(a, "labels", "LabelConnection", o.p.Labels,
				func(name string) ckey { return ckey{S: strings.ToLower(name)} }, false,
				func(name string) any { return &labelObj{o.r, name} })
		},
		"headRefName": plain(func(o *pullObj) any { return o.p.HeadRef }),
		"baseRefName": plain(func(o *pullObj) any { return o.r.DefaultBranch }),
		"author":      plain(func(o *pullObj) any { return actor(o.p.Author) }),
		"repository":  plain(func(o *pullObj) any { return o.r }),
		"mergedBy": plain(func(o *pullObj) any {
			if !o.p.Merged() {
				return nil
			}
			return actor(o.p.ClosedBy)
		}),
		"reviews":       pullReviews,
		"comments":      func(x *run, o *pullObj, a args) (any, error) { return comments(x, o.r, o.p.Number, o.url(), a) },
		"timelineItems": pullTimeline,
	})
	on(reg, "Issue", map[string]func(*run, *issueObj, args) (any, error){
		"id":         plain(func(o *issueObj) any { return o.is.NodeID }),
		"databaseId": plain(func(o *issueObj) any { return o.is.ID }),
		"number":     plain(func(o *issueObj) any { return o.is.Number }),
		"title":      plain(func(o *issueObj) any { return o.is.Title }),
		"body":       plain(func(o *issueObj) any { return "" }),
		"url":        plain(func(o *issueObj) any { return o.url() }),
		"createdAt":  plain(func(o *issueObj) any { return o.is.CreatedAt }),
		"updatedAt":  plain(func(o *issueObj) any { return o.is.UpdatedAt }),
		"closedAt":   plain(func(o *issueObj) any { return timeOrNil(o.is.ClosedAt) }),
		"closed":     plain(func(o *issueObj) any { return !o.is.ClosedAt.IsZero() }),
		"state":      plain(func(o *issueObj) any { return issueState(o.is) }),
		"author":     plain(func(o *issueObj) any { return actor(o.is.Author) }),
		"repository": plain(func(o *issueObj) any { return o.r }),
		"stateReason": plain(func(o *issueObj) any {
			if o.is.ClosedAt.IsZero() {
				return nil
			}
			return stateReason(o.is.StateReason)
		}),
		"comments":      func(x *run, o *issueObj, a args) (any, error) { return comments(x, o.r, o.is.Number, o.url(), a) },
		"timelineItems": issueTimeline,
	})
	on(reg, "PullRequestReview", map[string]func(*run, *reviewObj, args) (any, error){
		"id":          plain(func(o *reviewObj) any { return o.rv.NodeID }),
		"databaseId":  plain(func(o *reviewObj) any { return o.rv.ID }),
		"state":       plain(func(o *reviewObj) any { return o.rv.State }),
		"body":        plain(func(o *reviewObj) any { return o.rv.Body }),
		"author":      plain(func(o *reviewObj) any { return actor(o.rv.Author) }),
		"submittedAt": plain(func(o *reviewObj) any { return timeOrNil(o.rv.SubmittedAt) }),
		"publishedAt": plain(func(o *reviewObj) any { return timeOrNil(o.rv.SubmittedAt) }),
		"createdAt":   plain(func(o *reviewObj) any { return o.rv.SubmittedAt }),
		"updatedAt":   plain(func(o *reviewObj) any { return o.rv.SubmittedAt }),
		"url":         plain(func(o *reviewObj) any { return fmt.Sprintf("%s#pullrequestreview-%d", o.pr.url(), o.rv.ID) }),
		"pullRequest": plain(func(o *reviewObj) any { return o.pr }),
	})
	on(reg, "IssueComment", map[string]func(*run, *commentObj, args) (any, error){
		"id":         plain(func(o *commentObj) any { return o.c.NodeID }),
		"databaseId": plain(func(o *commentObj) any { return o.c.ID }),
		"body":       plain(func(o *commentObj) any { return o.c.Body }),
		"author":     plain(func(o *commentObj) any { return actor(o.c.Author) }),
		"createdAt":  plain(func(o *commentObj) any { return o.c.CreatedAt }),
		"updatedAt":  plain(func(o *commentObj) any { return o.c.UpdatedAt }),
		"url":        plain(func(o *commentObj) any { return fmt.Sprintf("%s#issuecomment-%d", o.parent, o.c.ID) }),
	})
	for _, typ := range []string{"ClosedEvent", "MergedEvent"} {
		on(reg, typ, map[string]func(*run, *event, args) (any, error){
			"id":        plain(func(e *event) any { return opaqueID(eventPrefix[e.typ], e.typ, e.parent) }),
			"createdAt": plain(func(e *event) any { return e.at }),
			"actor":     plain(func(e *event) any { return actor(e.actor) }),
			"url":       plain(func(e *event) any { return e.parent }),
		})
	}
	on(reg, "ClosedEvent", map[string]func(*run, *event, args) (any, error){
		"stateReason": plain(func(e *event) any { return stateReason(e.reason) }),
	})
	on(reg, "MergedEvent", map[string]func(*run, *event, args) (any, error){
		"mergeRefName": plain(func(e *event) any { return e.ref }),
	})
}

func repoPull(_ *run, r *ghdata.Repo, a args) (any, error) {
	n, _ := a.integer("number")
	i := sort.Search(len(r.Pulls), func(i int) bool { return r.Pulls[i].Number >= n })
	if i < len(r.Pulls) && r.Pulls[i].Number == n {
		return &pullObj{r, r.Pulls[i]}, nil
	}
	return nil, errorf("NOT_FOUND", "Could not resolve to a PullRequest with the number of %d.", n)
}

func repoIssue(_ *run, r *ghdata.Repo, a args) (any, error) {
	n, _ := a.integer("number")
	i := sort.Search(len(r.Issues), func(i int) bool { return r.Issues[i].Number >= n })
	if i < len(r.Issues) && r.Issues[i].Number == n {
		return &issueObj{r, r.Issues[i]}, nil
	}
	return nil, errorf("NOT_FOUND", "Could not resolve to an Issue with the number of %d.", n)
}

// wanted turns a list of enum values into a set; nil means all.
func wanted(vals []string) map[string]bool {
	if vals == nil {
		return nil
	}
	m := make(map[string]bool, len(vals))
	for _, v := range vals {
		m[v] = true
	}
	return m
}

func repoPulls(x *run, r *ghdata.Repo, a args) (any, error) {
	if err := a.unsupported("pullRequests", "labels", "headRefName", "baseRefName"); err != nil {
		return nil, err
	}
	states := wanted(a.strs("states"))
	var pulls []*ghdata.Pull
	for _, p := range r.Pulls {
		if states == nil || states[pullState(p)] {
			pulls = append(pulls, p)
		}
	}
	key := func(p *ghdata.Pull) ckey { return tkey(p.CreatedAt, p.ID) }
	field, desc, _ := a.order()
	switch field {
	case "UPDATED_AT":
		key = func(p *ghdata.Pull) ckey { return tkey(p.UpdatedAt, p.ID) }
	case "COMMENTS":
		idx := commentIndex(x, r)
		key = func(p *ghdata.Pull) ckey { return ckey{N: int64(len(idx[p.Number])), ID: p.ID} }
	}
	return paginate(a, "pullRequests", "PullRequestConnection", pulls, key, desc,
		func(p *ghdata.Pull) any { return &pullObj{r, p} })
}

func repoIssues(x *run, r *ghdata.Repo, a args) (any, error) {
	if err := a.unsupported("issues", "labels"); err != nil {
		return nil, err
	}
	filter := a.obj("filterBy")
	for _, k := range []string{"assignee", "labels", "mentioned", "milestone", "milestoneNumber", "viewerSubscribed", "type"} {
		if filter[k] != nil && filter[k] != false {
			return nil, errorf("", "gqlexec: filterBy.%s of issues is not implemented by the test server", k)
		}
	}
	since, hasSince, err := timeArg(filter["since"], "since")
	if err != nil {
		return nil, err
	}
	states, fstates := wanted(a.strs("states")), wanted(toStrs(filter["states"]))
	createdBy, _ := filter["createdBy"].(string)
	var issues []*ghdata.Issue
	for _, is := range r.Issues {
		st := issueState(is)
		switch {
		case states != nil && !states[st], fstates != nil && !fstates[st]:
		case hasSince && is.UpdatedAt.Before(since):
		case createdBy != "" && (is.Author == nil || !strings.EqualFold(is.Author.Login, createdBy)):
		default:
			issues = append(issues, is)
		}
	}
	key := func(is *ghdata.Issue) ckey { return tkey(is.CreatedAt, is.ID) }
	field, desc, _ := a.order()
	switch field {
	case "UPDATED_AT":
		key = func(is *ghdata.Issue) ckey { return tkey(is.UpdatedAt, is.ID) }
	case "COMMENTS":
		idx := commentIndex(x, r)
		key = func(is *ghdata.Issue) ckey { return ckey{N: int64(len(idx[is.Number])), ID: is.ID} }
	}
	return paginate(a, "issues", "IssueConnection", issues, key, desc,
		func(is *ghdata.Issue) any { return &issueObj{r, is} })
}

func pullReviews(_ *run, o *pullObj, a args) (any, error) {
	states := wanted(a.strs("states"))
	author := a.str("author")
	var rvs []*ghdata.Review
	for _, rv := range o.p.Reviews {
		if (states == nil || states[rv.State]) && (author == "" || (rv.Author != nil && strings.EqualFold(rv.Author.Login, author))) {
			rvs = append(rvs, rv)
		}
	}
	return paginate(a, "reviews", "PullRequestReviewConnection", rvs,
		func(rv *ghdata.Review) ckey { return tkey(rv.SubmittedAt, rv.ID) }, false,
		func(rv *ghdata.Review) any { return &reviewObj{o, rv} })
}

type commentIndexKey struct{ r *ghdata.Repo }

// commentIndex groups r's issue comments by issue or pull request number,
// once per run.
func commentIndex(x *run, r *ghdata.Repo) map[int][]*ghdata.Comment {
	return cached(x, commentIndexKey{r}, func() map[int][]*ghdata.Comment {
		m := map[int][]*ghdata.Comment{}
		for _, c := range r.IssueComments {
			m[c.Number] = append(m[c.Number], c)
		}
		return m
	})
}

// comments is Issue.comments and PullRequest.comments.
func comments(x *run, r *ghdata.Repo, number int, parent string, a args) (any, error) {
	key := func(c *ghdata.Comment) ckey { return tkey(c.CreatedAt, c.ID) }
	field, desc, _ := a.order()
	if field == "UPDATED_AT" {
		key = func(c *ghdata.Comment) ckey { return tkey(c.UpdatedAt, c.ID) }
	}
	return paginate(a, "comments", "IssueCommentConnection", commentIndex(x, r)[number], key, desc,
		func(c *ghdata.Comment) any { return &commentObj{parent, c} })
}
