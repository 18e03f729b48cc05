// Package queries holds contribtrack's SQL: the numbered schema migrations
// (migrations/NNNN_name.sql, rendered by the store for single-node or
// cluster layouts) and one statement per query file. Values are always bound
// by the caller (@name placeholders), never pasted into the text.
package queries

import (
	"embed"
	"fmt"
	"io/fs"
)

//go:embed *.sql migrations/*.sql
var files embed.FS

// FS returns the embedded SQL files.
func FS() fs.FS { return files }

// MustRead returns the text of one embedded query file; it panics when the
// file does not exist, which a test catches for every name the code uses.
func MustRead(name string) string {
	b, err := files.ReadFile(name)
	if err != nil {
		panic(fmt.Sprintf("queries: %v", err))
	}
	return string(b)
}
