package leaderboard

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode"

	"contribtrack/internal/contrib"
)

// Formats lists the output formats Write accepts.
var Formats = []string{"table", "json", "csv"}

// Write prints entries in the given format. kinds are the columns of the
// table and CSV forms, in order. On a terminal the table is aligned;
// otherwise it is tab-separated, for scripts.
func Write(w io.Writer, format string, entries []Entry, kinds []contrib.Kind, terminal bool) error {
	switch format {
	case "json":
		if entries == nil {
			entries = []Entry{}
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(entries)
	case "csv":
		return writeCSV(w, entries, kinds)
	case "table", "":
		return writeTable(w, entries, kinds, terminal)
	}
	return fmt.Errorf("unknown format %q (valid: %s)", format, strings.Join(Formats, ", "))
}

func formatScore(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// CSVCell makes a text cell safe to open and to print: control
// characters are dropped (as in tables), so that a hostile login cannot
// drive the terminal that shows the file, and a cell that then starts with
// =, +, - or @ gets a leading apostrophe, so that spreadsheets do not read
// it as a formula.
func CSVCell(s string) string {
	s = sanitize(s)
	if s != "" && strings.ContainsRune("=+-@", rune(s[0])) {
		return "'" + s
	}
	return s
}

func writeCSV(w io.Writer, entries []Entry, kinds []contrib.Kind) error {
	cw := csv.NewWriter(w)
	header := []string{"rank", "login", "score"}
	for _, k := range kinds {
		header = append(header, string(k))
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, e := range entries {
		row := []string{strconv.Itoa(e.Rank), CSVCell(e.Login), formatScore(e.Score)}
		for _, k := range kinds {
			row = append(row, strconv.FormatUint(e.Counts[string(k)], 10))
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func writeTable(w io.Writer, entries []Entry, kinds []contrib.Kind, terminal bool) error {
	// Only the kinds somebody has are worth a column.
	var cols []contrib.Kind
	for _, k := range kinds {
		for _, e := range entries {
			if e.Counts[string(k)] > 0 {
				cols = append(cols, k)
				break
			}
		}
	}
	out := w
	var tw *tabwriter.Writer
	if terminal {
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		out = tw
	}
	header := []string{"RANK", "LOGIN", "SCORE"}
	for _, k := range cols {
		header = append(header, strings.ToUpper(string(k)))
	}
	if _, err := fmt.Fprintln(out, strings.Join(header, "\t")+tail(terminal)); err != nil {
		return err
	}
	for _, e := range entries {
		row := []string{strconv.Itoa(e.Rank), sanitize(e.Login), formatScore(e.Score)}
		for _, k := range cols {
			row = append(row, strconv.FormatUint(e.Counts[string(k)], 10))
		}
		if _, err := fmt.Fprintln(out, strings.Join(row, "\t")+tail(terminal)); err != nil {
			return err
		}
	}
	if tw != nil {
		return tw.Flush()
	}
	return nil
}

// tail ends a tabwriter row so that right alignment applies to the last
// column too.
func tail(terminal bool) string {
	if terminal {
		return "\t"
	}
	return ""
}

// sanitize drops control characters (C0, DEL and C1, whose CSI starts
// escape sequences in some terminals too) so that a hostile login cannot
// move the cursor or break the table.
func sanitize(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
}
