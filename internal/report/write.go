package report

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"contribtrack/internal/contrib"
	"contribtrack/internal/leaderboard"
)

// Write writes the report in one of Formats.
func Write(w io.Writer, format string, r *Report) error {
	switch format {
	case "md":
		return writeMarkdown(w, r)
	case "csv":
		return writeCSV(w, r)
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	case "html":
		return writeHTML(w, r)
	}
	return fmt.Errorf("format %q: want one of %s", format, strings.Join(Formats, ", "))
}

// ContentTypes are the media types of the formats.
var ContentTypes = map[string]string{
	"md":   "text/markdown; charset=utf-8",
	"csv":  "text/csv; charset=utf-8",
	"json": "application/json",
	"html": "text/html; charset=utf-8",
}

// kindLabel names a kind for people (contrib.KindTable's label).
func kindLabel(k string) string {
	if i, ok := contrib.Info(contrib.Kind(k)); ok {
		return i.Label
	}
	return k
}

// shownKinds are the kinds somebody in the report has: the columns worth
// showing in the Markdown and HTML tables.
func (r *Report) shownKinds() []string {
	var out []string
	for _, k := range r.Kinds {
		if r.Summary.ByKind[k] > 0 {
			out = append(out, k)
		}
	}
	return out
}

// CSVHeader is the CSV form's header: stable, whatever the data.
func CSVHeader() []string {
	h := []string{"rank", "login", "name", "profile_url", "score", "contributions"}
	for _, k := range contrib.ContributionKinds {
		h = append(h, string(k))
	}
	return append(h, "programs", "first_time")
}

// writeCSV writes one row per contributor.
func writeCSV(w io.Writer, r *Report) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader()); err != nil {
		return err
	}
	for _, c := range r.Contributors {
		row := []string{strconv.Itoa(c.Rank), leaderboard.CSVCell(c.Login), leaderboard.CSVCell(c.Name), leaderboard.CSVCell(c.URL),
			number(c.Score), strconv.FormatUint(c.Contributions, 10)}
		for _, k := range contrib.ContributionKinds {
			row = append(row, strconv.FormatUint(c.Counts[string(k)], 10))
		}
		row = append(row, leaderboard.CSVCell(strings.Join(c.Programs, ";")), strconv.FormatBool(c.FirstTime))
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func number(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// thousands writes n with thousands separators.
func thousands(n uint64) string {
	s := strconv.FormatUint(n, 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func percent(f float64) string {
	return strconv.FormatFloat(f*100, 'f', 1, 64) + "%"
}

// duration writes seconds the way people say them.
func duration(seconds float64) string {
	d := time.Duration(seconds * float64(time.Second))
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%.0f seconds", d.Seconds())
	case d < time.Hour:
		return fmt.Sprintf("%.0f minutes", d.Minutes())
	case d < 48*time.Hour:
		return fmt.Sprintf("%.1f hours", d.Hours())
	}
	return fmt.Sprintf("%.1f days", d.Hours()/24)
}

// summaryRows are the summary as label and value, for the human formats.
func (r *Report) summaryRows() [][2]string {
	sm := r.Summary
	rows := [][2]string{
		{"Contributions", thousands(sm.Contributions)},
		{"Active contributors", fmt.Sprintf("%s (%s new, %s returning)", thousands(uint64(sm.ActiveContributors)),
			thousands(uint64(sm.NewContributors)), thousands(uint64(sm.ReturningContributors)))},
		{"Pull requests merged", thousands(sm.PullRequestsMerged)},
	}
	opt := func(label string, v *float64, f func(float64) string) {
		if v != nil {
			rows = append(rows, [2]string{label, f(*v)})
		}
	}
	opt("Median time to merge", sm.MedianTimeToMergeSeconds, duration)
	opt("Median time to first response (issues)", sm.MedianTimeToFirstResponseIssuesSeconds, duration)
	opt("Median time to first response (pull requests)", sm.MedianTimeToFirstResponsePullRequestSeconds, duration)
	opt("Community share", sm.CommunityShare, percent)
	opt("Data completeness", sm.Completeness, func(f float64) string { return percent(f) + " of GitHub's totals" })
	if sm.LastSync != nil {
		rows = append(rows, [2]string{"Last synced", sm.LastSync.UTC().Format("2006-01-02 15:04 UTC")})
	}
	return rows
}

// period is the period as people read it: both days included.
func (r *Report) period() string {
	if r.From == r.LastDay {
		return r.From
	}
	return r.From + " to " + r.LastDay
}

// thanks is the thank-you line of the human formats.
func thanks(sm Summary) string {
	s := "Thank you to the " + thousands(uint64(sm.ActiveContributors)) + " people who contributed"
	if sm.ActiveContributors == 1 {
		s = "Thank you to the one person who contributed"
	}
	switch {
	case sm.NewContributors == 1 && sm.ActiveContributors == 1:
		s += ", for the first time"
	case sm.NewContributors > 0:
		s += ", " + thousands(uint64(sm.NewContributors)) + " of them for the first time"
	}
	return s + "!"
}
