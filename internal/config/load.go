package config

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// Load reads the file at path ("" for none) and applies the environment.
func Load(path string, getenv func(string) string) (*Config, error) {
	c := Default()
	var data []byte
	if path != "" {
		var err error
		data, err = os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("config: %w", err)
		}
		// goccy/go-yaml counts a comment's CRLF as two lines, so that a
		// problem after a comment named the wrong line in a file saved
		// with Windows line endings; as LF, the lines are the same.
		data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
		// A file with no settings (empty, only comments, or a null
		// document, like /dev/null) means the defaults: the decoder would
		// set the whole configuration to zero values instead.
		if !noSettings(data) {
			if err := yaml.UnmarshalWithOptions(data, c, yaml.Strict()); err != nil {
				return nil, fmt.Errorf("config %s: %s", path, oneLine(yaml.FormatError(err, false, false)))
			}
		}
	}
	overridden := c.applyEnv(getenv)
	if err := c.Validate(); err != nil {
		where := "config"
		if path != "" {
			where += " " + path
			err = withLines(err, data, overridden)
		}
		if len(overridden) > 0 {
			where += " (with " + strings.Join(overridden, ", ") + " from the environment)"
		}
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	return c, nil
}

// withLines puts the file's line before each of Validate's problems
// ("serve.listen: ..." becomes "line 3: serve.listen: ...") whose setting
// the file holds and the environment did not override.
func withLines(err error, data []byte, overridden []string) error {
	joined, ok := err.(interface{ Unwrap() []error })
	if !ok {
		return err
	}
	tree, perr := parser.ParseBytes(data, 0)
	if perr != nil {
		return err
	}
	fromEnv := map[string]bool{}
	for _, e := range Env {
		if slices.Contains(overridden, e.Name) {
			setting, _, _ := strings.Cut(e.Setting, " ")
			fromEnv[setting] = true
		}
	}
	var out []error
	for _, e := range joined.Unwrap() {
		field, _, _ := strings.Cut(e.Error(), ": ")
		setting, _, _ := strings.Cut(field, "[")
		if line := settingLine(tree, field); line > 0 && !fromEnv[setting] {
			e = fmt.Errorf("line %d: %w", line, e)
		}
		out = append(out, e)
	}
	return errors.Join(out...)
}

// settingLine is the line of a setting (serve.listen, orgs[2]) in the
// file, or 0.
func settingLine(tree *ast.File, field string) int {
	if strings.ContainsAny(field, " \"'") {
		return 0
	}
	p, err := yaml.PathString("$." + field)
	if err != nil {
		return 0
	}
	n, err := p.FilterFile(tree)
	if err != nil || n == nil {
		return 0
	}
	if t := n.GetToken(); t != nil && t.Position != nil {
		return t.Position.Line
	}
	return 0
}

// noSettings reports whether the YAML text holds no value at all: nothing,
// comments, document markers, or null. A text that does not parse has
// settings (the decoder reports what is wrong with them).
func noSettings(data []byte) bool {
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		return false
	}
	for _, d := range f.Docs {
		if d.Body == nil {
			continue
		}
		if _, null := d.Body.(*ast.NullNode); !null {
			return false
		}
	}
	return true
}

// oneLine keeps the first line of a multi-line parser message (the one
// with [line:column]), with control characters that the message quotes
// from the file (an unknown field "\x1b[2J") written as Go escapes, so
// that printing the error runs nothing in a terminal.
func oneLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
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
