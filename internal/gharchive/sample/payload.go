package sample

import (
	"strconv"
	"strings"
	"time"
)

// JSON shapes of the Events API as GH Archive stores it (2015 onwards). Field
// order follows the real data; only a subset of the real fields is emitted, and
// the tests check every emitted field against real GH Archive events.

type event struct {
	ID        string   `json:"id"`
	Type      string   `json:"type"`
	Actor     actorRef `json:"actor"`
	Repo      repoRef  `json:"repo"`
	Payload   any      `json:"payload"`
	Public    bool     `json:"public"`
	CreatedAt string   `json:"created_at"`
	Org       *orgRef  `json:"org,omitempty"`

	at time.Time
}

type actorRef struct {
	ID           int64  `json:"id"`
	Login        string `json:"login"`
	DisplayLogin string `json:"display_login"`
	GravatarID   string `json:"gravatar_id"`
	URL          string `json:"url"`
	AvatarURL    string `json:"avatar_url"`
}

type repoRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	URL  string `json:"url"`
}

type orgRef struct {
	ID         int64  `json:"id"`
	Login      string `json:"login"`
	GravatarID string `json:"gravatar_id"`
	URL        string `json:"url"`
	AvatarURL  string `json:"avatar_url"`
}

// userJSON is the user object nested in payloads.
type userJSON struct {
	Login      string `json:"login"`
	ID         int64  `json:"id"`
	AvatarURL  string `json:"avatar_url"`
	GravatarID string `json:"gravatar_id"`
	URL        string `json:"url"`
	HTMLURL    string `json:"html_url"`
	Type       string `json:"type"`
	SiteAdmin  bool   `json:"site_admin"`
}

type repoJSON struct {
	ID            int64     `json:"id"`
	Name          string    `json:"name"`
	FullName      string    `json:"full_name"`
	Owner         *userJSON `json:"owner"`
	Private       bool      `json:"private"`
	HTMLURL       string    `json:"html_url"`
	Description   *string   `json:"description"`
	Fork          bool      `json:"fork"`
	URL           string    `json:"url"`
	CreatedAt     string    `json:"created_at"`
	UpdatedAt     string    `json:"updated_at"`
	PushedAt      string    `json:"pushed_at"`
	DefaultBranch string    `json:"default_branch"`
	Public        *bool     `json:"public,omitempty"` // only on forkee
}

type branchJSON struct {
	Label string    `json:"label"`
	Ref   string    `json:"ref"`
	SHA   string    `json:"sha"`
	User  *userJSON `json:"user"`
	Repo  *repoJSON `json:"repo"`
}

// pullJSON is the pull request object of review and review comment events.
type pullJSON struct {
	URL            string      `json:"url"`
	ID             int64       `json:"id"`
	HTMLURL        string      `json:"html_url"`
	DiffURL        string      `json:"diff_url"`
	PatchURL       string      `json:"patch_url"`
	IssueURL       string      `json:"issue_url"`
	Number         int64       `json:"number"`
	State          string      `json:"state"`
	Locked         bool        `json:"locked"`
	Title          string      `json:"title"`
	User           *userJSON   `json:"user"`
	Body           string      `json:"body"`
	CreatedAt      string      `json:"created_at"`
	UpdatedAt      string      `json:"updated_at"`
	ClosedAt       *string     `json:"closed_at"`
	MergedAt       *string     `json:"merged_at"`
	MergeCommitSHA *string     `json:"merge_commit_sha"`
	Assignee       *userJSON   `json:"assignee"`
	Milestone      *struct{}   `json:"milestone"`
	Head           *branchJSON `json:"head"`
	Base           *branchJSON `json:"base"`
}

// fullPullJSON is the pull request object of PullRequestEvent.
type fullPullJSON struct {
	pullJSON
	Merged         bool      `json:"merged"`
	Mergeable      *bool     `json:"mergeable"`
	MergeableState string    `json:"mergeable_state"`
	MergedBy       *userJSON `json:"merged_by"`
	Comments       int       `json:"comments"`
	ReviewComments int       `json:"review_comments"`
	Commits        int       `json:"commits"`
	Additions      int       `json:"additions"`
	Deletions      int       `json:"deletions"`
	ChangedFiles   int       `json:"changed_files"`
}

type issueJSON struct {
	URL         string          `json:"url"`
	HTMLURL     string          `json:"html_url"`
	ID          int64           `json:"id"`
	Number      int64           `json:"number"`
	Title       string          `json:"title"`
	User        *userJSON       `json:"user"`
	Labels      []struct{}      `json:"labels"`
	State       string          `json:"state"`
	Locked      bool            `json:"locked"`
	Assignee    *userJSON       `json:"assignee"`
	Milestone   *struct{}       `json:"milestone"`
	Comments    int             `json:"comments"`
	CreatedAt   string          `json:"created_at"`
	UpdatedAt   string          `json:"updated_at"`
	ClosedAt    *string         `json:"closed_at"`
	PullRequest *issuePullLinks `json:"pull_request,omitempty"`
	Body        string          `json:"body"`
}

type issuePullLinks struct {
	URL      string `json:"url"`
	HTMLURL  string `json:"html_url"`
	DiffURL  string `json:"diff_url"`
	PatchURL string `json:"patch_url"`
}

// commentJSON serves issue comments, review comments and commit comments; the
// pointer fields are set only for the kinds that have them.
type commentJSON struct {
	URL              string    `json:"url"`
	HTMLURL          string    `json:"html_url"`
	IssueURL         string    `json:"issue_url,omitempty"`
	PullRequestURL   string    `json:"pull_request_url,omitempty"`
	ID               int64     `json:"id"`
	DiffHunk         *string   `json:"diff_hunk,omitempty"`
	Path             *string   `json:"path,omitempty"`
	Position         *int      `json:"position,omitempty"`
	OriginalPosition *int      `json:"original_position,omitempty"`
	CommitID         string    `json:"commit_id,omitempty"`
	OriginalCommitID string    `json:"original_commit_id,omitempty"`
	User             *userJSON `json:"user"`
	CreatedAt        string    `json:"created_at"`
	UpdatedAt        string    `json:"updated_at"`
	Body             string    `json:"body"`
}

type reviewJSON struct {
	ID             int64     `json:"id"`
	User           *userJSON `json:"user"`
	Body           *string   `json:"body"`
	CommitID       string    `json:"commit_id"`
	SubmittedAt    string    `json:"submitted_at"`
	State          string    `json:"state"`
	HTMLURL        string    `json:"html_url"`
	PullRequestURL string    `json:"pull_request_url"`
}

type releaseJSON struct {
	URL             string     `json:"url"`
	HTMLURL         string     `json:"html_url"`
	ID              int64      `json:"id"`
	TagName         string     `json:"tag_name"`
	TargetCommitish string     `json:"target_commitish"`
	Name            string     `json:"name"`
	Draft           bool       `json:"draft"`
	Author          *userJSON  `json:"author"`
	Prerelease      bool       `json:"prerelease"`
	CreatedAt       string     `json:"created_at"`
	PublishedAt     string     `json:"published_at"`
	Assets          []struct{} `json:"assets"`
	TarballURL      string     `json:"tarball_url"`
	ZipballURL      string     `json:"zipball_url"`
	Body            string     `json:"body"`
}

type commitJSON struct {
	SHA    string `json:"sha"`
	Author struct {
		Email string `json:"email"`
		Name  string `json:"name"`
	} `json:"author"`
	Message  string `json:"message"`
	Distinct bool   `json:"distinct"`
	URL      string `json:"url"`
}

type pageJSON struct {
	PageName string  `json:"page_name"`
	Title    string  `json:"title"`
	Summary  *string `json:"summary"`
	Action   string  `json:"action"`
	SHA      string  `json:"sha"`
	HTMLURL  string  `json:"html_url"`
}

const (
	api = "https://api.github.com/"
	web = "https://github.com/"
)

func ts(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

func tsPtr(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := ts(t)
	return &s
}

func ptr[T any](v T) *T { return &v }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func avatar(id int64) string { return "https://avatars.githubusercontent.com/u/" + itoa(id) + "?" }

func newEvent(typ string, actor *account, repo *repository, at time.Time, payload any) *event {
	e := &event{Type: typ, Payload: payload, Public: true, CreatedAt: ts(at), at: at,
		Actor: actorRef{ID: actor.ID, Login: actor.Login, DisplayLogin: strings.TrimSuffix(actor.Login, "[bot]"),
			URL: api + "users/" + actor.Login, AvatarURL: avatar(actor.ID)},
		Repo: repoRef{ID: repo.ID, Name: repo.fullName(), URL: api + "repos/" + repo.fullName()}}
	if o := repo.Owner; o.Type == "Organization" {
		e.Org = &orgRef{ID: o.ID, Login: o.Login, URL: api + "orgs/" + o.Login, AvatarURL: avatar(o.ID)}
	}
	return e
}

func userObj(a *account) *userJSON {
	u := &userJSON{Login: a.Login, ID: a.ID, AvatarURL: avatar(a.ID) + "v=4",
		URL: api + "users/" + a.Login, HTMLURL: web + a.Login, Type: a.Type}
	if a.isBot() {
		name := strings.TrimSuffix(a.Login, "[bot]")
		u.URL, u.HTMLURL = api+"users/"+name+"%5Bbot%5D", web+"apps/"+name
	}
	return u
}

func repoObj(repo *repository, at time.Time) *repoJSON {
	return &repoJSON{ID: repo.ID, Name: repo.Name, FullName: repo.fullName(), Owner: userObj(repo.Owner),
		HTMLURL: web + repo.fullName(), Description: ptr(repo.Desc), Fork: repo.Fork, URL: api + "repos/" + repo.fullName(),
		CreatedAt: ts(repo.Created), UpdatedAt: ts(at), PushedAt: ts(at), DefaultBranch: repo.Branch}
}
