package api

import (
	"context"
	"errors"
	"sync/atomic"

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
// a first-come first-served queue of bounded length (a big request at the
// head is not overtaken, so it cannot starve), and beyond that it is
// refused at once. Answers from the cache take no turn.
type limiter struct {
	sem      *semaphore.Weighted
	size     int64
	maxQueue int64 // < 0: nobody waits
	waiting  atomic.Int64
}

// newLimiter returns a limiter of size turns and a queue of maxQueue
// requests (negative: none), or nil (no limit) when size is negative.
func newLimiter(size, maxQueue int) *limiter {
	if size < 0 {
		return nil
	}
	return &limiter{sem: semaphore.NewWeighted(int64(size)), size: int64(size), maxQueue: int64(maxQueue)}
}

// acquire takes n turns (at most the limiter's size), waiting in the queue
// when they are taken. It returns errOverloaded when the queue is full,
// the context's error when it ends first, and otherwise the function that
// gives the turns back.
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
	if err := l.sem.Acquire(ctx, w); err != nil {
		return nil, err
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
