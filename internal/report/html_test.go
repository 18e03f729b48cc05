package report

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"

	"contribtrack/internal/contrib"
)

// These tests build reports by hand (no database): the HTML form is a
// function of the Report alone.

// sampleReport is a report of several contributors over 13 weeks, with
// reviewers, first-time contributors, repositories and notes.
func sampleReport() *Report {
	r := &Report{Schema: SchemaID, Title: "Contributor report: awslabs", From: "2024-03-01", To: "2024-06-01",
		LastDay: "2024-05-31", GeneratedAt: time.Date(2024, 6, 2, 9, 30, 0, 0, time.UTC), Weights: map[string]float64{}}
	r.Scope.Kind, r.Scope.Name = ScopeOrg, "awslabs"
	for _, k := range contrib.ContributionKinds {
		r.Kinds = append(r.Kinds, string(k))
		r.Weights[string(k)] = 1
	}
	people := []struct {
		login, name string
		programs    []string
		first       bool
		counts      []uint64 // in the order of contrib.ContributionKinds
	}{
		{"akiyama", "Aki Yama", []string{"AWS Heroes"}, false, []uint64{42, 12, 10, 1, 25, 40, 3, 2, 30, 1, 2}},
		{"bmartin", "Beatriz Martín", []string{"AWS Community Builders"}, false, []uint64{30, 9, 8, 0, 14, 22, 5, 4, 12, 0, 1}},
		{"chen-li", "", nil, true, []uint64{18, 5, 3, 1, 0, 0, 2, 0, 8, 0, 0}},
		{"dnguyen", "Duc Nguyen", []string{"AWS Heroes", "AWS Community Builders"}, false, []uint64{6, 2, 2, 0, 19, 31, 0, 1, 4, 2, 0}},
		{"(hidden)", "", nil, true, []uint64{5, 1, 0, 0, 0, 0, 1, 0, 2, 0, 0}},
		{"emily-o", "Emily O'Connor", nil, true, []uint64{0, 1, 1, 0, 0, 0, 4, 0, 9, 0, 0}},
		{"fkowalski", "", nil, false, []uint64{2, 0, 0, 0, 7, 6, 1, 3, 3, 0, 0}},
		{"gsato", "Gen Sato", []string{"AWS Community Builders"}, true, []uint64{0, 0, 0, 0, 0, 0, 2, 0, 1, 0, 0}},
	}
	r.Summary.ByKind = map[string]uint64{}
	for i, p := range people {
		c := Contributor{Rank: i + 1, Person: Person{Login: p.login, Name: p.name}, Counts: map[string]uint64{},
			Programs: append([]string{}, p.programs...), FirstTime: p.first}
		if p.login != "(hidden)" {
			c.URL = "https://github.com/" + p.login
		}
		for j, k := range r.Kinds {
			c.Counts[k] = p.counts[j]
			c.Contributions += p.counts[j]
			c.Score += float64(p.counts[j])
			r.Summary.ByKind[k] += p.counts[j]
		}
		r.Summary.Contributions += c.Contributions
		r.Contributors = append(r.Contributors, c)
		if c.FirstTime && c.URL != "" {
			r.Welcome = append(r.Welcome, c.Person)
		}
	}
	r.reviewers(3)
	sm := &r.Summary
	sm.ActiveContributors, sm.NewContributors, sm.ReturningContributors = len(people), 4, 4
	sm.PullRequestsMerged = sm.ByKind[string(contrib.PRMerged)]
	ttm, share, complete := 1.5*86400, 0.625, 0.987
	last := time.Date(2024, 6, 1, 23, 10, 0, 0, time.UTC)
	sm.MedianTimeToMergeSeconds, sm.CommunityShare, sm.Completeness, sm.LastSync = &ttm, &share, &complete, &last
	sm.RepositoriesSynced = 4

	r.Activity.Unit = "week"
	start := time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC)
	for i := range 14 {
		b := ActivityBucket{Start: start.AddDate(0, 0, 7*(i-1)).Format(time.DateOnly), Counts: map[string]uint64{}}
		if i == 0 {
			b.Start = r.From // the first week, clipped to the period
		}
		for j, k := range r.Kinds {
			// Some weeks quiet, some kinds rare, one week empty.
			if i == 9 || (i*7+j*3)%5 == 0 {
				continue
			}
			n := uint64((i*13+j*7)%11 + 1)
			b.Counts[k] = n
			b.Contributions += n
		}
		if b.Contributions > 0 {
			b.Contributors = uint64(i%5 + 2)
		}
		r.Activity.Buckets = append(r.Activity.Buckets, b)
	}
	r.Repositories = []Repository{{"awslabs/widget", 140, 7}, {"awslabs/gadget", 82, 5},
		{"awslabs/docs", 31, 4}, {"awslabs/tools", 9, 2}}
	r.Notes = []string{"Bots are left out: 57 contributions by 2 bot accounts."}
	return r
}

// emptyReport is a month in which nobody contributed.
func emptyReport() *Report {
	r := &Report{Schema: SchemaID, Title: "Contributor report: awslabs", From: "2030-01-01", To: "2030-02-01",
		LastDay: "2030-01-31", GeneratedAt: time.Date(2030, 2, 1, 0, 0, 0, 0, time.UTC), Weights: map[string]float64{},
		Contributors: []Contributor{}, TopReviewers: []Reviewer{}, Welcome: []Person{}, Repositories: []Repository{},
		Notes: []string{}}
	r.Scope.Kind, r.Scope.Name = ScopeOrg, "awslabs"
	r.Summary.ByKind = map[string]uint64{}
	for _, k := range contrib.ContributionKinds {
		r.Kinds = append(r.Kinds, string(k))
		r.Summary.ByKind[string(k)] = 0
	}
	r.Activity.Unit = "day"
	for d := range 31 {
		b := ActivityBucket{Start: time.Date(2030, 1, 1+d, 0, 0, 0, 0, time.UTC).Format(time.DateOnly), Counts: map[string]uint64{}}
		for _, k := range r.Kinds {
			b.Counts[k] = 0
		}
		r.Activity.Buckets = append(r.Activity.Buckets, b)
	}
	return r
}

func renderHTML(t *testing.T, r *Report) string {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, "html", r); err != nil {
		t.Fatalf("write html: %v", err)
	}
	return b.String()
}

func parseHTML(t *testing.T, page string) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return doc
}

// walk calls f on n and everything under it, in document order.
func walk(n *html.Node, f func(*html.Node)) {
	f(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, f)
	}
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func hasClass(n *html.Node, class string) bool {
	v, _ := attr(n, "class")
	return n.Type == html.ElementNode && strings.Contains(" "+v+" ", " "+class+" ")
}

// byID is the element with the id, or nil.
func byID(doc *html.Node, id string) *html.Node {
	var found *html.Node
	walk(doc, func(n *html.Node) {
		if v, ok := attr(n, "id"); ok && v == id && n.Type == html.ElementNode && found == nil {
			found = n
		}
	})
	return found
}

// elements are the elements named tag under n (any tag for ""), with the
// class when class is not "".
func elements(n *html.Node, tag, class string) []*html.Node {
	var out []*html.Node
	walk(n, func(c *html.Node) {
		if c.Type == html.ElementNode && (tag == "" || c.Data == tag) && (class == "" || hasClass(c, class)) {
			out = append(out, c)
		}
	})
	return out
}

func text(n *html.Node) string {
	var b strings.Builder
	walk(n, func(c *html.Node) {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	})
	return b.String()
}

// groupOf is the stack each kind belongs to in the activity chart, as
// the brief for the chart names them.
var groupOf = map[string]string{
	"commit": "code", "pr_opened": "prs", "pr_merged": "prs", "pr_closed": "prs",
	"pr_review": "reviews", "pr_review_comment": "reviews", "issue_opened": "issues", "issue_closed": "issues",
	"issue_comment": "comments", "commit_comment": "comments", "release": "comments",
}

// segments is how many stacked bars the activity chart should draw: one
// per bucket and group with contributions.
func segments(r *Report) int {
	n := 0
	for _, b := range r.Activity.Buckets {
		groups := map[string]bool{}
		for k, v := range b.Counts {
			if v > 0 {
				g, ok := groupOf[k]
				if !ok {
					g = "other"
				}
				groups[g] = true
			}
		}
		n += len(groups)
	}
	return n
}

func TestHTMLEscapesText(t *testing.T) {
	r := sampleReport()
	r.Title = "Contributor report: program </title><script>alert(1)</script>"
	r.Contributors[0].Name = "<script>alert(1)</script>"
	r.Contributors[0].Programs = []string{`"><img src=x onerror=alert(1)>`}
	r.Contributors[1].Login = `o'brien"x`
	r.Contributors[1].URL = `https://github.com/o'brien"x`
	r.Contributors[2].URL = "javascript:alert(1)"
	r.Welcome = []Person{{Login: `"onmouseover="alert(1)`, Name: "<script>alert(2)</script>", URL: `https://github.com/"onmouseover="alert(1)`}}
	r.Repositories[0].Name = "awslabs/<b>bold</b>"
	r.Notes = append(r.Notes, "<script>alert(3)</script>")
	r.Kinds = append(r.Kinds, "<i>kind</i>")
	r.Summary.ByKind["<i>kind</i>"] = 1
	r.Activity.Buckets[0].Counts["<i>kind</i>"] = 1
	page := renderHTML(t, r)
	doc := parseHTML(t, page)

	for _, n := range elements(doc, "", "") {
		switch n.Data {
		case "script", "img", "b", "i", "iframe", "object", "embed":
			t.Errorf("page has a <%s> element: %s", n.Data, text(n))
		}
		for _, a := range n.Attr {
			if strings.HasPrefix(strings.ToLower(a.Key), "on") {
				t.Errorf("<%s> has an event handler attribute %s=%q", n.Data, a.Key, a.Val)
			}
			if strings.Contains(strings.ToLower(a.Val), "javascript:") {
				t.Errorf("<%s %s=%q>: a javascript: URL", n.Data, a.Key, a.Val)
			}
		}
	}
	for _, want := range []string{"&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;b&gt;bold&lt;/b&gt;", "&lt;i&gt;kind&lt;/i&gt;",
		"&#34;&gt;&lt;img src=x onerror=alert(1)&gt;", "&lt;/title&gt;&lt;script&gt;"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks the escaped %s", want)
		}
	}
	// The text reads as it was given.
	body := text(doc)
	for _, want := range []string{"<script>alert(1)</script>", `"><img src=x onerror=alert(1)>`, "awslabs/<b>bold</b>",
		`@o'brien"x`, "<script>alert(3)</script>"} {
		if !strings.Contains(body, want) {
			t.Errorf("page text lacks %q", want)
		}
	}
	if got := text(elements(doc, "title", "")[0]); got != r.Title+" · "+r.period() {
		t.Errorf("<title> = %q", got)
	}
}

// TestHTMLSelfContained checks that the page loads nothing: its only
// URLs are the GitHub profile links.
func TestHTMLSelfContained(t *testing.T) {
	for name, r := range map[string]*Report{"sample": sampleReport(), "empty": emptyReport()} {
		t.Run(name, func(t *testing.T) {
			page := renderHTML(t, r)
			lower := strings.ToLower(page)
			for _, bad := range []string{"<link", "@import", "url(", "<script", "<img", "<iframe", "<object", "<embed", "http:", "src=", "srcset"} {
				if strings.Contains(lower, bad) {
					t.Errorf("page has %q", bad)
				}
			}
			if strings.Contains(page, "ZgotmplZ") {
				t.Error("html/template refused a value: the page has ZgotmplZ")
			}
			if got, want := strings.Count(lower, "https:"), strings.Count(lower, `href="https://github.com/`); got != want {
				t.Errorf("%d https: URLs, %d of them GitHub links", got, want)
			}
			links := 0
			walk(parseHTML(t, page), func(n *html.Node) {
				for _, a := range n.Attr {
					switch strings.ToLower(a.Key) {
					case "href":
						links++
						if !strings.HasPrefix(a.Val, "https://github.com/") {
							t.Errorf("<%s href=%q>: not a GitHub profile", n.Data, a.Val)
						}
					case "src", "srcset", "xlink:href", "action", "formaction", "poster", "data", "background":
						t.Errorf("<%s %s=%q>: the page must load nothing", n.Data, a.Key, a.Val)
					}
				}
			})
			if name == "sample" && links == 0 {
				t.Error("no profile links")
			}
		})
	}
}

var coordinate = regexp.MustCompile(`^-?[0-9]+\.[0-9]$`)

func TestHTMLCharts(t *testing.T) {
	r := sampleReport()
	page := renderHTML(t, r)
	doc := parseHTML(t, page)
	for _, id := range []string{"summary", "chart-kinds", "chart-activity", "chart-contributors", "contributors", "reviewers", "welcome", "repositories"} {
		if byID(doc, id) == nil {
			t.Errorf("no #%s", id)
		}
	}
	for _, id := range []string{"chart-kinds", "chart-activity", "chart-contributors"} {
		svg := byID(doc, id)
		if svg == nil {
			continue
		}
		role, _ := attr(svg, "role")
		label, _ := attr(svg, "aria-label")
		if svg.Data != "svg" || role != "img" || label == "" {
			t.Errorf("#%s: <%s role=%q aria-label=%q>, want an svg with role img and a label", id, svg.Data, role, label)
		}
	}

	activity := byID(doc, "chart-activity")
	bars := elements(activity, "rect", "bar")
	if got, want := len(bars), segments(r); got != want {
		t.Errorf("%d activity bars, want %d (one per bucket and kind group with contributions)", got, want)
	}
	buckets := elements(activity, "g", "bucket")
	if len(buckets) != len(r.Activity.Buckets) {
		t.Errorf("%d bucket groups, want %d", len(buckets), len(r.Activity.Buckets))
	}
	for i, g := range buckets {
		if v, _ := attr(g, "data-bucket"); i < len(r.Activity.Buckets) && v != r.Activity.Buckets[i].Start {
			t.Errorf("bucket %d: data-bucket=%q, want %q", i, v, r.Activity.Buckets[i].Start)
		}
	}
	kinds := byID(doc, "chart-kinds")
	kindBars := elements(kinds, "rect", "bar")
	if len(kindBars) != len(r.shownKinds()) {
		t.Errorf("%d kind bars, want %d", len(kindBars), len(r.shownKinds()))
	}
	for _, bar := range append(bars, kindBars...) {
		titles := elements(bar, "title", "")
		if len(titles) != 1 || !regexp.MustCompile(`: [0-9,]+`).MatchString(text(titles[0])) {
			t.Errorf("bar without a tooltip giving its value: %q", text(bar))
		}
		for _, k := range []string{"x", "y", "width", "height"} {
			v, _ := attr(bar, k)
			if !coordinate.MatchString(v) || v == "0.0" && (k == "width" || k == "height") {
				t.Errorf("bar %s=%q, want a positive number with one decimal", k, v)
			}
		}
	}
	// The line of active contributors has a point per bucket.
	if dots := elements(byID(doc, "chart-contributors"), "circle", "dot"); len(dots) != len(r.Activity.Buckets) {
		t.Errorf("%d points of active contributors, want %d", len(dots), len(r.Activity.Buckets))
	}
	if got := text(byID(doc, "chart-contributors")); !strings.Contains(got, "6 active contributors") {
		t.Errorf("contributors chart lacks the busiest week's tooltip")
	}

	contributors := byID(doc, "contributors")
	if rows := elements(elements(contributors, "tbody", "")[0], "tr", ""); len(rows) != len(r.Contributors) {
		t.Errorf("%d contributor rows, want %d", len(rows), len(r.Contributors))
	}
	if got := len(elements(contributors, "span", "badge")); got != 4 { // first-timers, the hidden one left out, and the key
		t.Errorf("%d first-time markers, want 4", got)
	}
	if got := text(byID(doc, "welcome")); !strings.Contains(got, "@chen-li") || !strings.Contains(got, "Gen Sato") {
		t.Errorf("welcome list: %q", got)
	}
	if text(byID(doc, "summary")) == "" || !strings.Contains(text(byID(doc, "summary")), "36.0 hours") {
		t.Errorf("summary lacks the median time to merge: %q", text(byID(doc, "summary")))
	}
	if strings.Contains(page, "No contributions in this period.") {
		t.Error("a report with contributions says there are none")
	}

	again := renderHTML(t, sampleReport())
	if d := cmp.Diff(page, again); d != "" {
		t.Errorf("two renderings differ:\n%s", d)
	}
}

// TestHTMLFirstTimeKey: the key to the "new" marker is shown only when a
// row is marked.
func TestHTMLFirstTimeKey(t *testing.T) {
	r := sampleReport()
	for i := range r.Contributors {
		r.Contributors[i].FirstTime = false
	}
	if page := renderHTML(t, r); strings.Contains(page, "first contribution in this period") {
		t.Error("the first-time key is shown with no first-timer in the table")
	}
	if page := renderHTML(t, sampleReport()); !strings.Contains(page, "first contribution in this period") {
		t.Error("the first-time key is missing with first-timers in the table")
	}
}

func TestHTMLEmptyReport(t *testing.T) {
	r := emptyReport()
	page := renderHTML(t, r)
	doc := parseHTML(t, page)
	if !strings.Contains(text(doc), "No contributions in this period.") {
		t.Error("no word that nobody contributed")
	}
	for _, id := range []string{"chart-kinds", "chart-activity", "chart-contributors"} {
		svg := byID(doc, id)
		if svg == nil {
			t.Fatalf("no #%s", id)
		}
		if len(elements(svg, "line", "axis")) != 2 {
			t.Errorf("#%s: want two axes", id)
		}
		if bars := elements(svg, "rect", "bar"); len(bars) != 0 {
			t.Errorf("#%s: %d bars in an empty report", id, len(bars))
		}
		if strings.Contains(page, "NaN") || strings.Contains(page, "Inf") {
			t.Errorf("#%s: a coordinate is not a number", id)
		}
	}
	if got := len(elements(byID(doc, "chart-activity"), "g", "bucket")); got != 31 {
		t.Errorf("%d buckets, want 31", got)
	}
	for _, id := range []string{"contributors", "reviewers", "welcome", "repositories"} {
		if byID(doc, id) != nil {
			t.Errorf("#%s in an empty report", id)
		}
	}
}

// TestHTMLZeroReport checks that a report with nothing set, not even its
// maps, still makes a page.
func TestHTMLZeroReport(t *testing.T) {
	page := renderHTML(t, &Report{})
	for _, bad := range []string{"NaN", "Inf", "ZgotmplZ"} {
		if strings.Contains(page, bad) {
			t.Errorf("page has %q", bad)
		}
	}
	doc := parseHTML(t, page)
	for _, id := range []string{"summary", "chart-kinds", "chart-activity", "chart-contributors"} {
		if byID(doc, id) == nil {
			t.Errorf("no #%s", id)
		}
	}
}

func TestHTMLRepositoriesCapped(t *testing.T) {
	r := sampleReport()
	r.Repositories = nil
	for i := range maxRepositoriesShown + 5 {
		r.Repositories = append(r.Repositories, Repository{Name: fmt.Sprintf("awslabs/repo-%02d", i), Contributions: 1, Contributors: 1})
	}
	doc := parseHTML(t, renderHTML(t, r))
	repos := byID(doc, "repositories")
	if rows := elements(elements(repos, "tbody", "")[0], "tr", ""); len(rows) != maxRepositoriesShown {
		t.Errorf("%d repository rows, want %d", len(rows), maxRepositoriesShown)
	}
	if !strings.Contains(text(repos), "… and 5 more.") {
		t.Errorf("no word of the repositories left out: %q", text(repos))
	}
}

func TestHTMLNiceScale(t *testing.T) {
	tests := []struct {
		name      string
		max       uint64
		n         int
		end, step uint64
	}{
		{"empty", 0, 4, 4, 1},
		{"one", 1, 4, 1, 1},
		{"small", 7, 4, 8, 2},
		{"round", 100, 4, 100, 25},
		{"mag one", 6, 3, 6, 2},
		{"two and a half", 103, 5, 125, 25},
		{"odd", 123, 4, 150, 50},
		{"large", 98_765, 5, 100_000, 20_000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			end, step := niceScale(tt.max, tt.n)
			if end != tt.end || step != tt.step {
				t.Errorf("niceScale(%d, %d) = %d, %d; want %d, %d", tt.max, tt.n, end, step, tt.end, tt.step)
			}
		})
	}
}

func TestHTMLPxFormat(t *testing.T) {
	for v, want := range map[px]string{0: "0.0", -0.01: "0.0", 12.345: "12.3", 12.36: "12.4", 960: "960.0", -3.25: "-3.3"} {
		if got := v.String(); got != want {
			t.Errorf("px(%v) = %q, want %q", float64(v), got, want)
		}
	}
}

// chromium is the Chromium or Chrome binary to drive, or "".
func chromium() string {
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// TestHTMLRendersInChromium opens the page in headless Chromium, checks
// what it drew through the DOM, and takes a screenshot (also written to
// $REPORT_SCREENSHOT when set). Without Chromium it is skipped, except on
// CI (CI=true), where it fails: scripts/install-chromium.sh installs it.
func TestHTMLRendersInChromium(t *testing.T) {
	bin := chromium()
	if bin == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("no Chromium found (/usr/bin/chromium or chromium on PATH); run scripts/install-chromium.sh")
		}
		t.Skip("no Chromium found (/usr/bin/chromium or chromium on PATH); run scripts/install-chromium.sh to run this test")
	}
	r := sampleReport()
	dir := t.TempDir()
	path := filepath.Join(dir, "report.html")
	if err := os.WriteFile(path, []byte(renderHTML(t, r)), 0o644); err != nil {
		t.Fatal(err)
	}

	bctx := chromiumContext(t, bin, 1280, 900)

	// Subscribe before the page loads; the marker ends the reading.
	const marker = "contribtrack: checks done"
	messages := chromedp.Console(bctx)
	if err := chromedp.Do(bctx, chromedp.Navigate("file://"+path)); err != nil {
		t.Fatalf("open the page: %v", err)
	}
	type drawn struct {
		ActivityBars  int     `json:"activityBars"`
		DrawnBars     int     `json:"drawnBars"`
		Buckets       int     `json:"buckets"`
		KindBars      int     `json:"kindBars"`
		DrawnKindBars int     `json:"drawnKindBars"`
		Rows          int     `json:"rows"`
		Overflow      float64 `json:"overflow"`
	}
	got, err := chromedp.Run(bctx, chromedp.Evaluate[drawn](`(() => {
		const drawn = els => els.filter(e => { const b = e.getBoundingClientRect(); return b.width > 0 && b.height > 0; }).length;
		const bars = [...document.querySelectorAll('#chart-activity rect.bar')];
		const kinds = [...document.querySelectorAll('#chart-kinds rect.bar')];
		return {
			activityBars: bars.length, drawnBars: drawn(bars),
			buckets: document.querySelectorAll('#chart-activity [data-bucket]').length,
			kindBars: kinds.length, drawnKindBars: drawn(kinds),
			rows: document.querySelectorAll('#contributors tbody tr').length,
			// How far the page, or a table in its scrolling box, is wider than the window.
			overflow: Math.max(...[document.documentElement, ...document.querySelectorAll('.table-wrap')].map(e => e.scrollWidth - e.clientWidth)),
		};
	})()`))
	if err != nil {
		t.Fatalf("evaluate: %v", err)
	}
	want := drawn{ActivityBars: segments(r), DrawnBars: segments(r), Buckets: len(r.Activity.Buckets),
		KindBars: len(r.shownKinds()), DrawnKindBars: len(r.shownKinds()), Rows: len(r.Contributors)}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("drawn page (-want +got):\n%s", d)
	}

	shot, err := chromedp.Run(bctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if err := os.WriteFile(filepath.Join(t.TempDir(), "report.png"), shot, 0o644); err != nil {
		t.Fatal(err)
	}
	if p := os.Getenv("REPORT_SCREENSHOT"); p != "" {
		if err := os.WriteFile(p, shot, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot written to %s", p)
	}
	checkScreenshot(t, shot)

	if err := chromedp.Do(bctx, chromedp.Evaluate[chromedp.Void](fmt.Sprintf("console.info(%q)", marker))); err != nil {
		t.Fatalf("console marker: %v", err)
	}
	for m, err := range messages {
		if err != nil {
			t.Fatalf("reading the console: %v", err)
		}
		if m.Text == marker {
			break
		}
		if m.Type == chromedp.ConsoleError || m.IsException() {
			t.Errorf("console %s: %s (%s:%d)", m.Type, m.Text, m.URL, m.Line)
		}
	}
}

// chromiumContext starts headless Chromium with a window of width x
// height CSS pixels, stopped when the test ends.
func chromiumContext(t *testing.T, bin string, width, height int) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin),
		chromedp.Headless,
		chromedp.NoSandbox, // the tests may run as root, where Chromium's sandbox refuses to start
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(width, height),
	)
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(acancel)
	bctx, bcancel := chromedp.NewContext(actx)
	t.Cleanup(bcancel)
	return bctx
}

// TestHTMLOnAPhone opens the page 420 CSS pixels wide (a phone): the
// charts' text stays readable (drawn at least 10.5 px high), nothing is
// wider than the screen (no table cut off on the right), a program's name
// stays on one line, and the footer says the weights. Without Chromium it
// is skipped, except on CI, as TestHTMLRendersInChromium.
func TestHTMLOnAPhone(t *testing.T) {
	bin := chromium()
	if bin == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("no Chromium found (/usr/bin/chromium or chromium on PATH); run scripts/install-chromium.sh")
		}
		t.Skip("no Chromium found (/usr/bin/chromium or chromium on PATH); run scripts/install-chromium.sh to run this test")
	}
	r := sampleReport()
	path := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(path, []byte(renderHTML(t, r)), 0o644); err != nil {
		t.Fatal(err)
	}
	bctx := chromiumContext(t, bin, 420, 900)
	if err := chromedp.Do(bctx, chromedp.EmulateViewport(420, 900), chromedp.Navigate("file://"+path)); err != nil {
		t.Fatalf("open the page: %v", err)
	}
	type phone struct {
		Charts       int     `json:"charts"`       // charts shown
		SmallestText float64 `json:"smallestText"` // px, of the shown charts' text
		Overflow     float64 `json:"overflow"`     // px the page or a table is wider than the screen
		Wide         string  `json:"wide"`         // which, and how wide
		Programs     int     `json:"programs"`     // program names shown
		TallProgram  string  `json:"tallProgram"`  // a program name wrapped over lines
		Footer       string  `json:"footer"`
	}
	got, err := chromedp.Run(bctx, chromedp.Evaluate[phone](`(() => {
		const shown = e => { const b = e.getBoundingClientRect(); return b.width > 0 && b.height > 0; };
		const charts = [...document.querySelectorAll('svg.chart')].filter(shown);
		let smallest = Infinity;
		for (const c of charts) {
			const scale = c.getBoundingClientRect().width / c.viewBox.baseVal.width;
			for (const t of c.querySelectorAll('text')) {
				if (t.textContent.trim() !== '') smallest = Math.min(smallest, parseFloat(getComputedStyle(t).fontSize) * scale);
			}
		}
		let tall = '';
		for (const p of document.querySelectorAll('#contributors .program')) {
			if (p.getBoundingClientRect().height > 1.6 * parseFloat(getComputedStyle(p).lineHeight || '20')) tall = p.textContent;
		}
		return {
			charts: charts.length, smallestText: smallest,
			overflow: Math.max(...[document.documentElement, ...document.querySelectorAll('.table-wrap')].map(e => e.scrollWidth - e.clientWidth)),
			wide: [document.documentElement, ...document.querySelectorAll('.table-wrap')].filter(e => e.scrollWidth > e.clientWidth).map(e => (e.closest('section') || {id: 'page'}).id + ' ' + e.scrollWidth + '/' + e.clientWidth).join(', '),
			programs: document.querySelectorAll('#contributors .program').length, tallProgram: tall, footer: document.querySelector('footer').textContent,
		};
	})()`))
	if err != nil {
		t.Fatalf("evaluate: %v", err)
	}
	if got.Charts != 3 || got.SmallestText < 10.5 {
		t.Errorf("%d charts shown, smallest text %.1f px; want 3, at least 10.5 px", got.Charts, got.SmallestText)
	}
	if got.Overflow > 0 {
		t.Errorf("something is %.0f px wider than the screen: %s", got.Overflow, got.Wide)
	}
	if p := os.Getenv("REPORT_PHONE_SCREENSHOT"); p != "" && t.Failed() {
		shot, _ := chromedp.Run(bctx, chromedp.FullScreenshot(100))
		_ = os.WriteFile(p, shot, 0o644)
	}
	if got.Programs == 0 || got.TallProgram != "" {
		t.Errorf("%d program names shown; the program %q wraps", got.Programs, got.TallProgram)
	}
	for _, k := range r.Kinds {
		want := kindLabel(k) + " × " + number(r.Weights[k])
		if !strings.Contains(got.Footer, want) {
			t.Errorf("footer %q lacks %q", got.Footer, want)
		}
	}
	if p := os.Getenv("REPORT_PHONE_SCREENSHOT"); p != "" {
		shot, err := chromedp.Run(bctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot: %v", err)
		}
		if err := os.WriteFile(p, shot, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// checkScreenshot checks that a screenshot is a PNG of a whole page, not
// a blank one.
func checkScreenshot(t *testing.T, shot []byte) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatalf("screenshot is not a PNG: %v", err)
	}
	b := img.Bounds()
	if b.Dx() < 800 || b.Dy() < 1200 {
		t.Errorf("screenshot is %dx%d, want a full page of at least 800x1200", b.Dx(), b.Dy())
	}
	colours := map[[3]uint32]bool{}
	for y := b.Min.Y; y < b.Max.Y; y += 3 {
		for x := b.Min.X; x < b.Max.X; x += 3 {
			r, g, bl, _ := img.At(x, y).RGBA()
			colours[[3]uint32{r >> 8, g >> 8, bl >> 8}] = true
		}
	}
	if len(colours) < 16 {
		t.Errorf("screenshot has %d colours: a blank page?", len(colours))
	}
}
