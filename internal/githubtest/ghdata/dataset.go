// Package ghdata is the in-memory GitHub of contribtrack's GitHub test
// server: organisations, users, repositories and their activity, generated
// deterministically from a seed and a size, plus the ground truth of the
// contributions a perfect collector would store.
//
// It is test support: production code never imports it.
package ghdata

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"
)

// User is a GitHub account: a person, a bot or an organisation.
type User struct {
	ID        int64
	NodeID    string
	Login     string
	Type      string // "User", "Bot" or "Organization"
	Name      string
	Email     string // the commit email; bots use GitHub's noreply form
	CreatedAt time.Time
}

// IsBot reports whether GitHub says the account is a bot (type Bot).
func (u *User) IsBot() bool { return u != nil && u.Type == "Bot" }

// Repo is a repository and everything that happened in it.
type Repo struct {
	ID            int64
	NodeID        string
	Owner         *User
	Name          string
	Description   string
	Fork          bool
	Archived      bool
	DefaultBranch string
	CreatedAt     time.Time
	UpdatedAt     time.Time
	PushedAt      time.Time

	Pulls          []*Pull          // by number
	Issues         []*Issue         // by number (numbers are shared with Pulls)
	Commits        []*Commit        // default branch, oldest first
	IssueComments  []*Comment       // on issues and pull requests, by id
	ReviewComments []*ReviewComment // on pull request diffs, by id
	Releases       []*Release       // by id (creation order)
	CommitComments []*CommitComment // on default-branch commits, by id
	Stars          []*Star          // by StarredAt
	Forks          []*Fork          // by CreatedAt

	nextNumber int
}

// FullName is "owner/name".
func (r *Repo) FullName() string { return r.Owner.Login + "/" + r.Name }

// Head returns the newest commit of the default branch, or nil.
func (r *Repo) Head() *Commit {
	if len(r.Commits) == 0 {
		return nil
	}
	return r.Commits[len(r.Commits)-1]
}

// Pull is a pull request. ClosedAt is zero while it is open; MergedAt is
// set when it was merged (then ClosedAt equals MergedAt).
type Pull struct {
	ID          int64
	NodeID      string
	Number      int
	Title       string
	Author      *User
	CreatedAt   time.Time
	UpdatedAt   time.Time
	ClosedAt    time.Time
	MergedAt    time.Time
	ClosedBy    *User // who closed or merged it
	MergeCommit string
	HeadRef     string
	Reviews     []*Review // by SubmittedAt
	// Draft, Labels (names as shown) and the diff's size, as GitHub
	// reports them now.
	Draft                              bool
	Labels                             []string
	Additions, Deletions, ChangedFiles int
	// WhitespaceOnly: its diff changes only whitespace (Files; Additions
	// must equal Deletions).
	WhitespaceOnly bool
}

// File is one file of a pull request's diff, as pulls/{n}/files lists it.
type File struct {
	Name                 string
	Additions, Deletions int
	Patch                string
}

// Files returns the pull request's diff: ChangedFiles files sharing its
// additions and deletions, each with a unified-diff patch whose lines
// change only their indentation when WhitespaceOnly, and their words
// otherwise.
func (p *Pull) Files() []File {
	n := max(p.ChangedFiles, 1)
	out := make([]File, n)
	for i := range out {
		f := &out[i]
		f.Name = fmt.Sprintf("src/file_%d.go", i+1)
		f.Additions = p.Additions/n + btoi(i < p.Additions%n)
		f.Deletions = p.Deletions/n + btoi(i < p.Deletions%n)
		var b strings.Builder
		fmt.Fprintf(&b, "@@ -1,%d +1,%d @@", f.Deletions, f.Additions)
		for j := 0; j < f.Deletions; j++ {
			fmt.Fprintf(&b, "\n-    value%d := compute(%d)", j, j)
		}
		for j := 0; j < f.Additions; j++ {
			if p.WhitespaceOnly {
				fmt.Fprintf(&b, "\n+\tvalue%d := compute(%d)", j, j)
			} else {
				fmt.Fprintf(&b, "\n+\tvalue%d := computeFaster(%d, %d)", j, j, p.Number)
			}
		}
		f.Patch = b.String()
	}
	return out
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Merged reports whether the pull request was merged.
func (p *Pull) Merged() bool { return !p.MergedAt.IsZero() }

// Review is a submitted pull request review.
type Review struct {
	ID          int64
	NodeID      string
	Author      *User
	State       string // APPROVED, CHANGES_REQUESTED or COMMENTED
	Body        string
	SubmittedAt time.Time
}

// Issue is an issue (not a pull request). ClosedAt is zero while it is open.
type Issue struct {
	ID          int64
	NodeID      string
	Number      int
	Title       string
	Author      *User
	CreatedAt   time.Time
	UpdatedAt   time.Time
	ClosedAt    time.Time
	ClosedBy    *User
	StateReason string // "completed" or "not_planned" once closed
}

// Comment is a comment on an issue or on a pull request's conversation.
type Comment struct {
	ID        int64
	NodeID    string
	Author    *User
	Body      string
	Number    int  // the issue or pull request it is on
	OnPull    bool // true when Number is a pull request
	CreatedAt time.Time
	UpdatedAt time.Time
}

// ReviewComment is a comment on a pull request's diff.
type ReviewComment struct {
	ID        int64
	NodeID    string
	ReviewID  int64
	Author    *User
	Body      string
	Path      string
	Number    int // the pull request
	CreatedAt time.Time
	UpdatedAt time.Time

	review *Review
}

// CommitComment is a comment on a commit of the default branch: on the
// whole commit (Path empty) or on a line of its diff. GitHub numbers commit
// comments in a sequence of their own.
type CommitComment struct {
	ID        int64
	NodeID    string
	Author    *User
	Body      string
	CommitSHA string
	Path      string // "" for a comment on the whole commit
	Position  int    // the line in the diff, when Path is set
	Line      int    // the line in the file, when Path is set
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Commit is a commit on a repository's default branch. Author is the
// account GitHub links to the commit, nil when the email matches none.
type Commit struct {
	SHA         string
	Author      *User
	AuthorName  string
	AuthorEmail string
	AuthoredAt  time.Time
	CommittedAt time.Time
	Message     string
}

// Release is a published release (drafts are never generated).
type Release struct {
	ID          int64
	NodeID      string
	TagName     string
	Name        string
	Author      *User
	CreatedAt   time.Time
	PublishedAt time.Time
	Prerelease  bool
}

// Star is a user starring a repository.
type Star struct {
	User      *User
	StarredAt time.Time
}

// Fork is a fork of a repository into a user's account.
type Fork struct {
	ID        int64 // the fork repository's id
	NodeID    string
	Owner     *User
	Name      string
	CreatedAt time.Time
}

// Dataset is the whole in-memory GitHub. Readers (the test server) hold
// RLock; AddActivity takes the write lock itself.
type Dataset struct {
	sync.RWMutex

	Users []*User // people and bots, by id
	Orgs  []*User // organisations, by id
	Repos []*Repo // by id

	// Now is the dataset's clock: the time of its latest activity.
	Now time.Time

	nextID  int64
	nextCC  int64 // commit comments have their own id sequence
	byLogin map[string]*User
	byName  map[string]*Repo
	gen     *generator
}

// Repo returns the repository owner/name (case-insensitive), or nil.
// The caller holds the lock.
func (d *Dataset) Repo(owner, name string) *Repo {
	return d.byName[strings.ToLower(owner+"/"+name)]
}

// Account returns the user, bot or organisation login, or nil.
func (d *Dataset) Account(login string) *User { return d.byLogin[strings.ToLower(login)] }

// OrgRepos returns the repositories owned by org login, by id.
func (d *Dataset) OrgRepos(login string) []*Repo {
	var out []*Repo
	for _, r := range d.Repos {
		if strings.EqualFold(r.Owner.Login, login) {
			out = append(out, r)
		}
	}
	return out
}

// RepoByID returns the repository with id, or nil.
func (d *Dataset) RepoByID(id int64) *Repo {
	i := sort.Search(len(d.Repos), func(i int) bool { return d.Repos[i].ID >= id })
	if i < len(d.Repos) && d.Repos[i].ID == id {
		return d.Repos[i]
	}
	return nil
}

func (d *Dataset) newID() int64 {
	d.nextID++
	return d.nextID
}

// nodeID makes a GitHub-style opaque global id with a type prefix.
func nodeID(prefix string, id int64) string { return fmt.Sprintf("%s_kwDO%08X", prefix, id) }

func unixUTC(s int64) time.Time { return time.Unix(s, 0).UTC() }

// DeleteIssueComment removes a comment, as when its author deletes it.
func (d *Dataset) DeleteIssueComment(r *Repo, id int64) bool {
	d.Lock()
	defer d.Unlock()
	for i, c := range r.IssueComments {
		if c.ID == id {
			r.IssueComments = append(r.IssueComments[:i:i], r.IssueComments[i+1:]...)
			return true
		}
	}
	return false
}

// DeleteCommitComment removes a commit comment, as when its author deletes it.
func (d *Dataset) DeleteCommitComment(r *Repo, id int64) bool {
	d.Lock()
	defer d.Unlock()
	for i, c := range r.CommitComments {
		if c.ID == id {
			r.CommitComments = append(r.CommitComments[:i:i], r.CommitComments[i+1:]...)
			return true
		}
	}
	return false
}
