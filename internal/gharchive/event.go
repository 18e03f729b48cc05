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

	"contribtrack/internal/contrib"
)

// event is one decoded event of either format, reduced to what the
// normaliser reads.
type event struct {
	Type      string
	CreatedAt string
	Actor     rawUser
	RepoID    uint64
	RepoName  string // owner/name
	Org       string
	// DefaultBranch is the repository's default branch when the event
	// names it (see branches.go); Fork* is the new fork's, of a ForkEvent.
	DefaultBranch string
	ForkID        uint64
	ForkBranch    string
	IssueNumber   int64         // IssuesEvent, IssueCommentEvent (Timeline: IssuesEvent only)
	Issue         *payloadIssue // Events API only
	CommentID     int64         // Timeline comment events carry only the id
	Shas          [][]json.RawMessage
	Payload       *payloadFields
	// Timeline events name actors by login only; nested users (a pull
	// request's author, a comment's) are then also identified by login, so
	// that one person gets one id across the event's kinds.
	Timeline bool
}

type rawUser struct {
	ID    uint64 `json:"id"`
	Login string `json:"login"`
	Type  string `json:"type"` // User, Bot, Organization (payload users; "" elsewhere)
}

// payloadFields are the payload fields whose JSON type is the same in both
// formats.
type payloadFields struct {
	Action string `json:"action"`
	Number int64  `json:"number"`
	// PushEvent; CreateEvent and DeleteEvent (with RefType and, for a
	// repository, Description: read for bot behaviour, see behaviour.go)
	Ref         string          `json:"ref"`
	RefType     string          `json:"ref_type"`
	Description string          `json:"description"`
	Size        *int            `json:"size"`
	Commits     []payloadCommit `json:"commits"`
	// CreateEvent: the repository's default branch, whatever was created.
	MasterBranch string `json:"master_branch"`
	// PullRequestEvent, PullRequestReviewEvent, PullRequestReviewCommentEvent
	PullRequest *payloadPR      `json:"pull_request"`
	Review      *payloadReview  `json:"review"`
	Comment     *payloadComment `json:"comment"`
	Release     *payloadRelease `json:"release"`
}

type payloadCommit struct {
	SHA    string `json:"sha"`
	Author struct {
		Email string `json:"email"`
		Name  string `json:"name"`
	} `json:"author"`
	Message  string `json:"message"`
	Distinct *bool  `json:"distinct"`
}

// payloadApp is the GitHub App an issue, pull request or comment was
// made through (performed_via_github_app).
type payloadApp struct {
	Slug string `json:"slug"`
}

type payloadPR struct {
	Number   int64    `json:"number"`
	User     *rawUser `json:"user"`
	Merged   *bool    `json:"merged"`
	MergedAt string   `json:"merged_at"`
	Base     *struct {
		Repo *payloadRepo `json:"repo"`
	} `json:"base"`
	Head *struct {
		Ref string `json:"ref"`
	} `json:"head"`
	App *payloadApp `json:"performed_via_github_app"`
	// The facts acceptance-based scoring reads (contrib.PullRequest):
	// full payloads carry them, the trimmed ones of 2025-10 on do not.
	CreatedAt    string         `json:"created_at"`
	Title        string         `json:"title"`
	Draft        bool           `json:"draft"`
	Labels       []payloadLabel `json:"labels"`
	MergedBy     *rawUser       `json:"merged_by"`
	Additions    *int64         `json:"additions"`
	Deletions    *int64         `json:"deletions"`
	ChangedFiles *int64         `json:"changed_files"`
}

type payloadLabel struct {
	Name string `json:"name"`
}

// payloadRepo is a repository object inside a payload (a pull request's
// base, a fork), reduced to its default branch: default_branch since 2013,
// master_branch before.
type payloadRepo struct {
	ID            uint64 `json:"id"`
	DefaultBranch string `json:"default_branch"`
	MasterBranch  string `json:"master_branch"`
}

// defaultBranch returns the default branch r names, "" when none.
func (r *payloadRepo) defaultBranch() string {
	if r == nil {
		return ""
	}
	if r.DefaultBranch != "" {
		return r.DefaultBranch
	}
	return r.MasterBranch
}

type payloadReview struct {
	ID          int64    `json:"id"`
	User        *rawUser `json:"user"`
	SubmittedAt string   `json:"submitted_at"`
	State       string   `json:"state"`
}

type payloadComment struct {
	ID   int64       `json:"id"`
	User *rawUser    `json:"user"`
	Body string      `json:"body"`
	App  *payloadApp `json:"performed_via_github_app"`
}

type payloadRelease struct {
	ID     int64    `json:"id"`
	Author *rawUser `json:"author"`
}

// apiEvent is the 2015+ Events API format.
type apiEvent struct {
	Type      string  `json:"type"`
	CreatedAt string  `json:"created_at"`
	Actor     rawUser `json:"actor"`
	Repo      struct {
		ID   uint64 `json:"id"`
		Name string `json:"name"`
	} `json:"repo"`
	Payload struct {
		payloadFields
		Issue *payloadIssue `json:"issue"`
		// ForkEvent: the new fork (an object here; not read from
		// Timeline records, where its shape varied).
		Forkee *payloadRepo `json:"forkee"`
	} `json:"payload"`
}

// payloadIssue is an Events API payload's issue.
type payloadIssue struct {
	Number int64       `json:"number"`
	Title  string      `json:"title"`
	User   *rawUser    `json:"user"`
	App    *payloadApp `json:"performed_via_github_app"`
}

// timelineEvent is the 2011-2014 Timeline format.
type timelineEvent struct {
	Type            string `json:"type"`
	CreatedAt       string `json:"created_at"`
	Actor           string `json:"actor"`
	ActorAttributes *struct {
		Login string `json:"login"`
	} `json:"actor_attributes"`
	Repository *struct {
		ID            uint64 `json:"id"`
		Name          string `json:"name"`
		Owner         string `json:"owner"`
		MasterBranch  string `json:"master_branch"`
		DefaultBranch string `json:"default_branch"`
	} `json:"repository"`
	Payload struct {
		payloadFields
		Issue     int64               `json:"issue"` // the issue's id, not its number
		CommentID int64               `json:"comment_id"`
		Shas      [][]json.RawMessage `json:"shas"` // [sha, email, message, name, distinct]
	} `json:"payload"`
}

var modernPrefix = []byte(`{"id":`)

// decoder decodes events into scratch space that it reuses, so that a
// worker does not allocate a new event for every line. An event it returns
// is valid until the next call.
type decoder struct {
	api      apiEvent
	timeline timelineEvent
}

// decode decodes one JSON object of either format. GH Archive's 2015+ lines
// start with the event id, which the Timeline format lacks; other objects
// are tried as Timeline records first, then as Events API records.
func (d *decoder) decode(data []byte, ev *event) error {
	if bytes.HasPrefix(data, modernPrefix) {
		return d.decodeAPI(data, ev)
	}
	if err := d.decodeTimeline(data, ev); err != nil {
		if d.decodeAPI(data, ev) == nil {
			return nil
		}
		return err
	}
	return nil
}

func (d *decoder) decodeAPI(data []byte, ev *event) error {
	a := &d.api
	*a = apiEvent{}
	if err := json.Unmarshal(data, a); err != nil {
		return err
	}
	*ev = event{
		Type: a.Type, CreatedAt: a.CreatedAt, Actor: a.Actor,
		RepoID: a.Repo.ID, RepoName: a.Repo.Name, Org: contrib.OrgOf(a.Repo.Name),
		Payload: &a.Payload.payloadFields,
	}
	if a.Payload.Issue != nil {
		ev.IssueNumber, ev.Issue = a.Payload.Issue.Number, a.Payload.Issue
	}
	ev.namedBranches(&a.Payload.payloadFields)
	if f := a.Payload.Forkee; f != nil && ev.Type == "ForkEvent" && f.ID != 0 {
		ev.ForkID, ev.ForkBranch = f.ID, f.defaultBranch()
	}
	return nil
}

// namedBranches sets the default branch the payload names: a
// CreateEvent's master_branch, or a pull request's base repository (when
// it is the event's repository). A Timeline event's repository object,
// read first, wins.
func (ev *event) namedBranches(p *payloadFields) {
	if ev.DefaultBranch == "" {
		switch {
		case ev.Type == "CreateEvent":
			ev.DefaultBranch = p.MasterBranch
		case p.PullRequest != nil && p.PullRequest.Base != nil:
			if r := p.PullRequest.Base.Repo; r != nil && (r.ID == ev.RepoID || r.ID == 0) {
				ev.DefaultBranch = r.defaultBranch()
			}
		}
	}
}

func (d *decoder) decodeTimeline(data []byte, ev *event) error {
	t := &d.timeline
	*t = timelineEvent{}
	if err := json.Unmarshal(data, t); err != nil {
		return err
	}
	*ev = event{
		Type: t.Type, CreatedAt: t.CreatedAt, Actor: rawUser{Login: t.Actor},
		IssueNumber: t.Payload.Number, CommentID: t.Payload.CommentID, Shas: t.Payload.Shas,
		Payload: &t.Payload.payloadFields, Timeline: true,
	}
	if ev.Actor.Login == "" && t.ActorAttributes != nil {
		ev.Actor.Login = t.ActorAttributes.Login
	}
	if r := t.Repository; r != nil && r.Name != "" {
		ev.RepoID, ev.Org, ev.DefaultBranch = r.ID, r.Owner, r.MasterBranch
		if ev.DefaultBranch == "" {
			ev.DefaultBranch = r.DefaultBranch
		}
		ev.RepoName = r.Owner + "/" + r.Name
	}
	ev.namedBranches(&t.Payload.payloadFields)
	return nil
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
