package gharchive

import (
	"path"
	"regexp"
	"strings"
	"time"

	"contribtrack/internal/contrib"
)

// Observer is told what an import does, for metrics. Decoded and
// HourImported are called from Read's goroutine, Stored from the one that
// runs the sink: calls may overlap and must return quickly.
type Observer interface {
	// Decoded is told, a block of input at a time, how many events were
	// read and how many lines were malformed.
	Decoded(events, malformed int64)
	// Stored is told, a batch at a time, how many contributions and
	// signals the sink stored, by kind.
	Stored(kinds map[contrib.Kind]int)
	// HourImported is told about each input named for a GH Archive hour
	// ("2024-01-01-5.json.gz") that was read to its end, once the whole
	// Read has stored everything: an import that fails reports no hour.
	HourImported(hour time.Time)
}

// hourFile matches the last element of an input named for an hour.
var hourFile = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2}-\d{1,2})\.json(\.gz)?$`)

// hourOf returns the hour an input's name (a path or a URL) says it
// holds.
func hourOf(name string) (time.Time, bool) {
	name = strings.ReplaceAll(name, `\`, "/")
	m := hourFile.FindStringSubmatch(path.Base(name))
	if m == nil {
		return time.Time{}, false
	}
	h, err := ParseHour(m[1])
	return h, err == nil
}

// UnitOf names what an input holds, for what is stored per input (the
// bot signals): the hour an input's name says it holds, whatever its
// directory, URL or compression ("2015-01-01-12"), else its file name.
func UnitOf(name string) string {
	if h, ok := hourOf(name); ok {
		return HourString(h)
	}
	return path.Base(strings.ReplaceAll(name, `\`, "/"))
}

// countKinds counts a batch by kind.
func countKinds(batch []contrib.Contribution) map[contrib.Kind]int {
	out := map[contrib.Kind]int{}
	for _, c := range batch {
		out[c.Kind]++
	}
	return out
}
