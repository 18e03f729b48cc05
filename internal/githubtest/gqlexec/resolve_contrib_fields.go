package gqlexec

import (
	"fmt"

	"contribtrack/internal/githubtest/ghdata"
)

// The fields of ContributionsCollection and of the contributions it lists
// (see resolve_contrib.go).

func registerContributions(reg map[string]resolver) {
	on(reg, "User", map[string]func(*run, *ghdata.User, args) (any, error){
		"contributionsCollection": userContributions,
	})
	built := func(f func(*run, *collection, args) (any, error)) func(*run, *collection, args) (any, error) {
		return func(x *run, c *collection, a args) (any, error) { return f(x, c.build(x.e.ds), a) }
	}
	total := func(field string, n func(*collection) int) func(*run, *collection, args) (any, error) {
		return built(func(_ *run, c *collection, a args) (any, error) {
			if err := excluded(field, a); err != nil {
				return nil, err
			}
			return n(c), nil
		})
	}
	on(reg, "ContributionsCollection", map[string]func(*run, *collection, args) (any, error){
		"startedAt": plain(func(c *collection) any { return c.from }),
		"endedAt":   plain(func(c *collection) any { return c.to }),
		"user":      plain(func(c *collection) any { return c.u }),
		"isSingleDay": plain(func(c *collection) any {
			return dayOf(c.from).Equal(dayOf(c.to))
		}),
		"doesEndInCurrentMonth": func(x *run, c *collection, _ args) (any, error) {
			y, m, _ := c.to.Date()
			ny, nm, _ := x.e.ds.Now.UTC().Date()
			return y == ny && m == nm, nil
		},
		"restrictedContributionsCount":  plain(func(*collection) any { return 0 }),
		"hasAnyRestrictedContributions": plain(func(*collection) any { return false }),
		"hasAnyContributions": built(func(_ *run, c *collection, _ args) (any, error) {
			return len(c.pulls)+len(c.issues)+len(c.reviews)+c.commits > 0, nil
		}),
		"totalCommitContributions":            total("totalCommitContributions", func(c *collection) int { return c.commits }),
		"totalIssueContributions":             total("totalIssueContributions", func(c *collection) int { return len(c.issues) }),
		"totalPullRequestContributions":       total("totalPullRequestContributions", func(c *collection) int { return len(c.pulls) }),
		"totalPullRequestReviewContributions": total("totalPullRequestReviewContributions", func(c *collection) int { return len(c.reviews) }),
		"totalRepositoriesWithContributedCommits": total("totalRepositoriesWithContributedCommits",
			func(c *collection) int { return len(c.repos) }),
		"totalRepositoriesWithContributedIssues": total("totalRepositoriesWithContributedIssues", func(c *collection) int {
			return distinctRepos(c.issues, func(o *issueContrib) *ghdata.Repo { return o.is.r })
		}),
		"totalRepositoriesWithContributedPullRequests": total("totalRepositoriesWithContributedPullRequests", func(c *collection) int {
			return distinctRepos(c.pulls, func(o *pullContrib) *ghdata.Repo { return o.pr.r })
		}),
		"totalRepositoriesWithContributedPullRequestReviews": total("totalRepositoriesWithContributedPullRequestReviews", func(c *collection) int {
			return distinctRepos(c.reviews, func(o *reviewContrib) *ghdata.Repo { return o.rv.pr.r })
		}),
		"pullRequestContributions": built(func(_ *run, c *collection, a args) (any, error) {
			if err := excluded("pullRequestContributions", a); err != nil {
				return nil, err
			}
			return paginate(a, "pullRequestContributions", "CreatedPullRequestContributionConnection", c.pulls,
				func(o *pullContrib) ckey { return tkey(o.pr.p.CreatedAt, o.pr.p.ID) }, contribDesc(a),
				func(o *pullContrib) any { return o })
		}),
		"issueContributions": built(func(_ *run, c *collection, a args) (any, error) {
			if err := excluded("issueContributions", a); err != nil {
				return nil, err
			}
			return paginate(a, "issueContributions", "CreatedIssueContributionConnection", c.issues,
				func(o *issueContrib) ckey { return tkey(o.is.is.CreatedAt, o.is.is.ID) }, contribDesc(a),
				func(o *issueContrib) any { return o })
		}),
		"pullRequestReviewContributions": built(func(_ *run, c *collection, a args) (any, error) {
			return paginate(a, "pullRequestReviewContributions", "CreatedPullRequestReviewContributionConnection", c.reviews,
				func(o *reviewContrib) ckey { return tkey(o.rv.rv.SubmittedAt, o.rv.rv.ID) }, contribDesc(a),
				func(o *reviewContrib) any { return o })
		}),
		"commitContributionsByRepository": built(func(_ *run, c *collection, a args) (any, error) {
			n := defaultMaxRepositories
			if v, ok := a.integer("maxRepositories"); ok {
				n = v
			}
			if n < 1 || n > maxPage {
				return nil, errorf("", "maxRepositories must be between 1 and %d (was %d)", maxPage, n)
			}
			out := []any{}
			for _, rc := range c.repos[:min(n, len(c.repos))] {
				out = append(out, rc)
			}
			return out, nil
		}),
	})
	on(reg, "CreatedPullRequestContribution", map[string]func(*run, *pullContrib, args) (any, error){
		"occurredAt":   plain(func(o *pullContrib) any { return o.pr.p.CreatedAt }),
		"pullRequest":  plain(func(o *pullContrib) any { return o.pr }),
		"user":         plain(func(o *pullContrib) any { return o.c.u }),
		"isRestricted": plain(func(*pullContrib) any { return false }),
		"url":          plain(func(o *pullContrib) any { return o.pr.url() }),
		"resourcePath": plain(func(o *pullContrib) any { return pathOf(o.pr.url()) }),
	})
	on(reg, "CreatedIssueContribution", map[string]func(*run, *issueContrib, args) (any, error){
		"occurredAt":   plain(func(o *issueContrib) any { return o.is.is.CreatedAt }),
		"issue":        plain(func(o *issueContrib) any { return o.is }),
		"user":         plain(func(o *issueContrib) any { return o.c.u }),
		"isRestricted": plain(func(*issueContrib) any { return false }),
		"url":          plain(func(o *issueContrib) any { return o.is.url() }),
		"resourcePath": plain(func(o *issueContrib) any { return pathOf(o.is.url()) }),
	})
	reviewURL := func(o *reviewContrib) string {
		return fmt.Sprintf("%s#pullrequestreview-%d", o.rv.pr.url(), o.rv.rv.ID)
	}
	on(reg, "CreatedPullRequestReviewContribution", map[string]func(*run, *reviewContrib, args) (any, error){
		"occurredAt":        plain(func(o *reviewContrib) any { return o.rv.rv.SubmittedAt }),
		"pullRequestReview": plain(func(o *reviewContrib) any { return o.rv }),
		"pullRequest":       plain(func(o *reviewContrib) any { return o.rv.pr }),
		"repository":        plain(func(o *reviewContrib) any { return o.rv.pr.r }),
		"user":              plain(func(o *reviewContrib) any { return o.c.u }),
		"isRestricted":      plain(func(*reviewContrib) any { return false }),
		"url":               plain(func(o *reviewContrib) any { return reviewURL(o) }),
		"resourcePath":      plain(func(o *reviewContrib) any { return pathOf(reviewURL(o)) }),
	})
	repoURLOf := func(o *repoCommits) string { return commitsURL(o.r, o.c.u, o.c.from, o.c.to) }
	on(reg, "CommitContributionsByRepository", map[string]func(*run, *repoCommits, args) (any, error){
		"repository":    plain(func(o *repoCommits) any { return o.r }),
		"url":           plain(func(o *repoCommits) any { return repoURLOf(o) }),
		"resourcePath":  plain(func(o *repoCommits) any { return pathOf(repoURLOf(o)) }),
		"contributions": commitContributions,
	})
	dayURL := func(d *commitDay) string { return commitsURL(d.rc.r, d.rc.c.u, d.day, d.day) }
	on(reg, "CreatedCommitContribution", map[string]func(*run, *commitDay, args) (any, error){
		"occurredAt":   plain(func(d *commitDay) any { return d.day }),
		"commitCount":  plain(func(d *commitDay) any { return d.count }),
		"repository":   plain(func(d *commitDay) any { return d.rc.r }),
		"user":         plain(func(d *commitDay) any { return d.rc.c.u }),
		"isRestricted": plain(func(*commitDay) any { return false }),
		"url":          plain(func(d *commitDay) any { return dayURL(d) }),
		"resourcePath": plain(func(d *commitDay) any { return pathOf(dayURL(d)) }),
	})
}

// defaultMaxRepositories is maxRepositories' default in GitHub's schema.
const defaultMaxRepositories = 25

// commitContributions is CommitContributionsByRepository.contributions:
// one node per day, ordered by OCCURRED_AT (default, DESC) or
// COMMIT_COUNT. Its totalCount is, as the schema says, the number of
// commits, not of days.
func commitContributions(_ *run, o *repoCommits, a args) (any, error) {
	field, _ := a.obj("orderBy")["field"].(string)
	key := func(d *commitDay) ckey { return ckey{N: d.day.UnixNano(), ID: o.r.ID} }
	if field == "COMMIT_COUNT" {
		key = func(d *commitDay) ckey { return ckey{N: int64(d.count), ID: d.day.Unix()} }
	}
	c, err := paginate(a, "contributions", "CreatedCommitContributionConnection", o.days, key, contribDesc(a),
		func(d *commitDay) any { return d })
	if err != nil {
		return nil, err
	}
	c.total = o.count
	return c, nil
}
