package contrib

import "time"

// The resources a source syncs one at a time, each with its own
// checkpoint. The names are stored (sync_checkpoints.resource) and shown
// (contribtrack sync status, /api/v1/sync).
const (
	ResourcePulls          = "pulls"
	ResourceReviewComments = "review_comments"
	ResourceIssues         = "issues"
	ResourceIssueComments  = "issue_comments"
	ResourceCommits        = "commits"
	ResourceCommitComments = "commit_comments"
	ResourceReleases       = "releases"
	ResourceStars          = "stars"
	ResourceForks          = "forks"
	// ResourceRepo is a whole repository: its checkpoint says when every
	// resource was last in sync (written even when nothing changed).
	ResourceRepo = "repo"
	// ResourceMember is one followed account (a roster member's): its
	// checkpoint's repository is the account (MemberCheckpoint).
	ResourceMember = "member"
	// ResourceArchiveHours is GH Archive's stream of hours: one
	// checkpoint, of no repository (id 0), whose cursor is the next hour.
	ResourceArchiveHours = "gharchive_hours"
)

// OfRepository reports whether a checkpoint of resource belongs to a
// repository (sync status lists those), rather than to a followed account
// or a platform-wide stream.
func OfRepository(resource string) bool {
	return resource != ResourceMember && resource != ResourceArchiveHours
}

// ResourceKind returns the kind whose stored count matches the total a
// platform reports for a repository's resource (ok false: none does).
func ResourceKind(resource string) (k Kind, ok bool) {
	switch resource {
	case ResourcePulls:
		return PROpened, true
	case ResourceIssues:
		return IssueOpened, true
	case ResourceCommits:
		return Commit, true
	case ResourceReleases:
		return Release, true
	case ResourceStars:
		return Star, true
	case ResourceForks:
		return Fork, true
	case ResourceCommitComments:
		return CommitComment, true
	}
	return "", false
}

// Checkpoint is where a source stands for one resource of one repository
// (or one followed account): what it saw last, and where the next sync
// resumes. Sources make them; the store keeps them.
type Checkpoint struct {
	RepoID    uint64
	RepoName  string
	Resource  string // one of the Resource names
	Signature string // the repository's state for this resource when synced
	Cursor    string // where an incremental fetch resumes
	Total     uint64 // the total the platform reported
	SyncedAt  time.Time
}

// CheckpointKey identifies a checkpoint.
type CheckpointKey struct {
	RepoID   uint64
	Resource string
}

// Key returns the checkpoint's key.
func (c Checkpoint) Key() CheckpointKey { return CheckpointKey{c.RepoID, c.Resource} }

// MemberCheckpoint is the checkpoint of a followed account: its account id
// and login stand where a repository's would ("@" before the login keeps
// it apart from repository names).
func MemberCheckpoint(accountID uint64, login string, at time.Time) Checkpoint {
	return Checkpoint{RepoID: accountID, RepoName: MemberCheckpointName(login), Resource: ResourceMember, SyncedAt: at}
}

// MemberCheckpointName is the name a followed account's checkpoint
// carries.
func MemberCheckpointName(login string) string { return "@" + login }
