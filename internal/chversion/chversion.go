// Package chversion names ClickHouse releases: which one a server or a
// binary is, and the oldest one contribtrack supports.
package chversion

import (
	"fmt"
	"regexp"
	"strconv"
)

// MinSupported is the oldest ClickHouse release contribtrack supports
// (docs/clickhouse.md): migrate and /readyz refuse an older server, and the
// embedded default never runs one.
var MinSupported = Version{24, 8}

// Version is a ClickHouse release's year and month numbers (26.7).
type Version struct{ Major, Minor int }

var versionPattern = regexp.MustCompile(`(\d+)\.(\d+)(\.\d+)*`)

// Parse finds the first version number in text ("26.7.2.1",
// "ClickHouse server version 18.16.1.").
func Parse(text string) (Version, error) {
	m := versionPattern.FindStringSubmatch(text)
	if m == nil {
		return Version{}, fmt.Errorf("no version number in %q", text)
	}
	major, _ := strconv.Atoi(m[1])
	minor, _ := strconv.Atoi(m[2])
	return Version{major, minor}, nil
}

// Less reports whether v is older than o.
func (v Version) Less(o Version) bool {
	return v.Major < o.Major || v.Major == o.Major && v.Minor < o.Minor
}

// String is "26.7".
func (v Version) String() string { return fmt.Sprintf("%d.%d", v.Major, v.Minor) }
