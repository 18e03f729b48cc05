// Package roster is the community's roster: its members, their GitHub
// identities, their dated memberships in programs (AWS Heroes, Community
// Builders, User Group Leaders, Student Builder Groups ...), and the
// corrections maintainers keep next to it (extra identities, bots, people
// who are not bots, people who opted out). It reads the YAML and CSV files
// and checks them, reporting each problem with file, line and field.
package roster

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"contribtrack/internal/contrib"
)

// Program is a recognition program. Categories, when listed, are the only
// ones a membership may name; Groups programs (user groups, student
// groups) take a free-text group instead.
type Program struct {
	ID         string   `yaml:"id"`
	Name       string   `yaml:"name"`
	Categories []string `yaml:"categories"`
	Groups     bool     `yaml:"groups"` // memberships name a group (a user group, a club)
}

// DefaultPrograms are the AWS community programs.
var DefaultPrograms = []Program{
	{ID: "aws-heroes", Name: "AWS Heroes", Categories: []string{"Community", "Container", "Data", "DevTools",
		"Machine Learning", "Serverless", "Security", "AI"}},
	{ID: "aws-community-builders", Name: "AWS Community Builders", Categories: []string{"AI Engineering",
		"Cloud Operations", "Containers", "Data", "Dev Tools", "Front-End Web & Mobile", "Game Tech",
		"Graviton/Arm", "Machine Learning", "Networking & Content Delivery", "Security", "Serverless", "Storage"}},
	{ID: "aws-user-group-leaders", Name: "AWS User Group Leaders", Groups: true},
	{ID: "aws-student-builder-groups", Name: "AWS Student Builder Group leaders (formerly AWS Cloud Clubs captains)", Groups: true},
}

// Membership is a member's time in a program: From to To, both days
// included; To zero means ongoing.
type Membership struct {
	Program  string
	Category string
	Group    string
	From, To time.Time
}

// Start is when the membership starts counting (UTC midnight of From).
func (m Membership) Start() time.Time { return m.From }

// End is the first instant after the membership: the day after To, or
// far in the future when it is ongoing.
func (m Membership) End() time.Time {
	if m.To.IsZero() {
		return Forever
	}
	return m.To.AddDate(0, 0, 1)
}

// Forever is the end of an ongoing membership: the last day contribtrack
// knows (ClickHouse's DateTime ends in 2106).
var Forever = contrib.LastDay

// Member is one person of the community.
type Member struct {
	Key         string // stable identifier: the `id` field, else the first login, lower-cased
	Name        string
	Logins      []string // GitHub logins; the first is the one shown
	GitHubIDs   []int64  // GitHub user ids, once known: they survive renames
	Emails      []string // commit emails (used to resolve identities, never stored in clear)
	Country     string
	Region      string
	Memberships []Membership
}

// ID is the member's id in queries: stable across imports, and apart
// from GitHub's ids and contribtrack's derived ones (bit 61 only).
func (m *Member) ID() uint64 { return MemberID(m.Key) }

// MemberID derives a member id from a member key.
func MemberID(key string) uint64 {
	return 1<<61 | (contrib.KeyHash(contrib.Kind("member"), strings.ToLower(key)) & (1<<61 - 1))
}

// Login is the login shown for the member.
func (m *Member) Login() string {
	if len(m.Logins) > 0 {
		return m.Logins[0]
	}
	return m.Key
}

// Correction says that an identity (a login, a GitHub id or a commit
// email) belongs to a member, as kept in the identities file.
type Correction struct {
	Login    string
	GitHubID int64
	Email    string
	Member   string // a member key
}

// Affiliation is an employer of a member (Member set) for a period, or of
// everyone committing with an email at Domain.
type Affiliation struct {
	Member   string // a member key, or
	Domain   string // a commit email domain
	Employer string // an organisation, or "independent"
	From, To time.Time
}

// Start and End bound the affiliation like a membership's.
func (a Affiliation) Start() time.Time { return a.From }

// End is the first instant after the affiliation.
func (a Affiliation) End() time.Time { return Membership{To: a.To}.End() }

// Roster is everything the roster files say.
type Roster struct {
	Programs     []Program
	Members      []*Member
	Corrections  []Correction
	Affiliations []Affiliation
	Vendors      []string // employers whose staff are "vendor staff", not the community
	Bots         []string // logins that are automation
	Humans       []string // logins that are people, whatever the bot rules say
	OptOut       []string // logins (or GitHub ids) hidden by name
}

// IsVendor reports whether employer is one of the vendors.
func (r *Roster) IsVendor(employer string) bool {
	for _, v := range r.Vendors {
		if strings.EqualFold(strings.TrimSpace(v), strings.TrimSpace(employer)) {
			return true
		}
	}
	return false
}

// Program returns the program with id (case-insensitive), or nil.
func (r *Roster) Program(id string) *Program {
	for i := range r.Programs {
		if strings.EqualFold(r.Programs[i].ID, id) {
			return &r.Programs[i]
		}
	}
	return nil
}

// Member returns the member with key (case-insensitive), or nil.
func (r *Roster) Member(key string) *Member {
	for _, m := range r.Members {
		if strings.EqualFold(m.Key, key) {
			return m
		}
	}
	return nil
}

// Problem is one thing wrong in a roster file: a YAML file's problems
// name the field (memberships[0].from), a CSV file's the column.
type Problem struct {
	File   string
	Line   int
	Field  string
	Column string
	Msg    string
}

// String is the problem on one printable line: control characters of the
// file (a field or column named "\x1b[2J") are written as Go escapes, so
// that a listing of problems stays one line each and a terminal runs none.
func (p Problem) String() string {
	where := p.File
	if p.Line > 0 {
		where += ":" + strconv.Itoa(p.Line)
	}
	switch {
	case p.Column != "":
		return printable(where + ": column " + p.Column + ": " + p.Msg)
	case p.Field != "":
		return printable(where + ": " + p.Field + ": " + p.Msg)
	}
	return printable(where + ": " + p.Msg)
}

// printable writes control characters as Go escapes (\x00, \n, \u0085).
func printable(s string) string {
	if strings.IndexFunc(s, unicode.IsControl) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unicode.IsControl(r) {
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Problems is a list of problems, an error when not empty.
type Problems []Problem

// MaxShown is how many problems an error lists; it counts the rest.
const MaxShown = 100

func (ps Problems) Error() string {
	shown := ps
	if len(shown) > MaxShown {
		shown = shown[:MaxShown]
	}
	lines := make([]string, len(shown))
	for i, p := range shown {
		lines[i] = p.String()
	}
	if more := len(ps) - len(shown); more > 0 {
		lines = append(lines, fmt.Sprintf("... and %d more (the first %d are shown)", more, MaxShown))
	}
	noun := "problems"
	if len(ps) == 1 {
		noun = "problem"
	}
	return fmt.Sprintf("%d %s in the roster files:\n  %s", len(ps), noun, strings.Join(lines, "\n  "))
}

// sorted orders problems by file, in the order the files were given,
// then by line.
func (ps Problems) sorted(files []string) Problems {
	order := map[string]int{}
	for i, f := range files {
		if _, ok := order[f]; !ok {
			order[f] = i
		}
	}
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].File != ps[j].File {
			return order[ps[i].File] < order[ps[j].File]
		}
		return ps[i].Line < ps[j].Line
	})
	return ps
}
