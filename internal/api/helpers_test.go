package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"hash/fnv"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"contribtrack/internal/api"
	"contribtrack/internal/cli"
	"contribtrack/internal/config"
	"contribtrack/internal/contrib"
	"contribtrack/internal/leaderboard"
	"contribtrack/internal/store"
	"contribtrack/internal/testing/chtest"
)

// testEmailKey is the email identity secret the tests give the CLI (so
// that no key file is created in the tester's data directory).
const testEmailKey = "contribtrack-api-test-email-key"

// getenv is the environment the CLI sees: only the email key, so that the
// developer's CONTRIBTRACK_* variables do not leak in.
func getenv(name string) string {
	if name == "CONTRIBTRACK_EMAIL_KEY" {
		return testEmailKey
	}
	return ""
}

// emailID is an email's identity under the tests' key.
func emailID(email string) uint64 { return contrib.EmailKey(testEmailKey).ActorID(email) }

// defaultRules are the scoring rules of the default configuration: what
// the CLI uses when no configuration file is given.
func defaultRules() leaderboard.Rules {
	cfg := config.Default()
	return leaderboard.Rules{Weights: cfg.Weights(), BotRegex: cfg.BotRegex(), HumanRegex: cfg.HumanRegex()}
}

// env is a fresh migrated database of the test's own.
type env struct {
	dsn   string
	store *store.Store
	// apis are the API servers built on it: its writes are this
	// process's, so it tells them, as serve does after its jobs.
	apis []*api.Server
}

// wrote tells the env's API servers that it wrote, once the rollup marks
// are merged: a background merge of them changes the data version (and
// costs a cache miss), which would make the tests' hits and misses depend
// on when ClickHouse merges.
func (e *env) wrote(t *testing.T) {
	t.Helper()
	e.settleMarks(t)
	for _, a := range e.apis {
		if err := a.RefreshVersion(context.Background()); err != nil {
			t.Fatalf("telling the API about a write: %v", err)
		}
	}
}

func newEnv(t *testing.T) *env {
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

// insert stores contributions in one batch.
func (e *env) insert(t *testing.T, cs ...contrib.Contribution) {
	t.Helper()
	if err := e.store.Insert(context.Background(), cs); err != nil {
		t.Fatal(err)
	}
	e.wrote(t)
}

// refresh brings the rollup up to date and checks that it is.
func (e *env) refresh(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	if _, err := e.store.RefreshRollup(ctx); err != nil {
		t.Fatal(err)
	}
	e.wrote(t)
	if fresh, err := e.store.RollupFresh(ctx); err != nil || !fresh {
		t.Fatalf("rollup fresh after refresh: %v, %v", fresh, err)
	}
}

// handler builds the API on the env's store (default rules unless given);
// it is closed when the test ends.
func (e *env) handler(t *testing.T, o api.Options) *api.Server {
	t.Helper()
	if o.Store == nil {
		o.Store = e.store
	}
	if o.Rules.Weights == nil {
		o.Rules = defaultRules()
	}
	h := api.New(o)
	t.Cleanup(h.Close)
	if o.Store == e.store {
		e.apis = append(e.apis, h)
	}
	return h
}

// serve starts an HTTP server with the API and returns its base URL.
func (e *env) serve(t *testing.T, o api.Options) string {
	t.Helper()
	srv := httptest.NewServer(e.handler(t, o))
	t.Cleanup(srv.Close)
	return srv.URL
}

// settleMarks merges the rollup marks now.
func (e *env) settleMarks(t *testing.T) {
	t.Helper()
	if err := e.store.Conn().Exec(context.Background(), "OPTIMIZE TABLE rollup_marks FINAL"); err != nil {
		t.Fatal(err)
	}
}

// importRoster imports the example roster with the CLI.
func (e *env) importRoster(t *testing.T) {
	t.Helper()
	code, out, stderr := runCLI("--clickhouse", e.dsn, "roster", "import", "../../examples/roster.yaml", "../../examples/identities.yaml")
	if code != 0 {
		t.Fatalf("roster import: exit %d\n%s%s", code, out, stderr)
	}
	e.wrote(t)
}

// runCLI runs the CLI in-process.
func runCLI(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = cli.Main(args, &out, &errOut, getenv)
	return code, out.String(), errOut.String()
}

// cliArgs turns API parameters into the CLI's flags for the same question.
func cliArgs(params [][2]string) []string {
	var args []string
	for _, p := range params {
		switch p[0] {
		case "include_bots":
			if p[1] == "true" || p[1] == "1" {
				args = append(args, "--include-bots")
			}
		default:
			args = append(args, "--"+p[0], p[1])
		}
	}
	return args
}

// cliJSON runs a CLI command with --format json for the same question and
// returns its output.
func (e *env) cliJSON(t *testing.T, command string, params [][2]string) string {
	t.Helper()
	args := append([]string{"--clickhouse", e.dsn, command, "--format", "json"}, cliArgs(params)...)
	code, out, stderr := runCLI(args...)
	if code != 0 {
		t.Fatalf("contribtrack %s: exit %d\n%s", strings.Join(args[2:], " "), code, stderr)
	}
	return out
}

// query encodes parameters in the given order (a name may repeat).
func query(params [][2]string) string {
	parts := make([]string, len(params))
	for i, p := range params {
		parts[i] = url.QueryEscape(p[0]) + "=" + url.QueryEscape(p[1])
	}
	return strings.Join(parts, "&")
}

// response is an HTTP answer read whole.
type response struct {
	status int
	header http.Header
	body   []byte
}

// do sends a request with optional headers and body.
func do(t *testing.T, method, target string, header map[string]string, body io.Reader) response {
	t.Helper()
	req, err := http.NewRequest(method, target, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

func get(t *testing.T, target string) response {
	t.Helper()
	return do(t, http.MethodGet, target, nil, nil)
}

// entry is the public JSON shape of one leaderboard entry.
type entry struct {
	Rank   int               `json:"rank"`
	Login  string            `json:"login"`
	Score  float64           `json:"score"`
	Counts map[string]uint64 `json:"counts"`
}

// decodeEntries decodes leaderboard JSON strictly: an array (not null) of
// objects with exactly the public keys.
func decodeEntries(t *testing.T, body []byte) []entry {
	t.Helper()
	var raw []map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil || raw == nil {
		t.Fatalf("not a JSON array of objects (%v):\n%s", err, body)
	}
	for i, obj := range raw {
		var keys []string
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		if diff := cmp.Diff([]string{"counts", "login", "rank", "score"}, keys); diff != "" {
			t.Errorf("entry %d keys (-want +got):\n%s", i, diff)
		}
	}
	var out []entry
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&out); err != nil {
		t.Fatalf("decoding entries: %v", err)
	}
	if out == nil {
		out = []entry{}
	}
	return out
}

// shareRow is the public JSON shape of one share group.
type shareRow struct {
	Group         string  `json:"group"`
	Contributions uint64  `json:"contributions"`
	Share         float64 `json:"share"`
	People        uint64  `json:"people"`
	Score         float64 `json:"score"`
}

func decodeShare(t *testing.T, body []byte) []shareRow {
	t.Helper()
	var out []shareRow
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&out); err != nil || out == nil {
		t.Fatalf("not a share array (%v):\n%s", err, body)
	}
	return out
}

// apiError is the JSON body of every error answer.
type apiError struct {
	Error     string `json:"error"`
	Message   string `json:"message"`
	Parameter string `json:"parameter"`
}

// decodeError decodes an error body strictly and checks its content type.
func decodeError(t *testing.T, r response) apiError {
	t.Helper()
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("error Content-Type %q, want application/json", ct)
	}
	var e apiError
	dec := json.NewDecoder(bytes.NewReader(r.body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil {
		t.Fatalf("error body is not the error JSON (%v):\n%s", err, r.body)
	}
	if e.Error == "" || e.Message == "" {
		t.Errorf("error body %s: want error and message", r.body)
	}
	return e
}

// counts sums each login's contributions.
func counts(es []entry) map[string]uint64 {
	out := map[string]uint64{}
	for _, e := range es {
		for _, n := range e.Counts {
			out[e.Login] += n
		}
	}
	return out
}

// keySeq makes every contribution built by c distinct.
var keySeq atomic.Int64

// hashID gives stable small ids for logins and repositories.
func hashID(s string) uint64 {
	h := fnv.New32a()
	h.Write([]byte(strings.ToLower(s)))
	return uint64(h.Sum32()) + 1
}

// c builds a contribution of kind by login on repo (owner/name) at an RFC
// 3339 time, with a fresh natural key.
func c(t *testing.T, kind contrib.Kind, login, repo, at string) contrib.Contribution {
	t.Helper()
	ts, err := time.Parse(time.RFC3339, at)
	if err != nil {
		t.Fatalf("bad time %q: %v", at, err)
	}
	return contrib.Contribution{
		Kind:       kind,
		Key:        "k" + strconv.FormatInt(keySeq.Add(1), 10),
		CreatedAt:  ts,
		ActorID:    hashID("user:" + login),
		ActorLogin: login,
		RepoID:     hashID("repo:" + repo),
		RepoName:   repo,
		Org:        contrib.OrgOf(repo),
		Via:        contrib.ViaREST,
	}
}

// withID is c with an explicit GitHub id (a roster can name ids).
func withID(x contrib.Contribution, id uint64) contrib.Contribution {
	x.ActorID = id
	return x
}

// emailCommit is a commit known only by its author's email.
func emailCommit(t *testing.T, email, repo, at string) contrib.Contribution {
	t.Helper()
	x := c(t, contrib.Commit, "", repo, at)
	x.ActorID = emailID(email)
	x.ActorLogin = ""
	x.EmailDomain = contrib.DomainOf(email)
	x.Via = contrib.ViaGraphQL
	return x
}

const (
	cdk    = "aws/aws-cdk"
	smithy = "awslabs/smithy"
	mid    = "2024-01-15T12:00:00Z"
)

// period is January 2024, the base data's period.
var period = [][2]string{{"from", "2024-01-01"}, {"to", "2024-02-01"}}

// with appends parameters to the period.
func with(more ...[2]string) [][2]string {
	return append(append([][2]string{}, period...), more...)
}

// baseData is January 2024 in two orgs, with a bot and contributions just
// outside the period. With the default weights: bob 5, alice 4, bot 3,
// carol 1.
func baseData(t *testing.T) []contrib.Contribution {
	return []contrib.Contribution{
		c(t, contrib.Commit, "alice", cdk, mid),
		c(t, contrib.Commit, "alice", cdk, mid),
		c(t, contrib.PROpened, "alice", smithy, mid),
		c(t, contrib.PRMerged, "bob", cdk, mid),
		c(t, contrib.PRReview, "bob", cdk, mid),
		c(t, contrib.IssueComment, "carol", smithy, "2024-01-31T23:59:59Z"),
		c(t, contrib.Commit, "dependabot[bot]", cdk, mid),
		c(t, contrib.Commit, "dependabot[bot]", cdk, mid),
		c(t, contrib.Commit, "dependabot[bot]", smithy, mid),
		c(t, contrib.Star, "erin", cdk, mid),                           // a signal, not a contribution
		c(t, contrib.Commit, "dave", cdk, "2023-12-31T23:59:59Z"),      // before the period
		c(t, contrib.PROpened, "dave", smithy, "2024-02-01T00:00:00Z"), // on its (exclusive) end
	}
}
