package api

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"contribtrack/internal/store"
)

// versionReadTimeout bounds one background read of the data version.
const versionReadTimeout = 5 * time.Second

// versionKeeper keeps the data version in memory, so that a request finds
// its cached answer without asking ClickHouse. One goroutine reads the
// version again every interval; RefreshVersion (after this process's own
// writes) and the check after each computed answer read it at once. A
// version read later always wins over one read earlier, whichever returns
// first.
//
// With a negative interval there is no version in memory: every request
// reads it (the behaviour before the keeper, kept for comparisons).
type versionKeeper struct {
	read  func(context.Context) (store.DataVersion, error)
	every time.Duration
	log   *slog.Logger

	mu      sync.Mutex
	current store.DataVersion
	seq     uint64 // the ticket of the read current came from (0: none succeeded yet)
	tickets uint64 // tickets handed out to reads, in the order they start

	first sync.Mutex // one first read at a time

	start  sync.Once
	stopMu sync.Mutex
	stop   context.CancelFunc // nil until started
	closed bool
	done   chan struct{}
}

func newVersionKeeper(read func(context.Context) (store.DataVersion, error), every time.Duration, log *slog.Logger) *versionKeeper {
	return &versionKeeper{read: read, every: every, log: log, done: make(chan struct{})}
}

// perRequest reports whether every request reads the version itself.
func (k *versionKeeper) perRequest() bool { return k.every < 0 }

// get returns the data version to answer at: the one in memory, read
// once if none is yet. It starts the background refresh on first use.
func (k *versionKeeper) get(ctx context.Context) (store.DataVersion, error) {
	if k.perRequest() {
		return k.read(ctx)
	}
	k.start.Do(k.run)
	if v, ok := k.known(); ok {
		return v, nil
	}
	// The first requests wait for one read, not one read each.
	k.first.Lock()
	defer k.first.Unlock()
	if v, ok := k.known(); ok {
		return v, nil
	}
	return k.observe(ctx)
}

// known returns the version in memory (ok false when none was read yet).
func (k *versionKeeper) known() (store.DataVersion, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.current, k.seq > 0
}

// observe reads the version from ClickHouse and keeps it unless a read
// that started later was kept already. It returns what it read.
func (k *versionKeeper) observe(ctx context.Context) (store.DataVersion, error) {
	k.mu.Lock()
	k.tickets++
	ticket := k.tickets
	k.mu.Unlock()
	v, err := k.read(ctx)
	if err != nil {
		return store.DataVersion{}, err
	}
	k.mu.Lock()
	if ticket > k.seq {
		k.current, k.seq = v, ticket
	}
	k.mu.Unlock()
	return v, nil
}

// run starts the background refresh.
func (k *versionKeeper) run() {
	k.stopMu.Lock()
	defer k.stopMu.Unlock()
	if k.closed {
		close(k.done)
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	k.stop = cancel
	go func() {
		defer close(k.done)
		t := time.NewTicker(k.every)
		defer t.Stop()
		failing := false
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			rctx, cancel := context.WithTimeout(ctx, min(versionReadTimeout, max(k.every, time.Second)))
			_, err := k.observe(rctx)
			cancel()
			switch {
			case err != nil && ctx.Err() != nil:
				return
			case err != nil && !failing:
				// Cached answers go on being served at the last version
				// read; say so once per outage, not every interval.
				k.log.Warn("api: cannot read the data version; cached answers stay at the last one read", "err", err)
				failing = true
			case err == nil && failing:
				k.log.Info("api: reading the data version again")
				failing = false
			}
		}
	}()
}

// close stops the background refresh and waits for it.
func (k *versionKeeper) close() {
	k.stopMu.Lock()
	k.closed = true
	stop := k.stop
	k.stopMu.Unlock()
	if stop == nil {
		return // never started (and run will not start it now)
	}
	stop()
	<-k.done
}
