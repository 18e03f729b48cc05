package gharchive

import (
	"strings"
	"time"

	json "github.com/goccy/go-json"

	"contribtrack/internal/bots"
)

// maxTraceText bounds the text of one trace the bot signals read (a
// comment's first kilobyte says whether it is a CI report).
const maxTraceText = 1 << 10

// trace tells the ledger what an event's actor did, for the bot signals
// (bots.Evidence): every event of a selected repository or actor, tracked
// kinds or not (branches and repositories created or deleted count too).
// at is the event's time, already parsed.
func (n *normalizer) trace(ev *event, at time.Time) {
	if ev.RepoName == "" || ev.Actor.Login == "" || !n.sel.Keeps(ev.Org, ev.RepoName) && !n.sel.KeepsActor(ev.Actor.ID, ev.Actor.Login) {
		return
	}
	t := bots.Trace{Login: ev.Actor.Login, At: at, Kind: bots.TraceOther}
	p := ev.Payload
	own := func(u *rawUser) {
		if u != nil && strings.EqualFold(u.Login, t.Login) {
			t.Type = u.Type
		}
	}
	// The App a comment, issue or pull request was made through is its
	// author's, who may not be the actor (a person closing it).
	app := func(u *rawUser, a *payloadApp) {
		if a != nil && u != nil && strings.EqualFold(u.Login, t.Login) {
			t.App = a.Slug
		}
	}
	switch ev.Type {
	case "PushEvent":
		// A push without commits is empty only when its size says so:
		// GH Archive's trimmed payloads (2025-10 on) list none at all.
		if len(p.Commits) == 0 && len(ev.Shas) == 0 && (p.Size == nil || *p.Size != 0) {
			break
		}
		t.Kind = bots.TracePush
		for _, c := range p.Commits {
			t.Texts = append(t.Texts, clip(c.Message))
			t.Authors = append(t.Authors, c.Author.Name)
		}
		for _, sha := range ev.Shas { // Timeline: [sha, email, message, name, distinct]
			var msg, name string
			if len(sha) > 3 && json.Unmarshal(sha[2], &msg) == nil && json.Unmarshal(sha[3], &name) == nil {
				t.Texts = append(t.Texts, clip(msg))
				t.Authors = append(t.Authors, name)
			}
		}
	case "IssueCommentEvent", "CommitCommentEvent", "PullRequestReviewCommentEvent":
		if p.Comment != nil {
			t.Kind = bots.TraceComment
			t.Texts = []string{clip(p.Comment.Body)}
			own(p.Comment.User)
			app(p.Comment.User, p.Comment.App)
		}
	case "PullRequestEvent":
		if pr := p.PullRequest; pr != nil {
			own(pr.User)
			app(pr.User, pr.App)
			if p.Action == "opened" {
				t.Kind, t.Texts = bots.TracePull, []string{clip(pr.Title)}
				if pr.Head != nil {
					t.Ref = pr.Head.Ref
				}
			}
		}
	case "IssuesEvent":
		if is := ev.Issue; is != nil {
			own(is.User)
			app(is.User, is.App)
			if p.Action == "opened" {
				t.Kind, t.Texts = bots.TraceIssue, []string{clip(is.Title)}
			}
		}
	case "PullRequestReviewEvent":
		if p.Review != nil {
			own(p.Review.User)
		}
	case "CreateEvent", "DeleteEvent":
		t.Kind, t.Ref = bots.TraceRef, p.Ref
		if p.RefType == "repository" {
			_, t.Ref, _ = strings.Cut(ev.RepoName, "/")
			if p.Description != "" {
				t.Texts = []string{clip(p.Description)}
			}
		}
	}
	n.ledger.Add(t)
}

func clip(s string) string {
	if len(s) > maxTraceText {
		return s[:maxTraceText]
	}
	return s
}
