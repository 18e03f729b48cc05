package api

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"slices"
	"time"

	"contribtrack/internal/community"
	"contribtrack/internal/leaderboard"
	"contribtrack/internal/store"
)

// leaderboardEndpoint answers /api/v1/leaderboard: the CLI's leaderboard,
// in its JSON (default) or CSV form.
func (s *Server) leaderboardEndpoint() endpoint {
	return endpoint{
		parse: func(v url.Values, _ *http.Request) (question, error) {
			p := newParams(v, append(slices.Clone(queryParams), "limit", "format")...)
			q := question{query: p.query()}
			q.query.Limit = p.integer("limit", 20, 1, leaderboard.MaxLimit)
			q.format = p.choice("format", "json", []string{"json", "csv"})
			return q, p.validate(&q.query)
		},
		answer: func(ctx context.Context, q question, settings leaderboard.Settings) (answer, error) {
			entries, err := leaderboard.Compute(ctx, s.opts.Store, q.query, settings)
			if err != nil {
				return answer{}, err
			}
			var b bytes.Buffer
			if err := leaderboard.Write(&b, q.format, entries, q.query.Kinds, false); err != nil {
				return answer{}, err
			}
			if q.format == "csv" {
				return answer{contentType: "text/csv; charset=utf-8", body: b.Bytes(), filename: "leaderboard.csv"}, nil
			}
			return answer{contentType: "application/json", body: b.Bytes()}, nil
		},
	}
}

// shareEndpoint answers /api/v1/share: the CLI's share --format json.
func (s *Server) shareEndpoint() endpoint {
	return endpoint{
		parse: func(v url.Values, _ *http.Request) (question, error) {
			// Share splits by affiliation itself: no affiliation filter,
			// as in the CLI.
			known := slices.DeleteFunc(slices.Clone(queryParams), func(n string) bool { return n == "affiliation" })
			p := newParams(v, append(known, "by")...)
			q := question{query: p.query()}
			q.query.Limit = 1 // not used
			q.by = p.choice("by", "affiliation", store.ShareGroupings)
			return q, p.validate(&q.query)
		},
		answer: func(ctx context.Context, q question, settings leaderboard.Settings) (answer, error) {
			if q.by != "affiliation" && settings.Roster == 0 {
				return answer{}, bad("by", "grouping by %s needs a roster (contribtrack roster import)", q.by)
			}
			classes, err := leaderboard.ComputeShare(ctx, s.opts.Store, q.query, settings, q.by)
			if err != nil {
				return answer{}, err
			}
			if classes == nil {
				classes = []leaderboard.ClassShare{}
			}
			return jsonAnswer(classes)
		},
	}
}

// Project is one repository or org in /api/v1/projects.
type Project struct {
	Name               string  `json:"name"` // owner/name, or the org
	Contributions      uint64  `json:"contributions"`
	ActiveContributors uint64  `json:"active_contributors"`
	Score              float64 `json:"score"`
	FirstContribution  string  `json:"first_contribution"`  // YYYY-MM-DD
	LatestContribution string  `json:"latest_contribution"` // YYYY-MM-DD
}

// projectsEndpoint answers /api/v1/projects: every repository (by=org:
// org) with contributions in the period, most first, with the same
// filters as the leaderboard.
func (s *Server) projectsEndpoint() endpoint {
	return endpoint{
		parse: func(v url.Values, _ *http.Request) (question, error) {
			p := newParams(v, append(slices.Clone(queryParams), "by")...)
			q := question{query: p.query()}
			q.query.Limit = 1 // not used
			q.by = p.choice("by", "repo", []string{"repo", "org"})
			return q, p.validate(&q.query)
		},
		answer: func(ctx context.Context, q question, settings leaderboard.Settings) (answer, error) {
			f, err := leaderboard.Filter(q.query, settings)
			if err != nil {
				return answer{}, bad("", "%v", err)
			}
			ps, err := s.opts.Store.Projects(ctx, f, q.by == "org")
			if err != nil {
				return answer{}, err
			}
			out := make([]Project, len(ps))
			for i, p := range ps {
				out[i] = Project{Name: p.Name, Contributions: p.Contributions, ActiveContributors: p.People, Score: p.Score,
					FirstContribution: p.First.UTC().Format(time.DateOnly), LatestContribution: p.Last.UTC().Format(time.DateOnly)}
			}
			return jsonAnswer(out)
		},
	}
}

// projectMetricsEndpoint answers /api/v1/projects/metrics: a project's
// community metrics for a period (org or repo; everything stored when
// neither is given).
func (s *Server) projectMetricsEndpoint() endpoint {
	return endpoint{
		parse: func(v url.Values, _ *http.Request) (question, error) {
			p := newParams(v, queryParams...)
			q := question{query: p.query()}
			q.query.Limit = 1 // not used
			if p.err == nil && q.query.Org != "" && q.query.Repo != "" {
				p.fail(bad("repo", "give org or repo, not both"))
			}
			return q, p.validate(&q.query)
		},
		answer: func(ctx context.Context, q question, settings leaderboard.Settings) (answer, error) {
			m, err := community.Compute(ctx, s.opts.Store, q.query, settings)
			if err != nil {
				return answer{}, err
			}
			return jsonAnswer(m)
		},
		questions: metricsQuestions,
	}
}

// metricsQuestions is how many ClickHouse questions community.Compute
// asks at once at most.
const metricsQuestions = 5

// RepoSync is one repository in /api/v1/sync.
type RepoSync struct {
	Repo string `json:"repo"`
	// LastSync is when every resource was last in sync (null: never), and
	// LagSeconds how long ago that was.
	LastSync   *time.Time       `json:"last_sync"`
	LagSeconds *float64         `json:"lag_seconds"`
	Resources  []ResourceStatus `json:"resources"`
}

// ResourceStatus is one resource of a repository in /api/v1/sync.
type ResourceStatus struct {
	Resource    string    `json:"resource"`
	SyncedAt    time.Time `json:"synced_at"` // when it last changed and was fetched
	GitHubTotal uint64    `json:"github_total,omitempty"`
	Kind        string    `json:"kind,omitempty"`
	Stored      uint64    `json:"stored,omitempty"`
	// Completeness is stored / github_total, when GitHub reports a total
	// for a kind contribtrack stores.
	Completeness *float64 `json:"completeness,omitempty"`
}

// syncEndpoint answers /api/v1/sync: every tracked repository's last
// successful sync, lag, and stored contributions against GitHub's totals.
func (s *Server) syncEndpoint() endpoint {
	return endpoint{
		parse: func(v url.Values, _ *http.Request) (question, error) {
			if p := newParams(v); p.err != nil {
				return question{}, p.err
			}
			return question{}, nil
		},
		answer: func(ctx context.Context, _ question, _ leaderboard.Settings) (answer, error) {
			repos, err := s.opts.Store.SyncStatus(ctx)
			if err != nil {
				return answer{}, err
			}
			now := time.Now()
			out := make([]RepoSync, 0, len(repos))
			for _, r := range repos {
				rs := RepoSync{Repo: r.RepoName, Resources: []ResourceStatus{}}
				if !r.LastSync.IsZero() {
					last, lag := r.LastSync.UTC(), now.Sub(r.LastSync).Seconds()
					rs.LastSync, rs.LagSeconds = &last, &lag
				}
				for _, res := range r.Resources {
					st := ResourceStatus{Resource: res.Resource, SyncedAt: res.SyncedAt.UTC(), GitHubTotal: res.GitHubTotal, Kind: res.Kind, Stored: res.Stored}
					if res.Kind != "" && res.GitHubTotal > 0 {
						c := float64(res.Stored) / float64(res.GitHubTotal)
						st.Completeness = &c
					}
					rs.Resources = append(rs.Resources, st)
				}
				out = append(out, rs)
			}
			return jsonAnswer(out)
		},
		uncached: true,
	}
}

// needsRoster refuses roster filters when no roster was imported.
func needsRoster(q leaderboard.Query, settings leaderboard.Settings) error {
	if settings.Roster != 0 {
		return nil
	}
	for _, f := range []struct{ name, value string }{
		{"program", q.Program}, {"category", q.Category}, {"group", q.Group}, {"region", q.Region}, {"country", q.Country},
	} {
		if f.value != "" {
			return bad(f.name, "needs a roster (contribtrack roster import)")
		}
	}
	return nil
}
