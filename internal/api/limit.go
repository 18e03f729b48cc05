package api

import (
	"context"
	"errors"
	"sync/atomic"
	"time"

	"golang.org/x/sync/semaphore"
)

// errOverloaded is a 429 answer: every turn is taken and the queue is
// full.
var errOverloaded = errors.New("overloaded")

// retryAfterSeconds is what a 429 tells the client to wait.
const retryAfterSeconds = 1

// limiter bounds the ClickHouse questions the API asks at once. A request
// that must ask ClickHouse takes as many turns as it asks questions in
// parallel (a report asks eleven at once); when they are taken it waits in
// a first-come first-served queue (a big request at the head is not
// overtaken, so it cannot starve). The queue is bounded in length, beyond
// which a request is refused at once, and in time: a request that waited
// maxWait is refused too, rather than left to time out once it had its
// turn. Answers from the cache take no turn.
type limiter struct {
	sem      *semaphore.Weighted
	size     int64
	maxQueue int64 // < 0: nobody waits
	maxWait  time.Duration
	waiting  atomic.Int64
}

// newLimiter returns a limiter of size turns and a queue of maxQueue
// requests (negative: none) waiting maxWait at most, or nil (no limit)
// when size is negative.
func newLimiter(size, maxQueue int, maxWait time.Duration) *limiter {
	if size < 0 {
		return nil
	}
	return &limiter{sem: semaphore.NewWeighted(int64(size)), size: int64(size), maxQueue: int64(maxQueue), maxWait: maxWait}
}

// acquire takes n turns (at most the limiter's size), waiting in the queue
// when they are taken. It returns errOverloaded when the queue is full or
// the wait reached maxWait, the context's error when it ends first, and
// otherwise the function that gives the turns back.
func (l *limiter) acquire(ctx context.Context, n int) (release func(), err error) {
	if l == nil {
		return func() {}, nil
	}
	w := min(max(int64(n), 1), l.size)
	// TryAcquire fails while anyone waits: nobody jumps the queue.
	if l.sem.TryAcquire(w) {
		return func() { l.sem.Release(w) }, nil
	}
	if l.waiting.Add(1) > l.maxQueue {
		l.waiting.Add(-1)
		return nil, errOverloaded
	}
	defer l.waiting.Add(-1)
	wctx, cancel := context.WithTimeout(ctx, l.maxWait)
	defer cancel()
	if err := l.sem.Acquire(wctx, w); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, errOverloaded
	}
	return func() { l.sem.Release(w) }, nil
}

// queued returns how many requests wait for turns.
func (l *limiter) queued() int {
	if l == nil {
		return 0
	}
	return int(l.waiting.Load())
}
