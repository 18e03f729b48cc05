package leaderboard

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"contribtrack/internal/contrib"
	"contribtrack/internal/store"
)

// FieldError is a query's field that is not valid. Field is its name as
// the CLI's flag and the API's parameter both call it (from, to, org,
// repo, kind, limit, affiliation, member): each says the error its own
// way (--org ..., or a 400 naming the parameter).
type FieldError struct {
	Field   string
	Problem string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Problem }

func invalid(field, format string, args ...any) error {
	return &FieldError{Field: field, Problem: fmt.Sprintf(format, args...)}
}

// Validate is the one check of a leaderboard-like question, whoever asks
// it (the CLI, the API, reports, community metrics): the period, the
// names (with the model's validators), the kinds and the limit. It puts
// the kinds in the table's order, each once, and fills in the default
// (every contribution kind). Parsing (dates, kind lists) is the asker's.
func (q *Query) Validate() error {
	switch {
	case q.From.IsZero():
		return invalid("from", "a first day is needed (YYYY-MM-DD, UTC)")
	case q.To.IsZero():
		return invalid("to", "a last day (exclusive) is needed (YYYY-MM-DD, UTC)")
	case !q.From.Before(q.To):
		return invalid("to", "%s is not after from (%s)", q.To.Format(time.DateOnly), q.From.Format(time.DateOnly))
	case !contrib.ValidDay(q.From):
		return invalid("from", "dates must lie between %s", contrib.DayRange())
	case !contrib.ValidPeriod(q.From, q.To):
		return invalid("to", "dates must lie between %s", contrib.DayRange())
	case q.Org != "" && !contrib.ValidOwner(q.Org):
		if strings.Contains(q.Org, "/") {
			return invalid("org", "%q: give an org name; use repo for owner/name", q.Org)
		}
		return invalid("org", "%q is not a GitHub org or user name", q.Org)
	case q.Repo != "" && !contrib.ValidRepo(q.Repo):
		return invalid("repo", "%q is not owner/name", q.Repo)
	case q.Member != "" && !contrib.ValidLogin(q.Member):
		return invalid("member", "%q is not a GitHub login", q.Member)
	case q.Affiliation != "" && !slices.Contains(store.AffiliationClasses, q.Affiliation):
		return invalid("affiliation", "%q: want one of %s", q.Affiliation, strings.Join(store.AffiliationClasses, ", "))
	case q.Limit < 1 || q.Limit > MaxLimit:
		return invalid("limit", "%d: must be between 1 and %d", q.Limit, MaxLimit)
	}
	if len(q.Kinds) == 0 {
		q.Kinds = contrib.ContributionKinds
	}
	// Columns and SQL follow the table's order, each kind once.
	selected := map[contrib.Kind]bool{}
	for _, k := range q.Kinds {
		if !k.Valid() {
			_, err := contrib.ParseKind(string(k))
			return invalid("kind", "%v", err)
		}
		selected[k] = true
	}
	q.Kinds = nil
	for _, k := range contrib.Kinds {
		if selected[k] {
			q.Kinds = append(q.Kinds, k)
		}
	}
	return nil
}
