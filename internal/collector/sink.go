package collector

import (
	"context"
	"sync"
	"time"

	"contribtrack/internal/contrib"
)

// sink batches contributions from all repositories into large inserts and
// saves checkpoints only after the contributions they cover are stored:
// a repository adds its checkpoints after all its contributions, so any
// flush that writes the checkpoints has written (or already had written)
// those contributions first.
type sink struct {
	st    contrib.SyncStore
	size  int
	every time.Duration // longest a finished repository's checkpoints wait
	abort func()        // stops the run when storing fails for good
	obs   Observer      // nil: none

	mu    sync.Mutex // guards the fields below; flushes are serialised by flushMu
	last  time.Time  // last flush
	buf   []contrib.Contribution
	cps   []contrib.Checkpoint
	kinds map[contrib.Kind]int
	err   error // a batch that could not be stored: no checkpoint is saved after it

	flushMu sync.Mutex
}

func newSink(st contrib.SyncStore, size int, every time.Duration, abort func()) *sink {
	return &sink{st: st, size: size, every: every, abort: abort, last: time.Now(), kinds: map[contrib.Kind]int{}}
}

// add buffers contributions, flushing when a batch is full.
func (s *sink) add(ctx context.Context, cs ...contrib.Contribution) error {
	s.mu.Lock()
	s.buf = append(s.buf, cs...)
	full := len(s.buf) >= s.size
	s.mu.Unlock()
	if full {
		return s.flush(ctx)
	}
	return nil
}

// done queues a repository's checkpoints. They are written with the next
// flush: when a batch is full, when `every` has passed since the last one,
// or at the end of the run. Few large inserts are what ClickHouse wants;
// a run killed meanwhile refetches at most `every`'s worth of work.
func (s *sink) done(ctx context.Context, cps []contrib.Checkpoint) error {
	s.mu.Lock()
	s.cps = append(s.cps, cps...)
	due := time.Since(s.last) >= s.every
	s.mu.Unlock()
	if due {
		return s.flush(ctx)
	}
	return nil
}

// storeAttempts and storeBackoff: inserts are retried (storing a batch
// twice is harmless: natural keys) before the run gives up.
const (
	storeAttempts = 4
	storeBackoff  = 500 * time.Millisecond
)

// flush stores the buffered contributions, then the queued checkpoints.
// It does not stop when ctx is cancelled (what finished is stored after
// Ctrl-C too). When storing fails for good, the run is aborted and no
// checkpoint is saved from then on, so the next run fetches again.
func (s *sink) flush(ctx context.Context) error {
	s.flushMu.Lock()
	defer s.flushMu.Unlock()
	s.mu.Lock()
	if s.err != nil {
		s.buf, s.cps = nil, nil
		s.mu.Unlock()
		return s.err
	}
	buf, cps := s.buf, s.cps
	s.buf, s.cps = nil, nil
	s.last = time.Now()
	s.mu.Unlock()

	start := time.Now()
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Minute)
	defer cancel()
	stage := StageStore
	err := s.retry(fctx, func() error { return s.st.Insert(fctx, buf) }, len(buf) > 0)
	if err == nil {
		s.mu.Lock()
		for _, c := range buf {
			s.kinds[c.Kind]++
		}
		s.mu.Unlock()
		stage = StageCheckpoint
		err = s.retry(fctx, func() error { return s.st.SaveCheckpoints(fctx, cps) }, len(cps) > 0)
	}
	if s.obs != nil && len(buf)+len(cps) > 0 {
		s.observe(buf, len(cps), stage, time.Since(start), err)
	}
	if err != nil {
		s.mu.Lock()
		s.err = err
		s.mu.Unlock()
		if s.abort != nil {
			s.abort()
		}
	}
	return err
}

// observe tells the observer about a flush; stage is where it stopped.
func (s *sink) observe(buf []contrib.Contribution, cps int, stage string, elapsed time.Duration, err error) {
	f := Flush{Rows: len(buf), Checkpoints: cps, Elapsed: elapsed, Err: err, Stored: map[ViaKind]int{}}
	if err == nil || stage == StageCheckpoint {
		for _, c := range buf {
			f.Stored[ViaKind{c.Via, c.Kind}]++
		}
	}
	if err != nil {
		s.obs.Failed(stage, err)
	}
	s.obs.Flushed(f)
}

func (s *sink) retry(ctx context.Context, f func() error, needed bool) error {
	if !needed {
		return nil
	}
	var err error
	for i := 0; i < storeAttempts; i++ {
		if err = f(); err == nil {
			return nil
		}
		select {
		case <-time.After(storeBackoff << i):
		case <-ctx.Done():
			return err
		}
	}
	return err
}

func (s *sink) failed() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

func (s *sink) storedByKind() map[contrib.Kind]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[contrib.Kind]int, len(s.kinds))
	for k, v := range s.kinds {
		out[k] = v
	}
	return out
}
