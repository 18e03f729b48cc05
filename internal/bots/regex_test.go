package bots

import (
	"context"
	"math/rand"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"contribtrack/internal/testing/chtest"
)

// hostile are configured rules full of regex metacharacters: each must be
// matched literally by both IsBot and the expressions.
var hostile = struct{ patterns, logins, humans []string }{
	patterns: []string{`a.b*`, `*+x`, `(y*`, `*[z`, `*\*`, `p|q*`, `*.*.`, `x**y`, `^start*`, `*end$`},
	logins:   []string{`Foo|bar`, `c++`, `(paren)`, `back\slash`, `dot.dot`, `[br]acket`, `q?`, `{1,2}`},
	humans:   []string{`a.bc`, `c++`, `(yes`, `renovate-bot`, `Some[bot]`},
}

// hostileLogins are inputs aimed at the differences between a literal
// match and a regex one.
var hostileLogins = []string{
	"", "a.b", "axb", "a.bxyz", "A.BC", "a.bc", "a.bcd", "1+x", "1x", "+x", "(y", "(yes", "(y)", "y",
	"z[z", "zz", `a\`, `\`, "a", "p|q", "pq", "p|qrs", "q", "x.y.", "x.y", "..", ".", "xy", "x-y",
	"xanything-y", "^start", "start", "^startx", "end$", "end", "xend$", "foo|bar", "FOO|BAR", "foo",
	"bar", "c++", "c", "cc", "(paren)", "paren", `back\slash`, "backslash", "dot.dot", "dotxdot",
	"[br]acket", "bracket", "b", "q?", "q", "{1,2}", "1", "11", "renovate-bot", "RENOVATE-BOT",
	"dependabot[bot]", "DEPENDABOT[BOT]", "dependabot[bot]x", "[bot]", "bot]", "x[bot", "some[bot]",
	"a.b\nz", "\n", "x\ny", "abbot", "talbot", "coveralls", "Coveralls ", " coveralls",
	"\u212Aalturagitbot", "\u017Fnyk-bot", "kalturag\u0131tbot", "\xff[bot]", "\x00",
}

// agree checks that Regex/HumanRegex (compiled by Go's regexp, an RE2
// implementation) give IsBot's answer for a "User" account on every login.
func agree(t *testing.T, r *Rules, logins []string) {
	t.Helper()
	bot := regexp.MustCompile(r.Regex())
	human := regexp.MustCompile(r.HumanRegex())
	for _, l := range logins {
		byRegex := bot.MatchString(l) && !human.MatchString(l)
		if got := r.IsBot(l, "User"); got != byRegex {
			t.Errorf("login %q: IsBot = %v, regex says %v", l, got, byRegex)
		}
	}
}

func TestRegexAgreesWithIsBot(t *testing.T) {
	logins := append(labelledLogins(t), hostileLogins...)
	defaults, err := New(nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	agree(t, defaults, logins)
	if h := regexp.MustCompile(defaults.HumanRegex()); h.MatchString("") || h.MatchString("x") {
		t.Errorf("HumanRegex without humans %q matches something", defaults.HumanRegex())
	}

	r, err := New(hostile.patterns, hostile.logins, hostile.humans)
	if err != nil {
		t.Fatal(err)
	}
	agree(t, r, logins)
	// Spot checks that the metacharacters are literal.
	for login, want := range map[string]bool{"a.bxyz": true, "axbxyz": false, "Foo|bar": true, "foo": false,
		"c++": false /* human */, "cc": false, "zz": false, "z[z": true, "a.bc": false /* human */} {
		if got := r.IsBot(login, "User"); got != want {
			t.Errorf("hostile rules: IsBot(%q) = %v, want %v", login, got, want)
		}
	}
}

// TestRegexAgreesRandomly compares both sides on random patterns and logins
// drawn from an alphabet of metacharacters.
func TestRegexAgreesRandomly(t *testing.T) {
	const alphabet = `ab.+*([\|]^$?{}-K`
	rnd := rand.New(rand.NewSource(1))
	word := func(max int, stars bool) string {
		var b strings.Builder
		for n := 1 + rnd.Intn(max); b.Len() < n; {
			c := alphabet[rnd.Intn(len(alphabet))]
			if c == '*' && !stars {
				continue
			}
			b.WriteByte(c)
		}
		return b.String()
	}
	for round := 0; round < 300; round++ {
		var pats, logins, humans, inputs []string
		for i := 0; i < 3; i++ {
			if p := word(6, true); strings.Trim(p, "*") != "" {
				pats = append(pats, p)
			}
			logins = append(logins, word(5, false))
			humans = append(humans, word(4, false))
		}
		r, err := New(pats, logins, humans)
		if err != nil {
			t.Fatalf("New(%q, %q, %q): %v", pats, logins, humans, err)
		}
		for i := 0; i < 40; i++ {
			inputs = append(inputs, word(8, false))
		}
		agree(t, r, append(inputs, logins...))
	}
}

// TestRegexInClickHouse checks that ClickHouse's match() (RE2, what the
// leaderboard query uses) gives IsBot's answers for ASCII logins too.
func TestRegexInClickHouse(t *testing.T) {
	if testing.Short() {
		t.Skip("needs ClickHouse")
	}
	opts, err := clickhouse.ParseDSN(chtest.ServerDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	conn, err := clickhouse.Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	var logins []string
	for _, l := range append(labelledLogins(t), hostileLogins...) {
		if isPrintableASCII(l) {
			logins = append(logins, l)
		}
	}
	var version string
	var neverEmpty, caretDollarEmpty uint8
	if err := conn.QueryRow(ctx, "SELECT version(), match('', @never), match('', '^$')",
		clickhouse.Named("never", NeverRegex)).Scan(&version, &neverEmpty, &caretDollarEmpty); err != nil {
		t.Fatal(err)
	}
	// Why HumanRegex is not "^$" when there are no humans: it would match
	// the empty login of every email-only identity.
	if neverEmpty != 0 || caretDollarEmpty != 1 {
		t.Errorf("ClickHouse %s: match('', NeverRegex) = %d, match('', '^$') = %d; want 0 and 1",
			version, neverEmpty, caretDollarEmpty)
	}

	defaults, _ := New(nil, nil, nil)
	custom, err := New(hostile.patterns, hostile.logins, hostile.humans)
	if err != nil {
		t.Fatal(err)
	}
	for name, r := range map[string]*Rules{"defaults": defaults, "hostile": custom} {
		var got []uint8
		err := conn.QueryRow(ctx,
			"SELECT arrayMap(x -> match(x, @bot) AND NOT match(x, @human), @logins)",
			clickhouse.Named("bot", r.Regex()), clickhouse.Named("human", r.HumanRegex()),
			clickhouse.Named("logins", logins)).Scan(&got)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(got) != len(logins) {
			t.Fatalf("%s: %d answers for %d logins", name, len(got), len(logins))
		}
		bots := 0
		for i, l := range logins {
			want := r.IsBot(l, "User")
			if (got[i] == 1) != want {
				t.Errorf("%s: ClickHouse match says %v for %q, IsBot %v", name, got[i] == 1, l, want)
			}
			if want {
				bots++
			}
		}
		t.Logf("ClickHouse %s, %s rules: %d logins, %d bots, same answers as IsBot", version, name, len(logins), bots)
	}
}

func isPrintableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}
