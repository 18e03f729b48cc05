package sample

import (
	"math/rand/v2"
	"time"
)

// Events of the life of issues and pull requests (see items.go).

func (it *item) apiURL() string {
	kind := "issues/"
	if it.pr {
		kind = "pulls/"
	}
	return api + "repos/" + it.repo.fullName() + "/" + kind + itoa(it.number)
}

func (it *item) htmlURL() string {
	kind := "/issues/"
	if it.pr {
		kind = "/pull/"
	}
	return web + it.repo.fullName() + kind + itoa(it.number)
}

// pull returns the pull request object as it was right after acts[i].
func (it *item) pull(i int) *pullJSON {
	s, at := it.stateAt(i), it.acts[i].at
	repo, html := it.repo, it.htmlURL()
	pr := &pullJSON{URL: it.apiURL(), ID: it.prID(), HTMLURL: html, DiffURL: html + ".diff", PatchURL: html + ".patch",
		IssueURL: api + "repos/" + repo.fullName() + "/issues/" + itoa(it.number), Number: it.number, State: "open",
		Title: it.title, User: userObj(it.author), Body: it.body, CreatedAt: ts(it.created), UpdatedAt: ts(at),
		ClosedAt: tsPtr(s.closedAt), MergedAt: tsPtr(s.mergedAt), MergeCommitSHA: ptr(it.mergeSHA),
		Head: &branchJSON{Label: it.headRepo.Owner.Login + ":" + it.headRef, Ref: it.headRef, SHA: it.headSHA,
			User: userObj(it.headRepo.Owner), Repo: repoObj(it.headRepo, at)},
		Base: &branchJSON{Label: repo.Owner.Login + ":" + repo.Branch, Ref: repo.Branch, SHA: it.baseSHA,
			User: userObj(repo.Owner), Repo: repoObj(repo, at)}}
	if !s.open {
		pr.State = "closed"
	}
	if i == 0 {
		pr.MergeCommitSHA = nil // not computed yet when the PR is opened
	}
	return pr
}

func (it *item) fullPull(i int) *fullPullJSON {
	s := it.stateAt(i)
	pr := &fullPullJSON{pullJSON: *it.pull(i), Merged: !s.mergedAt.IsZero(), MergeableState: "unknown",
		Comments: s.comments, ReviewComments: s.reviewComments, Commits: it.commits,
		Additions: it.additions, Deletions: it.deletions, ChangedFiles: it.files}
	if s.mergedBy != nil {
		pr.MergedBy = userObj(s.mergedBy)
	}
	return pr
}

func (it *item) issue(i int) *issueJSON {
	s, html := it.stateAt(i), it.htmlURL()
	is := &issueJSON{URL: api + "repos/" + it.repo.fullName() + "/issues/" + itoa(it.number), HTMLURL: html,
		ID: it.issueID(), Number: it.number, Title: it.title, User: userObj(it.author), Labels: []struct{}{},
		State: "open", Comments: s.comments, CreatedAt: ts(it.created), UpdatedAt: ts(it.acts[i].at),
		ClosedAt: tsPtr(s.closedAt), Body: it.body}
	if !s.open {
		is.State = "closed"
	}
	if it.pr {
		is.PullRequest = &issuePullLinks{URL: it.apiURL(), HTMLURL: html, DiffURL: html + ".diff", PatchURL: html + ".patch"}
	}
	return is
}

func (it *item) comment(i int) *commentJSON {
	a := it.acts[i]
	c := &commentJSON{ID: a.id, User: userObj(a.actor), CreatedAt: ts(a.at), UpdatedAt: ts(a.at), Body: a.body}
	if a.kind == actReviewComment {
		c.URL = api + "repos/" + it.repo.fullName() + "/pulls/comments/" + itoa(a.id)
		c.HTMLURL = it.htmlURL() + "#discussion_r" + itoa(a.id)
		c.PullRequestURL = it.apiURL()
		c.DiffHunk, c.Path = ptr("@@ -10,6 +10,8 @@ export class Handler {"), ptr("src/handler.ts")
		c.Position, c.OriginalPosition = ptr(4+int(a.id%20)), ptr(4+int(a.id%20))
		c.CommitID, c.OriginalCommitID = it.headSHA, it.headSHA
	} else {
		c.URL = api + "repos/" + it.repo.fullName() + "/issues/comments/" + itoa(a.id)
		c.HTMLURL = it.htmlURL() + "#issuecomment-" + itoa(a.id)
		c.IssueURL = api + "repos/" + it.repo.fullName() + "/issues/" + itoa(it.number)
	}
	return c
}

type prPayload struct {
	Action      string        `json:"action"`
	Number      int64         `json:"number"`
	PullRequest *fullPullJSON `json:"pull_request"`
}

type reviewPayload struct {
	Action      string      `json:"action"`
	Review      *reviewJSON `json:"review"`
	PullRequest *pullJSON   `json:"pull_request"`
}

type reviewCommentPayload struct {
	Action      string       `json:"action"`
	Comment     *commentJSON `json:"comment"`
	PullRequest *pullJSON    `json:"pull_request"`
}

type issuesPayload struct {
	Action string     `json:"action"`
	Issue  *issueJSON `json:"issue"`
}

type issueCommentPayload struct {
	Action  string       `json:"action"`
	Issue   *issueJSON   `json:"issue"`
	Comment *commentJSON `json:"comment"`
}

// event returns the GH Archive event of acts[i].
func (it *item) event(i int) *event {
	a := it.acts[i]
	switch a.kind {
	case actOpened, actClosed, actMerged, actReopened:
		action := "closed"
		switch a.kind {
		case actOpened:
			action = "opened"
		case actReopened:
			action = "reopened"
		}
		if it.pr {
			return newEvent("PullRequestEvent", a.actor, it.repo, a.at, prPayload{action, it.number, it.fullPull(i)})
		}
		return newEvent("IssuesEvent", a.actor, it.repo, a.at, issuesPayload{action, it.issue(i)})
	case actComment:
		return newEvent("IssueCommentEvent", a.actor, it.repo, a.at, issueCommentPayload{"created", it.issue(i), it.comment(i)})
	case actReview:
		var body *string
		if a.body != "" {
			body = ptr(a.body)
		}
		rv := &reviewJSON{ID: a.id, User: userObj(a.actor), Body: body, CommitID: it.headSHA, SubmittedAt: ts(a.at),
			State: a.state, HTMLURL: it.htmlURL() + "#pullrequestreview-" + itoa(a.id), PullRequestURL: it.apiURL()}
		return newEvent("PullRequestReviewEvent", a.actor, it.repo, a.at, reviewPayload{"created", rv, it.pull(i)})
	case actReviewComment:
		return newEvent("PullRequestReviewCommentEvent", a.actor, it.repo, a.at, reviewCommentPayload{"created", it.comment(i), it.pull(i)})
	case actMergePush:
		r := rand.New(rand.NewPCG(uint64(it.g), uint64(a.id)))
		msg := it.title + " (#" + itoa(it.number) + ")"
		commit := newCommit(it.repo, it.mergeSHA, it.author, msg, true)
		return pushEvent(r, a.actor, it.repo, it.repo.Branch, a.at, a.id, []commitJSON{commit}, 1, 1)
	default: // actDeleteBranch
		return newEvent("DeleteEvent", a.actor, it.repo, a.at, deletePayload{it.headRef, "branch", "user"})
	}
}

func newCommit(repo *repository, sha string, author *account, msg string, distinct bool) commitJSON {
	c := commitJSON{SHA: sha, Message: msg, Distinct: distinct, URL: api + "repos/" + repo.fullName() + "/commits/" + sha}
	c.Author.Email, c.Author.Name = author.Email, author.Name
	return c
}

type pushPayload struct {
	PushID       int64        `json:"push_id"`
	Size         int          `json:"size"`
	DistinctSize int          `json:"distinct_size"`
	Ref          string       `json:"ref"`
	Head         string       `json:"head"`
	Before       string       `json:"before"`
	Commits      []commitJSON `json:"commits"`
}

type deletePayload struct {
	Ref        string `json:"ref"`
	RefType    string `json:"ref_type"`
	PusherType string `json:"pusher_type"`
}

// pushEvent builds a PushEvent; commits holds at most 20 of the size commits, as on GitHub.
func pushEvent(r *rand.Rand, actor *account, repo *repository, branch string, at time.Time, pushID int64,
	commits []commitJSON, size, distinct int) *event {
	return newEvent("PushEvent", actor, repo, at, pushPayload{PushID: pushID, Size: size, DistinctSize: distinct,
		Ref: "refs/heads/" + branch, Head: commits[len(commits)-1].SHA, Before: newSHA(r), Commits: commits})
}
