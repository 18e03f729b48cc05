package leaderboard

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"contribtrack/internal/contrib"
)

// Formats lists the output formats of every listing (leaderboard, share).
var Formats = []string{"table", "json", "csv"}

// Output says where a listing's table goes. On a terminal it is aligned
// and fitted to Width; anywhere else it is tab-separated and holds every
// column, the same columns as the CSV form.
type Output struct {
	Terminal bool
	Width    int // the terminal's width in characters; 0: no limit
}

// Fitted says what a terminal's table left out to fit its width.
type Fitted struct {
	Zero        []string // columns left out because they are all zero
	NoRoom      []string // columns left out because they did not fit
	Abbreviated bool     // headers shortened
	Legend      []string // what the shortened headers stand for: "CMT commit"
}

// Note is one line for the user saying what f left out, "" when nothing.
func (f Fitted) Note(width int) string {
	var parts []string
	if len(f.Zero) > 0 {
		parts = append(parts, strings.Join(f.Zero, ", ")+" (all zero)")
	}
	if len(f.NoRoom) > 0 {
		parts = append(parts, strings.Join(f.NoRoom, ", ")+" (no room)")
	}
	legend := ""
	if len(f.Legend) > 0 {
		legend = "\nshort headers: " + strings.Join(f.Legend, ", ")
	}
	if len(parts) == 0 {
		return strings.TrimPrefix(legend, "\n")
	}
	return fmt.Sprintf("to fit %d columns, left out %s; --format csv or a pipe shows every column", width, strings.Join(parts, "; ")) + legend
}

// Write prints entries in the given format. kinds are the columns of the
// table and CSV forms, in order. On a terminal the table is aligned;
// otherwise it is tab-separated, for scripts.
func Write(w io.Writer, format string, entries []Entry, kinds []contrib.Kind, terminal bool) error {
	_, err := WriteTo(w, format, entries, kinds, Output{Terminal: terminal})
	return err
}

// WriteTo is Write with a terminal's width: a table too wide for it loses
// all-zero columns, then gets short headers, then loses the last kinds,
// and the result says what was left out.
func WriteTo(w io.Writer, format string, entries []Entry, kinds []contrib.Kind, o Output) (Fitted, error) {
	if format == "json" {
		if entries == nil {
			entries = []Entry{}
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return Fitted{}, enc.Encode(entries)
	}
	t := Table{Columns: []Column{{Name: "rank", Number: true}, {Name: "login"}, {Name: "score", Number: true}}}
	for _, k := range kinds {
		t.Columns = append(t.Columns, Column{Name: string(k), Short: shortName(k), Number: true, Count: true})
	}
	for _, e := range entries {
		row := []string{strconv.Itoa(e.Rank), e.Login, formatScore(e.Score)}
		for _, k := range kinds {
			row = append(row, strconv.FormatUint(e.Counts[string(k)], 10))
		}
		t.Rows = append(t.Rows, row)
	}
	return t.Write(w, format, o)
}

// WriteShare prints a share split in the given format: JSON as the API
// answers it, the table and CSV with the same columns (the table's share
// as a percentage).
func WriteShare(w io.Writer, format string, classes []ClassShare, o Output) (Fitted, error) {
	if format == "json" {
		if classes == nil {
			classes = []ClassShare{}
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return Fitted{}, enc.Encode(classes)
	}
	t := Table{Columns: []Column{{Name: "group"}, {Name: "contributions", Number: true}, {Name: "share", Number: true},
		{Name: "people", Number: true}, {Name: "score", Number: true}}}
	for _, c := range classes {
		share := formatScore(c.Share)
		if format == "table" {
			share = strconv.FormatFloat(c.Share*100, 'f', 1, 64) + "%"
		}
		t.Rows = append(t.Rows, []string{c.Class, strconv.FormatUint(c.Contributions, 10), share,
			strconv.FormatUint(c.People, 10), formatScore(c.Score)})
	}
	return t.Write(w, format, o)
}

// Column is one column of a listing.
type Column struct {
	Name   string // as the CSV header and the JSON form name it
	Short  string // a shorter name for a narrow terminal ("": none)
	Number bool   // right-aligned, and never a spreadsheet formula
	Count  bool   // may be left out of a narrow terminal's table
}

// Table is a listing's header and rows, the one source of its table and
// CSV forms.
type Table struct {
	Columns []Column
	Rows    [][]string
}

// Write prints t as a table (see Output) or as CSV.
func (t Table) Write(w io.Writer, format string, o Output) (Fitted, error) {
	switch format {
	case "csv":
		return Fitted{}, t.writeCSV(w)
	case "table", "":
		if !o.Terminal {
			return Fitted{}, t.writeTSV(w)
		}
		return t.writeAligned(w, o.Width)
	}
	return Fitted{}, fmt.Errorf("unknown format %q (valid: %s)", format, strings.Join(Formats, ", "))
}

func (t Table) writeCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	header := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		header[i] = c.Name
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, row := range t.Rows {
		out := make([]string, len(row))
		for i, cell := range row {
			if t.Columns[i].Number {
				out[i] = cell
			} else {
				out[i] = CSVCell(cell)
			}
		}
		if err := cw.Write(out); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func (t Table) writeTSV(w io.Writer) error {
	header := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		header[i] = strings.ToUpper(c.Name)
	}
	if _, err := fmt.Fprintln(w, strings.Join(header, "\t")); err != nil {
		return err
	}
	for _, row := range t.Rows {
		out := make([]string, len(row))
		for i, cell := range row {
			out[i] = sanitize(cell) // tabs too
		}
		if _, err := fmt.Fprintln(w, strings.Join(out, "\t")); err != nil {
			return err
		}
	}
	return nil
}

// writeAligned prints t in aligned columns, two spaces apart, fitted to
// width (0: any width).
func (t Table) writeAligned(w io.Writer, width int) (Fitted, error) {
	rows := make([][]string, len(t.Rows))
	for r, row := range t.Rows {
		rows[r] = make([]string, len(row))
		for i, cell := range row {
			rows[r][i] = sanitize(cell)
		}
	}
	keep := make([]bool, len(t.Columns))
	for i := range keep {
		keep[i] = true
	}
	header := func(i int, short bool) string {
		if short && t.Columns[i].Short != "" {
			return strings.ToUpper(t.Columns[i].Short)
		}
		return strings.ToUpper(t.Columns[i].Name)
	}
	var fit Fitted
	total := func() int {
		n, first := 0, true
		for i := range t.Columns {
			if !keep[i] {
				continue
			}
			if !first {
				n += 2
			}
			first = false
			n += colWidth(header(i, fit.Abbreviated), rows, i)
		}
		return n
	}
	if width > 0 && total() > width {
		for i, c := range t.Columns {
			if c.Count && allZero(rows, i) {
				keep[i] = false
				fit.Zero = append(fit.Zero, c.Name)
			}
		}
	}
	if width > 0 && total() > width {
		fit.Abbreviated = true
	}
	for i := len(t.Columns) - 1; i >= 0 && width > 0 && total() > width; i-- {
		if keep[i] && t.Columns[i].Count {
			keep[i] = false
			fit.NoRoom = append([]string{t.Columns[i].Name}, fit.NoRoom...)
		}
	}
	widths := make([]int, len(t.Columns))
	head := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		head[i] = header(i, fit.Abbreviated)
		widths[i] = colWidth(head[i], rows, i)
		if keep[i] && fit.Abbreviated && c.Short != "" {
			fit.Legend = append(fit.Legend, head[i]+" "+c.Name)
		}
	}
	line := func(cells []string) error {
		var b strings.Builder
		first := true
		for i, cell := range cells {
			if !keep[i] {
				continue
			}
			if !first {
				b.WriteString("  ")
			}
			first = false
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(cell))
			if t.Columns[i].Number {
				b.WriteString(pad + cell)
			} else {
				b.WriteString(cell + pad)
			}
		}
		_, err := fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
		return err
	}
	if err := line(head); err != nil {
		return fit, err
	}
	for _, row := range rows {
		if err := line(row); err != nil {
			return fit, err
		}
	}
	return fit, nil
}

// colWidth is the width of column i: its header's or its widest cell's.
func colWidth(header string, rows [][]string, i int) int {
	n := utf8.RuneCountInString(header)
	for _, row := range rows {
		n = max(n, utf8.RuneCountInString(row[i]))
	}
	return n
}

// allZero reports whether column i holds only zeros.
func allZero(rows [][]string, i int) bool {
	for _, row := range rows {
		if row[i] != "0" && row[i] != "" {
			return false
		}
	}
	return true
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

// shortName is a kind's header on a narrow terminal.
func shortName(k contrib.Kind) string {
	i, _ := contrib.Info(k)
	return i.Short
}
