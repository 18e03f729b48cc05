package report

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"contribtrack/internal/contrib"
	"contribtrack/internal/leaderboard"
)

// The HTML form is one self-contained page: report.html.tmpl with inline
// CSS and inline SVG charts whose geometry is computed here, so that the
// page needs no script, font or image from anywhere and the same report
// always gives the same bytes. Every string from GitHub or the roster goes
// through html/template's escaping.

//go:embed report.html.tmpl
var htmlSource string

var htmlTemplate = template.Must(template.New("report.html.tmpl").
	Funcs(template.FuncMap{"thousands": thousands}).Parse(htmlSource))

// writeHTML writes the report as one self-contained HTML page.
func writeHTML(w io.Writer, r *Report) error {
	var b bytes.Buffer
	if err := htmlTemplate.Execute(&b, newHTMLPage(r)); err != nil {
		return fmt.Errorf("html: %w", err)
	}
	_, err := w.Write(b.Bytes())
	return err
}

// kindGroup is a set of kinds the activity chart stacks as one colour.
type kindGroup struct {
	Name  string
	Color string // accessible on white (contrast 3:1 or more) and for colour-blind readers
	Kinds []string
}

// kindGroups are the activity chart's stacks, bottom first, each with its
// colour; which kinds each holds is contrib.KindTable's. Kinds of none of
// them fall to otherGroup.
var kindGroups = groupKinds([]kindGroup{
	{Name: "Code", Color: "#0072B2"},
	{Name: "Pull requests", Color: "#D55E00"},
	{Name: "Reviews", Color: "#009E73"},
	{Name: "Issues", Color: "#AA3377"},
	{Name: "Comments & releases", Color: "#9A6700"},
})

// groupKinds fills each group with the kinds contrib.KindTable puts in
// it, in the table's order.
func groupKinds(groups []kindGroup) []kindGroup {
	for _, i := range contrib.KindTable() {
		for g := range groups {
			if groups[g].Name == i.Group {
				groups[g].Kinds = append(groups[g].Kinds, string(i.Kind))
			}
		}
	}
	return groups
}

var otherGroup = kindGroup{Name: "Other", Color: "#6B6B6B"}

// groups are the kind groups of the report's kinds, in stacking order;
// a group holds only the kinds the report has.
func (r *Report) groups() []kindGroup {
	var out []kindGroup
	seen := map[string]bool{}
	for _, g := range kindGroups {
		h := kindGroup{Name: g.Name, Color: g.Color}
		for _, k := range g.Kinds {
			seen[k] = true
			if slices.Contains(r.Kinds, k) {
				h.Kinds = append(h.Kinds, k)
			}
		}
		if len(h.Kinds) > 0 {
			out = append(out, h)
		}
	}
	other := otherGroup
	for _, k := range r.Kinds {
		if !seen[k] {
			other.Kinds = append(other.Kinds, k)
		}
	}
	if len(other.Kinds) > 0 {
		out = append(out, other)
	}
	return out
}

// kindColor is the colour of a kind's group.
func kindColor(k string) string {
	for _, g := range kindGroups {
		if slices.Contains(g.Kinds, k) {
			return g.Color
		}
	}
	return otherGroup.Color
}

// htmlPage is what the template shows: the report's text, and the charts
// already laid out.
type htmlPage struct {
	Title, Period string
	Generated     string // YYYY-MM-DD HH:MM UTC
	GeneratedISO  string
	Empty         bool   // nobody contributed
	Thanks        string // the thank-you line ("" for a member's report)
	Cards         []card
	Kinds         kindChart
	Activity      activityChart
	People        peopleChart
	// The same charts drawn for a phone's width.
	NarrowKinds    kindChart
	NarrowActivity activityChart
	NarrowPeople   peopleChart
	Legend         []kindGroup
	Unit           string // the activity unit, as a noun ("week")
	Welcome        []Person
	Reviewers      []Reviewer
	Columns        []string // the contributors table's kind columns, labelled
	Contributors   []htmlContributor
	AnyNew         bool         // a contributor is marked as a first-timer
	Weights        []weight     // the score's, in the kinds' order
	Repositories   []Repository // the first maxRepositoriesShown
	MoreRepos      int          // and how many more there are
	Notes          []string
	Buckets        []htmlBucket // the activity chart's numbers, as a table
	Flagged        []htmlFlagged
}

// htmlFlagged is a line of the flagged items' table.
type htmlFlagged struct {
	Person Person
	FlaggedItem
	Day string
}

// card is one summary figure: a value, and what follows it in smaller type.
type card struct{ Label, Value, Detail string }

// htmlContributor is a line of the contributors table, its counts those
// of the shown kinds.
type htmlContributor struct {
	Rank      int
	Person    Person
	Name      string
	Score     string
	Counts    []string
	Programs  []string
	FirstTime bool
}

// weight is one kind's weight in the score, as the footer shows it.
type weight struct{ Kind, Weight string }

// htmlBucket is a line of the activity table: a bucket's contributions by
// kind group, in the legend's order.
type htmlBucket struct {
	ActivityBucket
	Groups []uint64
}

func newHTMLPage(r *Report) *htmlPage {
	sm := r.Summary
	p := &htmlPage{Title: r.Title, Period: r.period(), Generated: r.GeneratedAt.UTC().Format("2006-01-02 15:04 UTC"),
		GeneratedISO: r.GeneratedAt.UTC().Format(time.RFC3339), Empty: sm.ActiveContributors == 0,
		Legend: r.groups(), Unit: unitNoun(r.Activity.Unit), Welcome: r.Welcome, Reviewers: r.TopReviewers, Notes: r.Notes}
	for _, fp := range r.Flagged {
		for _, it := range fp.Items {
			p.Flagged = append(p.Flagged, htmlFlagged{Person: fp.Person, FlaggedItem: it, Day: day(it.At)})
		}
	}
	if r.Scope.Kind == ScopeMember {
		// About one person: no one to welcome or to rank as a reviewer.
		p.Welcome, p.Reviewers = nil, nil
	}
	if !p.Empty && r.Scope.Kind != ScopeMember {
		p.Thanks = thanks(sm)
	}
	for _, row := range r.summaryRows() {
		c := card{Label: row[0], Value: row[1]}
		if v, rest, ok := strings.Cut(c.Value, " ("); ok {
			c.Value, c.Detail = v, strings.TrimSuffix(rest, ")")
		} else if v, rest, ok := strings.Cut(c.Value, " of "); ok {
			c.Value, c.Detail = v, "of "+rest
		} else if v, rest, ok := strings.Cut(c.Value, " "); ok && dateTime.MatchString(c.Value) {
			c.Value, c.Detail = v, rest // a day, then its time
		}
		p.Cards = append(p.Cards, c)
	}
	p.Kinds, p.NarrowKinds = newKindChart(r, chartWidth), newKindChart(r, narrowChartWidth)
	p.Activity, p.NarrowActivity = newActivityChart(r, p.Legend, chartWidth), newActivityChart(r, p.Legend, narrowChartWidth)
	p.People, p.NarrowPeople = newPeopleChart(r, chartWidth), newPeopleChart(r, narrowChartWidth)
	p.NarrowKinds.Variant, p.NarrowActivity.Variant, p.NarrowPeople.Variant = "narrow", "narrow", "narrow"

	kinds := r.shownKinds()
	for _, k := range kinds {
		p.Columns = append(p.Columns, kindLabel(k))
	}
	for _, c := range r.Contributors {
		hc := htmlContributor{Rank: c.Rank, Person: c.Person, Name: c.Name, Score: number(c.Score),
			Programs: c.Programs, FirstTime: c.FirstTime && c.Login != leaderboard.Hidden}
		p.AnyNew = p.AnyNew || hc.FirstTime
		for _, k := range kinds {
			hc.Counts = append(hc.Counts, thousands(c.Counts[k]))
		}
		p.Contributors = append(p.Contributors, hc)
	}
	for _, k := range r.Kinds {
		p.Weights = append(p.Weights, weight{Kind: kindLabel(k), Weight: number(r.Weights[k])})
	}
	p.Repositories = r.Repositories
	if n := len(r.Repositories); n > maxRepositoriesShown {
		p.Repositories, p.MoreRepos = r.Repositories[:maxRepositoriesShown], n-maxRepositoriesShown
	}
	for _, b := range r.Activity.Buckets {
		hb := htmlBucket{ActivityBucket: b}
		for _, g := range p.Legend {
			hb.Groups = append(hb.Groups, groupTotal(b, g))
		}
		p.Buckets = append(p.Buckets, hb)
	}
	return p
}

// dateTime is a summary value that is a day and a time.
var dateTime = regexp.MustCompile(`^\d{4}-\d{2}-\d{2} \d{2}:\d{2}`)

// groupTotal is a bucket's contributions of a group's kinds.
func groupTotal(b ActivityBucket, g kindGroup) uint64 {
	var n uint64
	for _, k := range g.Kinds {
		n += b.Counts[k]
	}
	return n
}

// unitNoun is the activity unit as a word ("week").
func unitNoun(unit string) string {
	if unit == "" {
		return "period"
	}
	return unit
}

// px is a length in SVG user units, written with one decimal so that a
// page's bytes depend on nothing but its report.
type px float64

func (v px) String() string {
	f := math.Round(float64(v)*10) / 10
	if f == 0 {
		f = 0 // never "-0.0"
	}
	return strconv.FormatFloat(f, 'f', 1, 64)
}

// plot is a chart's frame: the SVG's size, the plotting area inside it,
// and the value axis, which ends at Max (never 0) in steps of Step.
type plot struct {
	Variant                  string // "" for the wide chart, "narrow" for a phone's
	Width, Height            px
	Left, Top, Right, Bottom px
	Max, Step                uint64
}

// TickX is where the value axis' labels end, left of the plotting area.
func (p plot) TickX() px { return p.Left - 8 }

// LabelY is the baseline of the labels under the plotting area.
func (p plot) LabelY() px { return p.Bottom + 18 }

// MidX and MidY are the plotting area's middle.
func (p plot) MidX() px { return (p.Left + p.Right) / 2 }
func (p plot) MidY() px { return (p.Top + p.Bottom) / 2 }

// tick is a labelled position along an axis.
type tick struct {
	Pos   px
	Label string
}

// part is how much of length v stands for on the value axis.
func (p plot) part(v uint64, length px) px { return px(float64(v) / float64(p.Max) * float64(length)) }

// valueTicks are the value axis' ticks, from 0 to Max, placed by pos.
func (p plot) valueTicks(pos func(uint64) px) []tick {
	var out []tick
	for v := uint64(0); v <= p.Max; v += p.Step {
		out = append(out, tick{Pos: pos(v), Label: thousands(v)})
	}
	return out
}

// niceScale is a value axis for values up to top in at most n steps: its
// end and step, the step 1, 2, 2.5 or 5 times a power of ten and as small
// as it can be. With top 0 it is 0 to n in steps of 1, so that an empty
// chart still has an axis.
func niceScale(top uint64, n int) (end, step uint64) {
	if top == 0 {
		return uint64(n), 1
	}
	rough := float64(top) / float64(n)
	mag := uint64(1)
	for float64(mag)*10 <= rough {
		mag *= 10
	}
	for _, tenths := range []uint64{10, 20, 25, 50, 100} {
		step = tenths * mag / 10
		if tenths*mag%10 == 0 && (top+step-1)/step <= uint64(n) {
			break
		}
	}
	return (top + step - 1) / step * step, step
}

// kindChart is the horizontal bar chart of contributions by kind.
type kindChart struct {
	plot
	Label string // what a screen reader says
	Rows  []kindRow
	Ticks []tick
}

// kindRow is one kind's bar; no bar when its value is 0.
type kindRow struct {
	Label, Value, Title, Color string
	Bar                        bool
	TextY, BarY, BarH, W       px
	ValueX                     px
}

// Kind chart layout: a column for the labels, one row per kind, room for
// the values right of the bars and for the axis below them.
const (
	kindLabelsW  = 160
	kindValuesW  = 80
	kindRowH     = 28
	kindBarH     = 18
	kindAxisRoom = 30
)

// Charts are drawn twice: wide for screens and paper, narrow for phones
// (the page shows one by the screen's width). An SVG scales to the width
// it is shown at, its text with it: drawn 960 wide and shown 400 wide,
// 12 px labels would be 5 px; drawn 400 wide they stay about 12 px.
const (
	chartWidth       = 960
	narrowChartWidth = 400
)

func newKindChart(r *Report, width px) kindChart {
	kinds := r.shownKinds()
	if len(kinds) == 0 {
		kinds = r.Kinds // an empty report shows its kinds without bars
	}
	var most uint64
	parts := make([]string, len(kinds))
	for i, k := range kinds {
		most = max(most, r.Summary.ByKind[k])
		parts[i] = kindLabel(k) + " " + thousands(r.Summary.ByKind[k])
	}
	rows := max(len(kinds), 1)
	labels, values := px(kindLabelsW), px(kindValuesW)
	if width < chartWidth {
		labels, values = 150, 56 // "Pull request reviews" in 13 px still fits
	}
	c := kindChart{plot: plot{Width: width, Left: labels, Top: 8, Right: width - values}}
	c.Bottom = c.Top + px(rows*kindRowH)
	c.Height = c.Bottom + kindAxisRoom
	c.Max, c.Step = niceScale(most, 5)
	c.Label = "Contributions by kind: " + strings.Join(parts, ", ") + "."
	if len(kinds) == 0 {
		c.Label = "Contributions by kind: none."
	}
	for i, k := range kinds {
		v := r.Summary.ByKind[k]
		top := c.Top + px(i*kindRowH)
		row := kindRow{Label: kindLabel(k), Value: thousands(v), Title: kindLabel(k) + ": " + thousands(v),
			Color: kindColor(k), Bar: v > 0, TextY: top + kindRowH/2 + 4,
			BarY: top + (kindRowH-kindBarH)/2, BarH: kindBarH}
		if row.Bar {
			row.W = max(c.part(v, c.Right-c.Left), 1) // a 1 among millions still shows
		}
		row.ValueX = c.Left + row.W + 8
		c.Rows = append(c.Rows, row)
	}
	c.Ticks = c.valueTicks(func(v uint64) px { return c.Left + c.part(v, c.Right-c.Left) })
	return c
}

// timeChart is a chart over the activity buckets: its frame, its value
// axis, and the buckets' places and labels along the time axis.
type timeChart struct {
	plot
	Label           string // what a screen reader says
	YTicks, XLabels []tick
	slots           slots
}

// newTimeChart lays out a chart over the buckets, height high with room
// under the plotting area, its value axis for values up to most in at
// most steps steps.
func newTimeChart(r *Report, width, height, room px, most uint64, steps int) timeChart {
	c := timeChart{plot: plot{Width: width, Height: height, Left: 64, Top: 12, Right: width - 16, Bottom: height - room}}
	c.Max, c.Step = niceScale(most, steps)
	c.YTicks = c.valueTicks(c.y)
	c.slots = slots{left: c.Left, width: c.Right - c.Left, n: len(r.Activity.Buckets)}
	c.XLabels = c.slots.labels(r)
	return c
}

// y is where value v is on an upright value axis.
func (p plot) y(v uint64) px { return p.Bottom - p.part(v, p.Bottom-p.Top) }

// slots place n buckets side by side between left and left+width: the
// centre and the bar width of each.
type slots struct {
	left, width px
	n           int
}

func (s slots) center(i int) px { return s.left + (px(i)+0.5)*s.width/px(s.n) }
func (s slots) bar() px         { return min(s.width/px(s.n)*0.7, 56) }

// labels are the bucket labels: every bucket's when they fit, else every
// k-th, so that none overlap.
func (s slots) labels(r *Report) []tick {
	fit := max(int(s.width/76), 1)
	every := max((s.n+fit-1)/fit, 1)
	var out []tick
	for i, b := range r.Activity.Buckets {
		if i%every == 0 {
			out = append(out, tick{Pos: s.center(i), Label: bucketLabel(b.Start, r.Activity.Unit)})
		}
	}
	return out
}

// bucketLabel names a bucket briefly: "Mar 4", "Mar 2024" or "2024".
func bucketLabel(start, unit string) string {
	t, err := time.Parse(time.DateOnly, start)
	if err != nil {
		return start
	}
	switch unit {
	case "month":
		return t.Format("Jan 2006")
	case "year":
		return t.Format("2006")
	}
	return t.Format("Jan 2")
}

// activityChart is the stacked bar chart of contributions over time.
type activityChart struct {
	timeChart
	XTitle, YTitle string
	EmptyNote      string // said across an empty chart
	XTitleY        px     // the x axis title's baseline
	YTitleX        px     // the y axis title's baseline, turned
	Buckets        []bucketBars
}

// bucketBars are one bucket's segments, bottom first, zeros left out.
type bucketBars struct {
	Start    string
	Segments []segment
}

type segment struct {
	X, Y, W, H   px
	Color, Title string
}

func newActivityChart(r *Report, groups []kindGroup, width px) activityChart {
	var most uint64
	for _, b := range r.Activity.Buckets {
		var total uint64
		for _, g := range groups {
			total += groupTotal(b, g)
		}
		most = max(most, total)
	}
	unit := unitNoun(r.Activity.Unit)
	c := activityChart{timeChart: newTimeChart(r, width, 300, 52, most, 4), YTitle: "Contributions",
		XTitle: strings.ToUpper(unit[:1]) + unit[1:]}
	c.XTitleY, c.YTitleX = c.Height-6, 16
	if unit == "week" {
		c.XTitle = "Week (from Monday)"
	}
	if most == 0 {
		c.EmptyNote = "No contributions in this period."
	}
	names := make([]string, len(groups))
	for i, g := range groups {
		names[i] = g.Name
	}
	c.Label = fmt.Sprintf("Contributions per %s from %s, stacked by %s; at most %s in one %s.",
		unit, r.period(), strings.Join(names, ", "), thousands(most), unit)
	for i, b := range r.Activity.Buckets {
		bb := bucketBars{Start: b.Start}
		w := c.slots.bar()
		x, y := c.slots.center(i)-w/2, c.Bottom
		for _, g := range groups {
			v := groupTotal(b, g)
			if v == 0 {
				continue
			}
			// Heights in tenths, so that the stack's segments meet
			// exactly; a 1 among millions still shows.
			h := px(math.Round(float64(max(c.part(v, c.Bottom-c.Top), 1))*10) / 10)
			y -= h
			bb.Segments = append(bb.Segments, segment{X: x, Y: y, W: w, H: h, Color: g.Color,
				Title: b.Start + " · " + g.Name + ": " + thousands(v) + breakdown(b, g)})
		}
		c.Buckets = append(c.Buckets, bb)
	}
	return c
}

// breakdown is a group's count by kind, when it has more than one kind
// with contributions: " (PRs opened 3, PRs merged 2)".
func breakdown(b ActivityBucket, g kindGroup) string {
	var parts []string
	for _, k := range g.Kinds {
		if n := b.Counts[k]; n > 0 {
			parts = append(parts, kindLabel(k)+" "+thousands(n))
		}
	}
	if len(parts) < 2 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// peopleChart is the line of active contributors per bucket, under the
// activity chart and aligned with it.
type peopleChart struct {
	timeChart
	Points string // the polyline's
	Dots   []dot
}

type dot struct {
	X, Y  px
	Title string
}

func newPeopleChart(r *Report, width px) peopleChart {
	var most uint64
	for _, b := range r.Activity.Buckets {
		most = max(most, b.Contributors)
	}
	unit := unitNoun(r.Activity.Unit)
	c := peopleChart{timeChart: newTimeChart(r, width, 150, 32, most, 3)}
	c.Label = fmt.Sprintf("Active contributors per %s; at most %s in one %s.", unit, thousands(most), unit)
	points := make([]string, len(r.Activity.Buckets))
	for i, b := range r.Activity.Buckets {
		d := dot{X: c.slots.center(i), Y: c.y(b.Contributors), Title: b.Start + " · " + thousands(b.Contributors) + " active contributors"}
		points[i] = d.X.String() + "," + d.Y.String()
		c.Dots = append(c.Dots, d)
	}
	c.Points = strings.Join(points, " ")
	return c
}
