package roster

import (
	"fmt"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"time"

	"contribtrack/internal/contrib"
)

// keyPattern is what a member's key may be (logins: contrib.ValidOwner).
var keyPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$`)

// checker collects problems.
type checker struct {
	ps Problems
	// A file could not be read to its end: a member or program it may
	// define is not reported unknown elsewhere.
	lostMembers, lostPrograms bool
}

// add reports a problem with field of the entry w locates, unless the
// field's value could not be read (that is a problem already).
func (c *checker) add(w where, field, format string, args ...any) {
	if w.unread(field) {
		return
	}
	file, line := w.at(field)
	p := Problem{File: file, Line: line, Field: field, Msg: fmt.Sprintf(format, args...)}
	if w.csv {
		p.Field, p.Column = "", csvColumn(field)
	}
	c.ps = append(c.ps, p)
}

// csvColumn is the CSV column that holds a member's field:
// memberships[0].from is column from, github[1] column github. A CSV
// member's id is its first login.
func csvColumn(field string) string {
	if i := strings.LastIndexByte(field, '.'); i >= 0 {
		field = field[i+1:]
	}
	field, _, _ = strings.Cut(field, "[")
	if field == "id" {
		return "github"
	}
	return field
}

// build checks the files together and merges them into one roster.
func build(files []rawFile) (*Roster, Problems) {
	c := &checker{}
	for _, f := range files {
		c.lostMembers = c.lostMembers || f.lostMembers
		c.lostPrograms = c.lostPrograms || f.lostPrograms
	}
	r := &Roster{Programs: append([]Program(nil), DefaultPrograms...)}
	for _, f := range files {
		for _, rp := range f.programs {
			p := rp.Program
			if !keyPattern.MatchString(p.ID) {
				c.add(rp.where, "id", "%q is not a program id (letters, digits, . _ -)", p.ID)
				continue
			}
			if old := r.Program(p.ID); old != nil {
				*old = p // a file may redefine a default program
			} else {
				r.Programs = append(r.Programs, p)
			}
		}
	}
	logins := map[string]string{} // lower login -> member key
	ids := map[int64]string{}
	emails := map[string]string{}
	seen := map[string]where{}
	for _, f := range files {
		for _, rm := range f.members {
			// A member with problems is still checked against the others
			// (claimed logins, duplicates), so that one lint run says all.
			m := c.member(r, rm)
			k := strings.ToLower(m.Key)
			if k == "" {
				// No id and no valid login (reported): nothing to compare.
			} else if first, dup := seen[k]; dup {
				c.add(rm.where, "id", "member %q is already defined at %s:%d", m.Key, first.file, first.base)
				continue
			}
			seen[k] = rm.where
			for i, l := range m.Logins {
				if other, ok := logins[strings.ToLower(l)]; ok && other == m.Key {
					c.add(rm.where, fmt.Sprintf("github[%d]", i), "login %q is listed twice", l)
				} else if ok {
					c.add(rm.where, fmt.Sprintf("github[%d]", i), "login %q is claimed by two members (%s and %s)", l, other, m.Key)
				}
				logins[strings.ToLower(l)] = m.Key
			}
			for _, id := range m.GitHubIDs {
				if other, ok := ids[id]; ok {
					c.add(rm.where, "github_ids", "GitHub id %d is claimed by two members (%s and %s)", id, other, m.Key)
				}
				ids[id] = m.Key
			}
			for i, e := range m.Emails {
				if other, ok := emails[e]; ok {
					c.add(rm.where, fmt.Sprintf("emails[%d]", i), "email is claimed by two members (%s and %s)", other, m.Key)
				}
				emails[e] = m.Key
			}
			r.Members = append(r.Members, m)
		}
	}
	for _, f := range files {
		for _, id := range f.identities {
			c.correction(r, id, logins, ids, emails)
		}
		for key, list := range f.lists {
			w := *f.listWhere[key]
			for i, v := range list {
				if w.unread(fmt.Sprintf("%s[%d]", key, i)) {
					continue
				}
				v = strings.TrimSpace(v)
				isLogin := contrib.ValidLogin(v)
				switch {
				case key == "opt_out" && !isLogin && !isID(v):
					c.add(w, fmt.Sprintf("%s[%d]", key, i), "%q is not a GitHub login or id", v)
					continue
				case key != "opt_out" && !isLogin:
					c.add(w, fmt.Sprintf("%s[%d]", key, i), "%q is not a GitHub login (bots and humans are named by login)", v)
					continue
				}
				switch key {
				case "bots":
					r.Bots = append(r.Bots, v)
				case "humans":
					r.Humans = append(r.Humans, v)
				case "opt_out":
					r.OptOut = append(r.OptOut, v)
				}
			}
		}
	}
	for _, f := range files {
		r.Vendors = append(r.Vendors, f.vendors...)
	}
	humans := map[string]bool{}
	for _, h := range r.Humans {
		humans[strings.ToLower(h)] = true
	}
	for _, b := range r.Bots {
		if humans[strings.ToLower(b)] {
			c.ps = append(c.ps, Problem{File: files[0].name, Field: "bots", Msg: fmt.Sprintf("%q is listed both as a bot and as a human", b)})
		}
	}
	var wheres []where
	for _, f := range files {
		for _, a := range f.affs {
			if af, ok := c.affiliation(r, a); ok {
				r.Affiliations = append(r.Affiliations, af)
				wheres = append(wheres, a.where)
			}
		}
	}
	c.overlaps(r, wheres)
	if len(c.ps) > 0 {
		return nil, c.ps
	}
	return r, nil
}

var domainPattern = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$`)

// affiliation checks one affiliations entry.
func (c *checker) affiliation(r *Roster, a rawAffiliation) (Affiliation, bool) {
	before := len(c.ps)
	af := Affiliation{Employer: strings.TrimSpace(a.Employer), Domain: strings.ToLower(strings.TrimSpace(a.Domain))}
	switch {
	case a.Member != "" && a.Domain != "":
		c.add(a.where, "member", "an affiliation names a member or a domain, not both")
	case a.Member != "":
		if m := r.Member(a.Member); m == nil {
			if !c.lostMembers {
				c.add(a.where, "member", "unknown member %q", a.Member)
			}
		} else {
			af.Member = m.Key
		}
	case a.Domain != "":
		if !domainPattern.MatchString(af.Domain) {
			c.add(a.where, "domain", "%q is not an email domain", a.Domain)
		}
		if a.From != "" || a.To != "" {
			c.add(a.where, "from", "domain affiliations hold for all time: give dates on members' affiliations")
		}
	default:
		c.add(a.where, "member", "an affiliation names a member or a domain")
	}
	if af.Employer == "" {
		c.add(a.where, "employer", "missing (an organisation, or independent)")
	}
	var err error
	if af.From, err = parseDate(a.From); err != nil {
		c.add(a.where, "from", "want a date such as 2024-01-31, got %q", a.From)
	}
	if af.To, err = parseDate(a.To); err != nil {
		c.add(a.where, "to", "want a date such as 2024-12-31 (or nothing: ongoing), got %q", a.To)
	}
	if !af.From.IsZero() && !af.To.IsZero() && af.To.Before(af.From) {
		c.add(a.where, "to", "ends (%s) before it starts (%s)", a.To, a.From)
	}
	return af, len(c.ps) == before
}

// overlaps reports a member with two affiliations at once, or a domain
// listed twice: which employer counts would be a guess.
func (c *checker) overlaps(r *Roster, wheres []where) {
	seenDomain := map[string]bool{}
	for i, a := range r.Affiliations {
		if a.Domain != "" {
			if seenDomain[a.Domain] {
				c.add(wheres[i], "domain", "domain %s is listed twice", a.Domain)
			}
			seenDomain[a.Domain] = true
			continue
		}
		for _, b := range r.Affiliations[:i] {
			if b.Member == a.Member && a.Start().Before(b.End()) && b.Start().Before(a.End()) {
				c.add(wheres[i], "from", "member %s has two affiliations at once (%s and %s)", a.Member, b.Employer, a.Employer)
			}
		}
	}
}

func isID(s string) bool {
	n, err := strconv.ParseInt(s, 10, 64)
	return err == nil && n > 0
}

// member checks one member as read and returns it (problems are added
// to c; the member is returned anyway for the checks across members).
func (c *checker) member(r *Roster, rm rawMember) *Member {
	m := &Member{Name: strings.TrimSpace(rm.Name), Country: strings.TrimSpace(rm.Country), Region: strings.TrimSpace(rm.Region),
		GitHubIDs: rm.GitHubIDs}
	if m.Name == "" {
		c.add(rm.where, "name", "missing")
	}
	for i, l := range rm.GitHub {
		l = strings.TrimSpace(l)
		if !contrib.ValidOwner(l) {
			if strings.Contains(l, "@") { // an email in the wrong field: not repeated
				c.add(rm.where, fmt.Sprintf("github[%d]", i), "an email address is not a GitHub login (emails go in emails)")
			} else {
				c.add(rm.where, fmt.Sprintf("github[%d]", i), "%q is not a GitHub login", l)
			}
			continue
		}
		m.Logins = append(m.Logins, l)
	}
	if len(rm.GitHub) == 0 {
		c.add(rm.where, "github", "a member needs at least one GitHub login")
	}
	for i, id := range rm.GitHubIDs {
		if id <= 0 {
			c.add(rm.where, fmt.Sprintf("github_ids[%d]", i), "%d is not a GitHub user id", id)
		}
	}
	for i, e := range rm.Emails {
		a, err := mail.ParseAddress(strings.TrimSpace(e))
		if err != nil || a.Address != strings.TrimSpace(e) {
			c.add(rm.where, fmt.Sprintf("emails[%d]", i), "not an email address")
			continue
		}
		m.Emails = append(m.Emails, strings.ToLower(a.Address))
	}
	m.Key = strings.TrimSpace(rm.ID)
	if m.Key == "" && len(m.Logins) > 0 {
		m.Key = strings.ToLower(m.Logins[0])
	}
	if m.Key != "" && !keyPattern.MatchString(m.Key) {
		c.add(rm.where, "id", "%q is not a member id (letters, digits, . _ -)", m.Key)
	}
	for j, ym := range rm.Memberships {
		f := func(name string) string { return fmt.Sprintf("memberships[%d].%s", j, name) }
		p := r.Program(ym.Program)
		if p == nil {
			if !c.lostPrograms {
				c.add(rm.where, f("program"), "unknown program %q (known: %s)", ym.Program, programIDs(r))
			}
			continue
		}
		ms := Membership{Program: p.ID, Group: strings.TrimSpace(ym.Group)}
		if len(p.Categories) > 0 {
			cat := canonical(p.Categories, ym.Category)
			if ym.Category != "" && cat == "" {
				c.add(rm.where, f("category"), "unknown category %q for %s (known: %s)", ym.Category, p.ID, strings.Join(p.Categories, ", "))
			}
			ms.Category = cat
		} else {
			ms.Category = strings.TrimSpace(ym.Category)
		}
		if p.Groups && ms.Group == "" {
			c.add(rm.where, f("group"), "%s memberships name their group", p.ID)
		}
		var err error
		if ms.From, err = parseDate(ym.From); err != nil || ms.From.IsZero() {
			c.add(rm.where, f("from"), "want a day between %s and %s such as 2024-01-31, got %q", First.Format(time.DateOnly), Last.Format(time.DateOnly), ym.From)
		}
		if ms.To, err = parseDate(ym.To); err != nil {
			c.add(rm.where, f("to"), "want a day between %s and %s such as 2024-12-31 (or nothing: ongoing), got %q", First.Format(time.DateOnly), Last.Format(time.DateOnly), ym.To)
		}
		if !ms.From.IsZero() && !ms.To.IsZero() && ms.To.Before(ms.From) {
			c.add(rm.where, f("to"), "ends (%s) before it starts (%s)", ym.To, ym.From)
		}
		m.Memberships = append(m.Memberships, ms)
	}
	return m
}

// correction checks one identities entry and attaches it.
func (c *checker) correction(r *Roster, id rawIdentity, logins map[string]string, ids map[int64]string, emails map[string]string) {
	m := r.Member(id.Member)
	if m == nil {
		if !c.lostMembers {
			c.add(id.where, "member", "unknown member %q", id.Member)
		}
		return
	}
	set := 0
	cor := Correction{Member: m.Key}
	if id.Login != "" {
		set++
		if !contrib.ValidOwner(id.Login) {
			c.add(id.where, "login", "%q is not a GitHub login", id.Login)
			return
		}
		if other, ok := logins[strings.ToLower(id.Login)]; ok && !strings.EqualFold(other, m.Key) {
			c.add(id.where, "login", "login %q is claimed by two members (%s and %s)", id.Login, other, m.Key)
			return
		}
		logins[strings.ToLower(id.Login)] = m.Key
		cor.Login = id.Login
	}
	if id.GitHubID != 0 {
		set++
		if other, ok := ids[id.GitHubID]; ok && !strings.EqualFold(other, m.Key) {
			c.add(id.where, "github_id", "GitHub id %d is claimed by two members (%s and %s)", id.GitHubID, other, m.Key)
			return
		}
		ids[id.GitHubID] = m.Key
		cor.GitHubID = id.GitHubID
	}
	if id.Email != "" {
		set++
		a, err := mail.ParseAddress(strings.TrimSpace(id.Email))
		if err != nil || a.Address != strings.TrimSpace(id.Email) {
			c.add(id.where, "email", "not an email address (just the address, no name)")
			return
		}
		e := strings.ToLower(a.Address)
		if other, ok := emails[e]; ok && !strings.EqualFold(other, m.Key) {
			c.add(id.where, "email", "email is claimed by two members (%s and %s)", other, m.Key)
			return
		}
		emails[e] = m.Key
		cor.Email = e
	}
	if set != 1 {
		c.add(id.where, "login", "an identities entry names exactly one of login, github_id, email")
		return
	}
	r.Corrections = append(r.Corrections, cor)
}

func canonical(list []string, s string) string {
	for _, x := range list {
		if strings.EqualFold(strings.TrimSpace(s), x) {
			return x
		}
	}
	return ""
}

func programIDs(r *Roster) string {
	ids := make([]string, len(r.Programs))
	for i, p := range r.Programs {
		ids[i] = p.ID
	}
	return strings.Join(ids, ", ")
}

// First and Last bound the dates a roster may hold: the days contribtrack
// knows (contrib.FirstDay, contrib.LastDay), the last one kept for
// Forever, the end of an ongoing membership.
var (
	First = contrib.FirstDay
	Last  = contrib.LastDay.AddDate(0, 0, -1)
)

// parseDate reads YYYY-MM-DD ("" is zero) between First and Last.
func parseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		return d, err
	}
	if d.Before(First) || d.After(Last) {
		return d, fmt.Errorf("out of range")
	}
	return d, nil
}
