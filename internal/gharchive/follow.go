package gharchive

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// Follow imports GH Archive's hours as they are published, a few at a
// time, from where the last import stopped: the optional history job of
// contribtrack serve.
type Follow struct {
	Resolver Resolver
	Options  Options
	Sink     Sink
	// MaxHours bounds the hours one call imports; default 24.
	MaxHours int
	// Delay is how long after an hour ends its file is expected; default
	// 2 h (GH Archive publishes an hour within about one).
	Delay time.Duration
	// SkipAfter is how old a missing or broken hour must be to be skipped
	// rather than tried again; default 24 h.
	SkipAfter time.Duration
	// Failures counts the failed attempts of each hour across calls (the
	// caller keeps it); nil: an old hour is skipped only when missing.
	Failures map[time.Time]int
	Now      func() time.Time
	Logger   *slog.Logger
}

// brokenAttempts is how many times an old hour that cannot be read to its
// end is tried before it is skipped.
const brokenAttempts = 3

// FollowResult says what one call did.
type FollowResult struct {
	Imported int       // hours read to the end and stored
	Skipped  []string  // missing hours given up on
	Next     time.Time // the next hour to import
}

// Run imports the hours from next on that should be published by now, in
// order, and calls save with the next hour after each one is stored. It
// stops at the first hour that fails (a recent hour missing or broken, a
// storage error) so that the next call tries it again; an hour older than
// SkipAfter that is missing or cannot be read to its end is skipped and
// reported.
func (f Follow) Run(ctx context.Context, next time.Time, save func(next time.Time) error) (FollowResult, error) {
	if f.MaxHours <= 0 {
		f.MaxHours = 24
	}
	if f.Delay <= 0 {
		f.Delay = 2 * time.Hour
	}
	if f.SkipAfter <= 0 {
		f.SkipAfter = 24 * time.Hour
	}
	if f.Now == nil {
		f.Now = time.Now
	}
	res := FollowResult{Next: next.UTC().Truncate(time.Hour)}
	now := f.Now().UTC()
	for i := 0; i < f.MaxHours && !res.Next.Add(time.Hour+f.Delay).After(now); i++ {
		hour := res.Next
		name := HourName(hour)
		inputs, err := f.Resolver.Resolve([]string{name[:len(name)-len(".json.gz")]})
		if err != nil {
			return res, err
		}
		st, err := Read(ctx, inputs, f.Options, f.Sink)
		if err != nil {
			return res, fmt.Errorf("GH Archive %s: %w", name, err)
		}
		if len(st.Broken) > 0 {
			// A recent hour may still come (or be fixed): try again later.
			// An old one that is missing or cannot be read to its end is
			// given up on (what was read of it is stored), or it would
			// block every later hour.
			broken := errors.Join(st.Broken...)
			old := now.Sub(hour.Add(time.Hour)) >= f.SkipAfter
			if f.Failures != nil && !errors.Is(broken, ErrHourMissing) {
				f.Failures[hour]++
			}
			// A network error also breaks a file: an old hour that is not
			// missing is given up on only after it failed a few times.
			if !old || (!errors.Is(broken, ErrHourMissing) && (f.Failures == nil || f.Failures[hour] < brokenAttempts)) {
				return res, fmt.Errorf("GH Archive %s: %w", name, broken)
			}
			delete(f.Failures, hour)
			res.Skipped = append(res.Skipped, name)
			if f.Logger != nil {
				f.Logger.Warn("GH Archive hour missing or broken; skipped", "hour", name, "err", broken)
			}
		} else {
			res.Imported++
		}
		res.Next = hour.Add(time.Hour)
		if err := save(res.Next); err != nil {
			return res, err
		}
	}
	return res, nil
}
