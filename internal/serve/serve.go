// Package serve runs contribtrack's long-running service: scheduled jobs
// (syncing GitHub, refreshing the rollup and the community gauges) and the
// HTTP server, in one process, until it is told to stop. Stopping is
// graceful: the HTTP server finishes the requests in flight, and the job
// that is running is cancelled and waited for, so that what it fetched is
// stored and its checkpoints saved.
package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"sync"
	"time"
)

// Job is one step of a scheduled round.
type Job struct {
	Name string
	Run  func(ctx context.Context) error
}

// Options configure the service.
type Options struct {
	// Listener is where the HTTP server accepts connections.
	Listener net.Listener
	Handler  http.Handler
	// Jobs run in order, one round at a time: the first round at start,
	// the next Interval (plus up to Jitter of it at random) after the
	// previous round started, or at once when a round took longer.
	Jobs     []Job
	Interval time.Duration
	Jitter   float64
	// RequestTimeout bounds one request's work; the server's write timeout
	// is a little longer.
	RequestTimeout time.Duration
	// ShutdownTimeout bounds the wait for requests in flight; default 30 s.
	// The running job is always waited for: it stops at its next
	// cancellation check and stores what it has.
	ShutdownTimeout time.Duration
	// OnRound, when set, is told about each finished round (tests).
	OnRound func(Round)
	Logger  *slog.Logger
}

// Round is the outcome of one scheduled round.
type Round struct {
	Started  time.Time
	Duration time.Duration
	Errors   map[string]error // by job name
}

// Run serves until ctx is cancelled, then stops gracefully. It returns an
// error when the HTTP server cannot serve.
func Run(ctx context.Context, o Options) error {
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if o.ShutdownTimeout <= 0 {
		o.ShutdownTimeout = 30 * time.Second
	}
	if o.RequestTimeout <= 0 {
		o.RequestTimeout = 30 * time.Second
	}
	srv := &http.Server{
		Handler:           o.Handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      o.RequestTimeout + 5*time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          slog.NewLogLogger(o.Logger.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(o.Listener) }()
	o.Logger.Info("serving", "addr", o.Listener.Addr().String())

	jobsCtx, stopJobs := context.WithCancel(context.WithoutCancel(ctx))
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		schedule(jobsCtx, o)
	}()

	var err error
	select {
	case <-ctx.Done():
	case err = <-served:
		err = fmt.Errorf("http server: %w", err)
	}
	o.Logger.Info("stopping: finishing requests and the running job")
	shutCtx, cancel := context.WithTimeout(context.Background(), o.ShutdownTimeout)
	defer cancel()
	if serr := srv.Shutdown(shutCtx); serr != nil && !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, fmt.Errorf("http server shutdown: %w", serr))
	}
	stopJobs()
	wg.Wait()
	o.Logger.Info("stopped")
	return err
}

// schedule runs rounds until ctx is cancelled.
func schedule(ctx context.Context, o Options) {
	for {
		start := time.Now()
		round := Round{Started: start, Errors: map[string]error{}}
		for _, j := range o.Jobs {
			if ctx.Err() != nil {
				break
			}
			jobStart := time.Now()
			if err := j.Run(ctx); err != nil {
				round.Errors[j.Name] = err
				o.Logger.Error("scheduled job failed", "job", j.Name, "err", err)
			} else {
				o.Logger.Info("scheduled job done", "job", j.Name, "took", time.Since(jobStart).Round(time.Millisecond))
			}
		}
		round.Duration = time.Since(start)
		if o.OnRound != nil {
			o.OnRound(round)
		}
		wait := time.Until(start.Add(next(o.Interval, o.Jitter)))
		if wait < 0 {
			wait = 0
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

// next is the time from one round's start to the next: the interval plus
// up to jitter of it at random.
func next(interval time.Duration, jitter float64) time.Duration {
	if jitter <= 0 {
		return interval
	}
	return interval + time.Duration(rand.Float64()*jitter*float64(interval))
}
