package roster

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
)

// The YAML file's entries (docs/roster.md); yamlSections names its sections.
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
	base  int             // the entry's line
	lines map[string]int  // field -> line
	bad   map[string]bool // fields whose value could not be read (already a problem)
	csv   bool            // a CSV row: problems name its column
}

func newWhere(file string, base int) *where {
	return &where{file: file, base: base, lines: map[string]int{}, bad: map[string]bool{}}
}

func (w where) at(field string) (string, int) {
	for f := field; f != ""; f = parent(f) {
		if n, ok := w.lines[f]; ok && n > 0 {
			return w.file, n
		}
	}
	return w.file, w.base
}

// parent is the field that holds f: memberships[1].from -> memberships[1]
// -> memberships; "" at the top.
func parent(f string) string {
	i := strings.LastIndexAny(f, ".[")
	if i < 0 {
		return ""
	}
	return f[:i]
}

// unread reports whether field, a field holding it or the entry could not be read:
// its problem is already reported.
func (w where) unread(field string) bool {
	for f := field; f != ""; f = parent(f) {
		if w.bad[f] {
			return true
		}
	}
	return w.bad[""] // the whole entry
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

// rawProgram is a program as read.
type rawProgram struct {
	Program
	where
}

// rawFile is one file's content before it is checked and merged.
type rawFile struct {
	name string
	// Members or programs it defines may be missing (it could not be read
	// to its end): others' references to them are not reported unknown.
	lostMembers, lostPrograms bool
	programs                  []rawProgram
	members                   []rawMember
	identities                []rawIdentity
	affs                      []rawAffiliation
	vendors                   []string
	lists                     map[string][]string // bots, humans, opt_out
	listWhere                 map[string]*where   // where their elements are
}

func newRawFile(name string) rawFile {
	return rawFile{name: name, lists: map[string][]string{}, listWhere: map[string]*where{}}
}

// Load reads roster files (.yaml, .yml or .csv) and checks them together.
// It returns the roster, or every problem found in all of them (and no
// roster).
func Load(paths ...string) (*Roster, error) {
	var files []rawFile
	var ps Problems
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			ps = append(ps, Problem{File: p, Msg: "cannot read the file: " + err.Error()})
			files = append(files, rawFile{name: p, lostMembers: true, lostPrograms: true})
			continue
		}
		f, fps := Parse(p, data)
		ps = append(ps, fps...)
		files = append(files, f)
	}
	// The files are checked together even when one of them has problems
	// already, so that one run reports everything.
	r, bps := build(files)
	ps = append(ps, bps...)
	if len(ps) > 0 {
		return nil, ps.sorted(paths)
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
	return rawFile{name: name, lostMembers: true, lostPrograms: true}, Problems{{File: name, Msg: "unknown file type: want .yaml, .yml or .csv"}}
}

// The sections of a YAML roster file.
var yamlSections = []string{"programs", "members", "identities", "affiliations", "vendors", "bots", "humans", "opt_out"}

func parseYAML(name string, data []byte) (rawFile, Problems) {
	f := newRawFile(name)
	// goccy/go-yaml counts a comment's CRLF as two lines, so that every
	// problem after a comment named the wrong line in a file saved with
	// Windows line endings; as LF, the lines are the same.
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	tree, err := parser.ParseBytes(data, 0, parser.AllowDuplicateMapKey())
	if err != nil {
		f.lostMembers, f.lostPrograms = true, true
		return f, Problems{yamlProblem(name, err)}
	}
	d := &decoder{file: name, anchors: map[string]ast.Node{}}
	read := 0 // documents with content
	for _, doc := range tree.Docs {
		body := d.resolve(doc.Body)
		if body == nil {
			continue
		}
		if read++; read > 1 {
			d.problem(tokenLine(body), "", "a roster file holds one YAML document: give this one (after ---) a file of its own")
			continue
		}
		pairs, ok := d.pairs(body)
		if !ok {
			d.problem(tokenLine(body), "", "want a mapping of sections (%s), got %s", strings.Join(yamlSections, ", "), describe(body))
			f.lostMembers, f.lostPrograms = true, true
			continue
		}
		seen := map[string]bool{}
		for _, p := range pairs {
			key := keyName(p)
			if seen[key] {
				d.problem(tokenLine(p.Key), key, "section listed twice (the entries go in one list)")
			}
			seen[key] = true
			switch key {
			case "programs":
				d.entries(p.Value, key, func(n ast.Node, w *where) {
					var x Program
					d.value(n, reflect.ValueOf(&x).Elem(), "", w)
					f.programs = append(f.programs, rawProgram{x, *w})
				})
			case "members":
				d.entries(p.Value, key, func(n ast.Node, w *where) {
					var x yamlMember
					d.value(n, reflect.ValueOf(&x).Elem(), "", w)
					f.members = append(f.members, rawMember{x, *w})
				})
			case "identities":
				d.entries(p.Value, key, func(n ast.Node, w *where) {
					var x yamlIdentity
					d.value(n, reflect.ValueOf(&x).Elem(), "", w)
					f.identities = append(f.identities, rawIdentity{x, *w})
				})
			case "affiliations":
				d.entries(p.Value, key, func(n ast.Node, w *where) {
					var x yamlAffiliation
					d.value(n, reflect.ValueOf(&x).Elem(), "", w)
					f.affs = append(f.affs, rawAffiliation{x, *w})
				})
			case "vendors", "bots", "humans", "opt_out":
				w := newWhere(name, tokenLine(p.Key))
				var list []string
				d.value(p.Value, reflect.ValueOf(&list).Elem(), key, w)
				if key == "vendors" {
					f.vendors = append(f.vendors, list...)
				} else {
					f.lists[key] = list
					f.listWhere[key] = w
				}
			default:
				d.problem(tokenLine(p.Key), key, "unknown section%s (known: %s)", didYouMean(key, yamlSections), strings.Join(yamlSections, ", "))
			}
		}
	}
	return f, d.ps
}

// entries calls each for every entry of a section's list, with the
// entry's where.
func (d *decoder) entries(n ast.Node, section string, each func(ast.Node, *where)) {
	n = d.resolve(n)
	if n == nil {
		return
	}
	seq, ok := n.(*ast.SequenceNode)
	if !ok {
		d.problem(tokenLine(n), section, "want a list of entries (lines starting with -), got %s", describe(n))
		return
	}
	for _, e := range seq.Values {
		line := tokenLine(e)
		if r := d.resolve(e); r != nil {
			line = tokenLine(r)
		}
		each(e, newWhere(d.file, line))
	}
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
