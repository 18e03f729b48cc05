// Package queries holds contribtrack's SQL: the numbered schema migrations
// (migrations/NNNN_name.sql, rendered by the store for single-node or
// cluster layouts) and one statement per query file. Values are always bound
// by the caller (@name placeholders), never pasted into the text.
package queries

import (
	"embed"
	"fmt"
	"io/fs"
	"strings"
)

//go:embed *.sql migrations/*.sql
var files embed.FS

// FS returns the embedded SQL files.
func FS() fs.FS { return files }

// MustRead returns the text of one embedded query file, with every line
// "-- @include NAME" replaced by the text of NAME (a shared part of several
// statements; structure only, values are still bound by the caller). It
// panics when a file does not exist, which a test catches for every name
// the code uses.
func MustRead(name string) string { return MustReadWith(name, nil) }

// MustReadWith is MustRead with some includes swapped: an "-- @include A"
// line anywhere in the tree reads the file swap[A] instead of A. It lets one
// statement read its rows from one of two interchangeable sources.
func MustReadWith(name string, swap map[string]string) string {
	b, err := files.ReadFile(name)
	if err != nil {
		panic(fmt.Sprintf("queries: %v", err))
	}
	lines := strings.Split(string(b), "\n")
	for i, l := range lines {
		if inc, ok := strings.CutPrefix(strings.TrimSpace(l), "-- @include "); ok {
			inc = strings.TrimSpace(inc)
			if other, ok := swap[inc]; ok {
				inc = other
			}
			lines[i] = MustReadWith(inc, swap)
		}
	}
	return strings.Join(lines, "\n")
}
