package leaderboard

import (
	"bytes"
	"encoding/csv"
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
