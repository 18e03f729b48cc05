package contrib

import (
	"context"
	"time"
)

// SyncStore is where a source puts what it reads (a *store.Store): the
// checkpoints it resumes from, the contributions it yields, and the
// checkpoints that say how far it got. A source stores contributions
// before the checkpoints that cover them, so that a sync stopped at any
// point loses nothing and, run again, counts nothing twice.
type SyncStore interface {
	Insert(ctx context.Context, cs []Contribution) error
	Checkpoints(ctx context.Context) (map[CheckpointKey]Checkpoint, error)
	SaveCheckpoints(ctx context.Context, cps []Checkpoint) error
}

// Source reads one platform's activity, or one way of reaching it, into
// the model: the GitHub API's repositories (collector.Repos), roster
// members' accounts (collector.Members), GH Archive's hours as they are
// published (gharchive.Hours) or a given list of GH Archive files
// (gharchive.Files). docs/sources.md shows how another is added.
type Source interface {
	// Name says which source this is, in logs, job names and metrics.
	Name() string
	// Sync reads what is new since st's checkpoints and stores it in st.
	// An error may come with a partial Synced: what was stored before it
	// stays stored.
	Sync(ctx context.Context, st SyncStore) (Synced, error)
}

// Synced is what one Sync did, in the terms every source shares.
type Synced struct {
	// Started is false when the sync stopped before reading anything
	// (credentials refused, a platform unreachable, checkpoints unreadable):
	// the counts below mean nothing.
	Started bool
	// Unit names what Units counts: "repositories", "member accounts",
	// "hours", "inputs".
	Unit      string
	Units     int // considered
	Unchanged int // with nothing new
	Failed    int // that failed (their errors are in the sync's error)
	Stored    map[Kind]int
	Elapsed   time.Duration
	// Detail is the source's own account of the sync (collector.Summary,
	// gharchive.Stats), for callers that know the source, as
	// os.FileInfo.Sys is.
	Detail any
}

// Total is the number of contributions and signals stored.
func (s Synced) Total() int {
	n := 0
	for _, v := range s.Stored {
		n += v
	}
	return n
}
