package leaderboard

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"contribtrack/internal/store"
)

// UnknownNameError is a name a question gives that nothing stored and no
// roster knows: an org or repository without a stored contribution, a
// program (category, group, region, country) the roster does not name, a
// member who is neither a roster member nor an account with
// contributions. The CLI exits 1 with it, the API answers 404.
type UnknownNameError struct {
	Parameter string   // org, repo, program, category, group, region, country or member
	Value     string   // as given
	Known     []string // what is known instead (sorted; empty: nothing)
	// Suggestion is the known name closest to Value ("" when none is
	// close).
	Suggestion string
}

// maxListed bounds how many known names an error lists.
const maxListed = 12

func (e *UnknownNameError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "unknown %s %q", e.Parameter, e.Value)
	if e.Suggestion != "" {
		fmt.Fprintf(&b, ": did you mean %q?", e.Suggestion)
	}
	switch what := pluralOf(e.Parameter); {
	case e.Parameter == "member":
		b.WriteString(" (no roster member has that login, and no contribution is stored under it)")
	case len(e.Known) == 0:
		fmt.Fprintf(&b, " (no %s known)", what)
	case len(e.Known) <= maxListed:
		fmt.Fprintf(&b, " (known %s: %s)", what, strings.Join(e.Known, ", "))
	default:
		fmt.Fprintf(&b, " (%d %s known, such as %s)", len(e.Known), what, strings.Join(e.Known[:maxListed], ", "))
	}
	return b.String()
}

func pluralOf(parameter string) string {
	switch parameter {
	case "repo":
		return "repositories"
	case "category":
		return "categories"
	case "country":
		return "countries"
	}
	return parameter + "s"
}

// Names is where the names a question can give are known; *store.Store
// is one.
type Names interface {
	StoredNames(ctx context.Context, what string) ([]string, error)
	RosterNames(ctx context.Context, importID uint64) (map[string][]string, error)
	Identify(ctx context.Context, importID uint64, login string) (store.Who, error)
	NameStored(ctx context.Context, what, name string) (bool, error)
}

// CheckNames returns an *UnknownNameError for the first name in q that
// nothing knows (names compare without case), nil when every name is
// known. A known org or repository without contributions in the period is
// a valid, empty question. Roster names need a roster: without one,
// Filter says so.
func CheckNames(ctx context.Context, src Names, q Query, s Settings) error {
	for _, c := range []struct{ parameter, value string }{{"org", q.Org}, {"repo", q.Repo}} {
		if c.value == "" {
			continue
		}
		stored, err := src.NameStored(ctx, c.parameter, c.value)
		if err != nil {
			return err
		}
		if stored {
			continue
		}
		known, err := src.StoredNames(ctx, c.parameter)
		if err != nil {
			return err
		}
		if err := unknown(c.parameter, c.value, known); err != nil {
			return err
		}
	}
	if s.Roster != 0 {
		rosterNames := map[string][]string(nil)
		for _, c := range []struct{ parameter, value string }{
			{"program", q.Program}, {"category", q.Category}, {"group", q.Group}, {"region", q.Region}, {"country", q.Country},
		} {
			if c.value == "" {
				continue
			}
			if rosterNames == nil {
				var err error
				if rosterNames, err = src.RosterNames(ctx, s.Roster); err != nil {
					return err
				}
			}
			if err := unknown(c.parameter, c.value, rosterNames[c.parameter]); err != nil {
				return err
			}
		}
	}
	if q.Member != "" {
		who, err := src.Identify(ctx, s.Roster, q.Member)
		if err != nil {
			return err
		}
		if who.MemberID != 0 {
			return nil
		}
		stored, err := src.NameStored(ctx, "login", q.Member)
		if err != nil {
			return err
		}
		if !stored {
			var logins []string
			for _, l := range s.People.Logins {
				logins = append(logins, l)
			}
			sort.Strings(logins)
			return &UnknownNameError{Parameter: "member", Value: q.Member, Suggestion: closest(q.Member, logins)}
		}
	}
	return nil
}

// unknown is nil when value is one of known (without case), else the
// error naming it.
func unknown(parameter, value string, known []string) error {
	for _, k := range known {
		if strings.EqualFold(k, value) {
			return nil
		}
	}
	return &UnknownNameError{Parameter: parameter, Value: value, Known: known, Suggestion: closest(value, known)}
}

// closest is the known name nearest to value when one is near enough to be
// a typo: at most a third of its letters edited (at least one), or one
// that contains it or is contained in it; "" otherwise. Ties go to the
// first in known's order.
func closest(value string, known []string) string {
	v := strings.ToLower(value)
	best, bestDist := "", -1
	for _, k := range known {
		kl := strings.ToLower(k)
		d := editDistance(v, kl)
		if d > max(1, len([]rune(v))/3) && !strings.Contains(kl, v) && !strings.Contains(v, kl) {
			continue
		}
		if bestDist < 0 || d < bestDist {
			best, bestDist = k, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, by runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
