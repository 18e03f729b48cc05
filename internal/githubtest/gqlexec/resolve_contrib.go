package gqlexec

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"contribtrack/internal/contrib"
	"contribtrack/internal/githubtest/ghdata"
)

// User.contributionsCollection: what a user opened, reviewed and committed
// in a time span, across every repository of the dataset, the way GitHub's
// ContributionsCollection reports it (see the schema's descriptions):
//
//   - the span is from..to, both included; from defaults to a year before
//     to, to to a year after from, both to the year up to the dataset's
//     Now. A span longer than a year (maxSpan) is an error.
//   - pull requests, issues and commits count only in repositories that
//     are not forks (ghdata.CountsAsContribution), as GitHub documents;
//     reviews count everywhere.
//   - pullRequestReviewContributions lists one review per pull request: the
//     user's most recently submitted one in the span.
//   - commits are the default-branch commits GitHub links to the user
//     (ghdata Commit.Author), counted by author date, grouped by repository
//     and by UTC day.
//
// The dataset's repositories are all public: isRestricted is always false
// and the restricted counts are zero.

// collection is a ContributionsCollection; build fills it on first use.
type collection struct {
	u        *ghdata.User
	from, to time.Time
	org      *ghdata.User // organizationID's organisation; nil for all

	built   bool
	pulls   []*pullContrib
	issues  []*issueContrib
	reviews []*reviewContrib
	repos   []*repoCommits // most commits first
	commits int
}

func (*collection) gqlType() string { return "ContributionsCollection" }

// pullContrib is a CreatedPullRequestContribution.
type pullContrib struct {
	c  *collection
	pr *pullObj
}

func (*pullContrib) gqlType() string { return "CreatedPullRequestContribution" }

// issueContrib is a CreatedIssueContribution.
type issueContrib struct {
	c  *collection
	is *issueObj
}

func (*issueContrib) gqlType() string { return "CreatedIssueContribution" }

// reviewContrib is a CreatedPullRequestReviewContribution.
type reviewContrib struct {
	c  *collection
	rv *reviewObj
}

func (*reviewContrib) gqlType() string { return "CreatedPullRequestReviewContribution" }

// repoCommits is a CommitContributionsByRepository: the user's commits in
// one repository, by day.
type repoCommits struct {
	c     *collection
	r     *ghdata.Repo
	days  []*commitDay // oldest first
	count int          // commits
}

func (*repoCommits) gqlType() string { return "CommitContributionsByRepository" }

// commitDay is a CreatedCommitContribution: count commits on one UTC day.
type commitDay struct {
	rc    *repoCommits
	day   time.Time
	count int
}

func (*commitDay) gqlType() string { return "CreatedCommitContribution" }

// dayOf is t's UTC calendar day at midnight, the occurredAt GitHub gives
// a day of commits (contributions are timestamped in UTC).
func dayOf(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// maxSpan is the longest span of a contributions collection: a year, of
// 366 days whatever the year, so that every calendar year and every
// default span fits. (GitHub's own check seems to allow a few days more,
// for its calendar's weeks; the test server keeps to the documented year.)
const maxSpan = 366 * 24 * time.Hour

// addYears moves t by n years, the last day of February standing for the
// 29th in a year without one (as Ruby's 1.year does: GitHub's "a year ago"
// of 2024-02-29 is 2023-02-28, where Go's AddDate says March 1).
func addYears(t time.Time, n int) time.Time {
	u := t.AddDate(n, 0, 0)
	if u.Month() != t.Month() {
		u = u.AddDate(0, 0, -u.Day())
	}
	return u
}

// in reports whether t is in the collection's span, ends included.
func (c *collection) in(t time.Time) bool { return !t.Before(c.from) && !t.After(c.to) }

// build gathers the user's contributions from the dataset, once.
func (c *collection) build(ds *ghdata.Dataset) *collection {
	if c.built {
		return c
	}
	c.built = true
	for _, r := range ds.Repos {
		if c.org != nil && r.Owner != c.org {
			continue
		}
		for _, p := range r.Pulls {
			pr := &pullObj{r, p}
			if p.Author == c.u && c.in(p.CreatedAt) && ghdata.CountsAsContribution(contrib.PROpened, r) {
				c.pulls = append(c.pulls, &pullContrib{c, pr})
			}
			var latest *ghdata.Review // Reviews are by SubmittedAt
			for _, rv := range p.Reviews {
				if rv.Author == c.u && c.in(rv.SubmittedAt) {
					latest = rv
				}
			}
			if latest != nil && ghdata.CountsAsContribution(contrib.PRReview, r) {
				c.reviews = append(c.reviews, &reviewContrib{c, &reviewObj{pr, latest}})
			}
		}
		if ghdata.CountsAsContribution(contrib.IssueOpened, r) {
			for _, is := range r.Issues {
				if is.Author == c.u && c.in(is.CreatedAt) {
					c.issues = append(c.issues, &issueContrib{c, &issueObj{r, is}})
				}
			}
		}
		if ghdata.CountsAsContribution(contrib.Commit, r) {
			if rc := c.repoCommits(r); rc != nil {
				c.repos = append(c.repos, rc)
				c.commits += rc.count
			}
		}
	}
	// Most commits first; GitHub does not document the order.
	slices.SortStableFunc(c.repos, func(a, b *repoCommits) int {
		if n := cmp.Compare(b.count, a.count); n != 0 {
			return n
		}
		return cmp.Compare(a.r.ID, b.r.ID)
	})
	return c
}

// repoCommits groups the user's commits in r by UTC day, nil for none.
func (c *collection) repoCommits(r *ghdata.Repo) *repoCommits {
	rc := &repoCommits{c: c, r: r}
	byDay := map[time.Time]*commitDay{}
	for _, cm := range r.Commits {
		if cm.Author != c.u || !c.in(cm.AuthoredAt) {
			continue
		}
		day := dayOf(cm.AuthoredAt)
		d := byDay[day]
		if d == nil {
			d = &commitDay{rc: rc, day: day}
			byDay[day] = d
			rc.days = append(rc.days, d)
		}
		d.count++
		rc.count++
	}
	if rc.count == 0 {
		return nil
	}
	slices.SortFunc(rc.days, func(a, b *commitDay) int { return a.day.Compare(b.day) })
	return rc
}

// userContributions is User.contributionsCollection.
func userContributions(x *run, u *ghdata.User, a args) (any, error) {
	from, hasFrom, err := timeArg(a.m["from"], "from")
	if err != nil {
		return nil, err
	}
	to, hasTo, err := timeArg(a.m["to"], "to")
	if err != nil {
		return nil, err
	}
	switch {
	case hasFrom && hasTo:
	case hasFrom:
		to = addYears(from, 1)
	case hasTo:
		from = addYears(to, -1)
	default:
		to = x.e.ds.Now
		from = addYears(to, -1)
	}
	// GitHub measures the span either way round.
	if span := to.Sub(from); span > maxSpan || -span > maxSpan {
		return nil, errorf("", "The total time spanned by 'from' and 'to' must not exceed 1 year")
	}
	c := &collection{u: u, from: from.UTC(), to: to.UTC()}
	if a.has("organizationID") {
		id := a.str("organizationID")
		org := x.e.ds.AccountByNodeID(id)
		if org == nil || org.Type != "Organization" {
			return nil, errorf("NOT_FOUND", "Could not resolve to a node with the global id of '%s'", id)
		}
		c.org = org
	}
	return c, nil
}

// excluded fails when excludeFirst or excludePopular is true: the test
// server does not know which contribution is a user's first or most popular.
func excluded(field string, a args) error {
	for _, n := range []string{"excludeFirst", "excludePopular"} {
		if v, _ := a.boolean(n); v {
			return errorf("", "gqlexec: argument %s of %s is not implemented by the test server", n, field)
		}
	}
	return nil
}

// contribDesc is a ContributionOrder's direction: DESC unless ASC (the
// schema's default is {direction: DESC}).
func contribDesc(a args) bool {
	d, _ := a.obj("orderBy")["direction"].(string)
	return d != "ASC"
}

// distinctRepos counts the repositories of items.
func distinctRepos[T any](items []T, repo func(T) *ghdata.Repo) int {
	seen := map[*ghdata.Repo]bool{}
	for _, it := range items {
		seen[repo(it)] = true
	}
	return len(seen)
}

// commitsURL is the page of a user's commits to r between two days.
func commitsURL(r *ghdata.Repo, u *ghdata.User, since, until time.Time) string {
	return fmt.Sprintf("%s/commits?author=%s&since=%s&until=%s", repoURL(r), u.Login,
		since.Format(time.DateOnly), until.Format(time.DateOnly))
}

func pathOf(url string) string { return url[len("https://github.com"):] }
