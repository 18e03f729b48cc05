package collector_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"contribtrack/internal/collector"
	"contribtrack/internal/config"
	"contribtrack/internal/contrib"
	"contribtrack/internal/ghclient"
	"contribtrack/internal/githubtest"
	"contribtrack/internal/githubtest/ghdata"
	"contribtrack/internal/store"
)

func TestCollectStoresExactlyTheGroundTruth(t *testing.T) {
	e := newEnv(t, ghdata.Generate(ghdata.SmallSpec(1)), githubtest.Options{})
	gh := e.client(t, nil)
	sum, err := e.collect(t, gh, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := truth(e.ds, nil)
	got := e.stored(t)
	assertExact(t, want, got)
	assertNumbers(t, want, got)
	// Comments on pull requests' conversations carry the pull request's
	// number (issue_url says /issues/<n> for them too).
	pulls := map[string]bool{}
	for _, r := range want {
		if r.Kind == string(contrib.PROpened) {
			pulls[fmt.Sprintf("%d#%d", r.RepoID, r.Number)] = true
		}
	}
	onPulls := 0
	for _, r := range want {
		if r.Kind == string(contrib.IssueComment) && pulls[fmt.Sprintf("%d#%d", r.RepoID, r.Number)] {
			onPulls++
		}
	}
	if onPulls == 0 {
		t.Errorf("no issue comment on a pull request in the dataset: their numbers go unchecked")
	}
	if !sum.Started || sum.Repos != len(e.ds.Repos) || sum.Failed != 0 {
		t.Errorf("summary: %d repos, %d failed; want %d, 0", sum.Repos, sum.Failed, len(e.ds.Repos))
	}
	st := e.srv.Stats()
	if st.InvalidQueries != 0 {
		t.Errorf("%d GraphQL queries did not validate against GitHub's schema", st.InvalidQueries)
	}
	if got, want := sum.Client.GraphQLPoints, st.Points["graphql"]; got != want {
		t.Errorf("client counted %d GraphQL points, server charged %d", got, want)
	}
	if got, want := sum.Client.RESTPoints, st.Points["core"]; got != want {
		t.Errorf("client counted %d REST points, server charged %d", got, want)
	}

	// Bots are stored, and flagged: the leaderboard leaves them out, but
	// not people whose logins merely look like bots.
	var bots, people int
	botIDs := e.ds.Bots()
	for _, r := range want {
		if _, ok := botIDs[r.ActorID]; ok {
			bots++
		}
	}
	if bots == 0 {
		t.Fatal("the dataset has no bot contributions to check")
	}
	cfg := config.Default()
	lb, err := e.store.Leaderboard(context.Background(), store.LeaderboardFilter{
		Question: store.Question{
			From:  time.Unix(0, 0),
			To:    e.ds.Now.Add(time.Hour),
			Kinds: contrib.ContributionKinds,
			Limit: 10000,
		},
		Weights:  cfg.Weights(),
		BotRegex: cfg.BotRegex(),
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range lb {
		if _, ok := botIDs[a.ActorID]; ok || a.Login == "aws-cdk-automation" {
			t.Errorf("bot %s on the leaderboard", a.Login)
		}
		if a.Login == "abbot" || a.Login == "talbot-dev" {
			people++
		}
	}
	if people == 0 {
		t.Errorf("people with bot-like logins (abbot, talbot-dev) are missing from the leaderboard")
	}
}

// Reviews past the first page of a pull request's reviews (fetched by a
// follow-up query) carry the pull request's number too.
func TestReviewsPastTheFirstPageCarryTheirNumber(t *testing.T) {
	spec := ghdata.SmallSpec(17)
	spec.Orgs, spec.ReposPerOrg, spec.PullsPerRepo, spec.ReviewsPerPull, spec.ReviewCommentsPerPull = []string{"aws-samples"}, 1, 30, 15, 15
	ds := ghdata.Generate(spec)
	long := 0
	for _, p := range ds.Repos[0].Pulls {
		if len(p.Reviews) > 20 { // the pull requests query brings the first 20
			long++
		}
	}
	if long == 0 {
		t.Fatal("no pull request with more than 20 reviews: the follow-up pages go untested")
	}
	e := newEnv(t, ds, githubtest.Options{})
	if _, err := e.collect(t, e.client(t, nil), nil); err != nil {
		t.Fatal(err)
	}
	want, got := truth(ds, nil), e.stored(t)
	assertExact(t, want, got)
	assertNumbers(t, want, got)
}

func TestResyncWithoutChangesCostsAlmostNothing(t *testing.T) {
	e := newEnv(t, ghdata.Generate(ghdata.SmallSpec(2)), githubtest.Options{})
	gh := e.client(t, nil)
	if _, err := e.collect(t, gh, nil); err != nil {
		t.Fatal(err)
	}
	rows := e.physicalRows(t)
	e.srv.ResetStats()
	sum, err := e.collect(t, e.client(t, nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	st := e.srv.Stats()
	if got := e.physicalRows(t); got != rows {
		t.Errorf("a resync without changes stored %d new rows", got-rows)
	}
	if sum.Unchanged != len(e.ds.Repos) {
		t.Errorf("%d of %d repositories seen as unchanged", sum.Unchanged, len(e.ds.Repos))
	}
	// REST: nothing at all, or 95% answered 304 (GET /rate_limit, which
	// checks the token's budgets first, is free). GraphQL: the probes only,
	// at most one point per repository.
	if rest := st.REST - st.RateLimitChecks; rest > 0 && float64(st.NotModified) < 0.95*float64(rest) {
		t.Errorf("%d REST requests besides /rate_limit, only %d answered 304", rest, st.NotModified)
	}
	if pts := st.Points["graphql"] + st.Points["core"]; pts > len(e.ds.Repos) {
		t.Errorf("a resync without changes cost %d points for %d repositories", pts, len(e.ds.Repos))
	}
	t.Logf("no-change resync: %d REST (%d 304), %d GraphQL requests, %d points for %d repos",
		st.REST, st.NotModified, st.GraphQL, st.Points["graphql"]+st.Points["core"], len(e.ds.Repos))
}

func TestIncrementalRunFetchesOnlyTheDelta(t *testing.T) {
	spec := ghdata.SmallSpec(3)
	spec.PullsPerRepo, spec.IssuesPerRepo, spec.CommitsPerRepo, spec.StarsPerRepo = 120, 150, 400, 120
	e := newEnv(t, ghdata.Generate(spec), githubtest.Options{})
	full, err := e.collect(t, e.client(t, nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	fullPoints := e.srv.Stats().Points["graphql"] + e.srv.Stats().Points["core"]
	before := len(truth(e.ds, nil))
	// New activity in two repositories, including changes to old issues
	// and pull requests (comments, reviews, closes).
	var busy []string
	for _, r := range e.ds.Repos {
		if !r.Archived && len(busy) < 2 { // archived repositories get no activity
			busy = append(busy, r.FullName())
		}
	}
	e.ds.AddActivity(ghdata.Activity{Seed: 9, Pulls: 2, Issues: 2, Commits: 3, CommentsOnOld: 3, ReviewsOnOld: 2,
		CloseOld: 1, Stars: 2, Forks: 1, Releases: 1, CommitComments: 2, NewContributor: true, MergedBranchCommits: 3,
		OnlyRepos: busy})
	e.srv.ResetStats()
	inc, err := e.collect(t, e.client(t, nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := truth(e.ds, nil)
	got := e.stored(t)
	assertExact(t, want, got)
	assertNumbers(t, want, got)
	st := e.srv.Stats()
	incPoints := st.Points["graphql"] + st.Points["core"]
	t.Logf("full run: %d stored for %d points; after %d new contributions in %d repositories: %d stored for %d points",
		full.Total(), fullPoints, len(want)-before, len(busy), inc.Total(), incPoints)
	if incPoints*5 > fullPoints {
		t.Errorf("the incremental run cost %d points, the full run %d: want under a fifth", incPoints, fullPoints)
	}
	if inc.Total()*10 > full.Total() {
		t.Errorf("the incremental run stored %d rows, the full run %d: it fetched more than the changes", inc.Total(), full.Total())
	}
	if inc.Unchanged != len(e.ds.Repos)-len(busy) {
		t.Errorf("%d repositories unchanged, want %d", inc.Unchanged, len(e.ds.Repos)-len(busy))
	}

	// --full fetches everything again and changes nothing.
	if _, err := e.collect(t, e.client(t, nil), func(o *collector.Options) { o.Full = true }); err != nil {
		t.Fatal(err)
	}
	assertExact(t, want, e.stored(t))
}

func TestCollectIsExactUnderFaultsAndLimits(t *testing.T) {
	e := newEnv(t, ghdata.Generate(ghdata.SmallSpec(4)), githubtest.Options{
		Tokens:    []string{"ghp_test_token_one"},
		CoreLimit: 25, GraphQLLimit: 25, Window: 2 * time.Second,
	})
	// A burst of server errors, every kind of fault on both APIs early on,
	// then faults at random.
	e.srv.Inject(githubtest.Fault5xx, 4)
	for _, k := range githubtest.AllFaults {
		e.srv.InjectOn(githubtest.FaultOnGraphQL, k, 1)
		e.srv.InjectOn(githubtest.FaultOnREST, k, 1)
	}
	e.srv.SetFaultRate(7, 0.08, githubtest.AllFaults...)
	var waits atomic.Int64
	gh := e.client(t, func(o *ghclient.Options) {
		o.OnWait = func(ghclient.Wait) { waits.Add(1) }
	})
	sum, err := e.collect(t, gh, nil)
	if err != nil {
		t.Fatal(err)
	}
	assertExact(t, truth(e.ds, nil), e.stored(t))
	st := e.srv.Stats()
	if st.SentWhileExhausted != 0 || st.SentDuringRetryAfter != 0 {
		t.Errorf("requests sent against an exhausted budget: %d; during Retry-After: %d", st.SentWhileExhausted, st.SentDuringRetryAfter)
	}
	faults := 0
	for _, k := range githubtest.AllFaults {
		if st.Faults[k] == 0 {
			t.Errorf("no %s fault was injected: the test does not exercise it", k)
		}
		faults += st.Faults[k]
	}
	if waits.Load() == 0 || sum.Client.Waits == 0 {
		t.Errorf("no wait for a rate limit: the small budget was never exhausted")
	}
	t.Logf("%d faults injected, %d retries, %d waits (%s), %d requests", faults, sum.Client.Retries, sum.Client.Waits,
		sum.Client.Waited.Round(time.Millisecond), st.Requests)
}

func TestInterruptedRunResumesExactly(t *testing.T) {
	e := newEnv(t, ghdata.Generate(ghdata.SmallSpec(5)), githubtest.Options{})
	// Stop the first run after a few repositories' worth of requests.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n := 0
	gh := e.client(t, nil)
	c := collector.New(gh, e.store, collector.Options{Orgs: e.orgs(), Workers: 2,
		Progress: func(collector.RepoResult) {
			if n++; n == 2 {
				cancel()
			}
		}})
	_, err := c.Run(ctx)
	if err == nil || !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted run: err = %v, want context.Canceled", err)
	}
	cps, err := e.store.Checkpoints(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(cps) == 0 {
		t.Errorf("no checkpoint survived the interruption")
	}
	if _, err := e.collect(t, e.client(t, nil), nil); err != nil {
		t.Fatal(err)
	}
	assertExact(t, truth(e.ds, nil), e.stored(t))
}

func TestSeveralTokensShareTheWork(t *testing.T) {
	toks := []string{"ghp_first_token_aaaa", "ghp_second_token_bbbb"}
	e := newEnv(t, ghdata.Generate(ghdata.SmallSpec(6)), githubtest.Options{Tokens: toks})
	if _, err := e.collect(t, e.client(t, func(o *ghclient.Options) { o.Tokens = toks }), nil); err != nil {
		t.Fatal(err)
	}
	assertExact(t, truth(e.ds, nil), e.stored(t))
	st := e.srv.Stats()
	for i := range toks {
		p := st.TokenPoints[i]
		if p["core"]+p["graphql"] == 0 {
			t.Errorf("token #%d spent nothing: %v", i+1, st.TokenPoints)
		}
	}
}

func TestRefusedTokenFailsClearlyWithoutShowingIt(t *testing.T) {
	e := newEnv(t, ghdata.Generate(ghdata.SmallSpec(1)), githubtest.Options{})
	secret := "ghp_wrong_token_s3cr3t"
	sum, err := e.collect(t, e.client(t, func(o *ghclient.Options) { o.Tokens = []string{secret} }), nil)
	if err == nil {
		t.Fatal("collect with a refused token succeeded")
	}
	if sum.Started {
		t.Errorf("the summary says the run started (%d repositories, %d failed): nothing was listed", sum.Repos, sum.Failed)
	}
	if !errors.Is(err, ghclient.ErrUnauthorized) && !strings.Contains(err.Error(), "401") {
		t.Errorf("error does not say the token was refused: %v", err)
	}
	if strings.Contains(err.Error(), secret) {
		t.Errorf("error shows the token: %v", err)
	}
	if got := e.physicalRows(t); got != 0 {
		t.Errorf("%d rows stored with a refused token", got)
	}
}

// GitHub gone (a refused connection) stops the run while the
// repositories are listed: no organisation after the first is tried, and
// the summary does not claim a run (issue 15, item 8).
func TestUnreachableGitHubStopsTheRunBeforeItStarts(t *testing.T) {
	e := newEnv(t, ghdata.Generate(ghdata.SmallSpec(1)), githubtest.Options{})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + l.Addr().String()
	l.Close()
	gh := e.client(t, func(o *ghclient.Options) { o.URL = url })
	sum, err := e.collect(t, gh, func(o *collector.Options) { o.Orgs = append(o.Orgs, "another-org") })
	if !errors.Is(err, ghclient.ErrUnreachable) || !strings.Contains(err.Error(), url) {
		t.Errorf("collect against a closed port: %v, want ErrUnreachable naming %s", err, url)
	}
	if sum.Started {
		t.Errorf("the summary says the run started (%d repositories, %d failed)", sum.Repos, sum.Failed)
	}
	if n := gh.Stats().GraphQLRequests; n != 3 {
		t.Errorf("%d GraphQL requests, want 3: the first listing and its 2 retries, then stop", n)
	}
}

func TestFiltersAndSingleRepos(t *testing.T) {
	ds := ghdata.Generate(ghdata.SmallSpec(7))
	e := newEnv(t, ds, githubtest.Options{})
	var archived, single *ghdata.Repo
	for _, r := range ds.Repos {
		if r.Archived && archived == nil {
			archived = r
		}
		if !r.Archived && !r.Fork && r.Owner.Login != ds.Orgs[0].Login {
			single = r
		}
	}
	org := ds.Orgs[0].Login
	sum, err := collector.New(e.client(t, nil), e.store, collector.Options{
		Orgs: []string{org}, Repos: []string{single.FullName()}, SkipArchived: true, SkipForks: true,
	}).Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	keep := func(c contrib.Contribution) bool {
		r := ds.RepoByID(int64(c.RepoID))
		return r == single || (r.Owner.Login == org && !r.Archived && !r.Fork)
	}
	assertExact(t, truth(ds, keep), e.stored(t))
	if sum.Repos == 0 {
		t.Fatal("nothing collected")
	}
	_, err = collector.New(e.client(t, nil), e.store, collector.Options{Repos: []string{org + "/no-such-repo"}}).Run(context.Background())
	if !errors.Is(err, ghclient.ErrNotFound) || !strings.Contains(err.Error(), "no-such-repo") {
		t.Errorf("unknown repository: err = %v, want not found naming it", err)
	}
	_, err = collector.New(e.client(t, nil), e.store, collector.Options{Orgs: []string{"no-such-org"}}).Run(context.Background())
	if !errors.Is(err, ghclient.ErrNotFound) || !strings.Contains(err.Error(), "no-such-org") {
		t.Errorf("unknown organisation: err = %v, want not found naming it", err)
	}
}

func TestGitHubAppInstallation(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, ghdata.Generate(ghdata.SmallSpec(9)), githubtest.Options{
		Apps: []githubtest.App{{ID: 77, PublicKey: &key.PublicKey, InstallationID: 88}}})
	gh := e.client(t, func(o *ghclient.Options) {
		o.Tokens = nil
		o.App = &ghclient.App{ID: 77, InstallationID: 88, PrivateKey: key}
	})
	if _, err := e.collect(t, gh, nil); err != nil {
		t.Fatal(err)
	}
	assertExact(t, truth(e.ds, nil), e.stored(t))
	if n := e.srv.Stats().InstallationTokens; n != 1 {
		t.Errorf("%d installation tokens issued, want 1 (reused until it nears expiry)", n)
	}
	// A wrong installation fails clearly.
	bad := e.client(t, func(o *ghclient.Options) {
		o.Tokens = nil
		o.App = &ghclient.App{ID: 77, InstallationID: 99, PrivateKey: key}
	})
	if _, err := e.collect(t, bad, nil); err == nil || !strings.Contains(err.Error(), "installation 99") {
		t.Errorf("wrong installation: err = %v, want one naming installation 99", err)
	}
}

// failingStore is the real store, except that inserts number failFrom to
// failUntil fail, the way they do when ClickHouse goes away mid-run.
type failingStore struct {
	*store.Store
	n, failFrom, failUntil int
}

func (s *failingStore) Insert(ctx context.Context, cs []contrib.Contribution) error {
	s.n++
	if s.n >= s.failFrom && s.n <= s.failUntil {
		return errors.New("clickhouse: connection refused (simulated)")
	}
	return s.Store.Insert(ctx, cs)
}

// When ClickHouse is gone for good, the run stops with a clear error and no
// checkpoint covering a lost batch is saved: the next run is exact.
func TestFailedInsertSavesNoCheckpointBeyondIt(t *testing.T) {
	e := newEnv(t, ghdata.Generate(ghdata.SmallSpec(10)), githubtest.Options{})
	fs := &failingStore{Store: e.store, failFrom: 2, failUntil: 1 << 30}
	sum, err := collector.New(e.client(t, nil), fs, collector.Options{Orgs: e.orgs(), BatchSize: 150, FlushEvery: time.Millisecond}).Run(context.Background())
	if err == nil || !strings.Contains(err.Error(), "simulated") || !strings.Contains(err.Error(), "storing contributions failed") {
		t.Fatalf("err = %v, want the insert failure", err)
	}
	if sum.Repos-sum.Unchanged-sum.Failed >= len(e.ds.Repos) {
		t.Errorf("the run went on fetching every repository after storing failed")
	}
	if _, err := e.collect(t, e.client(t, nil), nil); err != nil {
		t.Fatal(err)
	}
	assertExact(t, truth(e.ds, nil), e.stored(t))
}

// A passing failure is retried: the run succeeds and is exact.
func TestPassingInsertFailureIsRetried(t *testing.T) {
	e := newEnv(t, ghdata.Generate(ghdata.SmallSpec(14)), githubtest.Options{})
	fs := &failingStore{Store: e.store, failFrom: 2, failUntil: 3}
	if _, err := collector.New(e.client(t, nil), fs, collector.Options{Orgs: e.orgs(), BatchSize: 150, FlushEvery: time.Millisecond}).Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	assertExact(t, truth(e.ds, nil), e.stored(t))
}

// A comment deleted while the comments are being read does not make the
// walk skip another one (page numbers would shift every later comment).
func TestCommentDeletedDuringTheWalk(t *testing.T) {
	spec := ghdata.SmallSpec(15)
	spec.Orgs, spec.ReposPerOrg, spec.IssuesPerRepo, spec.CommentsPerIssue = []string{"aws-samples"}, 1, 120, 4
	ds := ghdata.Generate(spec)
	r := ds.Repos[0]
	if len(r.IssueComments) < 150 {
		t.Fatalf("only %d comments: the walk needs several pages", len(r.IssueComments))
	}
	// The first comment the walk reads (the oldest update).
	first := r.IssueComments[0]
	for _, c := range r.IssueComments {
		if c.UpdatedAt.Before(first.UpdatedAt) {
			first = c
		}
	}
	var requests atomic.Int64
	e := newEnv(t, ds, githubtest.Options{BeforeServe: func(req *http.Request) {
		if strings.HasSuffix(req.URL.Path, "/issues/comments") && requests.Add(1) == 2 {
			ds.DeleteIssueComment(r, first.ID)
		}
	}})
	want := truth(ds, nil) // without the deleted comment
	if _, err := e.collect(t, e.client(t, nil), nil); err != nil {
		t.Fatal(err)
	}
	if requests.Load() < 2 {
		t.Fatalf("%d comment requests: nothing was deleted mid-walk", requests.Load())
	}
	got := map[string]bool{}
	for _, r := range e.stored(t) {
		got[r.Kind+"/"+r.Key] = true
	}
	for _, w := range want {
		if !got[w.Kind+"/"+w.Key] {
			t.Errorf("%s %s was never stored", w.Kind, w.Key)
		}
	}
}
