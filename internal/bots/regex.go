package bots

import (
	"regexp"
	"strings"
)

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
