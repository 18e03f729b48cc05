package leaderboard

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strings"
	"testing"
	"unicode"

	"contribtrack/internal/contrib"
)

// TestCSVAndTableHoldNoControlCharacters: logins made of terminal escapes
// come out of the CSV and the table without their control characters (so
// that printing the file cannot drive the terminal), the rest of them
// kept, and no CSV cell starts a formula.
func TestCSVAndTableHoldNoControlCharacters(t *testing.T) {
	logins := []string{"\x1b[2J\x1b[31mPWNED", "nul\x00byte", "c1\u009b31mcsi", "del\x7f", "\x1b=cmd"}
	var entries []Entry
	for i, l := range logins {
		entries = append(entries, Entry{Rank: i + 1, Login: l, Score: 1, Counts: map[string]uint64{"commit": 1}})
	}
	for _, format := range []string{"csv", "table"} {
		var b bytes.Buffer
		if err := Write(&b, format, entries, []contrib.Kind{contrib.Commit}, format == "table"); err != nil {
			t.Fatal(err)
		}
		for _, c := range b.String() {
			if unicode.IsControl(c) && c != '\n' && !(format == "table" && c == '\t') {
				t.Errorf("%s holds the control character %U", format, c)
			}
		}
		for _, want := range []string{"[2J[31mPWNED", "nulbyte", "c131mcsi", "del"} {
			if !strings.Contains(b.String(), want) {
				t.Errorf("%s lost %q:\n%s", format, want, b.String())
			}
		}
		if format != "csv" {
			continue
		}
		rows, err := csv.NewReader(&b).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range rows[1:] {
			if cell := row[1]; strings.ContainsRune("=+-@", rune(cell[0])) {
				t.Errorf("csv login %q starts a formula", cell)
			}
		}
	}
}

// fullEntries is a leaderboard with counts in every kind but
// commit_comment and release, and a long login.
func fullEntries() []Entry {
	counts := map[string]uint64{}
	for _, k := range contrib.ContributionKinds {
		if k != contrib.CommitComment && k != contrib.Release {
			counts[string(k)] = 1234
		}
	}
	return []Entry{
		{Rank: 1, Login: "a-rather-long-login-name", Score: 98765, Counts: counts},
		{Rank: 2, Login: "bob", Score: 3, Counts: map[string]uint64{"commit": 3}},
	}
}

// TestTableAndCSVHaveTheSameColumns: the piped table holds every column
// the CSV holds, in the same order, all-zero ones included, for the
// leaderboard and the share split.
func TestTableAndCSVHaveTheSameColumns(t *testing.T) {
	shares := []ClassShare{{Class: "community", Contributions: 3, Share: 0.75, People: 2, Score: 4}, {Class: "other", Contributions: 1, Share: 0.25, People: 1, Score: 1}}
	tests := []struct {
		name  string
		write func(w *bytes.Buffer, format string) error
	}{
		{"leaderboard", func(w *bytes.Buffer, format string) error {
			_, err := WriteTo(w, format, fullEntries(), contrib.ContributionKinds, Output{})
			return err
		}},
		{"share", func(w *bytes.Buffer, format string) error {
			_, err := WriteShare(w, format, shares, Output{})
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var table, csvOut bytes.Buffer
			if err := tt.write(&table, "table"); err != nil {
				t.Fatal(err)
			}
			if err := tt.write(&csvOut, "csv"); err != nil {
				t.Fatal(err)
			}
			rows, err := csv.NewReader(&csvOut).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSuffix(table.String(), "\n"), "\n")
			if len(lines) != len(rows) {
				t.Fatalf("table has %d lines, csv %d rows:\n%s", len(lines), len(rows), table.String())
			}
			if got, want := lines[0], strings.ToUpper(strings.Join(rows[0], "\t")); got != want {
				t.Errorf("table header\n%s\nwant the csv's\n%s", got, want)
			}
			for i, line := range lines {
				if n := len(strings.Split(line, "\t")); n != len(rows[0]) {
					t.Errorf("table line %d has %d tab-separated cells, want %d: %q", i, n, len(rows[0]), line)
				}
			}
		})
	}
}

// TestTerminalTableFitsItsWidth: on an 80-column terminal the full
// leaderboard leaves out its all-zero columns, shortens its headers and
// then leaves out the last kinds, says which, and no line is wider than
// the terminal; a wide terminal gets every column.
func TestTerminalTableFitsItsWidth(t *testing.T) {
	var b bytes.Buffer
	fit, err := WriteTo(&b, "table", fullEntries(), contrib.ContributionKinds, Output{Terminal: true, Width: 80})
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n") {
		if len(line) > 80 {
			t.Errorf("line of %d characters: %q", len(line), line)
		}
	}
	if want := []string{"commit_comment", "release"}; !slices.Equal(fit.Zero, want) {
		t.Errorf("left out as all zero: %v, want %v", fit.Zero, want)
	}
	if len(fit.NoRoom) == 0 || !fit.Abbreviated {
		t.Errorf("fit %+v: want short headers and kinds left out for room", fit)
	}
	note := fit.Note(80)
	if !strings.Contains(note, "short headers: CMT commit, PR_OP pr_opened") {
		t.Errorf("note does not explain the short headers: %q", note)
	}
	for _, name := range append(fit.Zero, fit.NoRoom...) {
		if !strings.Contains(note, name) {
			t.Errorf("note does not name %s: %q", name, note)
		}
		if strings.Contains(b.String(), strings.ToUpper(name)) {
			t.Errorf("table still shows %s:\n%s", name, b.String())
		}
	}
	if !strings.HasPrefix(b.String(), "RANK  LOGIN ") || !strings.Contains(b.String(), "a-rather-long-login-name") {
		t.Errorf("table lost its first columns:\n%s", b.String())
	}

	b.Reset()
	fit, err = WriteTo(&b, "table", fullEntries(), contrib.ContributionKinds, Output{Terminal: true, Width: 400})
	if err != nil {
		t.Fatal(err)
	}
	if fit.Note(400) != "" || !strings.Contains(b.String(), "COMMIT_COMMENT") || !strings.Contains(b.String(), "PR_REVIEW_COMMENT") {
		t.Errorf("a wide terminal lost columns (%+v):\n%s", fit, b.String())
	}
}
