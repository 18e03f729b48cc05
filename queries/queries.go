// Package queries holds contribtrack's SQL, and no Go file outside it
// does (a test checks): the numbered schema migrations
// (migrations/NNNN_name.sql, rendered by the store for single-node or
// cluster layouts with the definitions of layout.tmpl), one statement (or
// one part of a statement) per query file, and how statements are
// rewritten for a cluster (ForCluster). Values are always bound by the
// caller (@name or ? placeholders), never pasted into the text.
//
// A statement is put together from its files in four ways, each visible
// in the files themselves:
//
//   - "-- @include NAME" lines are replaced by the file NAME (MustRead);
//   - {{kinds "PART" "SEP"}} by PART once per kind of the kind table
//     (contrib.KindTable), joined by SEP (MustRead): lists of per-kind
//     columns and counts;
//   - "-- @SLOT" lines (rows, input, only, having, bots, people) by a part the caller chose or
//     assembled from other files (MustFill);
//   - "{name}" placeholders by the names of databases, tables or bound
//     parameters, which cannot be bound (MustName).
package queries

import (
	"embed"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"contribtrack/internal/contrib"
)

//go:embed *.sql *.tmpl migrations/*.sql views/*.sql
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
	return expandKinds(readWith(name, swap))
}

func readWith(name string, swap map[string]string) string {
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
			lines[i] = readWith(inc, swap)
		}
	}
	return strings.Join(lines, "\n")
}

// kindList is a list with one part per kind: {{kinds "PART" "SEP"}}, both
// Go string literals.
var kindList = regexp.MustCompile(`\{\{kinds ("(?:[^"\\]|\\.)*") ("(?:[^"\\]|\\.)*")\}\}`)

// expandKinds replaces every {{kinds "PART" "SEP"}} of text with PART once
// per kind of contrib.Kinds, in its order, joined by SEP: in PART, {kind}
// is the kind's name, {i} its position from 1 (its Enum8 value in the
// contributions table, and its index in a counts array), {weight} its
// default weight and {counted} 1 when it counts towards leaderboards (0
// for stars and forks). The kind table thus writes the statements' lists
// of per-kind columns and counts.
func expandKinds(text string) string {
	return kindList.ReplaceAllStringFunc(text, func(m string) string {
		sub := kindList.FindStringSubmatch(m)
		part, err1 := strconv.Unquote(sub[1])
		sep, err2 := strconv.Unquote(sub[2])
		if err1 != nil || err2 != nil {
			panic(fmt.Sprintf("queries: %s: bad string", m))
		}
		table := contrib.KindTable()
		parts := make([]string, len(table))
		for i, k := range table {
			counted := "0"
			if k.Contribution {
				counted = "1"
			}
			parts[i] = strings.NewReplacer("{kind}", string(k.Kind), "{i}", strconv.Itoa(i+1),
				"{weight}", strconv.FormatFloat(k.Weight, 'g', -1, 64), "{counted}", counted).Replace(part)
		}
		return strings.Join(parts, sep)
	})
}

// slotLine is a line that marks where a part of the statement goes:
// "-- @NAME" (NAME other than include).
var slotLine = regexp.MustCompile(`(?m)^[ \t]*-- @([a-z_]+)[ \t]*$`)

// MustFill returns text with its line "-- @slot" replaced by part (several
// lines, or none). It panics when text has no such line.
func MustFill(text, slot, part string) string {
	for _, m := range slotLine.FindAllStringSubmatchIndex(text, -1) {
		if text[m[2]:m[3]] == slot {
			return text[:m[0]] + part + text[m[1]:]
		}
	}
	panic(fmt.Sprintf("queries: no line -- @%s to fill", slot))
}

// Slots returns the slots of text that are still to be filled, in order.
func Slots(text string) []string {
	var out []string
	for _, m := range slotLine.FindAllStringSubmatch(text, -1) {
		if m[1] != "include" {
			out = append(out, m[1])
		}
	}
	return out
}

// placeholder is a name to put in a statement: {name}.
var placeholder = regexp.MustCompile(`\{[a-z_]+\}`)

// MustName returns text with every placeholder "{key}" replaced by
// names[key]: the name of a database or table (which a statement cannot
// bind; the caller checks it), or the prefix of some bound parameters'
// names. It panics when a key has no placeholder in text, or a placeholder
// no name.
func MustName(text string, names map[string]string) string {
	for k, v := range names {
		p := "{" + k + "}"
		if !strings.Contains(text, p) {
			panic(fmt.Sprintf("queries: no placeholder %s", p))
		}
		text = strings.ReplaceAll(text, p, v)
	}
	if p := placeholder.FindString(text); p != "" {
		panic(fmt.Sprintf("queries: no name for %s", p))
	}
	return text
}

// MustFillEach returns text with every line "-- @slot" replaced by part,
// for a slot of a file included more than once. It panics when text has
// no such line.
func MustFillEach(text, slot, part string) string {
	text = MustFill(text, slot, part)
	for slices.Contains(Slots(text), slot) {
		text = MustFill(text, slot, part)
	}
	return text
}
