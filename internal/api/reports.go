package api

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"contribtrack/internal/leaderboard"
	"contribtrack/internal/report"
)

// reportsEndpoint answers /api/v1/reports: a contributor report for an
// org, a repository, a roster program or a member (everything tracked when
// none is given) and a period, as JSON (default), Markdown, CSV or HTML.
// Reports carry the sync status and the time they were made, so they are
// not cached.
func (s *Server) reportsEndpoint() endpoint {
	return endpoint{
		parse: func(v url.Values, _ *http.Request) (question, error) {
			p := newParams(v, "from", "to", "org", "repo", "project", "program", "member", "format")
			req := report.Request{
				Scope: report.Scope{
					// Checked by Validate, as for the CLI.
					Org:     p.one("org"),
					Repo:    p.one("repo"),
					Project: p.one("project"),
					Program: p.one("program"),
					Member:  p.one("member"),
				},
				From: p.date("from", true),
				To:   p.date("to", true),
			}
			q := question{report: req, format: p.choice("format", "json", report.Formats)}
			if p.err != nil {
				return q, p.err
			}
			if req.Project != "" {
				entries, ok := s.opts.Projects[req.Project]
				if !ok {
					return q, bad("project", "%q is not a project of the configuration", req.Project)
				}
				req.Set = report.ProjectSet(entries)
				q.report = req
			}
			if err := validated(req.Validate()); err != nil {
				return q, err
			}
			// Checked against what is known (leaderboard.CheckNames), and
			// the program refused without a roster, as for other questions.
			q.query.Org, q.query.Repo, q.query.Program, q.query.Member = req.Org, req.Repo, req.Program, req.Member
			return q, nil
		},
		answer: func(ctx context.Context, q question, settings leaderboard.Settings) (answer, error) {
			r, err := report.Build(ctx, s.opts.Store, q.report, settings, report.Options{})
			if errors.Is(err, report.ErrNotShown) {
				return answer{}, errNotFound // as for a profile: nothing to tell
			}
			if err != nil {
				return answer{}, err
			}
			var b bytes.Buffer
			if err := report.Write(&b, q.format, r); err != nil {
				return answer{}, err
			}
			a := answer{contentType: report.ContentTypes[q.format], body: b.Bytes()}
			if q.format == "csv" || q.format == "md" {
				a.filename = reportFilename(q.report, q.format)
			}
			return a, nil
		},
		uncached:  true,
		questions: reportQuestions,
	}
}

// reportQuestions is how many ClickHouse questions report.Build asks at
// once at most: six beside the community metrics, which ask five.
const reportQuestions = 6 + metricsQuestions

// reportFilename is the download name of a report: its scope and period,
// in characters safe in a header and a file system.
func reportFilename(r report.Request, format string) string {
	name := "contribtrack-report"
	if n := r.Name(); n != "" {
		name += "-" + r.Kind() + "-" + n
	}
	name += "-" + r.From.Format("2006-01-02") + "-" + r.To.Format("2006-01-02")
	safe := strings.Map(func(c rune) rune {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' {
			return c
		}
		return '_'
	}, name)
	return safe + "." + format
}
