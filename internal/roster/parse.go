package roster

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
)

// The YAML file's shape (docs/roster.md).
type yamlFile struct {
	Programs     []Program         `yaml:"programs"`
	Members      []yamlMember      `yaml:"members"`
	Identities   []yamlIdentity    `yaml:"identities"`
	Affiliations []yamlAffiliation `yaml:"affiliations"`
	Vendors      []string          `yaml:"vendors"`
	Bots         []string          `yaml:"bots"`
	Humans       []string          `yaml:"humans"`
	OptOut       []string          `yaml:"opt_out"`
}

type yamlMember struct {
	ID          string           `yaml:"id"`
	Name        string           `yaml:"name"`
	GitHub      []string         `yaml:"github"`
	GitHubIDs   []int64          `yaml:"github_ids"`
	Emails      []string         `yaml:"emails"`
	Country     string           `yaml:"country"`
	Region      string           `yaml:"region"`
	Memberships []yamlMembership `yaml:"memberships"`
}

type yamlMembership struct {
	Program  string `yaml:"program"`
	Category string `yaml:"category"`
	Group    string `yaml:"group"`
	From     string `yaml:"from"`
	To       string `yaml:"to"`
}

type yamlAffiliation struct {
	Member   string `yaml:"member"`
	Domain   string `yaml:"domain"`
	Employer string `yaml:"employer"`
	From     string `yaml:"from"`
	To       string `yaml:"to"`
}

// rawAffiliation is an affiliation as read.
type rawAffiliation struct {
	yamlAffiliation
	where
}

type yamlIdentity struct {
	Login    string `yaml:"login"`
	GitHubID int64  `yaml:"github_id"`
	Email    string `yaml:"email"`
	Member   string `yaml:"member"`
}

// where locates a field of an entry for problem reports.
type where struct {
	file  string
	base  int            // the entry's line
	lines map[string]int // field -> line
}

func (w where) at(field string) (string, int) {
	for f := field; f != ""; {
		if n, ok := w.lines[f]; ok && n > 0 {
			return w.file, n
		}
		i := strings.LastIndexByte(f, '.')
		if i < 0 {
			break
		}
		f = f[:i] // memberships[1].from -> memberships[1]
	}
	return w.file, w.base
}

// rawMember is a member as read, with where its fields are.
type rawMember struct {
	yamlMember
	where
}

// rawIdentity is a correction as read.
type rawIdentity struct {
	yamlIdentity
	where
}

// rawFile is one file's content before it is checked and merged.
type rawFile struct {
	name       string
	programs   []Program
	members    []rawMember
	identities []rawIdentity
	affs       []rawAffiliation
	vendors    []string
	lists      map[string][]string // bots, humans, opt_out
	listLines  map[string][]int
}

// Load reads roster files (.yaml, .yml or .csv) and checks them together.
// It returns the roster, or every problem found (and no roster).
func Load(paths ...string) (*Roster, error) {
	var files []rawFile
	var ps Problems
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("roster: %w", err)
		}
		f, fps := Parse(p, data)
		ps = append(ps, fps...)
		files = append(files, f)
	}
	if len(ps) > 0 {
		return nil, ps.sorted()
	}
	r, ps := build(files)
	if len(ps) > 0 {
		return nil, ps.sorted()
	}
	return r, nil
}

// Parse reads one roster file; its kind comes from the name's extension.
func Parse(name string, data []byte) (rawFile, Problems) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv":
		return parseCSV(name, data)
	case ".yaml", ".yml":
		return parseYAML(name, data)
	}
	return rawFile{name: name}, Problems{{File: name, Msg: "unknown file type: want .yaml, .yml or .csv"}}
}

func parseYAML(name string, data []byte) (rawFile, Problems) {
	f := rawFile{name: name, lists: map[string][]string{}, listLines: map[string][]int{}}
	var doc yamlFile
	if err := yaml.UnmarshalWithOptions(data, &doc, yaml.Strict()); err != nil {
		return f, Problems{yamlProblem(name, err)}
	}
	tree, err := parser.ParseBytes(data, 0)
	if err != nil {
		return f, Problems{yamlProblem(name, err)}
	}
	line := func(path string) int {
		p, err := yaml.PathString(path)
		if err != nil {
			return 0
		}
		n, err := p.FilterFile(tree)
		if err != nil || n == nil {
			return 0
		}
		return tokenLine(n)
	}
	f.programs = doc.Programs
	for i, m := range doc.Members {
		base := fmt.Sprintf("$.members[%d]", i)
		w := where{file: name, base: line(base), lines: map[string]int{}}
		for _, fld := range []string{"id", "name", "country", "region"} {
			w.lines[fld] = line(base + "." + fld)
		}
		for j := range m.GitHub {
			w.lines[fmt.Sprintf("github[%d]", j)] = line(fmt.Sprintf("%s.github[%d]", base, j))
		}
		for j := range m.Emails {
			w.lines[fmt.Sprintf("emails[%d]", j)] = line(fmt.Sprintf("%s.emails[%d]", base, j))
		}
		for j := range m.Memberships {
			for _, fld := range []string{"program", "category", "group", "from", "to"} {
				key := fmt.Sprintf("memberships[%d].%s", j, fld)
				w.lines[key] = line(base + "." + key)
			}
			w.lines[fmt.Sprintf("memberships[%d]", j)] = line(fmt.Sprintf("%s.memberships[%d]", base, j))
		}
		f.members = append(f.members, rawMember{m, w})
	}
	for i, id := range doc.Identities {
		base := fmt.Sprintf("$.identities[%d]", i)
		w := where{file: name, base: line(base), lines: map[string]int{"member": line(base + ".member")}}
		f.identities = append(f.identities, rawIdentity{id, w})
	}
	for i, a := range doc.Affiliations {
		base := fmt.Sprintf("$.affiliations[%d]", i)
		w := where{file: name, base: line(base), lines: map[string]int{}}
		for _, fld := range []string{"member", "domain", "employer", "from", "to"} {
			w.lines[fld] = line(base + "." + fld)
		}
		f.affs = append(f.affs, rawAffiliation{a, w})
	}
	f.vendors = doc.Vendors
	for key, list := range map[string][]string{"bots": doc.Bots, "humans": doc.Humans, "opt_out": doc.OptOut} {
		f.lists[key] = list
		for i := range list {
			f.listLines[key] = append(f.listLines[key], line(fmt.Sprintf("$.%s[%d]", key, i)))
		}
	}
	return f, nil
}

// tokenLine is the line a YAML node starts on.
func tokenLine(n ast.Node) int {
	if t := n.GetToken(); t != nil && t.Position != nil {
		return t.Position.Line
	}
	return 0
}

// yamlProblem turns a parse error into a problem with its line.
func yamlProblem(name string, err error) Problem {
	var se interface {
		error
		GetToken() *token.Token
		GetMessage() string
	}
	if errors.As(err, &se) {
		if t := se.GetToken(); t != nil && t.Position != nil {
			return Problem{File: name, Line: t.Position.Line, Msg: strings.TrimSpace(firstLine(se.GetMessage()))}
		}
	}
	return Problem{File: name, Msg: firstLine(yaml.FormatError(err, false, false))}
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := bytes.IndexByte([]byte(s), '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}
