package collector

import (
	"context"
	"sync"
	"time"

	"contribtrack/internal/contrib"
	"contribtrack/internal/store"
)

// sink batches contributions from all repositories into large inserts and
// saves checkpoints only after the contributions they cover are stored:
// a repository adds its checkpoints after all its contributions, so any
// flush that writes the checkpoints has written (or already had written)
// those contributions first.
type sink struct {
	st    Store
	size  int
	every time.Duration // longest a finished repository's checkpoints wait
	last  time.Time     // last flush
	mu    sync.Mutex    // guards the buffers; flushes are serialised by flushMu
	buf   []contrib.Contribution
	cps   []store.Checkpoint
	kinds map[contrib.Kind]int
	err   error // the first failed flush: no checkpoint is saved after it

	flushMu sync.Mutex
}

func newSink(st Store, size int, every time.Duration) *sink {
	return &sink{st: st, size: size, every: every, last: time.Now(), kinds: map[contrib.Kind]int{}}
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
func (s *sink) done(ctx context.Context, cps []store.Checkpoint) error {
	s.mu.Lock()
	s.cps = append(s.cps, cps...)
	due := time.Since(s.last) >= s.every
	s.mu.Unlock()
	if due {
		return s.flush(ctx)
	}
	return nil
}

// flush stores the buffered contributions, then the queued checkpoints.
// On error the checkpoints stay unsaved, so the next run fetches again.
func (s *sink) flush(ctx context.Context) error {
	s.flushMu.Lock()
	defer s.flushMu.Unlock()
	s.mu.Lock()
	if s.err != nil {
		// A batch was lost: checkpoints queued since may cover it.
		s.buf, s.cps = nil, nil
		s.mu.Unlock()
		return s.err
	}
	buf, cps := s.buf, s.cps
	s.buf, s.cps = nil, nil
	s.last = time.Now()
	s.mu.Unlock()
	if len(buf) > 0 {
		if err := s.st.Insert(ctx, buf); err != nil {
			s.mu.Lock()
			s.err = err
			s.mu.Unlock()
			return err
		}
		s.mu.Lock()
		for _, c := range buf {
			s.kinds[c.Kind]++
		}
		s.mu.Unlock()
	}
	if err := s.st.SaveCheckpoints(ctx, cps); err != nil {
		s.mu.Lock()
		s.err = err
		s.mu.Unlock()
		return err
	}
	return nil
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
