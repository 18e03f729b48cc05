package roster

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"
)

// CSVHeader is the CSV roster's header: one row per membership (a member
// without memberships has one row with the program columns empty); the
// rows of one member repeat its name and logins. Lists (logins, ids,
// emails) are separated by ";".
var CSVHeader = []string{"name", "github", "github_ids", "emails", "country", "region", "program", "category", "group", "from", "to"}

func parseCSV(name string, data []byte) (rawFile, Problems) {
	f := newRawFile(name)
	rd := csv.NewReader(bytes.NewReader(data))
	rd.FieldsPerRecord = -1
	header, err := rd.Read()
	if err != nil {
		f.lostMembers = true
		return f, Problems{{File: name, Line: 1, Msg: "no header row: want " + strings.Join(CSVHeader, ",")}}
	}
	col := map[string]int{}
	var ps Problems
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if !contains(CSVHeader, h) {
			ps = append(ps, Problem{File: name, Line: 1, Column: h, Msg: "unknown column (want " + strings.Join(CSVHeader, ",") + ")"})
			continue
		}
		if _, dup := col[h]; dup {
			ps = append(ps, Problem{File: name, Line: 1, Column: h, Msg: "column listed twice"})
			continue
		}
		col[h] = i
	}
	for _, need := range []string{"name", "github"} {
		if _, ok := col[need]; !ok {
			ps = append(ps, Problem{File: name, Line: 1, Column: need, Msg: "missing column"})
			f.lostMembers = true
		}
	}
	if f.lostMembers {
		return f, ps // without its members, the rows cannot be read
	}
	byKey := map[string]int{} // first login -> index in f.members
	for {
		rec, err := rd.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			// The reader goes on after the broken row: report it and read on.
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line, err = pe.Line, pe.Err
			}
			ps = append(ps, Problem{File: name, Line: line, Msg: err.Error()})
			f.lostMembers = true
			continue
		}
		line, _ := rd.FieldPos(0)
		get := func(c string) string {
			if i, ok := col[c]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		if strings.Join(rec, "") == "" {
			continue // a blank row
		}
		w := newWhere(name, line)
		w.csv = true
		m := yamlMember{Name: get("name"), GitHub: splitList(get("github")), Emails: splitList(get("emails")),
			Country: get("country"), Region: get("region")}
		for _, s := range splitList(get("github_ids")) {
			id, err := strconv.ParseInt(s, 10, 64)
			if err != nil || id <= 0 {
				ps = append(ps, Problem{File: name, Line: line, Column: "github_ids", Msg: strconv.Quote(s) + " is not a GitHub user id"})
				continue
			}
			m.GitHubIDs = append(m.GitHubIDs, id)
		}
		var ms *yamlMembership
		if get("program") != "" || get("from") != "" || get("category") != "" || get("group") != "" || get("to") != "" {
			ms = &yamlMembership{Program: get("program"), Category: get("category"), Group: get("group"), From: get("from"), To: get("to")}
		}
		key := ""
		if len(m.GitHub) > 0 {
			key = strings.ToLower(m.GitHub[0])
		}
		if i, ok := byKey[key]; ok && key != "" {
			prev := &f.members[i]
			earlier := " (line " + strconv.Itoa(prev.base) + ")"
			if !strings.EqualFold(prev.Name, m.Name) {
				ps = append(ps, Problem{File: name, Line: line, Column: "name", Msg: "differs from the member's earlier row" + earlier})
			}
			for _, c := range []struct{ field, was, now string }{{"country", prev.Country, m.Country}, {"region", prev.Region, m.Region}} {
				if c.now != "" && c.was != "" && !strings.EqualFold(c.was, c.now) {
					ps = append(ps, Problem{File: name, Line: line, Column: c.field, Msg: "differs from the member's earlier row" + earlier})
				}
			}
			if prev.Country == "" {
				prev.Country = m.Country
			}
			if prev.Region == "" {
				prev.Region = m.Region
			}
			// Later rows may add logins, ids and emails; problems with them
			// name the row that added them.
			prev.GitHub = union(prev.GitHub, m.GitHub, "github", prev.lines, line)
			prev.Emails = union(prev.Emails, m.Emails, "emails", prev.lines, line)
			for _, id := range m.GitHubIDs {
				if !slices.Contains(prev.GitHubIDs, id) {
					prev.GitHubIDs = append(prev.GitHubIDs, id)
				}
			}
			if ms != nil {
				prev.lines["memberships["+strconv.Itoa(len(prev.Memberships))+"]"] = line
				prev.Memberships = append(prev.Memberships, *ms)
			}
			continue
		}
		if ms != nil {
			m.Memberships = []yamlMembership{*ms}
			w.lines["memberships[0]"] = line
		}
		byKey[key] = len(f.members)
		f.members = append(f.members, rawMember{m, *w})
	}
	return f, ps
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ";") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// union appends to a the elements of b it lacks (case-insensitive),
// recording that field[i] of each one added is on line.
func union(a, b []string, field string, lines map[string]int, line int) []string {
	for _, x := range b {
		found := false
		for _, y := range a {
			found = found || strings.EqualFold(x, y)
		}
		if !found {
			lines[field+"["+strconv.Itoa(len(a))+"]"] = line
			a = append(a, x)
		}
	}
	return a
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
