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
func MustRead(name string) string {
	b, err := files.ReadFile(name)
	if err != nil {
		panic(fmt.Sprintf("queries: %v", err))
	}
	lines := strings.Split(string(b), "\n")
	for i, l := range lines {
		if inc, ok := strings.CutPrefix(strings.TrimSpace(l), "-- @include "); ok {
			lines[i] = MustRead(strings.TrimSpace(inc))
		}
	}
	return strings.Join(lines, "\n")
}
