package api

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"time"

	"contribtrack/internal/contrib"
	"contribtrack/internal/leaderboard"
	"contribtrack/internal/roster"
	"contribtrack/internal/store"
)

// Profile is a contributor's profile at /api/v1/contributors/{login}.
type Profile struct {
	Login string    `json:"login"`          // the roster's login for a member, else the latest login
	Name  string    `json:"name,omitempty"` // a member's display name
	From  time.Time `json:"from"`
	To    time.Time `json:"to"`

	Score              float64           `json:"score"`
	Counts             map[string]uint64 `json:"counts"`
	FirstContribution  string            `json:"first_contribution"`  // YYYY-MM-DD, UTC
	LatestContribution string            `json:"latest_contribution"` // YYYY-MM-DD, UTC
	ByRepository       []ProfilePart     `json:"by_repository"`
	ByMonth            []ProfilePart     `json:"by_month"`
	Programs           []ProfileProgram  `json:"programs"`
	Affiliations       []ProfileEmployer `json:"affiliations"`
}

// ProfilePart is one repository's or one month's counts.
type ProfilePart struct {
	Repository string            `json:"repository,omitempty"`
	Month      string            `json:"month,omitempty"` // YYYY-MM
	Score      float64           `json:"score"`
	Counts     map[string]uint64 `json:"counts"`
}

// ProfileProgram is a roster membership; To is the last day, null while
// it lasts.
type ProfileProgram struct {
	Program  string  `json:"program"`
	Category string  `json:"category,omitempty"`
	Group    string  `json:"group,omitempty"`
	From     string  `json:"from"`
	To       *string `json:"to"`
}

// ProfileEmployer is a dated affiliation.
type ProfileEmployer struct {
	Employer string  `json:"employer"`
	Vendor   bool    `json:"vendor"`
	From     string  `json:"from"`
	To       *string `json:"to"`
}

// profileEndpoint answers /api/v1/contributors/{login}: one contributor's
// totals by kind, by repository and by month, first and latest
// contribution, programs and affiliations, for a period (the whole
// history by default). People who opted out are not found.
func (s *Server) profileEndpoint() endpoint {
	return endpoint{
		parse: contributorQuestion,
		answer: func(ctx context.Context, q question, settings leaderboard.Settings) (answer, error) {
			f, err := leaderboard.Filter(q.query, settings)
			if err != nil {
				return answer{}, bad("", "%v", err)
			}
			pr, ok, err := s.opts.Store.Profile(ctx, f, q.login)
			if err != nil {
				return answer{}, err
			}
			if !ok || settings.OptedOut(pr.Person, []string{pr.Login}, []uint64{pr.Person}) {
				return answer{}, errNotFound
			}
			return jsonAnswer(profileOf(pr, q.query, settings))
		},
	}
}

// contributorQuestion reads a question about one contributor (a profile,
// a score explained): the login of the path, and the leaderboard's
// parameters but affiliation, for the whole history when neither from nor
// to is given.
func contributorQuestion(v url.Values, r *http.Request) (question, error) {
	login := r.PathValue("login")
	p := newParams(v, slices.DeleteFunc(slices.Clone(queryParams), func(n string) bool { return n == "affiliation" })...)
	q := question{login: login}
	if !contrib.ValidLogin(login) {
		p.fail(bad("login", "%q is not a GitHub login", login))
	}
	_, hasFrom := v["from"]
	_, hasTo := v["to"]
	if !hasFrom && !hasTo {
		v = cloneWith(v, "from", contrib.FirstDay.Format(time.DateOnly), "to", contrib.LastDay.Format(time.DateOnly))
		p.values = v
	}
	q.query = p.query()
	q.query.Limit = 1 // not used
	return q, p.validate(&q.query)
}

func cloneWith(v url.Values, kv ...string) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out.Set(kv[i], kv[i+1])
	}
	return out
}

func profileOf(p store.Profile, q leaderboard.Query, s leaderboard.Settings) Profile {
	out := Profile{
		Login: p.Login, From: q.From, To: q.To, Score: p.Score, Counts: kindCounts(p.Counts),
		FirstContribution: p.First.UTC().Format(time.DateOnly), LatestContribution: p.Last.UTC().Format(time.DateOnly),
		ByRepository: []ProfilePart{}, ByMonth: []ProfilePart{}, Programs: []ProfileProgram{}, Affiliations: []ProfileEmployer{},
	}
	if login, ok := s.People.Logins[p.Person]; ok {
		out.Login = login
	}
	if out.Login == "" {
		out.Login = contrib.EmailLabel(p.Person)
	}
	if p.Member.MemberID != 0 {
		out.Name = p.Member.Name
	}
	for _, r := range p.ByRepository {
		out.ByRepository = append(out.ByRepository, ProfilePart{Repository: r.Name, Score: r.Score, Counts: kindCounts(r.Counts)})
	}
	for _, m := range p.ByMonth {
		out.ByMonth = append(out.ByMonth, ProfilePart{Month: m.Name, Score: m.Score, Counts: kindCounts(m.Counts)})
	}
	for _, m := range p.Member.Memberships {
		out.Programs = append(out.Programs, ProfileProgram{Program: m.Program, Category: m.Category, Group: m.Group,
			From: m.Starts.UTC().Format(time.DateOnly), To: lastDay(m.Ends)})
	}
	for _, a := range p.Affiliations {
		out.Affiliations = append(out.Affiliations, ProfileEmployer{Employer: a.Employer, Vendor: a.Vendor,
			From: a.Starts.UTC().Format(time.DateOnly), To: lastDay(a.Ends)})
	}
	return out
}

// lastDay turns an exclusive end into the last day it includes (nil for
// an ongoing one).
func lastDay(end time.Time) *string {
	if !end.Before(roster.Forever) {
		return nil
	}
	d := end.UTC().AddDate(0, 0, -1).Format(time.DateOnly)
	return &d
}

func kindCounts(m map[contrib.Kind]uint64) map[string]uint64 {
	out := make(map[string]uint64, len(m))
	for k, n := range m {
		out[string(k)] = n
	}
	return out
}
