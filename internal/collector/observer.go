package collector

import (
	"time"

	"contribtrack/internal/contrib"
)

// Observer is told what a collection does, for metrics. Calls may come
// from several goroutines at once and must return quickly.
type Observer interface {
	// Flushed is told about every flush that had contributions or
	// checkpoints to store, after it ends, whether it succeeded or not.
	Flushed(f Flush)
	// Failed is told about every failure, by the stage it happened in
	// (StageProbe, StageFetch, StageStore, StageCheckpoint). Failures
	// caused by an interrupted run are not reported.
	Failed(stage string, err error)
	// RepoSynced is told when a repository's sync ends (not a member
	// account's), with the same result Progress gets.
	RepoSynced(r RepoResult)
	// RunFinished is told when Run ("repositories") or RunMembers
	// ("members") ends, with how long it took and its error.
	RunFinished(run string, elapsed time.Duration, err error)
}

// The stages Observer.Failed names.
const (
	StageProbe      = "probe"      // listing an organisation's repositories, probing a repository or a member's account
	StageFetch      = "fetch"      // fetching a resource of a repository or a member's window
	StageStore      = "store"      // inserting contributions
	StageCheckpoint = "checkpoint" // reading or saving checkpoints
)

// Flush is one flush of the sink.
type Flush struct {
	Rows        int             // contributions in the batch
	Checkpoints int             // checkpoints queued with it
	Stored      map[ViaKind]int // contributions stored, by source and kind (empty when the insert failed)
	Elapsed     time.Duration   // the whole flush, retries included
	Err         error
}

// ViaKind is how a contribution arrived, and its kind.
type ViaKind struct {
	Via  contrib.Via
	Kind contrib.Kind
}

// failed tells the observer, if any, about a failure, unless the run was
// interrupted (interrupted is ctx.Err() != nil).
func (c *Collector) failed(interrupted bool, stage string, err error) {
	if c.opts.Observer != nil && !interrupted {
		c.opts.Observer.Failed(stage, err)
	}
}
