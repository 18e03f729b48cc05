// Package gharchive reads GH Archive hour files (https://www.gharchive.org)
// and turns their events into normalised contributions.
//
// It understands the three shapes GH Archive has held over the years: the
// 2011-2014 Timeline format, the 2015+ Events API format, and the trimmed
// Events API payloads GitHub has sent since 2025-10-07.
package gharchive

import (
	"bytes"
	"time"

	json "github.com/goccy/go-json"
)

// rawEvent is the union of the fields contribtrack reads from both the
// Timeline (2011-2014) and the Events API (2015+) formats. Fields whose JSON
// type differs between the formats are kept raw and decoded on demand.
type rawEvent struct {
	Type            string          `json:"type"`
	CreatedAt       string          `json:"created_at"`
	Actor           json.RawMessage `json:"actor"` // object (2015+) or login string (Timeline)
	ActorAttributes *struct {
		Login string `json:"login"`
	} `json:"actor_attributes"`
	Repo *struct {
		ID   uint64 `json:"id"`
		Name string `json:"name"`
	} `json:"repo"`
	Repository *struct { // Timeline format
		ID           uint64 `json:"id"`
		Name         string `json:"name"`
		Owner        string `json:"owner"`
		MasterBranch string `json:"master_branch"`
	} `json:"repository"`
	Payload rawPayload `json:"payload"`
}

type rawUser struct {
	ID    uint64 `json:"id"`
	Login string `json:"login"`
}

type rawPayload struct {
	Action string `json:"action"`
	Number int64  `json:"number"`
	// PushEvent
	Ref     string `json:"ref"`
	Size    *int   `json:"size"`
	Commits []struct {
		SHA    string `json:"sha"`
		Author struct {
			Email string `json:"email"`
		} `json:"author"`
		Distinct *bool `json:"distinct"`
	} `json:"commits"`
	Shas [][]json.RawMessage `json:"shas"` // Timeline: [sha, email, message, name, distinct]
	// PullRequestEvent, PullRequestReviewEvent, PullRequestReviewCommentEvent
	PullRequest *struct {
		Number   int64    `json:"number"`
		User     *rawUser `json:"user"`
		Merged   *bool    `json:"merged"`
		MergedAt string   `json:"merged_at"`
	} `json:"pull_request"`
	Review *struct {
		ID          int64    `json:"id"`
		User        *rawUser `json:"user"`
		SubmittedAt string   `json:"submitted_at"`
	} `json:"review"`
	// IssuesEvent, IssueCommentEvent (issue is a number in the Timeline format)
	Issue   json.RawMessage `json:"issue"`
	Comment *struct {
		ID   int64    `json:"id"`
		User *rawUser `json:"user"`
	} `json:"comment"`
	CommentID int64 `json:"comment_id"` // Timeline
	Release   *struct {
		ID     int64    `json:"id"`
		Author *rawUser `json:"author"`
	} `json:"release"`
}

type rawIssue struct {
	Number int64 `json:"number"`
}

// decodeActor reads the actor of either format. ok is false when the event
// names no actor at all.
func (e *rawEvent) decodeActor() (u rawUser, ok bool) {
	a := bytes.TrimSpace(e.Actor)
	switch {
	case len(a) > 0 && a[0] == '{':
		if json.Unmarshal(a, &u) != nil {
			return u, false
		}
	case len(a) > 0 && a[0] == '"':
		if json.Unmarshal(a, &u.Login) != nil {
			return u, false
		}
	}
	if u.Login == "" && e.ActorAttributes != nil {
		u.Login = e.ActorAttributes.Login
	}
	return u, u.Login != "" || u.ID != 0
}

// parseTime parses GH Archive timestamps: RFC 3339 in UTC (2015+) or with a
// -07:00/-08:00 offset (Timeline); the result is always UTC.
func parseTime(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, false
	}
	return t.UTC(), true
}
