package report

import (
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode"

	"contribtrack/internal/leaderboard"
)

// autolinks are what GitHub turns into links in plain text: URLs, www.
// addresses and issue references (#12, org/repo#12).
var autolinks = regexp.MustCompile(`(?i)://|www\.|#[0-9]`)

// mdText escapes text from GitHub or the roster for GitHub-flavoured
// Markdown: no markup, no HTML, no line or table-cell breaks, no @mentions
// and no automatic links (a zero-width space follows every @ and breaks
// every URL scheme, www. and issue reference), so that pasting a report
// notifies nobody and links nowhere its authors did not mean.
func mdText(s string) string {
	return autolinks.ReplaceAllStringFunc(mdEscape(s), func(m string) string {
		return m[:1] + "\u200b" + m[1:]
	})
}

func mdEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '&':
			b.WriteString("&amp;")
		case r == '@':
			b.WriteString("@\u200b")
		case unicode.IsControl(r) || r == '\u2028' || r == '\u2029':
			b.WriteByte(' ')
		case strings.ContainsRune("\\`*_{}[]()~|", r):
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// mdPerson is a person as Markdown: a link to their GitHub profile named
// @login (links are not mentions), with their name when the roster has
// one.
func mdPerson(p Person) string {
	s := mdText(p.Login)
	if p.URL != "" {
		s = "[@" + s + "](" + p.URL + ")"
	}
	if p.Name != "" {
		s += " (" + mdText(p.Name) + ")"
	}
	return s
}

func writeMarkdown(w io.Writer, r *Report) error {
	var b strings.Builder
	fmt.Fprintf(&b, "## %s\n\n", mdText(r.Title))
	fmt.Fprintf(&b, "**Period:** %s (UTC) · **Generated:** %s\n\n", r.period(), r.GeneratedAt.UTC().Format("2006-01-02 15:04 UTC"))
	sm := r.Summary
	switch {
	case sm.ActiveContributors == 0:
		b.WriteString("No contributions in this period.\n\n")
	case r.Scope.Kind != ScopeMember:
		b.WriteString(thanks(sm) + "\n\n")
	}

	b.WriteString("### Summary\n\n| | |\n| --- | ---: |\n")
	for _, row := range r.summaryRows() {
		fmt.Fprintf(&b, "| %s | %s |\n", row[0], row[1])
	}
	b.WriteString("\n")
	kinds := r.shownKinds()
	if len(kinds) > 0 {
		parts := make([]string, len(kinds))
		for i, k := range kinds {
			parts[i] = fmt.Sprintf("%s %s", kindLabel(k), thousands(sm.ByKind[k]))
		}
		fmt.Fprintf(&b, "Contributions by kind: %s.\n\n", strings.Join(parts, " · "))
	}

	// A member's report is about one person: no one to welcome or to
	// rank as a reviewer.
	people := r.Scope.Kind != ScopeMember
	if people && len(r.Welcome) > 0 {
		b.WriteString("### Welcome, first-time contributors\n\n")
		names := make([]string, len(r.Welcome))
		for i, p := range r.Welcome {
			names[i] = mdPerson(p)
		}
		b.WriteString(strings.Join(names, ", ") + "\n\n")
	}

	if people && len(r.TopReviewers) > 0 {
		b.WriteString("### Top reviewers\n\n| Reviewer | Reviews | Review comments |\n| --- | ---: | ---: |\n")
		for _, rv := range r.TopReviewers {
			fmt.Fprintf(&b, "| %s | %s | %s |\n", mdPerson(rv.Person), thousands(rv.Reviews), thousands(rv.ReviewComments))
		}
		b.WriteString("\n")
	}

	if len(r.Contributors) > 0 {
		b.WriteString("### Contributors\n\n| # | Contributor | Score |")
		align := "| ---: | --- | ---: |"
		for _, k := range kinds {
			b.WriteString(" " + kindLabel(k) + " |")
			align += " ---: |"
		}
		b.WriteString(" Programs |\n" + align + " --- |\n")
		for _, c := range r.Contributors {
			who := mdPerson(c.Person)
			if c.FirstTime && c.Login != leaderboard.Hidden {
				who += " 🌱"
			}
			fmt.Fprintf(&b, "| %d | %s | %s |", c.Rank, who, number(c.Score))
			for _, k := range kinds {
				fmt.Fprintf(&b, " %s |", thousands(c.Counts[k]))
			}
			programs := make([]string, len(c.Programs))
			for i, p := range c.Programs {
				programs[i] = mdText(p)
			}
			fmt.Fprintf(&b, " %s |\n", strings.Join(programs, ", "))
		}
		b.WriteString("\n🌱 first contribution in this period.\n\n")
	}

	if len(r.Repositories) > 0 {
		b.WriteString("### Repositories\n\n| Repository | Contributions | Contributors |\n| --- | ---: | ---: |\n")
		for i, p := range r.Repositories {
			if i == maxRepositoriesShown {
				fmt.Fprintf(&b, "\n… and %d more.\n", len(r.Repositories)-i)
				break
			}
			fmt.Fprintf(&b, "| %s | %s | %s |\n", mdText(p.Name), thousands(p.Contributions), thousands(p.Contributors))
		}
		b.WriteString("\n")
	}

	if len(r.Flagged) > 0 {
		b.WriteString("### Flagged as spam\n\nItems the accepted profile marks as spam and does not count, for a program manager to check.\n\n" +
			"| Contributor | Pull request | Title | Why | Day |\n| --- | --- | --- | --- | --- |\n")
		for _, p := range r.Flagged {
			for _, it := range p.Items {
				pr := mdText(fmt.Sprintf("%s #%d", it.Repository, it.Number))
				if it.URL != "" {
					pr = "[" + pr + "](" + it.URL + ")"
				}
				fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", mdPerson(p.Person), pr, mdText(it.Title), mdText(it.Why), day(it.At))
			}
		}
		b.WriteString("\n")
	}

	if len(r.Notes) > 0 {
		b.WriteString("> " + strings.Join(r.Notes, "\n>\n> ") + "\n\n")
	}
	b.WriteString("<sub>Made with contribtrack. Scores weight each kind of contribution; see the JSON form for the weights.</sub>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// maxRepositoriesShown bounds the repositories table of the human formats.
const maxRepositoriesShown = 25
