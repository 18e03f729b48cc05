package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// FuzzEscaping is the fuzz target of the report formats' escaping of what
// GitHub and the roster say (issue 16). Run it with
//
//	go test -run '^$' -fuzz '^FuzzEscaping$' -fuzztime 10s ./internal/report
//
// or every target with scripts/fuzz.sh. The seeds run with the ordinary
// tests.

var escapingSeeds = [][5]string{
	// login, name, program, repository, title
	{"ana", "Ana Ferreira", "AWS Heroes", "aws/aws-cdk", "Contributor report: aws"},
	{"\x1b[2J\x1b[31mPWNED", "nul\x00byte", "\r\n| x | y |", "a/b|c", "\u2028## Title"},
	{"=cmd|' /C calc'!A0", "+SUM(1)", "-2+3", "@evil", "\t=1"},
	{"<script>alert(1)</script>", `"><img src=x onerror=alert(1)>`, "</td><td>", "o/<b>r</b>", "</title><script>x</script>"},
	{"@mention", "see https://evil.example and www.evil.example", "#12 org/repo#34", "o/r#5", "*bold* _it_ `code` [l](javascript:x)"},
	{"a\\|b", "\\", "|||", "\\\\|", "~~strike~~"},
	{"bot[bot]", "\u0085next\u009b31m", "\xff\xfe", "x/\u200by", "\ufeff"},
	{"(hidden)", "", "", "", ""},
}

// hostileReport is the sample report with the fuzzed strings where a
// report shows logins, names, programs, repositories and its title; each
// person's profile link is what Build gives their login.
func hostileReport(login, name, program, repo, title string) *Report {
	r := sampleReport()
	r.Title = title
	r.Activity.Buckets = r.Activity.Buckets[:2] // charts are slow to draw and escape nothing of the fuzzer's
	for i := range r.Contributors {
		c := &r.Contributors[i]
		switch i % 3 {
		case 0:
			c.Login, c.Name = login, name
		case 1:
			c.Login, c.Name = login+name, ""
		case 2:
			c.Name = name + login
		}
		c.URL = profileURL(c.Login)
		c.Programs = append(c.Programs, program)
	}
	r.Welcome = []Person{r.Contributors[0].Person, r.Contributors[1].Person}
	r.reviewers(3)
	r.Repositories = append(r.Repositories, Repository{Name: repo, Contributions: 3, Contributors: 1})
	return r
}

// FuzzEscaping writes reports that name hostile logins, names, programs,
// repositories and titles. Properties: no panic; the CSV parses, with the
// header's column count on every row, no control character in any cell and
// no cell that a spreadsheet would run as a formula; every Markdown table
// row keeps its header's cell count, and the Markdown has no HTML, no
// mention and no automatic link of its own besides the profile links; the
// HTML parses with no script, img, iframe, object or embed element, no on*
// attribute and no javascript: URL, and shows the names as text; the JSON
// parses.
func FuzzEscaping(f *testing.F) {
	for _, s := range escapingSeeds {
		f.Add(s[0], s[1], s[2], s[3], s[4])
	}
	f.Fuzz(func(t *testing.T, login, name, program, repo, title string) {
		r := hostileReport(login, name, program, repo, title)
		out := map[string]string{}
		for _, format := range Formats {
			var b bytes.Buffer
			if err := Write(&b, format, r); err != nil {
				t.Fatalf("%s: %v", format, err)
			}
			out[format] = b.String()
		}
		checkCSV(t, out["csv"], len(r.Contributors))
		checkMarkdown(t, out["md"])
		checkHTML(t, out["html"], name)
		if !json.Valid([]byte(out["json"])) {
			t.Fatal("the JSON form does not parse")
		}
	})
}

func checkCSV(t *testing.T, s string, rows int) {
	t.Helper()
	if i := strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) && r != '\n' }); i >= 0 {
		t.Fatalf("CSV holds a raw control character %q at %d", s[i:min(i+4, len(s))], i)
	}
	records, err := csv.NewReader(strings.NewReader(s)).ReadAll()
	if err != nil {
		t.Fatalf("CSV does not parse: %v\n%s", err, s)
	}
	if len(records) != rows+1 {
		t.Fatalf("CSV has %d records for %d contributors", len(records), rows)
	}
	for _, rec := range records {
		if len(rec) != len(CSVHeader()) {
			t.Fatalf("CSV row of %d cells, header %d: %q", len(rec), len(CSVHeader()), rec)
		}
		for _, cell := range rec {
			if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
				t.Fatalf("CSV cell %q would run as a formula", cell)
			}
		}
	}
}

// mdCells counts a Markdown table row's cells: its unescaped pipes less
// one.
func mdCells(line string) int {
	n := 0
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case '\\':
			i++
		case '|':
			n++
		}
	}
	return n - 1
}

// profileLink is a Markdown link to a GitHub profile, as mdPerson writes.
var profileLink = regexp.MustCompile(`\]\(https://github\.com/(apps/)?[A-Za-z0-9-]+\)`)

// mdAutolink is what GitHub would link or notify in plain text.
var mdAutolink = regexp.MustCompile(`(?i)://|www\.|(^|[^\\])#[0-9]|@[^\x{200b}]|@$`)

func checkMarkdown(t *testing.T, md string) {
	t.Helper()
	lines := strings.Split(md, "\n")
	cells := -1 // the current table's, -1 outside tables
	for i, l := range lines {
		if !strings.HasPrefix(l, "|") {
			cells = -1
			continue
		}
		if !strings.HasSuffix(l, "|") || strings.HasSuffix(l, "\\|") {
			t.Fatalf("Markdown line %d is a broken table row: %q", i+1, l)
		}
		if cells < 0 {
			cells = mdCells(l)
		} else if n := mdCells(l); n != cells {
			t.Fatalf("Markdown line %d has %d cells, its table %d: %q", i+1, n, cells, l)
		}
	}
	body := strings.TrimSuffix(strings.TrimRight(md, "\n"), "</sub>")
	if i := strings.LastIndex(body, "<sub>"); i >= 0 {
		body = body[:i]
	}
	// The notes, contribtrack's own words, are a block quote.
	if i := strings.IndexAny(strings.ReplaceAll("\n"+body, "\n>", "\n"), "<>"); i >= 0 {
		t.Fatalf("Markdown holds raw HTML: %q", body)
	}
	plain := profileLink.ReplaceAllString(strings.ReplaceAll(body, "[@", "["), "]")
	if loc := mdAutolink.FindStringIndex(plain); loc != nil {
		t.Fatalf("Markdown would link or mention %q", plain[loc[0]:min(loc[1]+20, len(plain))])
	}
}

func checkHTML(t *testing.T, page, name string) {
	t.Helper()
	if strings.Contains(page, "ZgotmplZ") {
		t.Fatal("html/template refused a value: the page has ZgotmplZ")
	}
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatalf("HTML does not parse: %v", err)
	}
	for _, n := range elements(doc, "", "") {
		switch n.Data {
		case "script", "img", "iframe", "object", "embed", "link", "base":
			t.Fatalf("page has a <%s> element", n.Data)
		}
		for _, a := range n.Attr {
			if strings.HasPrefix(strings.ToLower(a.Key), "on") {
				t.Fatalf("<%s> has an event handler attribute %s=%q", n.Data, a.Key, a.Val)
			}
			if strings.Contains(strings.ToLower(strings.Map(dropSpace, a.Val)), "javascript:") {
				t.Fatalf("<%s %s=%q>: a javascript: URL", n.Data, a.Key, a.Val)
			}
		}
	}
	// A plain name reads as it was given (the parser turns NUL and CR into
	// something else, and white space may be collapsed by the layout).
	if utf8.ValidString(name) && strings.IndexFunc(name, func(r rune) bool { return unicode.IsControl(r) || unicode.IsSpace(r) }) < 0 &&
		!strings.Contains(text(doc), name) {
		t.Fatalf("the page does not show the name %q", name)
	}
}

func dropSpace(r rune) rune {
	if unicode.IsSpace(r) || unicode.IsControl(r) {
		return -1
	}
	return r
}
