package reliability

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"testing"

	"contribtrack/internal/contrib"
	"contribtrack/internal/githubtest"
	"contribtrack/internal/githubtest/ghdata"
	"contribtrack/internal/githubtest/gqlexec"
	"contribtrack/internal/testing/fixtures"
)

// ghToken is the token the suite's GitHub test servers accept.
const ghToken = "ghp_contribtrackReliabilitySuite000000001"

// ghServer is a GitHub test server (validating GraphQL against GitHub's
// real schema) with a hook that sees every request before it is served.
type ghServer struct {
	*githubtest.Server
	ds       *ghdata.Dataset
	cfg      string // a config file naming the dataset's orgs
	requests atomic.Int64
	hook     atomic.Pointer[func(n int64, r *http.Request)]
}

// spec is the collect rows' dataset: two orgs, eight repositories, about
// 3,000 contributions, a few hundred requests to collect.
func spec(seed uint64) ghdata.Spec {
	s := ghdata.SmallSpec(seed)
	s.ReposPerOrg, s.Users, s.PullsPerRepo, s.IssuesPerRepo, s.CommitsPerRepo = 4, 60, 40, 40, 150
	return s
}

func newGHServer(t *testing.T, ds *ghdata.Dataset, opts githubtest.Options) *ghServer {
	t.Helper()
	sdl, err := os.ReadFile(fixtures.Path(t, "github-graphql/schema.graphql"))
	if err != nil {
		t.Fatal(err)
	}
	schema, err := gqlexec.LoadSchema(string(sdl))
	if err != nil {
		t.Fatal(err)
	}
	g := &ghServer{ds: ds}
	opts.Dataset, opts.Schema = ds, schema
	if len(opts.Tokens) == 0 {
		opts.Tokens = []string{ghToken}
	}
	opts.BeforeServe = func(r *http.Request) {
		n := g.requests.Add(1)
		if h := g.hook.Load(); h != nil {
			(*h)(n, r)
		}
	}
	g.Server = githubtest.NewServer(opts)
	t.Cleanup(g.Close)
	orgs := map[string]bool{}
	for _, r := range ds.Repos {
		orgs[r.Owner.Login] = true
	}
	var names []string
	for o := range orgs {
		names = append(names, o)
	}
	sort.Strings(names)
	g.cfg = filepath.Join(t.TempDir(), "contribtrack.yaml")
	if err := os.WriteFile(g.cfg, []byte("orgs: ["+strings.Join(names, ", ")+"]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return g
}

// setHook sets (nil: removes) the hook.
func (g *ghServer) setHook(h func(n int64, r *http.Request)) {
	if h == nil {
		g.hook.Store(nil)
		return
	}
	g.hook.Store(&h)
}

// collect prepares contribtrack collect against the server into dsn.
func (g *ghServer) collect(t *testing.T, dsn string, extra ...string) *proc {
	t.Helper()
	args := append([]string{"--clickhouse", dsn, "--config", g.cfg, "collect", "--github-url", g.URL}, extra...)
	return command(t, []string{"GITHUB_TOKEN=" + ghToken}, args...)
}

// truth is the test server's ground truth as the suite dumps it. A
// commit known only by its email is credited to an identity derived with
// a key (the suite's, not the ground truth's): such actors compare as
// "an email identity", whatever their number.
func (g *ghServer) truth() []stored {
	var out []stored
	for _, c := range g.ds.Truth() {
		out = append(out, stored{Kind: string(c.Kind), Key: c.Key, Actor: c.ActorID, Login: c.ActorLogin, Repo: c.RepoName, At: c.CreatedAt.UTC()})
	}
	return normalizeEmail(out)
}

func normalizeEmail(ss []stored) []stored {
	for i := range ss {
		if contrib.IsEmailActor(ss[i].Actor) {
			ss[i].Actor, ss[i].Login = 1, "(an email identity)"
		}
	}
	return ss
}

// checkTruth says how the database at dsn differs from the ground truth
// ("" when it holds exactly the ground truth).
func (g *ghServer) checkTruth(t *testing.T, dsn string) string {
	t.Helper()
	return diff(normalizeEmail(dump(t, dsn)), g.truth())
}

func describeRequest(r *http.Request) string { return fmt.Sprintf("%s %s", r.Method, r.URL.Path) }
