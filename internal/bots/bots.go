// Package bots decides which GitHub accounts are bots. Bots are stored like
// everyone else but left out of leaderboards unless asked for.
//
// An account is a bot when GitHub says its type is "Bot", or its login
// matches one of the patterns or is one of the listed logins, unless the
// login is listed as a human (an explicit override that wins over
// everything). The rules always include DefaultPatterns and DefaultLogins.
//
// The same rules are available as RE2 expressions (Regex, HumanRegex) for
// ClickHouse's match(), which only sees logins: the account type is not a
// column of the contributions table. GitHub App bots all have a "[bot]"
// suffix, which the default pattern catches.
package bots

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Rules are the bot rules: the defaults plus the configured patterns,
// logins and human overrides. Create them with New; the exported fields
// show the effective rules (defaults first, duplicates removed) and must
// not be changed afterwards.
type Rules struct {
	// Patterns are shell-like login patterns: "*" matches any run of
	// characters (the only wildcard), everything else is literal, the
	// whole login must match, case-insensitively. Example: "*[bot]".
	Patterns []string
	// Logins are exact logins, compared case-insensitively.
	Logins []string
	// Humans are logins of people: never bots, whatever the patterns, the
	// lists or the account type say.
	Humans []string

	logins map[string]bool // folded login -> listed
	humans map[string]bool // folded login -> listed
	globs  [][]string      // each pattern, folded and split at "*"
	regex  string
	human  string
}

// New returns the default rules plus the given patterns, logins and human
// overrides. It rejects empty entries, entries with spaces or control
// characters, invalid UTF-8, and patterns made only of "*" (they would
// match everyone); the error names every bad entry.
func New(patterns, logins, humans []string) (*Rules, error) {
	var errs []error
	for _, p := range patterns {
		errs = append(errs, checkEntry("pattern", p))
		if p != "" && strings.Trim(p, "*") == "" {
			errs = append(errs, fmt.Errorf("bots: pattern %q is only wildcards and would match every login", p))
		}
	}
	for _, l := range logins {
		errs = append(errs, checkEntry("login", l))
	}
	for _, h := range humans {
		errs = append(errs, checkEntry("human login", h))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}

	r := &Rules{logins: map[string]bool{}, humans: map[string]bool{}}
	seen := map[string]bool{}
	for _, p := range append(append([]string{}, DefaultPatterns...), patterns...) {
		p = collapseStars(p)
		if k := fold(p); !seen[k] {
			seen[k] = true
			r.Patterns = append(r.Patterns, p)
			r.globs = append(r.globs, strings.Split(k, "*"))
		}
	}
	for _, l := range append(append([]string{}, DefaultLogins...), logins...) {
		if k := fold(l); !r.logins[k] {
			r.logins[k] = true
			r.Logins = append(r.Logins, l)
		}
	}
	for _, h := range humans {
		if k := fold(h); !r.humans[k] {
			r.humans[k] = true
			r.Humans = append(r.Humans, h)
		}
	}
	r.regex = buildRegex(r.Patterns, r.Logins)
	r.human = buildRegex(nil, r.Humans)
	return r, nil
}

// Forget returns the rules without these logins in their lists (the
// defaults' and the configured ones; patterns and humans stay): rules
// that never heard of them, for measuring what the rules find without
// being told (cross-validation on the labelled set).
func (r *Rules) Forget(logins ...string) *Rules {
	drop := map[string]bool{}
	for _, l := range logins {
		drop[fold(l)] = true
	}
	out := &Rules{Patterns: r.Patterns, Humans: r.Humans, logins: map[string]bool{}, humans: r.humans, globs: r.globs, human: r.human}
	for _, l := range r.Logins {
		if !drop[fold(l)] {
			out.Logins = append(out.Logins, l)
			out.logins[fold(l)] = true
		}
	}
	out.regex = buildRegex(out.Patterns, out.Logins)
	return out
}

// checkEntry validates one configured entry; kind names it in the error.
func checkEntry(kind, s string) error {
	switch {
	case s == "":
		return fmt.Errorf("bots: empty %s", kind)
	case !utf8.ValidString(s):
		return fmt.Errorf("bots: %s %q is not valid UTF-8", kind, s)
	case strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0:
		return fmt.Errorf("bots: %s %q contains white space or a control character", kind, s)
	}
	return nil
}

// IsBot reports whether the account is a bot: GitHub gives its type as
// "Bot", or its login matches a pattern or the login list, and it is not
// a listed human. An empty login (an identity known only by its commit
// email) is never a bot by login.
func (r *Rules) IsBot(login, accountType string) bool {
	key := fold(login)
	if login != "" && r.humans[key] {
		return false
	}
	if strings.EqualFold(accountType, "Bot") {
		return true
	}
	if login == "" {
		return false
	}
	if r.logins[key] {
		return true
	}
	for _, g := range r.globs {
		if globMatch(g, key) {
			return true
		}
	}
	return false
}

// IsHuman reports whether the login is listed as a human override.
func (r *Rules) IsHuman(login string) bool {
	return login != "" && r.humans[fold(login)]
}

// globMatch matches a folded login against a folded pattern split at "*":
// the first part is a prefix, the last a suffix, the others must appear in
// order in between. Taking the leftmost match of each middle part is
// enough when "*" is the only wildcard.
func globMatch(parts []string, s string) bool {
	if len(parts) == 1 {
		return s == parts[0]
	}
	first, last := parts[0], parts[len(parts)-1]
	if len(s) < len(first)+len(last) || !strings.HasPrefix(s, first) || !strings.HasSuffix(s, last) {
		return false
	}
	s = s[len(first) : len(s)-len(last)]
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(s, p)
		if i < 0 {
			return false
		}
		s = s[i+len(p):]
	}
	return true
}

// collapseStars turns runs of "*" into one (they mean the same).
func collapseStars(p string) string {
	for strings.Contains(p, "**") {
		p = strings.ReplaceAll(p, "**", "*")
	}
	return p
}

// fold maps s to a canonical form such that fold(a) == fold(b) exactly
// when a and b are equal under Unicode simple case folding, the rule that
// strings.EqualFold and RE2's (?i) use: every rune becomes one fixed
// member of its folding orbit (the lower-case ASCII letter when the orbit
// has one, so "K", "k" and the Kelvin sign all become "k"). Invalid bytes
// become U+FFFD, as RE2 reads them. Matching folded strings byte by byte
// is then the same as case-insensitive matching rune by rune.
func fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(s)
	}
	var b strings.Builder
	for _, r := range s {
		b.WriteRune(foldRune(r))
	}
	return b.String()
}

// foldRune picks the canonical member of r's simple folding orbit.
func foldRune(r rune) rune {
	best := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		if f < best {
			best = f
		}
	}
	if best < utf8.RuneSelf {
		return unicode.ToLower(best)
	}
	return best
}

// NeverRegex is the expression HumanRegex returns when there are no human
// overrides. It must match no login at all, the empty one included:
// identities known only by a commit email have an empty login, and
// "^$" would match them and, used as an override, exempt them. An empty
// character class matches no character, so this can never match; it is
// valid in Go's regexp and in RE2 (ClickHouse's match(), 18.16 included),
// and unlike a sentinel login such as "\x00never" it does not depend on
// what logins can contain.
const NeverRegex = `(?is)^(?:[^\s\S])$`

// Regex returns one case-insensitive RE2 expression that matches exactly
// the logins that the patterns and the login list make bots (IsBot with a
// "User" account type, ignoring the human overrides). It is anchored at
// both ends, "*" becomes ".*" with (?s) so that it crosses any character,
// and every other character is literal. ClickHouse: match(login, regex).
func (r *Rules) Regex() string { return r.regex }

// HumanRegex returns one case-insensitive RE2 expression that matches
// exactly the human overrides, or NeverRegex when there are none. A login
// is a bot by its login when it matches Regex and not HumanRegex:
//
//	match(login, @bot_regex) AND NOT match(login, @human_regex)
func (r *Rules) HumanRegex() string { return r.human }

// buildRegex joins the patterns and exact logins into one anchored,
// case-insensitive alternation; with none of either it is NeverRegex.
func buildRegex(patterns, logins []string) string {
	alts := make([]string, 0, len(patterns)+len(logins))
	for _, p := range patterns {
		parts := strings.Split(p, "*")
		for i := range parts {
			parts[i] = regexp.QuoteMeta(parts[i])
		}
		alts = append(alts, strings.Join(parts, ".*"))
	}
	for _, l := range logins {
		alts = append(alts, regexp.QuoteMeta(l))
	}
	if len(alts) == 0 {
		return NeverRegex
	}
	return "(?is)^(?:" + strings.Join(alts, "|") + ")$"
}
