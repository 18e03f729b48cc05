package collector_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-github/v60/github"

	"contribtrack/internal/collector"
	"contribtrack/internal/config"
	"contribtrack/internal/githubtest"
	"contribtrack/internal/githubtest/ghdata"
)

// BenchmarkCollectCost measures the rate-limit points contribtrack spends
// to collect a generated org of 20 repositories (2,000 pull requests with
// about 3 reviews each, 3,000 issues with comments, 10,000 commits), and in
// the same run the points a straightforward REST-only crawl spends (the
// list endpoints plus one reviews call per pull request), and what a
// resync with no change costs. Run it with
//
//	go test -run '^$' -bench CollectCost -benchtime 1x ./internal/collector/
func BenchmarkCollectCost(b *testing.B) {
	for i := 0; i < b.N; i++ {
		ds := ghdata.Generate(ghdata.BenchSpec(1))
		e := newEnv(b, ds, githubtest.Options{CoreLimit: 1 << 20, GraphQLLimit: 1 << 20})
		n := 0
		for _, c := range ds.Truth() {
			if c.Kind.IsContribution() {
				n++
			}
		}

		start := time.Now()
		sum, err := e.collect(b, e.client(b, nil), nil)
		if err != nil {
			b.Fatal(err)
		}
		took := time.Since(start)
		st := e.srv.Stats()
		points := st.Points["core"] + st.Points["graphql"]
		assertExact(b, truth(ds, nil), e.stored(b))

		e.srv.ResetStats()
		start = time.Now()
		found, err := restOnlyCrawl(context.Background(), e.srv.URL, ds)
		if err != nil {
			b.Fatal(err)
		}
		restTook := time.Since(start)
		restPoints := e.srv.Stats().Points["core"]

		e.srv.ResetStats()
		if _, err := e.collect(b, e.client(b, nil), nil); err != nil {
			b.Fatal(err)
		}
		rs := e.srv.Stats()
		resync := rs.Points["core"] + rs.Points["graphql"]

		per1k := float64(points) / float64(n) * 1000
		restPer1k := float64(restPoints) / float64(n) * 1000
		b.ReportMetric(per1k, "points/1k-contributions")
		b.ReportMetric(restPer1k, "rest-only-points/1k-contributions")
		b.ReportMetric(float64(restPoints)/float64(points), "x-fewer-points")
		b.ReportMetric(float64(resync)/float64(len(ds.Repos)), "resync-points/repo")
		b.Logf("%d repositories, %d contributions (%d rows with stars and forks)", len(ds.Repos), n, sum.Total())
		b.Logf("contribtrack: %d points (GraphQL %d, REST %d) in %d requests, %s: %.1f points per 1,000 contributions",
			points, st.Points["graphql"], st.Points["core"], st.Requests, took.Round(time.Millisecond), per1k)
		b.Logf("REST-only crawl (baseline): %d points in %s for %d items: %.1f points per 1,000 contributions; contribtrack spends %.1fx fewer",
			restPoints, restTook.Round(time.Millisecond), found, restPer1k, float64(restPoints)/float64(points))
		b.Logf("no-change resync: %d points for %d repositories (%d REST requests, %d answered 304; %d GraphQL requests)",
			resync, len(ds.Repos), rs.REST, rs.NotModified, rs.GraphQL)

		// Under the accepted profile collect also reads the diffs of small
		// merged pull requests (whitespace-only changes): REST points only.
		ea := newEnv(b, ds, githubtest.Options{CoreLimit: 1 << 20, GraphQLLimit: 1 << 20})
		lines := config.DefaultAccepted().DiffCheckLines
		if _, err := ea.collect(b, ea.client(b, nil), func(o *collector.Options) { o.DiffCheckLines = lines }); err != nil {
			b.Fatal(err)
		}
		as := ea.srv.Stats()
		accepted := as.Points["core"] + as.Points["graphql"]
		b.ReportMetric(float64(accepted)/float64(n)*1000, "accepted-points/1k-contributions")
		b.Logf("under the accepted profile (the diffs of merged pull requests of at most %d lines read): %d points (GraphQL %d, REST %d): %.1f points per 1,000 contributions",
			lines, accepted, as.Points["graphql"], as.Points["core"], float64(accepted)/float64(n)*1000)
	}
}

// restOnlyCrawl is the baseline: what a straightforward REST crawler does
// to see the same contributions — every list endpoint of every repository,
// plus one reviews call per pull request (and the issue events, for who
// closed what). It returns how many items it read.
func restOnlyCrawl(ctx context.Context, url string, ds *ghdata.Dataset) (int, error) {
	hc := &http.Client{Timeout: time.Minute}
	gh, err := github.NewClient(hc).WithAuthToken("ghp_test_token_one").WithEnterpriseURLs(url, url)
	if err != nil {
		return 0, err
	}
	items := 0
	all := func(list func(page int) (int, *github.Response, error)) error {
		for page := 1; ; {
			n, resp, err := list(page)
			if err != nil {
				return err
			}
			items += n
			if resp.NextPage == 0 {
				return nil
			}
			page = resp.NextPage
		}
	}
	lo := func(page int) github.ListOptions { return github.ListOptions{Page: page, PerPage: 100} }
	for _, org := range ds.Orgs {
		var repos []*github.Repository
		if err := all(func(page int) (int, *github.Response, error) {
			rs, resp, err := gh.Repositories.ListByOrg(ctx, org.Login, &github.RepositoryListByOrgOptions{ListOptions: lo(page)})
			repos = append(repos, rs...)
			return len(rs), resp, err
		}); err != nil {
			return 0, err
		}
		for _, r := range repos {
			o, n := r.GetOwner().GetLogin(), r.GetName()
			var pulls []*github.PullRequest
			steps := []func(page int) (int, *github.Response, error){
				func(page int) (int, *github.Response, error) {
					ps, resp, err := gh.PullRequests.List(ctx, o, n, &github.PullRequestListOptions{State: "all", ListOptions: lo(page)})
					pulls = append(pulls, ps...)
					return len(ps), resp, err
				},
				func(page int) (int, *github.Response, error) {
					is, resp, err := gh.Issues.ListByRepo(ctx, o, n, &github.IssueListByRepoOptions{State: "all", ListOptions: lo(page)})
					return len(is), resp, err
				},
				func(page int) (int, *github.Response, error) {
					ev, resp, err := gh.Issues.ListRepositoryEvents(ctx, o, n, &github.ListOptions{Page: page, PerPage: 100})
					return len(ev), resp, err
				},
				func(page int) (int, *github.Response, error) {
					cs, resp, err := gh.Repositories.ListCommits(ctx, o, n, &github.CommitsListOptions{ListOptions: lo(page)})
					return len(cs), resp, err
				},
				func(page int) (int, *github.Response, error) {
					cs, resp, err := gh.Issues.ListComments(ctx, o, n, 0, &github.IssueListCommentsOptions{ListOptions: lo(page)})
					return len(cs), resp, err
				},
				func(page int) (int, *github.Response, error) {
					cs, resp, err := gh.PullRequests.ListComments(ctx, o, n, 0, &github.PullRequestListCommentsOptions{ListOptions: lo(page)})
					return len(cs), resp, err
				},
				func(page int) (int, *github.Response, error) {
					rs, resp, err := gh.Repositories.ListReleases(ctx, o, n, &github.ListOptions{Page: page, PerPage: 100})
					return len(rs), resp, err
				},
				func(page int) (int, *github.Response, error) {
					ss, resp, err := gh.Activity.ListStargazers(ctx, o, n, &github.ListOptions{Page: page, PerPage: 100})
					return len(ss), resp, err
				},
				func(page int) (int, *github.Response, error) {
					fs, resp, err := gh.Repositories.ListForks(ctx, o, n, &github.RepositoryListForksOptions{ListOptions: lo(page)})
					return len(fs), resp, err
				},
			}
			for _, s := range steps {
				if err := all(s); err != nil {
					return 0, err
				}
			}
			for _, p := range pulls {
				num := p.GetNumber()
				if err := all(func(page int) (int, *github.Response, error) {
					rv, resp, err := gh.PullRequests.ListReviews(ctx, o, n, num, &github.ListOptions{Page: page, PerPage: 100})
					return len(rv), resp, err
				}); err != nil {
					return 0, err
				}
			}
		}
	}
	return items, nil
}
