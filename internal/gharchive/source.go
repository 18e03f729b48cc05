package gharchive

import (
	"context"
	"fmt"
	"strings"
	"time"

	"contribtrack/internal/contrib"
)

// Files reads a given list of GH Archive inputs as a contrib.Source (the
// import command). It keeps no checkpoint: importing the same files again
// changes no count. Synced.Detail is the Read's Stats; Synced.Units counts
// the inputs, Failed those that could not be read to their end.
type Files struct {
	Inputs  []Input
	Options Options
}

// Name says which source this is.
func (Files) Name() string { return "gharchive files" }

// Sync reads every input into st.
func (f Files) Sync(ctx context.Context, st contrib.SyncStore) (contrib.Synced, error) {
	start := time.Now()
	stored := map[contrib.Kind]int{}
	stats, err := Read(ctx, f.Inputs, f.Options, storing(st, stored))
	return contrib.Synced{Started: true, Unit: "inputs", Units: len(f.Inputs), Failed: len(stats.Broken),
		Stored: stored, Elapsed: time.Since(start), Detail: stats}, err
}

// Hours follows GH Archive's hours as they are published, as a
// contrib.Source (serve's history job): each Sync imports the hours due
// since its checkpoint (Follow.Run), and saves the next hour in it after
// each one is stored. Without a checkpoint it starts at From.
// Synced.Detail is the FollowResult; Synced.Units counts the hours
// imported and skipped.
type Hours struct {
	Follow Follow // its Sink is set to the store's Insert
	From   time.Time
}

// Name says which source this is.
func (Hours) Name() string { return "gharchive hours" }

// HoursCheckpoint is the key of the hours' checkpoint: no repository's
// (id 0), its Cursor the next hour to import (as ParseHour reads it).
var HoursCheckpoint = contrib.CheckpointKey{Resource: contrib.ResourceArchiveHours}

// Sync imports the hours due since the checkpoint.
func (h Hours) Sync(ctx context.Context, st contrib.SyncStore) (contrib.Synced, error) {
	start := time.Now()
	syn := contrib.Synced{Unit: "hours", Stored: map[contrib.Kind]int{}}
	cps, err := st.Checkpoints(ctx)
	if err != nil {
		return syn, err
	}
	next := h.From
	if cp, ok := cps[HoursCheckpoint]; ok {
		if next, err = ParseHour(cp.Cursor); err != nil {
			return syn, fmt.Errorf("the GH Archive hours' checkpoint: %w", err)
		}
	}
	syn.Started = true
	f := h.Follow
	f.Sink = storing(st, syn.Stored)
	res, err := f.Run(ctx, next, func(n time.Time) error {
		cp := contrib.Checkpoint{Resource: contrib.ResourceArchiveHours, RepoName: "gharchive",
			Cursor: HourString(n), SyncedAt: time.Now().UTC().Truncate(time.Second)}
		return st.SaveCheckpoints(ctx, []contrib.Checkpoint{cp})
	})
	syn.Units, syn.Failed, syn.Elapsed, syn.Detail = res.Imported+len(res.Skipped), len(res.Skipped), time.Since(start), res
	return syn, err
}

// storing is a Sink into st that counts, in stored, the kinds of the
// batches st accepted (Read calls it from one goroutine).
func storing(st contrib.SyncStore, stored map[contrib.Kind]int) Sink {
	return func(ctx context.Context, batch []contrib.Contribution) error {
		if err := st.Insert(ctx, batch); err != nil {
			return err
		}
		for _, c := range batch {
			stored[c.Kind]++
		}
		return nil
	}
}

// HourString names an hour as ParseHour reads it ("2015-01-01-12").
func HourString(t time.Time) string { return strings.TrimSuffix(HourName(t), ".json.gz") }
