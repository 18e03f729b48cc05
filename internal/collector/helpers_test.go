package collector_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/vektah/gqlparser/v2/ast"

	"contribtrack/internal/collector"
	"contribtrack/internal/contrib"
	"contribtrack/internal/ghclient"
	"contribtrack/internal/githubtest"
	"contribtrack/internal/githubtest/ghdata"
	"contribtrack/internal/githubtest/gqlexec"
	"contribtrack/internal/store"
	"contribtrack/internal/testing/chtest"
	"contribtrack/internal/testing/fixtures"
)

const schemaFixture = "github-graphql/schema.graphql"

// loadGitHubSchema reads and parses the schema fixture, once.
var loadGitHubSchema = sync.OnceValues(func() (*ast.Schema, error) {
	sdl, err := os.ReadFile(filepath.Join(fixtures.Root(), schemaFixture))
	if err != nil {
		return nil, err
	}
	return gqlexec.LoadSchema(string(sdl))
})

// githubSchema loads GitHub's real GraphQL schema from ../shared, so that
// the test server rejects any query the collector sends that GitHub would
// reject. It skips outside CI when ../shared is absent.
func githubSchema(t testing.TB) *ast.Schema {
	t.Helper()
	fixtures.Path(t, schemaFixture) // skips, or fails under CI, when it is missing
	schema, err := loadGitHubSchema()
	if err != nil {
		t.Fatalf("loading GitHub's schema: %v", err)
	}
	return schema
}

// env is one test's GitHub test server and ClickHouse database.
type env struct {
	srv   *githubtest.Server
	ds    *ghdata.Dataset
	store *store.Store
}

func newEnv(t testing.TB, ds *ghdata.Dataset, opts githubtest.Options) *env {
	t.Helper()
	opts.Dataset = ds
	opts.Schema = githubSchema(t)
	if len(opts.Tokens) == 0 && len(opts.Apps) == 0 {
		opts.Tokens = []string{"ghp_test_token_one"}
	}
	srv := githubtest.NewServer(opts)
	t.Cleanup(srv.Close)
	dsn, _ := chtest.Database(t)
	st, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return &env{srv: srv, ds: ds, store: st}
}

// orgs is every organisation of the dataset.
func (e *env) orgs() []string {
	var out []string
	for _, o := range e.ds.Orgs {
		out = append(out, o.Login)
	}
	return out
}

func (e *env) client(t testing.TB, mod func(*ghclient.Options)) *ghclient.Client {
	t.Helper()
	o := ghclient.Options{URL: e.srv.URL, Tokens: []string{"ghp_test_token_one"}, RetryBase: 5 * time.Millisecond,
		SecondaryWait: 200 * time.Millisecond}
	if mod != nil {
		mod(&o)
	}
	c, err := ghclient.New(o)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// collect runs one sync of every organisation with default options.
func (e *env) collect(t testing.TB, gh *ghclient.Client, mod func(*collector.Options)) (collector.Summary, error) {
	t.Helper()
	o := collector.Options{Orgs: e.orgs()}
	if mod != nil {
		mod(&o)
	}
	return collector.New(gh, e.store, o).Run(context.Background())
}

// row is a stored contribution, reduced to one per natural key the way
// every query reduces them.
type row struct {
	Kind      string
	Key       string
	ActorID   uint64
	Login     string
	RepoID    uint64
	CreatedAt time.Time
	Number    uint64 // the issue or pull request it belongs to
}

func (e *env) stored(t testing.TB) []row {
	t.Helper()
	rows, err := e.store.Conn().Query(context.Background(), `
		SELECT toString(kind), key, argMax(actor_id, version), argMax(actor_login, version),
		       argMax(repo_id, version), argMax(created_at, version), argMax(number, version)
		FROM contributions GROUP BY kind, key`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.Kind, &r.Key, &r.ActorID, &r.Login, &r.RepoID, &r.CreatedAt, &r.Number); err != nil {
			t.Fatal(err)
		}
		r.CreatedAt = r.CreatedAt.UTC()
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	sortRows(out)
	return out
}

func (e *env) physicalRows(t testing.TB) uint64 {
	t.Helper()
	var n uint64
	if err := e.store.Conn().QueryRow(context.Background(), "SELECT count() FROM contributions").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// truth is the dataset's ground truth as rows, restricted to repos (nil
// means every repository).
func truth(ds *ghdata.Dataset, keep func(contrib.Contribution) bool) []row {
	var out []row
	for _, c := range ds.Truth() {
		if keep != nil && !keep(c) {
			continue
		}
		out = append(out, rowOf(c))
	}
	sortRows(out)
	return out
}

// rowOf is a contribution as a stored row.
func rowOf(c contrib.Contribution) row {
	return row{Kind: string(c.Kind), Key: c.Key, ActorID: c.ActorID, Login: c.ActorLogin,
		RepoID: c.RepoID, CreatedAt: c.CreatedAt, Number: uint64(c.Number)}
}

func sortRows(rs []row) {
	sort.Slice(rs, func(i, j int) bool {
		if rs[i].Kind != rs[j].Kind {
			return rs[i].Kind < rs[j].Kind
		}
		return rs[i].Key < rs[j].Key
	})
}

// assertExact fails unless the store holds exactly the ground truth, and
// says per kind and per actor where they differ.
func assertExact(t testing.TB, want, got []row) {
	t.Helper()
	if cmp.Equal(want, got) {
		return
	}
	count := func(rs []row) (map[string]int, map[string]int) {
		k, a := map[string]int{}, map[string]int{}
		for _, r := range rs {
			k[r.Kind]++
			a[fmt.Sprintf("%s/%d", r.Login, r.ActorID)]++
		}
		return k, a
	}
	wk, wa := count(want)
	gk, ga := count(got)
	t.Errorf("stored contributions differ from the ground truth: %d stored, %d expected", len(got), len(want))
	if d := cmp.Diff(wk, gk); d != "" {
		t.Errorf("per kind (-want +got):\n%s", d)
	}
	if d := cmp.Diff(wa, ga); d != "" {
		t.Errorf("per actor (-want +got):\n%s", d)
	}
	if d := cmp.Diff(want, got); len(d) < 6000 {
		t.Errorf("rows (-want +got):\n%s", d)
	} else {
		t.Errorf("rows (-want +got), first part:\n%s", d[:6000])
	}
}

// numbered are the kinds that belong to an issue or a pull request.
var numbered = []contrib.Kind{contrib.PROpened, contrib.PRMerged, contrib.PRClosed, contrib.PRReview,
	contrib.PRReviewComment, contrib.IssueOpened, contrib.IssueClosed, contrib.IssueComment}

// assertNumbers fails unless every stored row of a numbered kind has the
// number of its (kind, key) in want, and other kinds have 0. It also fails
// when want gives it nothing to check: a numbered kind absent, or a row of
// one with number 0.
func assertNumbers(t testing.TB, want, got []row) {
	t.Helper()
	isNumbered := map[string]bool{}
	for _, k := range numbered {
		isNumbered[string(k)] = true
	}
	wantNum := map[string]uint64{}
	perKind := map[string]int{}
	for _, w := range want {
		wantNum[w.Kind+"/"+w.Key] = w.Number
		if !isNumbered[w.Kind] {
			continue
		}
		perKind[w.Kind]++
		if w.Number == 0 {
			t.Errorf("the truth's %s %s has no number", w.Kind, w.Key)
		}
	}
	for _, k := range numbered {
		if perKind[string(k)] == 0 {
			t.Errorf("the truth has no %s: its numbers go unchecked", k)
		}
	}
	bad := map[string]int{}
	for _, g := range got {
		w, ok := wantNum[g.Kind+"/"+g.Key]
		if !ok {
			continue // assertExact reports rows the truth lacks
		}
		if !isNumbered[g.Kind] {
			w = 0
		}
		if g.Number != w {
			if bad[g.Kind]++; bad[g.Kind] <= 3 {
				t.Errorf("%s %s: stored number %d, want %d", g.Kind, g.Key, g.Number, w)
			}
		}
	}
	if len(bad) > 0 {
		t.Errorf("rows with the wrong number, per kind: %v", bad)
	}
}
