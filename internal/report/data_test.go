package report_test

import (
	"context"
	"fmt"
	"hash/fnv"
	"testing"
	"time"

	"contribtrack/internal/config"
	"contribtrack/internal/contrib"
	"contribtrack/internal/leaderboard"
	"contribtrack/internal/roster"
	"contribtrack/internal/store"
	"contribtrack/internal/testing/chtest"
)

// The fixed dataset the golden reports are made from: three repositories
// in two orgs, spring 2024 (and some history before it), the example
// roster's members among plain accounts and bots.
const (
	widget = "awslabs/widget"
	gadget = "awslabs/gadget"
	thing  = "aws/aws-thing"
)

var (
	periodFrom = day("2024-03-01")
	periodTo   = day("2024-06-01")
	// now is when the golden reports say they were made.
	now = time.Date(2024, 6, 2, 9, 30, 0, 0, time.UTC)
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func id(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64() >> 20 // well below GitHub's derived-id bits
}

// person is an account of the dataset.
type person struct {
	login string
	id    uint64
}

func account(login string) person { return person{login: login, id: id("user:" + login)} }

var (
	ana       = account("ana-ferreira-dev") // a hero; contributed before the period
	kenji     = account("kwatanabe")        // a community builder from 2024-03-01
	kenjiOld  = account("kenji-w-old")      // kenji's older login
	amara     = person{"amara-builds", 7011001}
	diego     = account("dmorales") // opted out
	alice     = account("alice")    // returning
	bob       = account("bob")      // new
	carol     = account("carol")    // new, reviews
	bot       = account("dependabot[bot]")
	rosterBot = account("release-helper-ci") // a bot by the roster
)

// builder collects contributions with deterministic keys.
type builder struct {
	seq int
	out []contrib.Contribution
}

func (b *builder) add(kind contrib.Kind, who person, repo string, at string, number int64) {
	b.seq++
	ts, err := time.Parse(time.RFC3339, at)
	if err != nil {
		panic(err)
	}
	// Natural keys as the collectors make them: an issue's or pull
	// request's number for the kinds about the item itself.
	key := fmt.Sprintf("%s:%d", repo, b.seq)
	switch kind {
	case contrib.PROpened, contrib.PRMerged, contrib.PRClosed, contrib.IssueOpened, contrib.IssueClosed:
		key = fmt.Sprintf("%s#%d", repo, number)
	}
	b.out = append(b.out, contrib.Contribution{
		Kind: kind, Key: key, CreatedAt: ts,
		ActorID: who.id, ActorLogin: who.login, RepoID: id("repo:" + repo), RepoName: repo,
		Org: contrib.OrgOf(repo), Via: contrib.ViaREST, Number: number,
	})
}

// pr adds a pull request opened by author, reviewed and merged (merged
// after hours; 0: left open), with a review by reviewer after responseH.
func (b *builder) pr(author, reviewer person, repo string, number int64, opened string, responseH, mergedH int) {
	at := func(h int) string {
		t, _ := time.Parse(time.RFC3339, opened)
		return t.Add(time.Duration(h) * time.Hour).Format(time.RFC3339)
	}
	b.add(contrib.PROpened, author, repo, opened, number)
	if responseH > 0 {
		b.add(contrib.PRReview, reviewer, repo, at(responseH), number)
		b.add(contrib.PRReviewComment, reviewer, repo, at(responseH), number)
	}
	if mergedH > 0 {
		b.add(contrib.PRMerged, author, repo, at(mergedH), number)
	}
}

// dataset is the fixed dataset.
func dataset() []contrib.Contribution {
	var b builder
	// History before the period.
	b.add(contrib.Commit, ana, widget, "2023-11-02T10:00:00Z", 0)
	b.add(contrib.IssueOpened, alice, gadget, "2023-12-12T08:00:00Z", 1)
	b.add(contrib.Commit, diego, thing, "2024-01-20T12:00:00Z", 0)

	// The period: pull requests with reviews and merges.
	b.pr(ana, carol, widget, 10, "2024-03-04T09:00:00Z", 3, 30)
	b.pr(ana, kenji, widget, 11, "2024-03-18T09:00:00Z", 5, 50)
	b.pr(bob, ana, widget, 12, "2024-04-02T15:00:00Z", 2, 20)
	b.pr(kenji, carol, gadget, 13, "2024-04-10T07:30:00Z", 26, 72)
	b.pr(amara, carol, thing, 14, "2024-05-06T11:00:00Z", 1, 4)
	b.pr(bob, kenji, thing, 15, "2024-05-20T18:00:00Z", 8, 0) // still open
	b.pr(bot, ana, widget, 16, "2024-03-11T06:00:00Z", 1, 2)  // a bot's: left out
	// Commits, some by kenji's older login.
	for i, at := range []string{"2024-03-05T10:00:00Z", "2024-03-12T10:00:00Z", "2024-04-16T10:00:00Z", "2024-05-28T10:00:00Z"} {
		b.add(contrib.Commit, ana, widget, at, 0)
		if i%2 == 0 {
			b.add(contrib.Commit, kenjiOld, gadget, at, 0)
		}
	}
	b.add(contrib.Commit, diego, thing, "2024-04-01T12:00:00Z", 0)
	b.add(contrib.Commit, diego, thing, "2024-04-03T12:00:00Z", 0)
	b.add(contrib.Commit, bot, widget, "2024-03-21T06:00:00Z", 0)
	b.add(contrib.Commit, bot, gadget, "2024-04-21T06:00:00Z", 0)
	// Issues with first responses.
	b.add(contrib.IssueOpened, alice, gadget, "2024-03-07T08:00:00Z", 20)
	b.add(contrib.IssueComment, kenji, gadget, "2024-03-07T20:00:00Z", 20)
	b.add(contrib.IssueClosed, kenji, gadget, "2024-03-08T08:00:00Z", 20)
	b.add(contrib.IssueOpened, carol, thing, "2024-04-22T13:00:00Z", 21)
	b.add(contrib.IssueComment, amara, thing, "2024-04-23T13:00:00Z", 21)
	b.add(contrib.IssueComment, alice, widget, "2024-05-15T09:00:00Z", 12)
	b.add(contrib.CommitComment, carol, widget, "2024-05-16T09:00:00Z", 0)
	b.add(contrib.Release, rosterBot, widget, "2024-05-31T23:00:00Z", 0)
	b.add(contrib.Release, ana, widget, "2024-04-30T12:00:00Z", 0)
	// Signals, not contributions.
	b.add(contrib.Star, bob, thing, "2024-03-09T10:00:00Z", 0)
	b.add(contrib.Fork, carol, widget, "2024-03-09T10:00:00Z", 0)
	// After the period.
	b.add(contrib.Commit, bob, widget, "2024-06-01T00:00:00Z", 0)
	return b.out
}

// checkpoints are the sync status the dataset comes with: two
// repositories synced, their pull request totals as GitHub reported them.
func checkpoints() []contrib.Checkpoint {
	at := time.Date(2024, 6, 2, 6, 0, 0, 0, time.UTC)
	return []contrib.Checkpoint{
		{RepoID: id("repo:" + widget), RepoName: widget, Resource: "repo", SyncedAt: at},
		{RepoID: id("repo:" + widget), RepoName: widget, Resource: "pulls", Total: 4, SyncedAt: at},
		{RepoID: id("repo:" + gadget), RepoName: gadget, Resource: "repo", SyncedAt: at.Add(-2 * time.Hour)},
		{RepoID: id("repo:" + gadget), RepoName: gadget, Resource: "pulls", Total: 2, SyncedAt: at.Add(-2 * time.Hour)},
	}
}

// testEmailKey keeps the tests from creating a key file.
const testEmailKey = "contribtrack-report-test-email-key"

// env is a migrated database of the test's own.
type env struct {
	dsn   string
	store *store.Store
}

func newEnv(t testing.TB) *env {
	t.Helper()
	dsn, _ := chtest.Database(t)
	ctx := context.Background()
	s, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return &env{dsn: dsn, store: s}
}

// load stores the dataset, its checkpoints and the example roster, and
// refreshes the rollup.
func (e *env) load(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	if err := e.store.Insert(ctx, dataset()); err != nil {
		t.Fatal(err)
	}
	if err := e.store.SaveCheckpoints(ctx, checkpoints()); err != nil {
		t.Fatal(err)
	}
	e.importRoster(t, "../../examples/roster.yaml", "../../examples/identities.yaml")
	if _, err := e.store.RefreshRollup(ctx); err != nil {
		t.Fatal(err)
	}
}

func (e *env) importRoster(t *testing.T, paths ...string) {
	t.Helper()
	r, err := roster.Load(paths...)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.ImportRoster(context.Background(), r, "test", contrib.EmailKey(testEmailKey)); err != nil {
		t.Fatal(err)
	}
}

// settings are the default configuration's scoring with the roster.
func (e *env) settings(t testing.TB) leaderboard.Settings {
	t.Helper()
	cfg := config.Default()
	s, err := leaderboard.LoadSettings(context.Background(), e.store,
		leaderboard.Rules{Weights: cfg.Weights(), BotRegex: cfg.BotRegex(), HumanRegex: cfg.HumanRegex()})
	if err != nil {
		t.Fatal(err)
	}
	return s
}
