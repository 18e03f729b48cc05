package report

import (
	"time"

	"contribtrack/internal/contrib"
	"contribtrack/internal/store"
)

// Activity units by period length: daily up to a month, weekly up to half
// a year, monthly up to three years, yearly beyond.
func unitFor(from, to time.Time) string {
	days := to.Sub(from).Hours() / 24
	switch {
	case days <= 31:
		return "day"
	case days <= 190:
		return "week"
	case days <= 3*366:
		return "month"
	}
	return "year"
}

// fillActivity lists every bucket of the period, empty ones included.
func (r *Report) fillActivity(rows []store.ActivityBucket, unit string, from, to time.Time) {
	byStart := map[string]store.ActivityBucket{}
	for _, b := range rows {
		byStart[day(b.Start)] = b
	}
	r.Activity = Activity{Unit: unit, Buckets: []ActivityBucket{}}
	for start := from; start.Before(to); start = next(start, unit) {
		// A bucket is named by its first day in the period; the store
		// names it by its calendar start.
		b := byStart[day(calendarStart(start, unit))]
		ab := ActivityBucket{Start: day(start), Contributions: b.Contributions, Contributors: b.People, Counts: map[string]uint64{}}
		for _, k := range r.Kinds {
			ab.Counts[k] = b.Counts[contrib.Kind(k)]
		}
		r.Activity.Buckets = append(r.Activity.Buckets, ab)
	}
}

// calendarStart is the first day of the unit t is in.
func calendarStart(t time.Time, unit string) time.Time {
	y, m, d := t.Date()
	switch unit {
	case "week":
		back := (int(t.Weekday()) + 6) % 7 // days since Monday
		return time.Date(y, m, d-back, 0, 0, 0, 0, time.UTC)
	case "month":
		return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
	case "year":
		return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// next is the first day of the unit after t's.
func next(t time.Time, unit string) time.Time {
	s := calendarStart(t, unit)
	switch unit {
	case "week":
		return s.AddDate(0, 0, 7)
	case "month":
		return s.AddDate(0, 1, 0)
	case "year":
		return s.AddDate(1, 0, 0)
	}
	return s.AddDate(0, 0, 1)
}
